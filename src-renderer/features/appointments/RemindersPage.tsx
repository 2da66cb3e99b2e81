import { Anchor, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconBellOff, IconDownload } from '@tabler/icons-react';
import { useSearchParams } from 'wouter';
import { addDays } from '../../../src-shared/time.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { downloadTextFile } from '../../ui/download.js';
import { DoctorCell, EmptyPanel, PatientCell, QueryList, TablePanel } from '../../ui/lists.js';
import { notifyError, notifySuccess } from '../../ui/notify.js';
import { useClinic, useClinicToday } from '../../ui/useClinic.js';
import { plural } from '../patients/format.js';
import { clockRange, formatDay } from './format.js';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A day's booked appointments with phone numbers, for reminder calls; tomorrow unless ?date= says otherwise. */
export function RemindersPage() {
  useDocumentTitle('Reminders · Asclepia');
  const { timeZone } = useClinic();
  const tomorrow = addDays(useClinicToday(), 1);
  const [params, setParams] = useSearchParams();
  const asked = params.get('date');
  const date = asked && LOCAL_DATE.test(asked) ? asked : tomorrow;
  const reminders = useProcedureQuery('appointments.reminders', { date });
  const exportCsv = useProcedureMutation('appointments.remindersCsv');
  const rows = reminders.data ?? [];
  const withoutPhone = rows.filter((appointment) => !appointment.patient.phone).length;

  const onExport = () =>
    exportCsv.mutate(
      { date },
      {
        onSuccess: ({ fileName, csv, rows: count }) => {
          downloadTextFile(fileName, csv, 'text/csv;charset=utf-8');
          notifySuccess('Reminder list exported', `${plural(count, 'appointment')} saved as ${fileName}.`);
        },
        onError: (error) => notifyError('Not exported', errorMessage(error)),
      },
    );

  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Title order={1}>Reminders</Title>
        <Text c="dimmed" mt={4}>
          Booked appointments on {formatDay(date)}, with the patients’ phone numbers, for reminder calls or an SMS gateway.
        </Text>
      </div>
      <Group justify="space-between" align="flex-end">
        <Group gap="sm" align="flex-end">
          <TextInput
            type="date"
            label="Day"
            value={date}
            onChange={(event) => {
              const value = event.currentTarget.value;
              if (LOCAL_DATE.test(value)) setParams({ date: value }, { replace: true });
            }}
            w={180}
          />
          <Button variant="default" onClick={() => setParams({ date: tomorrow }, { replace: true })} disabled={date === tomorrow}>
            Tomorrow
          </Button>
        </Group>
        <Button leftSection={<IconDownload size={16} aria-hidden />} onClick={onExport} loading={exportCsv.isPending} disabled={rows.length === 0}>
          Export CSV
        </Button>
      </Group>
      <QueryList
        query={reminders}
        count={rows.length}
        loadingLabel="Loading the reminder list"
        empty={<EmptyPanel icon={IconBellOff} title="Nobody to remind" description={`No appointments are booked on ${formatDay(date)}.`} />}
      >
        <Stack gap="xs">
          <Text fz="sm" c="dimmed">
            {plural(rows.length, 'appointment')}
            {withoutPhone > 0 ? `; ${plural(withoutPhone, 'patient')} without a phone number on record` : ''}.
          </Text>
          <TablePanel highlightOnHover aria-label={`Reminders for ${formatDay(date)}`} miw={720}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Time</Table.Th>
                <Table.Th>Patient</Table.Th>
                <Table.Th>Phone</Table.Th>
                <Table.Th>Doctor</Table.Th>
                <Table.Th>Reason</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((appointment) => (
                <Table.Tr key={appointment.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                    {clockRange(appointment.startAt, appointment.endAt, timeZone)}
                  </Table.Td>
                  <PatientCell patient={appointment.patient} />
                  <Table.Td>
                    {appointment.patient.phone ? (
                      <Anchor href={`tel:${appointment.patient.phone.replace(/[^\d+]/g, '')}`} ff="monospace">
                        {appointment.patient.phone}
                      </Anchor>
                    ) : (
                      <Text fz="sm" c="orange.8">
                        No phone number
                      </Text>
                    )}
                  </Table.Td>
                  <DoctorCell name={appointment.doctor.name} department={appointment.departmentName} />
                  <Table.Td>
                    <Text fz="sm">{appointment.reason}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </TablePanel>
        </Stack>
      </QueryList>
    </Stack>
  );
}
