import { zodResolver } from '@hookform/resolvers/zod';
import { ActionIcon, Button, Group, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type Path, useFieldArray, useForm } from 'react-hook-form';
import { z } from 'zod';
import { contract } from '../../../../src-shared/contract/index.js';
import type { Encounter } from '../../../../src-shared/contract/records.js';
import { type EncounterFields, encounterFields } from '../../../../src-shared/schemas/records.js';
import type { ApiError } from '../../../api/client.js';
import { useProcedureMutation } from '../../../api/hooks.js';
import { notifySuccess } from '../../../ui/notify.js';
import { applyServerFieldErrors } from '../../../ui/serverErrors.js';
import { FormButtons, RefusalAlert, submitOnCtrlEnter } from '../shared.js';

interface EncounterValues {
  complaint: string;
  findings: string;
  diagnoses: { text: string; icd10: string }[];
  plan: string;
  reason: string;
}

/** An empty ICD-10 field means "no code"; the shared schema then checks the rest. */
function toFields({ reason, ...values }: EncounterValues) {
  return { ...values, diagnoses: values.diagnoses.map((row) => ({ text: row.text, icd10: row.icd10.trim() === '' ? null : row.icd10 })) };
}

const createSchema = z.preprocess((values: EncounterValues) => toFields(values), encounterFields);
const amendSchema = z.preprocess(
  (values: EncounterValues) => ({ ...toFields(values), reason: values.reason }),
  encounterFields.extend({ reason: contract['encounters.amend'].input.shape.reason }),
);

const FIELD_ORDER = ['reason', 'complaint', 'findings', 'diagnoses', 'plan'] as const;

function serverFieldMap(rows: number): Record<string, Path<EncounterValues>> {
  const map: Record<string, Path<EncounterValues>> = {};
  for (const name of ['complaint', 'findings', 'diagnoses', 'plan'] as const) map[`encounter.${name}`] = name;
  for (let index = 0; index < rows; index += 1) {
    map[`encounter.diagnoses.${index}.text`] = `diagnoses.${index}.text`;
    map[`encounter.diagnoses.${index}.icd10`] = `diagnoses.${index}.icd10`;
  }
  return map;
}

/**
 * A visit note: complaint, findings, one or more diagnoses (text with an optional ICD-10 code) and
 * the plan. Given an encounter, it amends it instead: the same fields, prefilled, and a reason.
 */
export function EncounterForm({
  patientId,
  appointmentId,
  amend,
  onSaved,
  onCancel,
}: {
  patientId: string;
  /** The appointment this visit is for, when it was started from the doctor's queue. */
  appointmentId?: string;
  amend?: Encounter;
  onSaved: (saved: Encounter) => void;
  onCancel: () => void;
}) {
  const [formRefusal, setFormRefusal] = useState<ApiError | null>(null);
  const create = useProcedureMutation('encounters.create');
  const amendment = useProcedureMutation('encounters.amend');
  const queryClient = useQueryClient();
  const form = useForm<EncounterValues, unknown, EncounterFields & { reason?: string }>({
    resolver: zodResolver(amend ? amendSchema : createSchema) as never,
    defaultValues: amend
      ? {
          complaint: amend.complaint,
          findings: amend.findings,
          diagnoses: amend.diagnoses.map((row) => ({ text: row.text, icd10: row.icd10 ?? '' })),
          plan: amend.plan,
          reason: '',
        }
      : { complaint: '', findings: '', diagnoses: [{ text: '', icd10: '' }], plan: '', reason: '' },
  });
  const diagnoses = useFieldArray({ control: form.control, name: 'diagnoses' });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit(
    async ({ reason, ...encounter }) => {
      setFormRefusal(null);
      try {
        const saved = amend
          ? await amendment.mutateAsync({ id: amend.id, version: amend.version, reason: reason ?? '', encounter })
          : await create.mutateAsync({ patientId, appointmentId, encounter });
        notifySuccess(
          amend ? 'Encounter amended' : 'Encounter saved',
          amend ? 'The earlier version stays readable in its history.' : 'It is on the chart now.',
        );
        onSaved(saved);
      } catch (error) {
        if (!applyServerFieldErrors(error, form.setError, [...FIELD_ORDER], serverFieldMap(diagnoses.fields.length))) setFormRefusal(error as ApiError);
        if ((error as { code?: string }).code === 'CONFLICT' && amend) void queryClient.invalidateQueries({ queryKey: ['encounters.get'] });
      }
    },
    () => setFormRefusal(null),
  );

  const listError = errors.diagnoses?.root?.message ?? errors.diagnoses?.message;
  return (
    <form onSubmit={onSubmit} noValidate aria-label={amend ? 'Amend encounter' : 'New encounter'}>
      <Stack gap="md">
        {amend ? (
          <Textarea
            label="Reason for the amendment"
            description="Kept with the new version; the original stays readable"
            autosize
            minRows={2}
            data-autofocus
            onKeyDown={submitOnCtrlEnter}
            {...form.register('reason')}
            error={errors.reason?.message}
          />
        ) : null}
        <Textarea
          label="Presenting complaint"
          autosize
          minRows={2}
          maxRows={8}
          data-autofocus={amend ? undefined : true}
          onKeyDown={submitOnCtrlEnter}
          {...form.register('complaint')}
          error={errors.complaint?.message}
        />
        <Textarea
          label="Findings"
          description="History, examination and anything measured"
          autosize
          minRows={3}
          maxRows={12}
          onKeyDown={submitOnCtrlEnter}
          {...form.register('findings')}
          error={errors.findings?.message}
        />
        <Stack gap="xs" component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
          <Text component="legend" fw={500} fz="sm" mb={4}>
            Diagnoses
          </Text>
          {diagnoses.fields.map((field, index) => (
            <Group key={field.id} align="flex-start" gap="sm" wrap="nowrap">
              <TextInput
                label={`Diagnosis ${index + 1}`}
                style={{ flex: 1 }}
                autoComplete="off"
                {...form.register(`diagnoses.${index}.text`)}
                error={errors.diagnoses?.[index]?.text?.message}
              />
              <TextInput
                label={`ICD-10 code ${index + 1}`}
                description="Optional, e.g. J45"
                w={150}
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                {...form.register(`diagnoses.${index}.icd10`)}
                error={errors.diagnoses?.[index]?.icd10?.message}
              />
              <ActionIcon
                variant="subtle"
                color="gray"
                size="lg"
                mt={26}
                aria-label={`Remove diagnosis ${index + 1}`}
                disabled={diagnoses.fields.length === 1}
                onClick={() => diagnoses.remove(index)}
              >
                <IconTrash size={18} aria-hidden />
              </ActionIcon>
            </Group>
          ))}
          {listError ? (
            <Text c="red.8" fz="sm" role="alert">
              {listError}
            </Text>
          ) : null}
          <Group>
            <Button
              variant="light"
              size="xs"
              leftSection={<IconPlus size={14} aria-hidden />}
              onClick={() => diagnoses.append({ text: '', icd10: '' }, { focusName: `diagnoses.${diagnoses.fields.length}.text` })}
              disabled={diagnoses.fields.length >= 20}
            >
              Add diagnosis
            </Button>
          </Group>
        </Stack>
        <Textarea label="Plan" autosize minRows={2} maxRows={10} onKeyDown={submitOnCtrlEnter} {...form.register('plan')} error={errors.plan?.message} />
        <RefusalAlert error={formRefusal} />
        <FormButtons
          onCancel={onCancel}
          submitLabel={amend ? 'Save amendment' : 'Save encounter'}
          busy={form.formState.isSubmitting}
          extra="Ctrl+Enter saves from any field"
        />
      </Stack>
    </form>
  );
}
