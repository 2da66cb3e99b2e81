import { zodResolver } from '@hookform/resolvers/zod';
import { ActionIcon, Alert, Autocomplete, Button, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Controller, type Path, useFieldArray, useForm } from 'react-hook-form';
import { z } from 'zod';
import { contract } from '../../../../src-shared/contract/index.js';
import type { PrescriptionOut } from '../../../../src-shared/contract/records.js';
import type { ApiError } from '../../../api/client.js';
import { useProcedureMutation } from '../../../api/hooks.js';
import { notifySuccess } from '../../../ui/notify.js';
import { applyServerFieldErrors } from '../../../ui/serverErrors.js';
import { ROUTES } from '../format.js';
import { FormButtons, RefusalAlert, submitOnCtrlEnter, useVisitOptions } from '../shared.js';
import { VisitSelect } from './VisitSelect.js';

interface ItemValues {
  drug: string;
  dose: string;
  route: string;
  frequency: string;
  duration: string;
  quantity: number | string;
  instructions: string;
}
interface PrescriptionValues {
  items: ItemValues[];
  notes: string;
}

const input = contract['prescriptions.create'].input.shape;
const schema = z.preprocess(
  (values: PrescriptionValues) => ({
    items: values.items.map((item) => ({
      ...item,
      quantity: item.quantity === '' ? undefined : typeof item.quantity === 'string' ? Number(item.quantity) : item.quantity,
    })),
    notes: values.notes.trim() === '' ? undefined : values.notes,
  }),
  z.strictObject({ items: input.items, notes: input.notes }),
);
type PrescriptionOutput = z.output<typeof schema>;

const FREQUENCIES = ['Once daily', 'Twice daily', 'Three times daily', 'Four times daily', 'Every 8 hours', 'Every 6 hours', 'At night', 'When needed'];
const emptyItem = (): ItemValues => ({ drug: '', dose: '', route: 'oral', frequency: '', duration: '', quantity: '', instructions: '' });
const ITEM_FIELDS = ['drug', 'dose', 'route', 'frequency', 'duration', 'quantity', 'instructions'] as const;

function fieldOrder(rows: number): Path<PrescriptionValues>[] {
  const names: Path<PrescriptionValues>[] = [];
  for (let index = 0; index < rows; index += 1) for (const field of ITEM_FIELDS) names.push(`items.${index}.${field}`);
  names.push('items', 'notes');
  return names;
}

/**
 * Drugs with their directions, one card per drug. Allergies are repeated above the items, since
 * this is where they matter.
 */
export function PrescriptionForm({
  patientId,
  allergies,
  onSaved,
  onCancel,
}: {
  patientId: string;
  allergies: string[];
  onSaved: (saved: PrescriptionOut) => void;
  onCancel: () => void;
}) {
  const create = useProcedureMutation('prescriptions.create');
  const [formRefusal, setFormRefusal] = useState<ApiError | null>(null);
  const visits = useVisitOptions(patientId);
  const [visitId, setVisitId] = useState<string | null>(null);
  const [visitTouched, setVisitTouched] = useState(false);
  useEffect(() => {
    if (!visitTouched && visits.loaded) setVisitId(visits.defaultId);
  }, [visits.defaultId, visits.loaded, visitTouched]);
  const form = useForm<PrescriptionValues, unknown, PrescriptionOutput>({
    resolver: zodResolver(schema) as never,
    defaultValues: { items: [emptyItem()], notes: '' },
  });
  const items = useFieldArray({ control: form.control, name: 'items' });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit(
    async (values) => {
      setFormRefusal(null);
      try {
        const saved = await create.mutateAsync({ patientId, ...values, ...(visitId ? { encounterId: visitId } : {}) });
        notifySuccess('Prescription saved', `${saved.items.length} ${saved.items.length === 1 ? 'drug' : 'drugs'} prescribed.`);
        onSaved(saved);
      } catch (error) {
        if (!applyServerFieldErrors(error, form.setError, fieldOrder(items.fields.length))) setFormRefusal(error as ApiError);
      }
    },
    () => setFormRefusal(null),
  );
  const listError = errors.items?.root?.message ?? errors.items?.message;

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Prescribe">
      <Stack gap="md">
        {allergies.length > 0 ? (
          <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Allergies" p="sm">
            {allergies.join(' · ')}
          </Alert>
        ) : null}
        {items.fields.map((field, index) => {
          const itemErrors = errors.items?.[index];
          const name = (key: (typeof ITEM_FIELDS)[number]) => `items.${index}.${key}` as const;
          return (
            <Paper key={field.id} withBorder radius="md" p="sm" component="fieldset" style={{ margin: 0 }} aria-label={`Drug ${index + 1}`}>
              <Group justify="space-between" mb={4}>
                <Text fw={600} fz="sm">
                  Drug {index + 1}
                </Text>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={`Remove drug ${index + 1}`}
                  disabled={items.fields.length === 1}
                  onClick={() => items.remove(index)}
                >
                  <IconTrash size={18} aria-hidden />
                </ActionIcon>
              </Group>
              <SimpleGrid cols={{ base: 1, xs: 2, sm: 3 }} spacing="sm" verticalSpacing="xs">
                <TextInput
                  label="Drug"
                  placeholder="Name and strength"
                  autoComplete="off"
                  data-autofocus={index === 0 ? true : undefined}
                  {...form.register(name('drug'))}
                  error={itemErrors?.drug?.message}
                />
                <TextInput label="Dose" placeholder="e.g. 500 mg" autoComplete="off" {...form.register(name('dose'))} error={itemErrors?.dose?.message} />
                <Controller
                  control={form.control}
                  name={name('route')}
                  render={({ field: route, fieldState }) => (
                    <Select
                      ref={route.ref}
                      label="Route"
                      data={ROUTES}
                      value={route.value || null}
                      onChange={(value) => route.onChange(value ?? '')}
                      onBlur={route.onBlur}
                      allowDeselect={false}
                      error={fieldState.error ? 'Choose a route' : undefined}
                      comboboxProps={{ withinPortal: true }}
                    />
                  )}
                />
                <Controller
                  control={form.control}
                  name={name('frequency')}
                  render={({ field: frequency, fieldState }) => (
                    <Autocomplete
                      ref={frequency.ref}
                      label="Frequency"
                      placeholder="e.g. Twice daily"
                      data={FREQUENCIES}
                      value={String(frequency.value)}
                      onChange={frequency.onChange}
                      onBlur={frequency.onBlur}
                      error={fieldState.error?.message}
                      comboboxProps={{ withinPortal: true }}
                    />
                  )}
                />
                <TextInput
                  label="Duration"
                  placeholder="e.g. 5 days"
                  autoComplete="off"
                  {...form.register(name('duration'))}
                  error={itemErrors?.duration?.message}
                />
                <Controller
                  control={form.control}
                  name={name('quantity')}
                  render={({ field: quantity, fieldState }) => (
                    <NumberInput
                      ref={quantity.ref}
                      name={quantity.name}
                      label="Quantity"
                      placeholder="Units to dispense"
                      value={quantity.value}
                      onChange={quantity.onChange}
                      onBlur={quantity.onBlur}
                      allowDecimal={false}
                      allowNegative={false}
                      hideControls
                      error={fieldState.error?.message}
                    />
                  )}
                />
              </SimpleGrid>
              <TextInput
                mt="xs"
                label="Instructions"
                placeholder="Optional, e.g. after meals"
                autoComplete="off"
                {...form.register(name('instructions'))}
                error={itemErrors?.instructions?.message}
              />
            </Paper>
          );
        })}
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
            onClick={() => items.append(emptyItem(), { focusName: `items.${items.fields.length}.drug` })}
            disabled={items.fields.length >= 20}
          >
            Add drug
          </Button>
        </Group>
        <VisitSelect
          options={visits.options}
          value={visitId}
          onChange={(value) => {
            setVisitTouched(true);
            setVisitId(value);
          }}
        />
        <Textarea
          label="Notes"
          description="Optional, printed on the prescription"
          autosize
          minRows={2}
          onKeyDown={submitOnCtrlEnter}
          {...form.register('notes')}
          error={errors.notes?.message}
        />
        <RefusalAlert error={formRefusal} />
        <FormButtons onCancel={onCancel} submitLabel="Save prescription" busy={form.formState.isSubmitting} extra="Enter saves" />
      </Stack>
    </form>
  );
}
