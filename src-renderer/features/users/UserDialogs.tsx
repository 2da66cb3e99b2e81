import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { contract } from '../../../src-shared/contract/index.js';
import type { RoleSummary, UserSummary } from '../../../src-shared/contract/users.js';
import { type ApiError, errorMessage } from '../../api/client.js';
import { useProcedureMutation } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifySuccess } from '../../ui/notify.js';
import { applyServerFieldErrors } from '../../ui/serverErrors.js';
import { PatientPicker, type PickedPatient } from '../patients/PatientPicker.js';
import { TemporaryPasswordPanel } from './TemporaryPasswordPanel.js';

/** A stale version means another desk changed this user first: say so, and load theirs so a retry uses it. */
function useRefreshOnConflict() {
  const queryClient = useQueryClient();
  return (error: unknown) => {
    if ((error as ApiError | undefined)?.code === 'CONFLICT') void queryClient.invalidateQueries({ queryKey: ['users.list'] });
  };
}

export function roleOptions(roles: readonly RoleSummary[]) {
  return roles.map((role) => ({ value: role.id, label: role.label }));
}

function RefusalAlert({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return <ErrorAlert title="Not saved">{errorMessage(error)}</ErrorAlert>;
}

const newUserSchema = contract['users.create'].input;
type NewUserInput = z.input<typeof newUserSchema>;
type NewUserOutput = z.output<typeof newUserSchema>;

/** Username, name and role; then the temporary password, once. */
export function NewUserForm({ roles, onClose }: { roles: readonly RoleSummary[]; onClose: () => void }) {
  const create = useProcedureMutation('users.create');
  const [created, setCreated] = useState<{ user: UserSummary; temporaryPassword: string } | null>(null);
  const [patient, setPatient] = useState<PickedPatient | null>(null);
  const form = useForm<NewUserInput, unknown, NewUserOutput>({
    resolver: zodResolver(newUserSchema),
    defaultValues: { username: '', displayName: '', roleId: '' },
  });
  const { errors } = form.formState;
  const roleId = form.watch('roleId');
  // A patient's account may be linked to their record at once (or later, from the user's menu).
  const forPatient = roles.find((role) => role.id === roleId)?.name === 'patient';

  const onSubmit = form.handleSubmit(
    async (values) => {
      try {
        const { patientId: _ignored, ...rest } = values;
        setCreated(await create.mutateAsync(forPatient && patient ? { ...rest, patientId: patient.id } : rest));
      } catch (error) {
        applyServerFieldErrors(error, form.setError, ['username', 'displayName', 'roleId', 'patientId']);
      }
    },
    () => create.reset(),
  );

  if (created) {
    return (
      <TemporaryPasswordPanel
        user={created.user}
        password={created.temporaryPassword}
        intro={`${created.user.displayName} can now sign in as “${created.user.username}” with this temporary password.${
          created.user.patient ? ` They see their own record, ${created.user.patient.mrn}.` : ''
        }`}
        onDone={onClose}
      />
    );
  }

  const fieldRefused = create.error ? Object.keys(create.error.fields).some((key) => ['username', 'displayName', 'roleId', 'patientId'].includes(key)) : false;
  return (
    <form onSubmit={onSubmit} noValidate aria-label="New user">
      <Stack gap="md">
        <TextInput
          label="Username"
          description="What they type to sign in: lower-case letters, digits, dots, dashes or underscores"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          data-autofocus
          {...form.register('username')}
          error={errors.username?.message}
        />
        <TextInput
          label="Display name"
          description="Shown on screens and in the audit log"
          autoComplete="off"
          {...form.register('displayName')}
          error={errors.displayName?.message}
        />
        <Controller
          control={form.control}
          name="roleId"
          render={({ field, fieldState }) => (
            <Select
              ref={field.ref}
              label="Role"
              placeholder="Choose a role"
              data={roleOptions(roles)}
              value={field.value || null}
              onChange={(value) => field.onChange(value ?? '')}
              onBlur={field.onBlur}
              error={fieldState.error ? (fieldState.error.type === 'server' ? fieldState.error.message : 'Choose the person’s role') : undefined}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
          )}
        />
        {forPatient ? (
          <PatientPicker
            label="Patient record"
            description="The record this person may see: search by name, MRN, phone or date of birth. You can also link it later."
            value={patient}
            onChange={(next) => {
              setPatient(next);
              form.clearErrors('patientId');
            }}
            error={errors.patientId?.message}
          />
        ) : null}
        <Text fz="sm" c="dimmed">
          Asclepia makes a temporary password for the first sign-in; the person then chooses their own.
        </Text>
        {create.isError && !fieldRefused ? <RefusalAlert error={create.error} /> : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={form.formState.isSubmitting}>
            Create user
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A patient-role user sees only the record linked here; unlinked, they see nothing of anyone. */
export function LinkPatientForm({ user, onClose }: { user: UserSummary; onClose: () => void }) {
  const link = useProcedureMutation('users.linkPatient');
  const refreshOnConflict = useRefreshOnConflict();
  const [patient, setPatient] = useState<PickedPatient | null>(user.patient);
  const unchanged = (patient?.id ?? null) === (user.patient?.id ?? null);
  const save = (patientId: string | null) =>
    link.mutate(
      { id: user.id, patientId, version: user.version },
      {
        onSuccess: (saved) => {
          notifySuccess(
            saved.patient ? 'Patient record linked' : 'Patient record unlinked',
            saved.patient
              ? `${saved.displayName} now sees the record ${saved.patient.mrn} (${saved.patient.name}).`
              : `${saved.displayName} no longer sees any patient record.`,
          );
          onClose();
        },
        onError: refreshOnConflict,
      },
    );
  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!patient || unchanged) return;
    save(patient.id);
  };
  return (
    <form onSubmit={onSubmit} noValidate aria-label={`Link patient record of ${user.username}`}>
      <Stack gap="md">
        <Text>
          {user.displayName} ({user.username}) signs in as {user.role.label}
          {user.patient ? (
            <>
              {' '}
              and sees the record <strong>{user.patient.mrn}</strong> ({user.patient.name}).
            </>
          ) : (
            ' and is not linked to a patient record yet.'
          )}
        </Text>
        <PatientPicker label="Patient record" value={patient} onChange={setPatient} autoFocus={!user.patient} error={link.error?.fields.patientId} />
        {link.isError && !link.error.fields.patientId ? <RefusalAlert error={link.error} /> : null}
        <Group justify="space-between" gap="sm">
          {user.patient ? (
            <Button variant="subtle" color="red" onClick={() => save(null)} loading={link.isPending && link.variables?.patientId === null}>
              Unlink the record
            </Button>
          ) : (
            <span />
          )}
          <Group gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!patient || unchanged} loading={link.isPending && link.variables?.patientId !== null}>
              Link record
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

export function ChangeRoleForm({ user, roles, onClose }: { user: UserSummary; roles: readonly RoleSummary[]; onClose: () => void }) {
  const change = useProcedureMutation('users.changeRole');
  const refreshOnConflict = useRefreshOnConflict();
  const [roleId, setRoleId] = useState<string | null>(user.role.id);
  const unchanged = roleId === user.role.id;
  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!roleId || unchanged) return;
    change.mutate(
      { id: user.id, roleId, version: user.version },
      {
        onSuccess: (saved) => {
          notifySuccess('Role changed', `${saved.displayName} is now ${saved.role.label}. It applies from their next action.`);
          onClose();
        },
        onError: refreshOnConflict,
      },
    );
  };
  return (
    <form onSubmit={onSubmit} noValidate aria-label={`Change role of ${user.username}`}>
      <Stack gap="md">
        <Text>
          {user.displayName} ({user.username}) is now <strong>{user.role.label}</strong>. A new role applies from their next action, also on screens already
          open.
        </Text>
        <Select
          label="New role"
          data={roleOptions(roles)}
          value={roleId}
          onChange={setRoleId}
          allowDeselect={false}
          data-autofocus
          comboboxProps={{ withinPortal: true }}
        />
        <RefusalAlert error={change.error} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={unchanged} loading={change.isPending}>
            Change role
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function SetActiveConfirm({ user, isSelf, onClose }: { user: UserSummary; isSelf: boolean; onClose: () => void }) {
  const setActive = useProcedureMutation('users.setActive');
  const refreshOnConflict = useRefreshOnConflict();
  const deactivating = user.active;
  const confirm = () =>
    setActive.mutate(
      { id: user.id, active: !deactivating, version: user.version },
      {
        onSuccess: (saved) => {
          notifySuccess(
            deactivating ? 'User deactivated' : 'User reactivated',
            deactivating ? `${saved.displayName} is signed out and can no longer sign in.` : `${saved.displayName} can sign in again.`,
          );
          onClose();
        },
        onError: refreshOnConflict,
      },
    );
  return (
    <Stack gap="md">
      {deactivating ? (
        <Text>
          {user.displayName} ({user.username}) will be signed out everywhere at once and will not be able to sign in. Their records and audit history stay. You
          can reactivate the account later.
          {isSelf ? ' This is your own account: you will be signed out too.' : ''}
        </Text>
      ) : (
        <Text>
          {user.displayName} ({user.username}) will be able to sign in again with their current password, as {user.role.label}.
        </Text>
      )}
      <RefusalAlert error={setActive.error} />
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color={deactivating ? 'red' : undefined} onClick={confirm} loading={setActive.isPending} data-autofocus>
          {deactivating ? 'Deactivate' : 'Reactivate'}
        </Button>
      </Group>
    </Stack>
  );
}

export function ResetPasswordConfirm({ user, onClose }: { user: UserSummary; onClose: () => void }) {
  const reset = useProcedureMutation('users.resetPassword');
  const refreshOnConflict = useRefreshOnConflict();
  if (reset.data) {
    return (
      <TemporaryPasswordPanel
        user={reset.data.user}
        password={reset.data.temporaryPassword}
        intro={`${reset.data.user.displayName}’s old password no longer works, and they were signed out everywhere. They sign in next with this temporary password.`}
        onDone={onClose}
      />
    );
  }
  return (
    <Stack gap="md">
      <Text>
        {user.displayName} ({user.username}) gets a new temporary password, shown once here. Their current password stops working and they are signed out
        everywhere; at their next sign-in they choose a new password.
      </Text>
      <RefusalAlert error={reset.error} />
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button
          color="orange"
          onClick={() => reset.mutate({ id: user.id, version: user.version }, { onError: refreshOnConflict })}
          loading={reset.isPending}
          data-autofocus
        >
          Reset password
        </Button>
      </Group>
    </Stack>
  );
}

export function ResetTwoFactorConfirm({ user, onClose }: { user: UserSummary; onClose: () => void }) {
  const reset = useProcedureMutation('users.resetTwoFactor');
  const refreshOnConflict = useRefreshOnConflict();
  const confirm = () =>
    reset.mutate(
      { id: user.id, version: user.version },
      {
        onSuccess: (saved) => {
          notifySuccess('Two-factor sign-in removed', `${saved.displayName} signs in with their password alone until they set it up again.`);
          onClose();
        },
        onError: refreshOnConflict,
      },
    );
  return (
    <Stack gap="md">
      <Text>
        Use this when {user.displayName} has lost their phone. Their authenticator app and recovery codes stop working; they sign in with their password alone
        and can set up two-factor sign-in again (or must, where the clinic requires it).
      </Text>
      <RefusalAlert error={reset.error} />
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color="orange" onClick={confirm} loading={reset.isPending} data-autofocus>
          Reset two-factor
        </Button>
      </Group>
    </Stack>
  );
}
