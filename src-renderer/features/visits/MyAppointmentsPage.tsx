import { Button, Chip, Group, Modal, Paper, Select, SimpleGrid, Skeleton, Stack, Text, Textarea, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconCalendarPlus, IconX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { AppointmentOut, SlotOut } from '../../../src-shared/contract/appointments.js';
import { bookingFields } from '../../../src-shared/schemas/appointments.js';
import { addDays } from '../../../src-shared/time.js';
import { type ApiError, errorMessage } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifySuccess } from '../../ui/notify.js';
import { useClinic, useClinicToday } from '../../ui/useClinic.js';
import { useNow } from '../../ui/useNow.js';
import { CancelAppointmentForm } from '../appointments/CancelAppointmentForm.js';
import { useMe } from '../auth/session.js';
import { formatMoney } from '../records/money.js';
import { formatDate, formatInstant } from '../schedules/clinic.js';
import { AppointmentTable } from './AppointmentTables.js';
import { APPOINTMENT_WINDOW_DAYS } from './PatientAppointments.js';
import { splitUpcoming } from './shared.js';

const BOOKING_DAYS = 14;

function CancelForm({ appointment, onDone }: { appointment: AppointmentOut; onDone: () => void }) {
  const { timeZone } = useClinic();
  return (
    <CancelAppointmentForm
      appointment={appointment}
      reasonField={{ label: 'Why are you cancelling?', description: 'At least 3 characters, e.g. feeling better, cannot come' }}
      keepLabel="Keep it"
      onKeep={onDone}
      onCancelled={() => {
        notifySuccess('Appointment cancelled', `${formatInstant(appointment.startAt, timeZone)} with ${appointment.doctor.name} is free for others now.`);
        onDone();
      }}
    >
      <Text>
        {formatInstant(appointment.startAt, timeZone)} with <b>{appointment.doctor.name}</b> ({appointment.departmentName}): {appointment.reason}
      </Text>
    </CancelAppointmentForm>
  );
}

/** Department → doctor → day → free slot → reason → book. The server books the signed-in patient. */
function BookingForm({ onDone }: { onDone: () => void }) {
  const today = useClinicToday();
  const { timeZone, currency } = useClinic();
  const queryClient = useQueryClient();
  const departments = useProcedureQuery('departments.list', {});
  const [departmentId, setDepartmentId] = useState<string | null>(null);
  const doctors = useProcedureQuery('doctors.list', { departmentId: departmentId ?? undefined }, { enabled: departmentId !== null });
  const [doctorId, setDoctorId] = useState<string | null>(null);
  const doctor = doctors.data?.find((d) => d.userId === doctorId) ?? null;
  const lastDay = addDays(today, BOOKING_DAYS - 1);
  const availability = useProcedureQuery('appointments.availability', { doctorId: doctorId ?? '', from: today, to: lastDay }, { enabled: doctorId !== null });
  const [date, setDate] = useState<string | null>(null);
  const [slot, setSlot] = useState<SlotOut | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [overlap, setOverlap] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  const book = useProcedureMutation('appointments.book');
  const openDays = (availability.data ?? []).filter((day) => day.slots.length > 0);
  const chosenDay = availability.data?.find((day) => day.date === date) ?? null;

  const chooseDoctor = (id: string | null) => {
    setDoctorId(id);
    setDate(null);
    setSlot(null);
  };

  const submit = async (acknowledgeOverlap: boolean) => {
    setRefusal(null);
    setNotice(null);
    if (!doctorId || !slot) return;
    const checked = bookingFields.shape.reason.safeParse(reason);
    if (!checked.success) {
      setReasonError(checked.error.issues[0]?.message ?? 'Say what the appointment is for');
      document.getElementById('booking-reason')?.focus();
      return;
    }
    try {
      const booked = await book.mutateAsync({
        doctorId,
        startAt: slot.startAt,
        reason: checked.data,
        notes: '',
        ...(acknowledgeOverlap ? { acknowledgeOverlap: true } : {}),
      });
      notifySuccess('Appointment booked', `${formatInstant(booked.startAt, timeZone)} with ${booked.doctor.name}.`);
      onDone();
    } catch (error) {
      const apiError = error as ApiError;
      if (apiError.code === 'CONFLICT' && apiError.fields.acknowledgeOverlap) {
        setOverlap(apiError.fields.acknowledgeOverlap);
        return;
      }
      if (apiError.code === 'CONFLICT') {
        setSlot(null);
        setNotice(`${apiError.message} The free times below are up to date.`);
        await queryClient.invalidateQueries({ queryKey: ['appointments.availability'] });
        return;
      }
      if (apiError.fields.reason) setReasonError(apiError.fields.reason);
      else setRefusal(apiError);
    }
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit(false);
      }}
      noValidate
      aria-label="Book an appointment"
    >
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <Select
            label="Department"
            placeholder={departments.isPending ? 'Loading…' : 'Choose a department'}
            data={(departments.data ?? []).filter((d) => d.active && d.doctorCount > 0).map((d) => ({ value: d.id, label: d.name }))}
            value={departmentId}
            onChange={(value) => {
              setDepartmentId(value);
              chooseDoctor(null);
            }}
            error={departments.isError ? errorMessage(departments.error) : undefined}
            data-autofocus
          />
          <Select
            label="Doctor"
            placeholder={departmentId ? 'Choose a doctor' : 'Choose a department first'}
            disabled={!departmentId}
            data={(doctors.data ?? [])
              .filter((d) => d.active)
              .map((d) => ({ value: d.userId, label: d.specialization ? `${d.name} · ${d.specialization}` : d.name }))}
            value={doctorId}
            onChange={chooseDoctor}
            error={doctors.isError ? errorMessage(doctors.error) : undefined}
          />
        </SimpleGrid>
        {doctor ? (
          <Text fz="sm" c="dimmed">
            {doctor.slotMinutes}-minute appointments · consultation fee {formatMoney(doctor.consultationFeeMinor, currency)}
          </Text>
        ) : null}
        {notice ? <ErrorAlert title="That time was just taken">{notice}</ErrorAlert> : null}
        {doctorId ? (
          <Stack gap="xs">
            <Text fw={500} fz="sm" id="booking-day-label">
              Day (next {BOOKING_DAYS} days)
            </Text>
            {availability.isPending ? <Skeleton h={60} /> : null}
            {availability.isError ? <ErrorAlert>{errorMessage(availability.error)}</ErrorAlert> : null}
            {availability.data && openDays.length === 0 ? (
              <Text fz="sm" c="orange.8">
                This doctor has no free time in the next {BOOKING_DAYS} days. Try another doctor in the department, or ask the front desk.
              </Text>
            ) : null}
            {openDays.length > 0 ? (
              <Chip.Group
                value={date ?? ''}
                onChange={(value) => {
                  setDate(value as string);
                  setSlot(null);
                }}
              >
                <Group gap={6} role="radiogroup" aria-labelledby="booking-day-label">
                  {openDays.map((day) => (
                    <Chip key={day.date} value={day.date} size="sm" variant="outline">
                      {formatDate(day.date, { year: false })} · {day.slots.length} free
                    </Chip>
                  ))}
                </Group>
              </Chip.Group>
            ) : null}
          </Stack>
        ) : null}
        {chosenDay ? (
          <Stack gap="xs">
            <Text fw={500} fz="sm" id="booking-slot-label">
              Time on {formatDate(chosenDay.date)}
            </Text>
            {chosenDay.slots.length === 0 ? (
              <Text fz="sm" c="orange.8">
                No free time left that day: choose another.
              </Text>
            ) : (
              <Chip.Group value={slot?.startAt ?? ''} onChange={(value) => setSlot(chosenDay.slots.find((s) => s.startAt === value) ?? null)}>
                <Group gap={6} role="radiogroup" aria-labelledby="booking-slot-label">
                  {chosenDay.slots.map((s) => (
                    <Chip key={s.startAt} value={s.startAt} size="sm">
                      {s.label}
                    </Chip>
                  ))}
                </Group>
              </Chip.Group>
            )}
          </Stack>
        ) : null}
        {slot ? (
          <Textarea
            id="booking-reason"
            label="What is the appointment for?"
            description="A few words for the doctor, e.g. cough for a week, check-up"
            value={reason}
            onChange={(event) => {
              setReason(event.currentTarget.value);
              setReasonError(null);
            }}
            error={reasonError}
            autosize
            minRows={2}
          />
        ) : null}
        {refusal ? <ErrorAlert title="Not booked">{errorMessage(refusal)}</ErrorAlert> : null}
        <Group justify="space-between" gap="sm">
          <Text fz="sm" c="dimmed">
            {slot && doctor ? `${formatInstant(slot.startAt, timeZone)} with ${doctor.name}` : 'Choose a department, doctor, day and time.'}
          </Text>
          <Group gap="sm">
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
            <Button type="submit" disabled={!slot} loading={book.isPending}>
              Book appointment
            </Button>
          </Group>
        </Group>
      </Stack>
      <Modal opened={overlap !== null} onClose={() => setOverlap(null)} title="You already have an appointment then">
        <Stack gap="md">
          <Text>{overlap}</Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setOverlap(null)} data-autofocus>
              No, go back
            </Button>
            <Button
              loading={book.isPending}
              onClick={() => {
                setOverlap(null);
                void submit(true);
              }}
            >
              Book anyway
            </Button>
          </Group>
        </Stack>
      </Modal>
    </form>
  );
}

/** A patient's own appointments: coming (with cancelling), past, and booking a new one. */
export function MyAppointmentsPage() {
  useDocumentTitle('My appointments · Asclepia');
  const me = useMe();
  const today = useClinicToday();
  const now = useNow();
  const { timeZone } = useClinic();
  const [booking, setBooking] = useState(false);
  const [cancelling, setCancelling] = useState<AppointmentOut | null>(null);
  const list = useProcedureQuery('appointments.list', {
    filter: { from: addDays(today, -APPOINTMENT_WINDOW_DAYS), to: addDays(today, APPOINTMENT_WINDOW_DAYS) },
    limit: 1000,
  });
  const { upcoming, past } = splitUpcoming(list.data ?? [], now);

  return (
    <Stack gap="lg" maw={1000}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>My appointments</Title>
          <Text c="dimmed" mt={4}>
            Book a visit with a doctor, or cancel one you cannot come to.
          </Text>
        </div>
        {me.patientId ? (
          <Button leftSection={<IconCalendarPlus size={16} aria-hidden />} onClick={() => setBooking(true)}>
            Book an appointment
          </Button>
        ) : null}
      </Group>
      {me.patientId ? null : (
        <Paper withBorder radius="md" p="lg">
          <Text>Your account is not linked to a patient record yet. Please ask the front desk to link it; then you can book here.</Text>
        </Paper>
      )}
      {list.isError ? <ErrorAlert>{errorMessage(list.error)}</ErrorAlert> : null}
      {list.isPending ? <Skeleton h={120} /> : null}
      {list.data ? (
        <>
          <Stack gap="sm" component="section" aria-labelledby="coming-title">
            <Title order={2} fz="h3" id="coming-title">
              Coming
            </Title>
            {upcoming.length === 0 ? (
              <Paper withBorder radius="md" p="lg">
                <Text c="dimmed">No coming appointments. Use “Book an appointment” to see a doctor.</Text>
              </Paper>
            ) : (
              <AppointmentTable
                label="Coming appointments"
                rows={upcoming}
                timeZone={timeZone}
                action={(appointment) =>
                  appointment.status === 'booked' ? (
                    <Button
                      size="xs"
                      variant="default"
                      c="red.8"
                      leftSection={<IconX size={14} aria-hidden />}
                      onClick={() => setCancelling(appointment)}
                      aria-label={`Cancel the appointment on ${formatInstant(appointment.startAt, timeZone)}`}
                    >
                      Cancel
                    </Button>
                  ) : null
                }
              />
            )}
          </Stack>
          <Stack gap="sm" component="section" aria-labelledby="past-title">
            <Title order={2} fz="h3" id="past-title">
              Past and cancelled
            </Title>
            {past.length === 0 ? (
              <Paper withBorder radius="md" p="lg">
                <Text c="dimmed">No past or cancelled appointments in the last year.</Text>
              </Paper>
            ) : (
              <AppointmentTable label="Past appointments" rows={past} timeZone={timeZone} />
            )}
          </Stack>
        </>
      ) : null}
      <Modal opened={booking} onClose={() => setBooking(false)} title="Book an appointment" size="xl" closeOnClickOutside={false}>
        {booking ? <BookingForm onDone={() => setBooking(false)} /> : null}
      </Modal>
      <Modal opened={cancelling !== null} onClose={() => setCancelling(null)} title="Cancel appointment">
        {cancelling ? <CancelForm appointment={cancelling} onDone={() => setCancelling(null)} /> : null}
      </Modal>
    </Stack>
  );
}
