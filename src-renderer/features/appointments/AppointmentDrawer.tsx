import { Anchor, Divider, Drawer, Group, SimpleGrid, Skeleton, Stack, Text, Timeline, Title } from '@mantine/core';
import { Link } from 'wouter';
import type { AppointmentDetail } from '../../../src-shared/contract/appointments.js';
import { clinicLocalDate } from '../../../src-shared/time.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { useClinic } from '../../ui/useClinic.js';
import { formatWhen } from '../records/format.js';
import { useCan } from '../records/shared.js';
import { AppointmentActions } from './AppointmentActions.js';
import { clinicClock, clockRange, formatDay } from './format.js';
import { StatusBadge } from './StatusBadge.js';

/**
 * One appointment in a side panel: who, when, its history, and what may be done next (check in,
 * reschedule, cancel, no-show, complete), offered only where the status and the user's role allow.
 * `appointmentId` null closes it.
 */
export function AppointmentDrawer({ appointmentId, onClose }: { appointmentId: string | null; onClose: () => void }) {
  return (
    <Drawer opened={appointmentId !== null} onClose={onClose} position="right" size="lg" title="Appointment" closeButtonProps={{ 'aria-label': 'Close' }}>
      {appointmentId ? <AppointmentPanel key={appointmentId} id={appointmentId} /> : null}
    </Drawer>
  );
}

function AppointmentPanel({ id }: { id: string }) {
  const detail = useProcedureQuery('appointments.get', { id });
  const { timeZone } = useClinic();
  if (detail.isPending) {
    return (
      <Stack gap="sm" aria-busy="true" aria-label="Loading the appointment">
        <Skeleton h={28} w="60%" />
        <Skeleton h={90} />
        <Skeleton h={120} />
      </Stack>
    );
  }
  if (detail.isError) return <ErrorAlert title="The appointment could not be opened">{errorMessage(detail.error)}</ErrorAlert>;
  const appointment = detail.data;
  return (
    <Stack gap="lg" data-testid="appointment-detail">
      <AppointmentSummary appointment={appointment} timeZone={timeZone} />
      <AppointmentActions appointment={appointment} timeZone={timeZone} />
      <Divider />
      <AppointmentHistory appointment={appointment} timeZone={timeZone} />
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text fz="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text fz="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function AppointmentSummary({ appointment, timeZone }: { appointment: AppointmentDetail; timeZone: string }) {
  const canOpenPatient = useCan('patients.read');
  const date = clinicLocalDate(new Date(appointment.startAt), timeZone);
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={3} fz="h4">
            {canOpenPatient ? (
              <Anchor component={Link} href={`/patients/${appointment.patient.id}`}>
                {appointment.patient.name}
              </Anchor>
            ) : (
              appointment.patient.name
            )}
          </Title>
          <Text fz="sm" c="dimmed">
            <span style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{appointment.patient.mrn}</span>
            {appointment.patient.phone ? ` · ${appointment.patient.phone}` : ' · no phone number on record'}
          </Text>
        </div>
        <StatusBadge status={appointment.status} size="lg" />
      </Group>
      <SimpleGrid cols={2} spacing="md" verticalSpacing="sm">
        <Field label="When">
          {formatDay(date)}
          <br />
          {clockRange(appointment.startAt, appointment.endAt, timeZone)}
        </Field>
        <Field label="Doctor">
          {appointment.doctor.name}
          <br />
          <Text span fz="xs" c="dimmed">
            {appointment.departmentName}
          </Text>
        </Field>
        <Field label="Reason">{appointment.reason}</Field>
        {appointment.notes ? <Field label="Notes">{appointment.notes}</Field> : null}
        {appointment.cancelReason ? <Field label="Cancelled because">{appointment.cancelReason}</Field> : null}
        {appointment.checkedInAt ? <Field label="Checked in">{formatWhen(appointment.checkedInAt, timeZone)}</Field> : null}
        {appointment.completedAt ? <Field label="Completed">{formatWhen(appointment.completedAt, timeZone)}</Field> : null}
      </SimpleGrid>
    </Stack>
  );
}

const EVENT_LABELS: Record<AppointmentDetail['history'][number]['kind'], string> = {
  booked: 'Booked',
  rescheduled: 'Rescheduled',
  cancelled: 'Cancelled',
  checked_in: 'Checked in',
  completed: 'Completed',
  no_show: 'Marked as no-show',
};

function AppointmentHistory({ appointment, timeZone }: { appointment: AppointmentDetail; timeZone: string }) {
  return (
    <Stack gap="sm" component="section" aria-labelledby="appointment-history-title">
      <Title order={4} id="appointment-history-title">
        History
      </Title>
      {appointment.history.length === 0 ? (
        <Text fz="sm" c="dimmed">
          Nothing recorded yet.
        </Text>
      ) : (
        <Timeline bulletSize={14} lineWidth={2} active={appointment.history.length}>
          {appointment.history.map((event) => (
            <Timeline.Item key={`${event.kind}-${event.at}`} title={EVENT_LABELS[event.kind]}>
              <Text fz="xs" c="dimmed">
                {formatWhen(event.at, timeZone)} · {event.by ? event.by.name : 'the daily job'}
              </Text>
              {event.fromStartAt ? (
                <Text fz="sm">
                  Was {formatDay(clinicLocalDate(new Date(event.fromStartAt), timeZone))} at {clinicClock(event.fromStartAt, timeZone)}
                  {event.fromDoctor ? ` with ${event.fromDoctor.name}` : ''}
                </Text>
              ) : null}
              {event.reason ? <Text fz="sm">“{event.reason}”</Text> : null}
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Stack>
  );
}
