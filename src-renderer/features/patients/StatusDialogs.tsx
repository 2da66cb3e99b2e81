import { Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { PatientRecord } from '../../../src-shared/contract/patients.js';
import { patientDisplayName } from '../../../src-shared/schemas/patient.js';
import { type ApiError, errorMessage, queryKey } from '../../api/client.js';
import { useProcedureMutation } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifySuccess } from '../../ui/notify.js';

/** A stale version means another desk changed the record first: load theirs so a retry uses it. */
export function useRefreshPatientOnConflict(id: string) {
  const queryClient = useQueryClient();
  return (error: ApiError) => {
    if (error.code === 'CONFLICT') void queryClient.invalidateQueries({ queryKey: queryKey('patients.get', { id }) });
  };
}

/** Deactivating keeps everything: the record leaves searches and lists until it is reactivated. */
export function DeactivateForm({ patient, onClose }: { patient: PatientRecord; onClose: () => void }) {
  const setActive = useProcedureMutation('patients.setActive');
  const queryClient = useQueryClient();
  const refreshOnConflict = useRefreshPatientOnConflict(patient.id);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const missing = reason.trim() === '';
  const fieldError = setActive.error?.fields.reason ?? (touched && missing ? 'Give a reason, e.g. “deceased” or “moved away”.' : undefined);
  const name = patientDisplayName(patient);

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (missing) return;
    setActive.mutate(
      { id: patient.id, version: patient.version, active: false, reason: reason.trim() },
      {
        onSuccess: (saved) => {
          queryClient.setQueryData(queryKey('patients.get', { id: saved.id }), saved);
          notifySuccess('Record deactivated', `${name} (${saved.mrn}) no longer appears in searches unless inactive records are included.`);
          onClose();
        },
        onError: refreshOnConflict,
      },
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label={`Deactivate ${name}`}>
      <Stack gap="md">
        <Text>
          {name} ({patient.mrn}) will no longer appear in searches and lists of active patients, and cannot be booked. Nothing is deleted: the record and its
          history stay readable, and you can reactivate it at any time.
        </Text>
        <Textarea
          label="Reason"
          description="For example: deceased, moved away, registered by mistake"
          autosize
          minRows={2}
          maxLength={300}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          onBlur={() => setTouched(true)}
          error={fieldError}
          data-autofocus
          required
        />
        {setActive.isError && !setActive.error.fields.reason ? <ErrorAlert title="Not deactivated">{errorMessage(setActive.error)}</ErrorAlert> : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" color="red" loading={setActive.isPending}>
            Deactivate
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function ReactivateConfirm({ patient, onClose }: { patient: PatientRecord; onClose: () => void }) {
  const setActive = useProcedureMutation('patients.setActive');
  const queryClient = useQueryClient();
  const refreshOnConflict = useRefreshPatientOnConflict(patient.id);
  const name = patientDisplayName(patient);
  const confirm = () =>
    setActive.mutate(
      { id: patient.id, version: patient.version, active: true },
      {
        onSuccess: (saved) => {
          queryClient.setQueryData(queryKey('patients.get', { id: saved.id }), saved);
          notifySuccess('Record reactivated', `${name} (${saved.mrn}) appears in searches again.`);
          onClose();
        },
        onError: refreshOnConflict,
      },
    );
  return (
    <Stack gap="md">
      <Text>
        {name} ({patient.mrn}) was deactivated{patient.deactivationReason ? ` because: “${patient.deactivationReason}”` : ''}. Reactivated, the record appears
        in searches and can be booked again.
      </Text>
      {setActive.isError ? <ErrorAlert title="Not reactivated">{errorMessage(setActive.error)}</ErrorAlert> : null}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button onClick={confirm} loading={setActive.isPending} data-autofocus>
          Reactivate
        </Button>
      </Group>
    </Stack>
  );
}
