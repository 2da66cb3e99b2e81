import { zodResolver } from '@hookform/resolvers/zod';
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Fieldset,
  Group,
  List,
  Modal,
  NativeSelect,
  Paper,
  Radio,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconAlertTriangle, IconPlus, IconTrash, IconUserPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Controller, type Path, type Resolver, useFieldArray, useForm } from 'react-hook-form';
import { Link, useLocation } from 'wouter';
import { z } from 'zod';
import type { DuplicateCandidate, PatientRecord } from '../../../src-shared/contract/patients.js';
import {
  ALLERGY_SEVERITIES,
  BLOOD_GROUPS,
  type PatientFields,
  type PatientFieldsInput,
  patientDisplayName,
  patientFields,
  SEX_LABELS,
  SEXES,
} from '../../../src-shared/schemas/patient.js';
import { ApiError, call, errorMessage, queryKey } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifySuccess } from '../../ui/notify.js';
import { applyServerFieldErrors } from '../../ui/serverErrors.js';
import { useClinicToday } from '../../ui/useClinic.js';
import { DUPLICATE_REASON_LABELS, describeAge, formatDate, SEVERITY_LABELS } from './format.js';

/** What the inputs hold: text everywhere, '' for "not chosen". */
export interface PatientFormValues {
  givenName: string;
  familyName: string;
  otherNames: string;
  sex: string;
  birthDate: string;
  phone: string;
  email: string;
  address: string;
  nationalId: string;
  bloodGroup: string;
  allergies: { substance: string; reaction: string; severity: string }[];
  emergencyContact: { name: string; relationship: string; phone: string };
  notes: string;
}

const EMPTY: PatientFormValues = {
  givenName: '',
  familyName: '',
  otherNames: '',
  sex: '',
  birthDate: '',
  phone: '',
  email: '',
  address: '',
  nationalId: '',
  bloodGroup: '',
  allergies: [],
  emergencyContact: { name: '', relationship: '', phone: '' },
  notes: '',
};

/** The inputs as the registry's schema reads them: unchosen selects are missing, an empty emergency contact is none. */
function toSchemaInput(form: PatientFormValues): unknown {
  const contact = form.emergencyContact;
  const noContact = !contact || [contact.name, contact.relationship, contact.phone].every((value) => value.trim() === '');
  return {
    ...form,
    sex: form.sex || undefined,
    bloodGroup: form.bloodGroup || null,
    allergies: form.allergies.map((allergy) => ({ ...allergy, severity: allergy.severity || undefined })),
    emergencyContact: noContact ? null : contact,
  } satisfies Record<keyof PatientFieldsInput, unknown>;
}

/** The one patient schema (the server's and the CSV import's), reading the form's inputs. */
const patientFormSchema = z.preprocess((values: PatientFormValues) => toSchemaInput(values), patientFields);
const resolver: Resolver<PatientFormValues, unknown, PatientFields> = zodResolver(patientFormSchema);

function fromRecord(patient: PatientRecord): PatientFormValues {
  return {
    givenName: patient.givenName,
    familyName: patient.familyName,
    otherNames: patient.otherNames ?? '',
    sex: patient.sex,
    birthDate: patient.birthDate,
    phone: patient.phone ?? '',
    email: patient.email ?? '',
    address: patient.address ?? '',
    nationalId: patient.nationalId ?? '',
    bloodGroup: patient.bloodGroup ?? '',
    allergies: patient.allergies.map((allergy) => ({ substance: allergy.substance, reaction: allergy.reaction ?? '', severity: allergy.severity })),
    emergencyContact: {
      name: patient.emergencyContact?.name ?? '',
      relationship: patient.emergencyContact?.relationship ?? '',
      phone: patient.emergencyContact?.phone ?? '',
    },
    notes: patient.notes ?? '',
  };
}

/** Form fields in screen order, so the server's first complaint gets the focus. */
function fieldOrder(allergyCount: number): Path<PatientFormValues>[] {
  const allergyFields = Array.from({ length: allergyCount }, (_, index) => [
    `allergies.${index}.substance` as const,
    `allergies.${index}.reaction` as const,
    `allergies.${index}.severity` as const,
  ]).flat();
  return [
    'givenName',
    'familyName',
    'otherNames',
    'sex',
    'birthDate',
    'nationalId',
    'phone',
    'email',
    'address',
    'bloodGroup',
    ...allergyFields,
    'emergencyContact.name',
    'emergencyContact.relationship',
    'emergencyContact.phone',
    'notes',
  ];
}

/** The server names fields inside its input ("patient.allergies.0.substance"); the form names them from its root. */
function serverPathMap(error: unknown): Partial<Record<string, Path<PatientFormValues>>> {
  if (!(error instanceof ApiError)) return {};
  const map: Partial<Record<string, Path<PatientFormValues>>> = {};
  for (const path of Object.keys(error.fields)) {
    if (path.startsWith('patient.')) map[path] = path.slice('patient.'.length) as Path<PatientFormValues>;
  }
  return map;
}

export function RegisterPatientPage() {
  useDocumentTitle('Register a patient · Asclepia');
  return (
    <Stack gap="lg" maw={960}>
      <div>
        <Title order={1}>Register a patient</Title>
        <Text c="dimmed" mt={4}>
          Asclepia gives the new record its MRN and checks for patients who may already be registered before saving.
        </Text>
      </div>
      <PatientForm mode={{ kind: 'register' }} />
    </Stack>
  );
}

export function EditPatientPage({ id }: { id: string }) {
  const record = useProcedureQuery('patients.get', { id });
  const name = record.data ? patientDisplayName(record.data) : 'patient';
  useDocumentTitle(`Edit ${name} · Asclepia`);
  return (
    <Stack gap="lg" maw={960}>
      <div>
        <Title order={1}>Edit {record.data ? `${name} (${record.data.mrn})` : 'patient'}</Title>
        <Text c="dimmed" mt={4}>
          Changes apply at every workstation; the audit log keeps who changed what.
        </Text>
      </div>
      {record.isPending ? (
        <Skeleton h={480} aria-label="Loading the patient record" />
      ) : record.isError ? (
        <ErrorAlert>{errorMessage(record.error)}</ErrorAlert>
      ) : record.data.mergedInto ? (
        <ErrorAlert>
          This record was merged into{' '}
          <Anchor component={Link} href={`/patients/${record.data.mergedInto.id}`}>
            {record.data.mergedInto.mrn}
          </Anchor>{' '}
          and can no longer be edited.
        </ErrorAlert>
      ) : (
        <PatientForm mode={{ kind: 'edit', patient: record.data, reload: async () => (await record.refetch()).data }} />
      )}
    </Stack>
  );
}

type Mode = { kind: 'register' } | { kind: 'edit'; patient: PatientRecord; reload: () => Promise<PatientRecord | undefined> };

function PatientForm({ mode }: { mode: Mode }) {
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const today = useClinicToday();
  const register = useProcedureMutation('patients.register');
  const update = useProcedureMutation('patients.update');
  const loaded = mode.kind === 'edit' ? mode.patient : null;
  const [version, setVersion] = useState(loaded?.version ?? 0);
  const form = useForm<PatientFormValues, unknown, PatientFields>({ resolver, defaultValues: loaded ? fromRecord(loaded) : EMPTY });
  const allergies = useFieldArray({ control: form.control, name: 'allergies' });
  const { errors, isSubmitting, isDirty } = form.formState;
  const [candidates, setCandidates] = useState<{ list: DuplicateCandidate[]; values: PatientFields } | null>(null);
  const [failure, setFailure] = useState<{ error: ApiError; withFields: boolean } | null>(null);
  const [checking, setChecking] = useState(false);

  // A new registration starts typing at once; an edit leaves the focus where the screen put it.
  const registering = mode.kind === 'register';
  useEffect(() => {
    if (registering) form.setFocus('givenName');
  }, [registering, form]);

  // Another desk saved this record while the form is untouched: show theirs.
  useEffect(() => {
    if (loaded && loaded.version !== version && !isDirty) {
      form.reset(fromRecord(loaded));
      setVersion(loaded.version);
    }
  }, [loaded, version, isDirty, form]);

  const showFailure = (error: unknown, allergyCount: number) => {
    if (!(error instanceof ApiError)) {
      setFailure({ error: new ApiError('INTERNAL', errorMessage(error)), withFields: false });
      return;
    }
    const withFields = applyServerFieldErrors(error, form.setError, fieldOrder(allergyCount), serverPathMap(error));
    setFailure({ error, withFields });
  };

  const saveNew = async (values: PatientFields, acknowledged: string[]) => {
    try {
      const saved = await register.mutateAsync({ patient: values, ...(acknowledged.length > 0 ? { acknowledgedDuplicates: acknowledged } : {}) });
      queryClient.setQueryData(queryKey('patients.get', { id: saved.id }), saved);
      notifySuccess('Patient registered', `${patientDisplayName(saved)} has MRN ${saved.mrn}.`);
      navigate(`/patients/${saved.id}`);
    } catch (error) {
      // Someone registered a look-alike in the meantime: show who, and ask again.
      if (error instanceof ApiError && error.code === 'CONFLICT' && (await checkDuplicates(values, acknowledged))) return;
      showFailure(error, values.allergies.length);
    }
  };

  /** True when look-alikes not yet acknowledged were found (and are now shown). */
  const checkDuplicates = async (values: PatientFields, acknowledged: string[] = []): Promise<boolean> => {
    const list = await call('patients.findDuplicates', {
      givenName: values.givenName,
      familyName: values.familyName,
      birthDate: values.birthDate,
      ...(values.phone ? { phone: values.phone } : {}),
      ...(values.nationalId ? { nationalId: values.nationalId } : {}),
    });
    if (list.length === 0 || list.every((candidate) => acknowledged.includes(candidate.id))) return false;
    setCandidates({ list, values });
    return true;
  };

  const onSubmit = form.handleSubmit(
    async (values) => {
      setFailure(null);
      if (mode.kind === 'register') {
        setChecking(true);
        try {
          if (await checkDuplicates(values)) return;
        } catch (error) {
          showFailure(error, values.allergies.length);
          return;
        } finally {
          setChecking(false);
        }
        await saveNew(values, []);
        return;
      }
      try {
        const saved = await update.mutateAsync({ id: mode.patient.id, version, patient: values });
        queryClient.setQueryData(queryKey('patients.get', { id: saved.id }), saved);
        form.reset(fromRecord(saved));
        setVersion(saved.version);
        notifySuccess('Changes saved', `${patientDisplayName(saved)} (${saved.mrn}) is up to date.`);
        navigate(`/patients/${saved.id}`);
      } catch (error) {
        showFailure(error, values.allergies.length);
      }
    },
    () => setFailure(null),
  );

  const [reloading, setReloading] = useState(false);
  const onReload = async () => {
    if (mode.kind !== 'edit') return;
    setReloading(true);
    try {
      const fresh = await mode.reload();
      if (fresh) {
        form.reset(fromRecord(fresh));
        setVersion(fresh.version);
        setFailure(null);
      }
    } finally {
      setReloading(false);
    }
  };

  const cancelHref = mode.kind === 'edit' ? `/patients/${mode.patient.id}` : '/patients';
  const errorCount = Object.keys(errors).length;

  return (
    <>
      <form onSubmit={onSubmit} noValidate aria-label={mode.kind === 'register' ? 'Register a patient' : 'Edit patient'}>
        <Stack gap="lg">
          <Fieldset legend="Name and identity" radius="md">
            <Stack gap="md">
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
                <TextInput label="Given name" autoComplete="off" withAsterisk {...form.register('givenName')} error={errors.givenName?.message} />
                <TextInput label="Family name" autoComplete="off" withAsterisk {...form.register('familyName')} error={errors.familyName?.message} />
                <TextInput label="Other names" autoComplete="off" {...form.register('otherNames')} error={errors.otherNames?.message} />
              </SimpleGrid>
              <Controller
                control={form.control}
                name="sex"
                render={({ field, fieldState }) => (
                  <Radio.Group label="Sex" withAsterisk value={field.value} onChange={field.onChange} name={field.name} error={fieldState.error?.message}>
                    <Group gap="lg" mt={6}>
                      {SEXES.map((sex, index) => (
                        <Radio key={sex} value={sex} label={SEX_LABELS[sex]} ref={index === 0 ? field.ref : undefined} onBlur={field.onBlur} />
                      ))}
                    </Group>
                  </Radio.Group>
                )}
              />
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
                <DateOfBirthInput form={form} today={today} />
                <TextInput
                  label="National id"
                  description="Optional"
                  autoComplete="off"
                  spellCheck={false}
                  {...form.register('nationalId')}
                  error={errors.nationalId?.message}
                />
              </SimpleGrid>
            </Stack>
          </Fieldset>

          <Fieldset legend="Contact" radius="md">
            <Stack gap="md">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                <TextInput
                  label="Phone"
                  type="tel"
                  autoComplete="off"
                  placeholder="e.g. 0712 345 678"
                  {...form.register('phone')}
                  error={errors.phone?.message}
                />
                <TextInput label="Email" type="email" autoComplete="off" {...form.register('email')} error={errors.email?.message} />
              </SimpleGrid>
              <Textarea label="Address" autosize minRows={2} maxLength={300} {...form.register('address')} error={errors.address?.message} />
            </Stack>
          </Fieldset>

          <Fieldset legend="Allergies and blood group" radius="md">
            <Stack gap="md">
              <NativeSelect
                label="Blood group"
                maw={220}
                data={[{ value: '', label: 'Not known' }, ...BLOOD_GROUPS.map((group) => ({ value: group, label: group }))]}
                {...form.register('bloodGroup')}
                error={errors.bloodGroup?.message}
              />
              <Stack gap="sm">
                <Text fw={600} fz="sm" id="allergies-heading">
                  Allergies
                </Text>
                {allergies.fields.length === 0 ? (
                  <Text fz="sm" c="dimmed">
                    No known allergies. Add every substance the patient reacts to: it shows in red on their record.
                  </Text>
                ) : null}
                {allergies.fields.map((row, index) => (
                  <Paper
                    key={row.id}
                    withBorder
                    radius="md"
                    p="sm"
                    role="group"
                    aria-label={`Allergy ${index + 1}`}
                    bg="red.0"
                    style={{ borderColor: 'var(--mantine-color-red-2)' }}
                  >
                    <Group align="flex-start" gap="sm" wrap="nowrap">
                      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm" style={{ flex: 1 }}>
                        <TextInput
                          label="Substance"
                          withAsterisk
                          autoComplete="off"
                          {...form.register(`allergies.${index}.substance`)}
                          error={errors.allergies?.[index]?.substance?.message}
                        />
                        <TextInput
                          label="Reaction"
                          placeholder="e.g. hives"
                          autoComplete="off"
                          {...form.register(`allergies.${index}.reaction`)}
                          error={errors.allergies?.[index]?.reaction?.message}
                        />
                        <NativeSelect
                          label="Severity"
                          withAsterisk
                          data={[
                            { value: '', label: 'Choose…' },
                            ...ALLERGY_SEVERITIES.map((severity) => ({ value: severity, label: SEVERITY_LABELS[severity] })),
                          ]}
                          {...form.register(`allergies.${index}.severity`)}
                          error={errors.allergies?.[index]?.severity?.message}
                        />
                      </SimpleGrid>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        size="lg"
                        mt={26}
                        aria-label={`Remove allergy ${index + 1}`}
                        title="Remove this allergy"
                        onClick={() => allergies.remove(index)}
                      >
                        <IconTrash size={18} aria-hidden />
                      </ActionIcon>
                    </Group>
                  </Paper>
                ))}
                {errors.allergies?.message ? (
                  <Text c="red" fz="sm">
                    {errors.allergies.message}
                  </Text>
                ) : null}
                <Group>
                  <Button
                    variant="light"
                    color="red"
                    leftSection={<IconPlus size={16} aria-hidden />}
                    onClick={() => allergies.append({ substance: '', reaction: '', severity: '' })}
                    disabled={allergies.fields.length >= 50}
                  >
                    Add allergy
                  </Button>
                </Group>
              </Stack>
            </Stack>
          </Fieldset>

          <Fieldset legend="Emergency contact" radius="md">
            <Stack gap="sm">
              <Text fz="sm" c="dimmed">
                Optional. Leave all three empty if there is no one to call.
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
                <TextInput label="Contact name" autoComplete="off" {...form.register('emergencyContact.name')} error={errors.emergencyContact?.name?.message} />
                <TextInput
                  label="Relationship"
                  placeholder="e.g. mother"
                  autoComplete="off"
                  {...form.register('emergencyContact.relationship')}
                  error={errors.emergencyContact?.relationship?.message}
                />
                <TextInput
                  label="Contact phone"
                  type="tel"
                  autoComplete="off"
                  {...form.register('emergencyContact.phone')}
                  error={errors.emergencyContact?.phone?.message}
                />
              </SimpleGrid>
            </Stack>
          </Fieldset>

          <Textarea
            label="Notes"
            description="Anything the desk should know, e.g. preferred language. Not for clinical notes."
            autosize
            minRows={2}
            maxLength={2000}
            {...form.register('notes')}
            error={errors.notes?.message}
          />

          {failure && failure.error.code === 'CONFLICT' && mode.kind === 'edit' ? (
            <ErrorAlert title="Not saved">
              <Stack gap="xs" align="flex-start">
                <Text fz="sm">{failure.error.message}</Text>
                <Button size="xs" variant="white" color="red" onClick={() => void onReload()} loading={reloading}>
                  Reload the record
                </Button>
              </Stack>
            </ErrorAlert>
          ) : failure ? (
            <ErrorAlert title="Not saved">{failure.withFields ? 'Check the fields marked in red.' : failure.error.message}</ErrorAlert>
          ) : errorCount > 0 ? (
            <ErrorAlert title="Not saved yet">Check the fields marked in red.</ErrorAlert>
          ) : null}

          <Group justify="flex-end" gap="sm">
            <Button component={Link} href={cancelHref} variant="default">
              Cancel
            </Button>
            <Button
              type="submit"
              loading={isSubmitting || checking}
              disabled={reloading}
              leftSection={mode.kind === 'register' ? <IconUserPlus size={16} aria-hidden /> : null}
            >
              {mode.kind === 'register' ? 'Register patient' : 'Save changes'}
            </Button>
          </Group>
        </Stack>
      </form>

      <Modal
        opened={candidates !== null}
        onClose={() => setCandidates(null)}
        title={candidates && candidates.list.length > 1 ? 'Possible duplicates' : 'Possible duplicate'}
        size="lg"
        closeOnClickOutside={false}
      >
        {candidates ? (
          <DuplicateReview
            candidates={candidates.list}
            today={today}
            busy={register.isPending}
            onOpen={(candidate) => navigate(`/patients/${candidate.id}`)}
            onBack={() => setCandidates(null)}
            onRegisterAnyway={async () => {
              const { list, values } = candidates;
              setCandidates(null);
              await saveNew(
                values,
                list.map((candidate) => candidate.id),
              );
            }}
          />
        ) : null}
      </Modal>
    </>
  );
}

function DateOfBirthInput({ form, today }: { form: ReturnType<typeof useForm<PatientFormValues, unknown, PatientFields>>; today: string }) {
  const birthDate = form.watch('birthDate');
  const age = /^\d{4}-\d{2}-\d{2}$/.test(birthDate) ? describeAge(birthDate, today) : '';
  const error = form.formState.errors.birthDate;
  return (
    <TextInput
      type="date"
      label="Date of birth"
      withAsterisk
      max={today}
      min="1880-01-01"
      description={age ? `Age: ${age}` : 'Day, month and year'}
      {...form.register('birthDate')}
      error={error ? (form.getValues('birthDate') ? error.message : 'Enter the date of birth') : undefined}
    />
  );
}

function DuplicateReview({
  candidates,
  today,
  busy,
  onOpen,
  onBack,
  onRegisterAnyway,
}: {
  candidates: DuplicateCandidate[];
  today: string;
  busy: boolean;
  onOpen: (candidate: DuplicateCandidate) => void;
  onBack: () => void;
  onRegisterAnyway: () => void;
}) {
  return (
    <Stack gap="md">
      <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />}>
        {candidates.length > 1 ? 'These patients look like the person' : 'This patient looks like the person'} you are registering. Open the existing record if
        it is the same person; register a new record only if it is someone else.
      </Alert>
      <Stack gap="sm" component="ul" m={0} p={0} style={{ listStyle: 'none' }} aria-label="Existing records">
        {candidates.map((candidate) => (
          <Paper key={candidate.id} component="li" withBorder radius="md" p="md" aria-label={`${candidate.name}, ${candidate.mrn}`}>
            <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
              <Stack gap={4} miw={0}>
                <Group gap="xs">
                  <Text fw={700}>{candidate.name}</Text>
                  <Badge variant="light" color="gray" tt="none" ff="monospace">
                    {candidate.mrn}
                  </Badge>
                  {candidate.active ? null : (
                    <Badge variant="outline" color="gray" tt="none">
                      Inactive
                    </Badge>
                  )}
                </Group>
                <Text fz="sm">
                  Born {formatDate(candidate.birthDate)} ({describeAge(candidate.birthDate, today)}){candidate.phone ? ` · ${candidate.phone}` : ''}
                  {candidate.nationalId ? ` · national id ${candidate.nationalId}` : ''}
                </Text>
                <List size="sm" c="orange.9" spacing={2}>
                  {candidate.reasons.map((reason) => (
                    <List.Item key={reason}>{DUPLICATE_REASON_LABELS[reason]}</List.Item>
                  ))}
                </List>
              </Stack>
              <Button variant="light" onClick={() => onOpen(candidate)} aria-label={`Open existing record ${candidate.mrn}`} style={{ flexShrink: 0 }}>
                Open existing
              </Button>
            </Group>
          </Paper>
        ))}
      </Stack>
      <Group justify="space-between" gap="sm">
        <Button variant="subtle" onClick={onBack} data-autofocus>
          Back to the form
        </Button>
        <Button color="orange" onClick={onRegisterAnyway} loading={busy}>
          Register anyway
        </Button>
      </Group>
    </Stack>
  );
}
