import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconBuildingCommunity, IconPlus, IconStethoscope } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';
import type { DepartmentOut, DoctorOut } from '../../../src-shared/contract/appointments.js';
import { type DepartmentFields, departmentFields, doctorProfileFields, GRID_MINUTES } from '../../../src-shared/schemas/appointments.js';
import { type ApiError, errorMessage } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { ActionsHeader, ActiveBadge, EditButton, EmptyPanel, QueryList, TablePanel } from '../../ui/lists.js';
import { notifySuccess } from '../../ui/notify.js';
import { applyServerFieldErrors } from '../../ui/serverErrors.js';
import { useClinic } from '../../ui/useClinic.js';
import { formatMoney, minorDigits, minorToMajorText, parseMajorToMinor } from '../records/money.js';
import { FormButtons, RefusalAlert } from '../records/shared.js';

function DepartmentForm({ department, onDone }: { department: DepartmentOut | null; onDone: () => void }) {
  const save = useProcedureMutation('departments.save');
  const queryClient = useQueryClient();
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  const form = useForm<DepartmentFields>({
    resolver: zodResolver(departmentFields),
    defaultValues: department ? { name: department.name, active: department.active } : { name: '', active: true },
  });
  const onSubmit = form.handleSubmit(async (values) => {
    setRefusal(null);
    try {
      const saved = await save.mutateAsync(department ? { id: department.id, version: department.version, department: values } : { department: values });
      notifySuccess(department ? 'Department saved' : 'Department added', `${saved.name} is ${saved.active ? 'open for booking' : 'inactive'}.`);
      onDone();
    } catch (error) {
      const map = { 'department.name': 'name', 'department.active': 'active' } as const;
      if (!applyServerFieldErrors(error, form.setError, ['name', 'active'], map)) setRefusal(error as ApiError);
      if ((error as ApiError).code === 'CONFLICT') void queryClient.invalidateQueries({ queryKey: ['departments.list'] });
    }
  });
  return (
    <form onSubmit={onSubmit} noValidate aria-label={department ? `Edit ${department.name}` : 'New department'}>
      <Stack gap="md">
        <TextInput label="Name" autoComplete="off" data-autofocus {...form.register('name')} error={form.formState.errors.name?.message} />
        <Controller
          control={form.control}
          name="active"
          render={({ field }) => (
            <Switch
              label="Active (its doctors can be booked)"
              checked={field.value}
              onChange={(event) => field.onChange(event.currentTarget.checked)}
              ref={field.ref}
            />
          )}
        />
        {department && department.doctorCount > 0 && !form.watch('active') ? (
          <Text fz="sm" c="orange.8">
            {department.doctorCount} active {department.doctorCount === 1 ? 'doctor is' : 'doctors are'} in this department.
          </Text>
        ) : null}
        <RefusalAlert error={refusal} />
        <FormButtons onCancel={onDone} submitLabel={department ? 'Save changes' : 'Add department'} busy={form.formState.isSubmitting} />
      </Stack>
    </form>
  );
}

interface DoctorValues {
  userId: string;
  departmentId: string;
  specialization: string;
  /** As typed, in major units ("1500.00"). */
  consultationFeeMinor: string;
  slotMinutes: number | string;
  active: boolean;
}
type DoctorOutput = z.output<typeof doctorProfileFields> & { userId: string };

function doctorSchema(currency: string) {
  const digits = minorDigits(currency);
  const example = digits > 0 ? `1500 or 1500.${'5'.padEnd(digits, '0')}` : '1500';
  return z.preprocess(
    (values: DoctorValues) => ({
      ...values,
      consultationFeeMinor: values.consultationFeeMinor.trim() === '' ? undefined : (parseMajorToMinor(values.consultationFeeMinor, digits) ?? Number.NaN),
      slotMinutes: values.slotMinutes === '' ? undefined : Number(values.slotMinutes),
    }),
    doctorProfileFields.safeExtend({
      userId: z.string().min(1, 'Choose the user account'),
      consultationFeeMinor: z.number(`Enter the fee in ${currency}, e.g. ${example}`).pipe(doctorProfileFields.shape.consultationFeeMinor),
      slotMinutes: z.number('Enter the slot length in minutes').pipe(doctorProfileFields.shape.slotMinutes),
    }),
  );
}

const DOCTOR_FIELDS = ['userId', 'departmentId', 'specialization', 'consultationFeeMinor', 'slotMinutes', 'active'] as const;

function DoctorForm({ doctor, departments, onDone }: { doctor: DoctorOut | null; departments: readonly DepartmentOut[]; onDone: () => void }) {
  const { currency } = useClinic();
  const digits = minorDigits(currency);
  const candidates = useProcedureQuery('doctors.candidates', {}, { enabled: doctor === null });
  const save = useProcedureMutation('doctors.save');
  const queryClient = useQueryClient();
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  const schema = useMemo(() => doctorSchema(currency), [currency]);
  const form = useForm<DoctorValues, unknown, DoctorOutput>({
    resolver: zodResolver(schema) as never,
    defaultValues: doctor
      ? {
          userId: doctor.userId,
          departmentId: doctor.departmentId,
          specialization: doctor.specialization,
          consultationFeeMinor: minorToMajorText(doctor.consultationFeeMinor, digits),
          slotMinutes: doctor.slotMinutes,
          active: doctor.active,
        }
      : { userId: '', departmentId: '', specialization: '', consultationFeeMinor: '', slotMinutes: 15, active: true },
  });
  const { errors } = form.formState;
  const departmentOptions = departments
    .filter((department) => department.active || department.id === doctor?.departmentId)
    .map((department) => ({ value: department.id, label: department.active ? department.name : `${department.name} (inactive)` }));

  const onSubmit = form.handleSubmit(async ({ userId, ...profile }) => {
    setRefusal(null);
    try {
      const saved = await save.mutateAsync({ userId, version: doctor?.version, profile });
      notifySuccess(doctor ? 'Doctor profile saved' : 'Doctor added', `${saved.name}, ${saved.departmentName}.`);
      onDone();
    } catch (error) {
      const map = Object.fromEntries(DOCTOR_FIELDS.map((field) => [`profile.${field}`, field]));
      if (!applyServerFieldErrors(error, form.setError, DOCTOR_FIELDS, map)) setRefusal(error as ApiError);
      if ((error as ApiError).code === 'CONFLICT') void queryClient.invalidateQueries({ queryKey: ['doctors.list'] });
    }
  });

  const noCandidates = doctor === null && candidates.data?.length === 0;
  return (
    <form onSubmit={onSubmit} noValidate aria-label={doctor ? `Edit ${doctor.name}` : 'New doctor profile'}>
      <Stack gap="md">
        {doctor ? (
          <Text>
            <Text span fw={600}>
              {doctor.name}
            </Text>{' '}
            <Text span c="dimmed" fz="sm">
              (user account)
            </Text>
          </Text>
        ) : (
          <Controller
            control={form.control}
            name="userId"
            render={({ field, fieldState }) => (
              <Select
                ref={field.ref}
                label="User account"
                description="Users whose role can complete appointments and who have no doctor profile yet"
                placeholder={candidates.isPending ? 'Loading…' : 'Choose a user'}
                data={(candidates.data ?? []).map((person) => ({ value: person.id, label: person.name }))}
                value={field.value || null}
                onChange={(value) => field.onChange(value ?? '')}
                onBlur={field.onBlur}
                searchable
                nothingFoundMessage="No such user"
                error={fieldState.error?.message ?? (candidates.isError ? errorMessage(candidates.error) : undefined)}
                data-autofocus
              />
            )}
          />
        )}
        {noCandidates ? (
          <Text fz="sm" c="orange.8">
            Every user who can see patients as a doctor already has a profile. Create the user (role Doctor) under Users first.
          </Text>
        ) : null}
        <Controller
          control={form.control}
          name="departmentId"
          render={({ field, fieldState }) => (
            <Select
              ref={field.ref}
              label="Department"
              placeholder={departmentOptions.length === 0 ? 'Add a department first' : 'Choose a department'}
              data={departmentOptions}
              value={field.value || null}
              onChange={(value) => field.onChange(value ?? '')}
              onBlur={field.onBlur}
              searchable
              error={fieldState.error?.message}
              data-autofocus={doctor ? true : undefined}
            />
          )}
        />
        <TextInput
          label="Specialization"
          description="E.g. Paediatrics, General practice"
          autoComplete="off"
          {...form.register('specialization')}
          error={errors.specialization?.message}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <TextInput
            label={`Consultation fee (${currency})`}
            description={digits > 0 ? `E.g. 1500 or 1500.50` : `In whole ${currency}`}
            inputMode="decimal"
            autoComplete="off"
            {...form.register('consultationFeeMinor')}
            error={errors.consultationFeeMinor?.message}
          />
          <Controller
            control={form.control}
            name="slotMinutes"
            render={({ field, fieldState }) => (
              <NumberInput
                ref={field.ref}
                name={field.name}
                label="Default slot length (minutes)"
                description={`A multiple of ${GRID_MINUTES}, e.g. 15 or 20`}
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                min={GRID_MINUTES}
                max={240}
                step={GRID_MINUTES}
                allowDecimal={false}
                error={fieldState.error?.message}
              />
            )}
          />
        </SimpleGrid>
        <Controller
          control={form.control}
          name="active"
          render={({ field }) => (
            <Switch label="Active (can be booked)" checked={field.value} onChange={(event) => field.onChange(event.currentTarget.checked)} ref={field.ref} />
          )}
        />
        <RefusalAlert error={refusal} />
        <FormButtons onCancel={onDone} submitLabel={doctor ? 'Save changes' : 'Add doctor'} busy={form.formState.isSubmitting} />
      </Stack>
    </form>
  );
}

/** The administrator's departments and the doctor profiles in them (department, specialization, fee, slot length). */
export function DepartmentsPage() {
  useDocumentTitle('Departments & doctors · Asclepia');
  const departments = useProcedureQuery('departments.list', { includeInactive: true });
  const doctors = useProcedureQuery('doctors.list', { includeInactive: true });
  const { currency } = useClinic();
  const [editingDepartment, setEditingDepartment] = useState<DepartmentOut | 'new' | null>(null);
  const [editingDoctor, setEditingDoctor] = useState<DoctorOut | 'new' | null>(null);
  const departmentList = departments.data ?? [];
  const doctorList = doctors.data ?? [];

  return (
    <Stack gap="xl" maw={1100}>
      <div>
        <Title order={1}>Departments & doctors</Title>
        <Text c="dimmed" mt={4}>
          The clinic’s departments and the doctors patients can be booked with. Retire either by making it inactive; past appointments keep it.
        </Text>
      </div>

      <Stack gap="sm" component="section" aria-labelledby="departments-title">
        <Group justify="space-between" align="flex-end">
          <Title order={2} id="departments-title" fz="h3">
            Departments
          </Title>
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditingDepartment('new')}>
            Add department
          </Button>
        </Group>
        <QueryList
          query={departments}
          count={departmentList.length}
          loadingLabel="Loading the departments"
          empty={
            <EmptyPanel
              icon={IconBuildingCommunity}
              title="No departments yet"
              description="Add the clinic’s departments (e.g. General practice, Paediatrics); then add doctors to them."
            />
          }
        >
          <TablePanel highlightOnHover aria-labelledby="departments-title" miw={560}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>Active doctors</Table.Th>
                <Table.Th>Status</Table.Th>
                <ActionsHeader w={100} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {departmentList.map((department) => (
                <Table.Tr key={department.id}>
                  <Table.Td fw={500}>{department.name}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{department.doctorCount}</Table.Td>
                  <Table.Td>
                    <ActiveBadge active={department.active} />
                  </Table.Td>
                  <Table.Td>
                    <EditButton name={department.name} onClick={() => setEditingDepartment(department)} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </TablePanel>
        </QueryList>
      </Stack>

      <Stack gap="sm" component="section" aria-labelledby="doctors-title">
        <Group justify="space-between" align="flex-end">
          <div>
            <Title order={2} id="doctors-title" fz="h3">
              Doctors
            </Title>
            <Text fz="sm" c="dimmed">
              Each profile belongs to a user account. Working hours and leave are set under Schedules.
            </Text>
          </div>
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditingDoctor('new')} disabled={departmentList.length === 0}>
            Add doctor
          </Button>
        </Group>
        <QueryList
          query={doctors}
          count={doctorList.length}
          loadingLabel="Loading the doctors"
          empty={
            <EmptyPanel
              icon={IconStethoscope}
              title="No doctor profiles yet"
              description={
                departmentList.length === 0
                  ? 'Add a department first, then give each doctor’s user account a profile in it.'
                  : 'Give each doctor’s user account a profile: department, specialization, fee and slot length.'
              }
            />
          }
        >
          <TablePanel highlightOnHover aria-labelledby="doctors-title" miw={860}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Department</Table.Th>
                <Table.Th>Specialization</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>Fee</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>Slot</Table.Th>
                <Table.Th>Status</Table.Th>
                <ActionsHeader w={100} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {doctorList.map((doctor) => (
                <Table.Tr key={doctor.userId}>
                  <Table.Td fw={500}>{doctor.name}</Table.Td>
                  <Table.Td>{doctor.departmentName}</Table.Td>
                  <Table.Td>{doctor.specialization || '—'}</Table.Td>
                  <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>{formatMoney(doctor.consultationFeeMinor, currency)}</Table.Td>
                  <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>{doctor.slotMinutes} min</Table.Td>
                  <Table.Td>
                    <ActiveBadge active={doctor.active} />
                  </Table.Td>
                  <Table.Td>
                    <EditButton name={doctor.name} onClick={() => setEditingDoctor(doctor)} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </TablePanel>
        </QueryList>
      </Stack>

      <Modal
        opened={editingDepartment !== null}
        onClose={() => setEditingDepartment(null)}
        title={editingDepartment === 'new' ? 'Add a department' : editingDepartment ? `Edit ${editingDepartment.name}` : ''}
        closeOnClickOutside={false}
      >
        {editingDepartment ? (
          <DepartmentForm department={editingDepartment === 'new' ? null : editingDepartment} onDone={() => setEditingDepartment(null)} />
        ) : null}
      </Modal>
      <Modal
        opened={editingDoctor !== null}
        onClose={() => setEditingDoctor(null)}
        title={editingDoctor === 'new' ? 'Add a doctor' : editingDoctor ? `Edit ${editingDoctor.name}` : ''}
        size="lg"
        closeOnClickOutside={false}
      >
        {editingDoctor ? (
          <DoctorForm doctor={editingDoctor === 'new' ? null : editingDoctor} departments={departmentList} onDone={() => setEditingDoctor(null)} />
        ) : null}
      </Modal>
    </Stack>
  );
}
