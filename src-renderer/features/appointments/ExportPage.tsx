import { Button, Checkbox, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconDownload } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import type { AppointmentFilter } from '../../../src-shared/contract/appointments.js';
import { APPOINTMENT_STATUSES, type AppointmentStatus, STATUS_LABELS } from '../../../src-shared/schemas/appointments.js';
import { addDays } from '../../../src-shared/time.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { downloadTextFile } from '../../ui/download.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifySuccess } from '../../ui/notify.js';
import { useClinicToday } from '../../ui/useClinic.js';
import { plural } from '../patients/format.js';

const ANY = '';

/** Appointments by date range, doctor and status as a CSV file that opens cleanly in a spreadsheet. */
export function ExportPage() {
  useDocumentTitle('Appointment export · Asclepia');
  const today = useClinicToday();
  const [from, setFrom] = useState(() => addDays(today, -30));
  const [to, setTo] = useState(today);
  const [doctorId, setDoctorId] = useState(ANY);
  const [statuses, setStatuses] = useState<AppointmentStatus[]>([]);
  const doctors = useProcedureQuery('doctors.list', { includeInactive: true });
  const exportCsv = useProcedureMutation('appointments.exportCsv');
  const backwards = Boolean(from && to && to < from);
  const fields = exportCsv.error?.fields ?? {};

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (backwards || !from || !to) return;
    const filter: AppointmentFilter = { from, to };
    if (doctorId) filter.doctorId = doctorId;
    if (statuses.length > 0) filter.statuses = statuses;
    exportCsv.mutate(
      { filter },
      {
        onSuccess: ({ fileName, csv, rows }) => {
          downloadTextFile(fileName, csv, 'text/csv;charset=utf-8');
          notifySuccess('Appointments exported', `${plural(rows, 'appointment')} saved as ${fileName}.`);
        },
      },
    );
  };

  const doctorOptions = [
    { value: ANY, label: 'All doctors' },
    ...(doctors.data ?? []).map((doctor) => ({ value: doctor.userId, label: doctor.active ? doctor.name : `${doctor.name} (inactive)` })),
  ];

  return (
    <Stack gap="lg" maw={760}>
      <div>
        <Title order={1}>Appointment export</Title>
        <Text c="dimmed" mt={4}>
          Appointments in a date range as a CSV file, by doctor and status. Dates are the clinic’s; both ends are included.
        </Text>
      </div>
      <Paper withBorder radius="md" p="lg" component="form" onSubmit={onSubmit} noValidate aria-label="Export appointments">
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <TextInput type="date" label="From" value={from} onChange={(event) => setFrom(event.currentTarget.value)} error={fields['filter.from']} required />
            <TextInput
              type="date"
              label="To"
              value={to}
              onChange={(event) => setTo(event.currentTarget.value)}
              error={backwards ? 'The end is before the start' : fields['filter.to']}
              required
            />
          </SimpleGrid>
          <Select
            label="Doctor"
            data={doctorOptions}
            value={doctorId}
            onChange={(value) => setDoctorId(value ?? ANY)}
            searchable
            allowDeselect={false}
            nothingFoundMessage="No doctor matches"
            error={doctors.isError ? errorMessage(doctors.error) : undefined}
          />
          <Checkbox.Group
            label="Statuses"
            description="None ticked exports every status"
            value={statuses}
            onChange={(value) => setStatuses(value as AppointmentStatus[])}
          >
            <Group gap="md" mt={6}>
              {APPOINTMENT_STATUSES.map((status) => (
                <Checkbox key={status} value={status} label={STATUS_LABELS[status]} />
              ))}
            </Group>
          </Checkbox.Group>
          {exportCsv.isError && !fields['filter.from'] && !fields['filter.to'] ? (
            <ErrorAlert title="Not exported">{errorMessage(exportCsv.error)}</ErrorAlert>
          ) : null}
          <Group justify="flex-end">
            <Button type="submit" leftSection={<IconDownload size={16} aria-hidden />} loading={exportCsv.isPending} disabled={backwards || !from || !to}>
              Export CSV
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
