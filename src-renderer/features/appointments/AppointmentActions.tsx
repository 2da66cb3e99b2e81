import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconCalendarEvent, IconCheck, IconLogin2, IconUserOff, IconX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { AppointmentDetail, AppointmentOut } from '../../../src-shared/contract/appointments.js';
import { clinicLocalDate } from '../../../src-shared/time.js';
import { type ApiError, errorMessage, queryKey } from '../../api/client.js';
import { useProcedureMutation } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifySuccess } from '../../ui/notify.js';
import { useNow } from '../../ui/useNow.js';
import { useMe } from '../auth/session.js';
import { submitOnCtrlEnter } from '../records/shared.js';
import { CancelAppointmentForm } from './CancelAppointmentForm.js';
import { useRefreshAppointments } from './queries.js';
import { RescheduleForm } from './RescheduleForm.js';

type Panel = 'none' | 'reschedule' | 'cancel' | 'noShow';

/** After a change (or a refusal because someone else changed it first), show the stored appointment. */
function useAfterChange(id: string) {
  const queryClient = useQueryClient();
  const refresh = useRefreshAppointments();
  return {
    saved: () => {
      void queryClient.invalidateQueries({ queryKey: queryKey('appointments.get', { id }) });
      refresh();
    },
    refused: (error: ApiError) => {
      if (error.code === 'CONFLICT' || error.code === 'NOT_FOUND') {
        void queryClient.invalidateQueries({ queryKey: queryKey('appointments.get', { id }) });
        refresh();
      }
    },
  };
}

/**
 * The next steps an appointment allows, by its status and the user's permissions; the main side
 * checks both again. Each sends the version it was shown, so a change made meanwhile at another
 * desk is refused rather than overwritten.
 */
export function AppointmentActions({ appointment, timeZone }: { appointment: AppointmentDetail; timeZone: string }) {
  const me = useMe();
  const now = useNow();
  const can = (permission: string) => me.permissions.includes(permission as never);
  const [panel, setPanel] = useState<Panel>('none');
  const after = useAfterChange(appointment.id);
  const checkIn = useProcedureMutation('appointments.checkIn');
  const complete = useProcedureMutation('appointments.complete');
  const busy = checkIn.isPending || complete.isPending;
  const lastError = checkIn.error ?? complete.error;

  const booked = appointment.status === 'booked';
  const today = clinicLocalDate(now, timeZone);
  const isToday = clinicLocalDate(new Date(appointment.startAt), timeZone) === today;
  const started = Date.parse(appointment.startAt) <= now.getTime();
  const offers = {
    checkIn: booked && isToday && can('appointments.manage'),
    reschedule: booked && can('appointments.manage'),
    cancel: booked && (can('appointments.manage') || can('appointments.manage_own')),
    noShow: booked && started && can('appointments.manage'),
    complete: appointment.status === 'checked_in' && can('appointments.complete_own') && appointment.doctor.id === me.id,
  };

  const simple = (mutation: typeof checkIn | typeof complete, title: string, describe: (saved: AppointmentOut) => string) =>
    mutation.mutate(
      { id: appointment.id, version: appointment.version },
      {
        onSuccess: (saved) => {
          after.saved();
          notifySuccess(title, describe(saved));
        },
        onError: after.refused,
      },
    );

  if (panel === 'reschedule') {
    return (
      <RescheduleForm
        appointment={appointment}
        timeZone={timeZone}
        onDone={() => {
          after.saved();
          setPanel('none');
        }}
        onCancel={() => setPanel('none')}
      />
    );
  }
  if (panel === 'cancel') return <CancelForm appointment={appointment} after={after} onClose={() => setPanel('none')} />;
  if (panel === 'noShow') return <NoShowConfirm appointment={appointment} after={after} onClose={() => setPanel('none')} />;

  if (!Object.values(offers).some(Boolean)) {
    return (
      <Text fz="sm" c="dimmed">
        {booked
          ? 'Your role cannot change this appointment.'
          : appointment.status === 'checked_in'
            ? `The patient is checked in and waiting; ${appointment.doctor.name} completes the appointment after the visit.`
            : 'This appointment is closed; nothing more can be done with it.'}
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      <Group gap="sm" role="toolbar" aria-label="Appointment actions">
        {offers.checkIn ? (
          <Button
            leftSection={<IconLogin2 size={16} aria-hidden />}
            loading={checkIn.isPending}
            disabled={busy}
            onClick={() => simple(checkIn, 'Checked in', (saved) => `${saved.patient.name} is waiting for ${saved.doctor.name}.`)}
          >
            Check in
          </Button>
        ) : null}
        {offers.complete ? (
          <Button
            leftSection={<IconCheck size={16} aria-hidden />}
            loading={complete.isPending}
            disabled={busy}
            onClick={() => simple(complete, 'Appointment completed', (saved) => `${saved.patient.name}’s appointment is complete.`)}
          >
            Complete
          </Button>
        ) : null}
        {offers.reschedule ? (
          <Button variant="light" leftSection={<IconCalendarEvent size={16} aria-hidden />} disabled={busy} onClick={() => setPanel('reschedule')}>
            Reschedule
          </Button>
        ) : null}
        {offers.noShow ? (
          <Button variant="default" leftSection={<IconUserOff size={16} aria-hidden />} disabled={busy} onClick={() => setPanel('noShow')}>
            Mark no-show
          </Button>
        ) : null}
        {offers.cancel ? (
          <Button variant="default" color="red" leftSection={<IconX size={16} aria-hidden />} disabled={busy} onClick={() => setPanel('cancel')}>
            Cancel appointment
          </Button>
        ) : null}
      </Group>
      {booked && !isToday && can('appointments.manage') ? (
        <Text fz="xs" c="dimmed">
          Check-in opens on the day of the appointment.
        </Text>
      ) : null}
      {lastError ? <ErrorAlert title="Not changed">{errorMessage(lastError)}</ErrorAlert> : null}
    </Stack>
  );
}

type After = ReturnType<typeof useAfterChange>;

function CancelForm({ appointment, after, onClose }: { appointment: AppointmentDetail; after: After; onClose: () => void }) {
  return (
    <CancelAppointmentForm
      appointment={appointment}
      inline
      reasonField={{
        label: 'Why is it cancelled?',
        description: 'Kept with the appointment, e.g. “patient called, feeling better”',
        maxLength: 300,
        onKeyDown: submitOnCtrlEnter,
        required: true,
        autoFocus: true,
      }}
      keepLabel="Keep the appointment"
      onKeep={onClose}
      onCancelled={(saved) => {
        after.saved();
        notifySuccess('Appointment cancelled', `${saved.patient.name}’s appointment with ${saved.doctor.name} is cancelled; the slot is free again.`);
        onClose();
      }}
      onRefused={after.refused}
    />
  );
}

function NoShowConfirm({ appointment, after, onClose }: { appointment: AppointmentDetail; after: After; onClose: () => void }) {
  const noShow = useProcedureMutation('appointments.noShow');
  const confirm = () =>
    noShow.mutate(
      { id: appointment.id, version: appointment.version },
      {
        onSuccess: (saved) => {
          after.saved();
          notifySuccess('Marked as no-show', `${saved.patient.name} did not come to the appointment with ${saved.doctor.name}.`);
          onClose();
        },
        onError: after.refused,
      },
    );
  return (
    <Alert color="orange" variant="light" title="Mark as no-show?" icon={<IconUserOff aria-hidden />}>
      <Stack gap="sm">
        <Text fz="sm">{appointment.patient.name} did not come. The appointment is closed and cannot be checked in afterwards.</Text>
        {noShow.isError ? <ErrorAlert title="Not changed">{errorMessage(noShow.error)}</ErrorAlert> : null}
        <Group gap="sm">
          <Button color="orange" onClick={confirm} loading={noShow.isPending} autoFocus>
            Mark no-show
          </Button>
          <Button variant="default" onClick={onClose}>
            Back
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
