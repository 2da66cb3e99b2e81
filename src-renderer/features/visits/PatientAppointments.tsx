import { Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { addDays } from '../../../src-shared/time.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { useClinic, useClinicToday } from '../../ui/useClinic.js';
import { useNow } from '../../ui/useNow.js';
import { AppointmentTable } from './AppointmentTables.js';
import { splitUpcoming } from './shared.js';

/** How far back and ahead the appointment lists reach. */
export const APPOINTMENT_WINDOW_DAYS = 365;

/** One patient's appointments for the patient page: coming ones first, then the past year's. */
export function PatientAppointments({ patientId, headingOrder = 2 }: { patientId: string; headingOrder?: 2 | 3 }) {
  const today = useClinicToday();
  const now = useNow();
  const { timeZone } = useClinic();
  const list = useProcedureQuery('appointments.list', {
    filter: { from: addDays(today, -APPOINTMENT_WINDOW_DAYS), to: addDays(today, APPOINTMENT_WINDOW_DAYS), patientId },
    limit: 1000,
  });
  const { upcoming, past } = splitUpcoming(list.data ?? [], now);

  return (
    <Stack gap="sm" component="section" aria-labelledby="patient-appointments-title" data-testid="patient-appointments">
      <Title order={headingOrder} id="patient-appointments-title" fz="h3">
        Appointments
      </Title>
      {list.isError ? <ErrorAlert>{errorMessage(list.error)}</ErrorAlert> : null}
      {list.isPending ? <Skeleton h={80} /> : null}
      {list.data ? (
        <>
          <Text fw={600} fz="sm">
            Coming
          </Text>
          {upcoming.length === 0 ? (
            <Paper withBorder radius="md" p="md">
              <Text c="dimmed" fz="sm">
                No coming appointments.
              </Text>
            </Paper>
          ) : (
            <AppointmentTable label="Coming appointments" rows={upcoming} timeZone={timeZone} />
          )}
          <Text fw={600} fz="sm" mt="xs">
            Past and cancelled (last year)
          </Text>
          {past.length === 0 ? (
            <Paper withBorder radius="md" p="md">
              <Text c="dimmed" fz="sm">
                No past or cancelled appointments.
              </Text>
            </Paper>
          ) : (
            <AppointmentTable label="Past and cancelled appointments" rows={past} timeZone={timeZone} />
          )}
        </>
      ) : null}
    </Stack>
  );
}
