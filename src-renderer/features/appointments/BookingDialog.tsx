import { Button, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useLayoutEffect, useRef, useState } from 'react';
import type { DoctorOut, SlotOut } from '../../../src-shared/contract/appointments.js';
import { bookingFields } from '../../../src-shared/schemas/appointments.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureMutation } from '../../api/hooks.js';
import { ConfirmWarning } from '../../ui/ConfirmWarning.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifySuccess } from '../../ui/notify.js';
import { PatientPicker, type PickedPatient } from '../patients/PatientPicker.js';
import { submitOnCtrlEnter } from '../records/shared.js';
import { bookingConflict, durationOptions, formatDay, minutesBetween } from './format.js';
import { useRefreshAppointments } from './queries.js';

export interface BookingTarget {
  doctor: DoctorOut;
  slot: SlotOut;
  /** The clinic date of the slot, YYYY-MM-DD. */
  date: string;
}

/** Book a patient into a free slot: the modal around the form. */
export function BookingDialog({ target, onClose }: { target: BookingTarget | null; onClose: () => void }) {
  return (
    <Modal
      opened={target !== null}
      onClose={onClose}
      title={target ? `Book ${target.doctor.name} · ${formatDay(target.date)}, ${target.slot.label}` : 'Book'}
      size="lg"
      closeOnClickOutside={false}
    >
      {target ? <BookingForm key={`${target.doctor.userId}-${target.slot.startAt}`} target={target} onClose={onClose} /> : null}
    </Modal>
  );
}

function BookingForm({ target, onClose }: { target: BookingTarget; onClose: () => void }) {
  const book = useProcedureMutation('appointments.book');
  const refresh = useRefreshAppointments();
  const [patient, setPatient] = useState<PickedPatient | null>(null);
  const [reason, setReason] = useState('');
  const [notes, setNotes] = useState('');
  const [minutes, setMinutes] = useState(String(minutesBetween(target.slot.startAt, target.slot.endAt) || target.doctor.slotMinutes));
  const [localErrors, setLocalErrors] = useState<{ patientId?: string; reason?: string }>({});
  // The server's warning that the patient is booked elsewhere at this time, until confirmed or changed.
  const [overlap, setOverlap] = useState<string | null>(null);
  const [taken, setTaken] = useState<string | null>(null);
  const serverFields = book.error?.fields ?? {};
  // The modal's focus trap starts in the first [data-autofocus]: the patient search, not the close button.
  const pickerRef = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    pickerRef.current?.querySelector('input')?.setAttribute('data-autofocus', 'true');
  }, []);

  const changed = () => {
    setOverlap(null);
    book.reset();
  };

  const submit = (acknowledgeOverlap: boolean) => {
    const errors: typeof localErrors = {};
    if (!patient) errors.patientId = 'Choose the patient to book';
    const parsedReason = bookingFields.shape.reason.safeParse(reason);
    if (!parsedReason.success) errors.reason = parsedReason.error.issues[0]?.message;
    setLocalErrors(errors);
    if (!patient || errors.reason) return;
    book.mutate(
      {
        patientId: patient.id,
        doctorId: target.doctor.userId,
        startAt: target.slot.startAt,
        minutes: Number(minutes),
        reason: reason.trim(),
        notes: notes.trim(),
        ...(acknowledgeOverlap ? { acknowledgeOverlap: true } : {}),
      },
      {
        onSuccess: (saved) => {
          refresh();
          notifySuccess('Appointment booked', `${saved.patient.name} with ${saved.doctor.name}, ${formatDay(target.date)} at ${target.slot.label}.`);
          onClose();
        },
        onError: (error) => {
          const kind = bookingConflict(error);
          setOverlap(kind === 'overlap' ? error.message : null);
          if (kind === 'taken') {
            setTaken(error.message);
            refresh();
          }
        },
      },
    );
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit(false);
  };

  if (taken) {
    return (
      <Stack gap="md">
        <ErrorAlert title="This slot is no longer free">{taken}</ErrorAlert>
        <Text fz="sm">The board has been refreshed: choose another free slot.</Text>
        <Group justify="flex-end">
          <Button onClick={onClose} data-autofocus>
            Back to the board
          </Button>
        </Group>
      </Stack>
    );
  }

  const unplacedError = book.isError && !overlap && !serverFields.patientId && !serverFields.reason && !serverFields.notes && !serverFields.minutes;

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Book an appointment">
      <Stack gap="md">
        <div ref={pickerRef}>
          <PatientPicker
            label="Patient"
            autoFocus
            value={patient}
            onChange={(next) => {
              setPatient(next);
              setLocalErrors((errors) => ({ ...errors, patientId: undefined }));
              changed();
            }}
            error={localErrors.patientId ?? serverFields.patientId}
          />
        </div>
        <TextInput
          label="Reason"
          description="What the appointment is for, e.g. “follow-up, blood pressure”"
          value={reason}
          onChange={(event) => {
            setReason(event.currentTarget.value);
            setLocalErrors((errors) => ({ ...errors, reason: undefined }));
          }}
          error={localErrors.reason ?? serverFields.reason}
          maxLength={300}
          required
        />
        <Textarea
          label="Notes"
          description="Optional; seen by the front desk and the doctor"
          autosize
          minRows={2}
          maxRows={6}
          maxLength={1000}
          value={notes}
          onChange={(event) => setNotes(event.currentTarget.value)}
          onKeyDown={submitOnCtrlEnter}
          error={serverFields.notes}
        />
        <Select
          label="Duration"
          data={durationOptions(target.doctor.slotMinutes)}
          value={minutes}
          onChange={(value) => {
            if (value) setMinutes(value);
            changed();
          }}
          allowDeselect={false}
          error={serverFields.minutes}
          w={280}
        />
        {overlap ? (
          <ConfirmWarning
            title="The patient is already booked at this time"
            message={overlap}
            confirmLabel="Book anyway"
            backLabel="Change the booking"
            onConfirm={() => submit(true)}
            onBack={changed}
            busy={book.isPending}
          />
        ) : null}
        {unplacedError ? <ErrorAlert title="Not booked">{errorMessage(book.error)}</ErrorAlert> : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={book.isPending && !overlap} disabled={overlap !== null}>
            Book
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
