import { Button, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { AppointmentDetail } from '../../../src-shared/contract/appointments.js';
import { clinicLocalDate } from '../../../src-shared/time.js';
import { errorMessage, queryKey } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { ConfirmWarning } from '../../ui/ConfirmWarning.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifySuccess } from '../../ui/notify.js';
import { useNow } from '../../ui/useNow.js';
import { bookingConflict, formatDay, minutesBetween } from './format.js';
import { useRefreshAppointments } from './queries.js';

/** Move a booked appointment: another doctor, day or free slot; the old time stays in the history. */
export function RescheduleForm({
  appointment,
  timeZone,
  onDone,
  onCancel,
}: {
  appointment: AppointmentDetail;
  timeZone: string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const today = clinicLocalDate(useNow(), timeZone);
  const [doctorId, setDoctorId] = useState(appointment.doctor.id);
  const [date, setDate] = useState(() => {
    const current = clinicLocalDate(new Date(appointment.startAt), timeZone);
    return current < today ? today : current;
  });
  const [startAt, setStartAt] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [overlap, setOverlap] = useState<string | null>(null);
  const [missingSlot, setMissingSlot] = useState(false);
  const doctors = useProcedureQuery('doctors.list', {});
  const validDate = /^\d{4}-\d{2}-\d{2}$/.test(date);
  const availability = useProcedureQuery('appointments.availability', { doctorId, from: date, to: date }, { enabled: validDate });
  const reschedule = useProcedureMutation('appointments.reschedule');
  const refresh = useRefreshAppointments();
  const queryClient = useQueryClient();
  const day = availability.data?.[0];
  const slots = day?.slots ?? [];
  const minutes = minutesBetween(appointment.startAt, appointment.endAt);
  const doctorOptions = (doctors.data ?? [])
    .filter((doctor) => doctor.active)
    .map((doctor) => ({ value: doctor.userId, label: `${doctor.name} · ${doctor.departmentName}` }));

  const choose = () => {
    setStartAt(null);
    setOverlap(null);
    reschedule.reset();
  };

  const send = (acknowledgeOverlap: boolean) => {
    if (!startAt) {
      setMissingSlot(true);
      return;
    }
    reschedule.mutate(
      {
        id: appointment.id,
        version: appointment.version,
        doctorId,
        startAt,
        minutes,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(acknowledgeOverlap ? { acknowledgeOverlap: true } : {}),
      },
      {
        onSuccess: (saved) => {
          notifySuccess(
            'Appointment moved',
            `${saved.patient.name} is now with ${saved.doctor.name}, ${formatDay(date)} at ${slots.find((slot) => slot.startAt === startAt)?.label ?? ''}.`,
          );
          onDone();
        },
        onError: (error) => {
          const kind = bookingConflict(error);
          setOverlap(kind === 'overlap' ? error.message : null);
          if (kind === 'taken') setStartAt(null);
          // Changed at another desk meanwhile: load the stored version so a retry can go through.
          if (kind === null && error.code === 'CONFLICT')
            void queryClient.invalidateQueries({ queryKey: queryKey('appointments.get', { id: appointment.id }) });
          if (error.code === 'CONFLICT') refresh();
        },
      },
    );
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send(false);
  };

  const slotError = reschedule.error?.fields.startAt ?? (missingSlot && !startAt ? 'Choose a free time' : undefined);
  const otherError = reschedule.isError && !overlap && !reschedule.error.fields.startAt && !reschedule.error.fields.reason;

  return (
    <Paper withBorder radius="md" p="md" component="form" onSubmit={onSubmit} noValidate aria-label="Reschedule the appointment">
      <Stack gap="sm">
        <Text fw={600}>Move this appointment ({minutes} minutes)</Text>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <Select
            label="Doctor"
            data={doctorOptions}
            value={doctorId}
            onChange={(value) => {
              if (value) setDoctorId(value);
              choose();
            }}
            searchable
            allowDeselect={false}
            nothingFoundMessage="No doctor matches"
            error={doctors.isError ? errorMessage(doctors.error) : reschedule.error?.fields.doctorId}
          />
          <TextInput
            type="date"
            label="Day"
            value={date}
            min={today}
            onChange={(event) => {
              setDate(event.currentTarget.value);
              choose();
            }}
          />
        </SimpleGrid>
        <Select
          label="Free time"
          placeholder={availability.isPending && validDate ? 'Loading free times…' : slots.length ? 'Choose a time' : 'No free time on this day'}
          data={slots.map((slot) => ({ value: slot.startAt, label: slot.label }))}
          value={startAt}
          onChange={(value) => {
            setStartAt(value);
            setMissingSlot(false);
            setOverlap(null);
          }}
          disabled={slots.length === 0}
          searchable
          nothingFoundMessage="No free time matches; type a time like 10:30"
          error={slotError}
          description={day?.closedReason ? `Closed: ${day.closedReason}` : slots.length ? `${slots.length} free times on ${formatDay(date)}` : undefined}
          required
        />
        {availability.isError ? <ErrorAlert>{errorMessage(availability.error)}</ErrorAlert> : null}
        <TextInput
          label="Reason for the change"
          description="Optional; kept in the history"
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          maxLength={300}
          error={reschedule.error?.fields.reason}
        />
        {overlap ? (
          <ConfirmWarning
            title="The patient is already booked at this time"
            message={overlap}
            confirmLabel="Move anyway"
            backLabel="Choose another time"
            onConfirm={() => send(true)}
            onBack={choose}
            busy={reschedule.isPending}
          />
        ) : null}
        {otherError ? <ErrorAlert title="Not moved">{errorMessage(reschedule.error)}</ErrorAlert> : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Back
          </Button>
          <Button type="submit" loading={reschedule.isPending && !overlap} disabled={overlap !== null}>
            Move appointment
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
