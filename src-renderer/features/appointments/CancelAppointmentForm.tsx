import { Button, Group, Paper, Stack, Textarea, type TextareaProps } from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import type { AppointmentOut } from '../../../src-shared/contract/appointments.js';
import { cancelReason } from '../../../src-shared/schemas/appointments.js';
import { type ApiError, errorMessage } from '../../api/client.js';
import { useProcedureMutation } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';

/**
 * Cancelling an appointment needs a reason, kept with it. The desk cancels inside the
 * appointment drawer (`inline`: the form has its own frame), a patient in a modal (the modal is
 * the frame); each words the reason for its reader.
 */
export function CancelAppointmentForm({
  appointment,
  reasonField,
  keepLabel,
  onKeep,
  onCancelled,
  onRefused,
  inline = false,
  children,
}: {
  appointment: Pick<AppointmentOut, 'id' | 'version'>;
  reasonField: Omit<TextareaProps, 'value' | 'onChange' | 'error'> & { label: string };
  keepLabel: string;
  onKeep: () => void;
  onCancelled: (saved: AppointmentOut) => void;
  onRefused?: (error: ApiError) => void;
  inline?: boolean;
  /** What is being cancelled, above the reason. */
  children?: ReactNode;
}) {
  const cancel = useProcedureMutation('appointments.cancel');
  const [reason, setReason] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = cancelReason.safeParse(reason);
    if (!parsed.success) {
      setLocalError(parsed.error.issues[0]?.message ?? 'Say why the appointment is cancelled');
      return;
    }
    cancel.mutate({ id: appointment.id, version: appointment.version, reason: parsed.data }, { onSuccess: onCancelled, onError: onRefused });
  };
  const body = (
    <Stack gap={inline ? 'sm' : 'md'}>
      {children}
      <Textarea
        autosize
        minRows={2}
        {...reasonField}
        value={reason}
        onChange={(event) => {
          setReason(event.currentTarget.value);
          setLocalError(null);
        }}
        error={localError ?? cancel.error?.fields.reason}
        data-autofocus
      />
      {cancel.isError && !cancel.error.fields.reason ? <ErrorAlert title="Not cancelled">{errorMessage(cancel.error)}</ErrorAlert> : null}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onKeep}>
          {keepLabel}
        </Button>
        <Button type="submit" color="red" loading={cancel.isPending}>
          Cancel appointment
        </Button>
      </Group>
    </Stack>
  );
  const form = { onSubmit, noValidate: true, 'aria-label': 'Cancel the appointment' };
  return inline ? (
    <Paper withBorder radius="md" p="md" component="form" {...form}>
      {body}
    </Paper>
  ) : (
    <form {...form}>{body}</form>
  );
}
