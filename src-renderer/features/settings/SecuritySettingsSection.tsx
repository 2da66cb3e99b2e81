import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, NumberInput, Paper, Skeleton, Stack, Switch, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type { OutputOf } from '../../../src-shared/contract/index.js';
import { type SecurityPolicy, securityPolicy } from '../../../src-shared/schemas/settings.js';
import { errorMessage, queryKey } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifySuccess } from '../../ui/notify.js';
import { applyServerFieldErrors } from '../../ui/serverErrors.js';

type Loaded = OutputOf<'settings.getSecurity'>;

function formValues(policy: Loaded): SecurityPolicy {
  return { idleLockMinutes: policy.idleLockMinutes, requireTwoFactorForAdmins: policy.requireTwoFactorForAdmins };
}

/** The sign-in and lock policy, beside the clinic's details; saved on its own with its own version. */
export function SecuritySettingsSection() {
  const policy = useProcedureQuery('settings.getSecurity', {});
  return (
    <Stack gap="sm" component="section" aria-labelledby="security-settings-title">
      <div>
        <Title order={2} fz="h3" id="security-settings-title">
          Sign-in and lock
        </Title>
        <Text c="dimmed" fz="sm" mt={4}>
          Applies at every workstation, from each user’s next action.
        </Text>
      </div>
      {policy.isPending ? (
        <Skeleton h={160} aria-label="Loading the sign-in and lock settings" />
      ) : policy.isError ? (
        <ErrorAlert>{errorMessage(policy.error)}</ErrorAlert>
      ) : (
        <SecurityForm loaded={policy.data} reload={async () => (await policy.refetch()).data} />
      )}
    </Stack>
  );
}

function SecurityForm({ loaded, reload }: { loaded: Loaded; reload: () => Promise<Loaded | undefined> }) {
  const queryClient = useQueryClient();
  const update = useProcedureMutation('settings.updateSecurity');
  const [version, setVersion] = useState(loaded.version);
  const [reloading, setReloading] = useState(false);
  const form = useForm<SecurityPolicy>({ resolver: zodResolver(securityPolicy), defaultValues: formValues(loaded) });
  const { isDirty } = form.formState;

  useEffect(() => {
    if (loaded.version !== version && !isDirty) {
      form.reset(formValues(loaded));
      setVersion(loaded.version);
    }
  }, [loaded, version, isDirty, form]);

  const onSubmit = form.handleSubmit(
    async (values) => {
      try {
        const saved = await update.mutateAsync({ ...values, version });
        queryClient.setQueryData(queryKey('settings.getSecurity'), saved);
        form.reset(formValues(saved));
        setVersion(saved.version);
        notifySuccess(
          'Sign-in and lock settings saved',
          `Workstations lock after ${saved.idleLockMinutes} minute${saved.idleLockMinutes === 1 ? '' : 's'} without use; two-factor sign-in is ${
            saved.requireTwoFactorForAdmins ? 'required' : 'optional'
          } for administrators.`,
        );
      } catch (error) {
        applyServerFieldErrors(error, form.setError, ['idleLockMinutes', 'requireTwoFactorForAdmins']);
      }
    },
    () => update.reset(),
  );

  const onReload = async () => {
    setReloading(true);
    try {
      const fresh = await reload();
      if (fresh) {
        form.reset(formValues(fresh));
        setVersion(fresh.version);
        update.reset();
      }
    } finally {
      setReloading(false);
    }
  };
  const conflict = update.isError && update.error.code === 'CONFLICT';

  return (
    <Paper withBorder p="lg" radius="md">
      <form onSubmit={onSubmit} noValidate aria-label="Sign-in and lock settings">
        <Stack gap="md">
          <Controller
            control={form.control}
            name="idleLockMinutes"
            render={({ field, fieldState }) => (
              <NumberInput
                ref={field.ref}
                name={field.name}
                label="Lock the workstation after (minutes)"
                description="Without keyboard or mouse use; the user’s password opens it again, with their work as they left it. 1 to 240."
                min={1}
                max={240}
                step={1}
                allowDecimal={false}
                allowNegative={false}
                clampBehavior="none"
                maw={320}
                value={field.value}
                onChange={(value) => field.onChange(typeof value === 'number' ? value : value === '' ? Number.NaN : Number(value))}
                onBlur={field.onBlur}
                error={fieldState.error ? (Number.isNaN(field.value) ? 'Enter a number of minutes' : fieldState.error.message) : undefined}
              />
            )}
          />
          <Controller
            control={form.control}
            name="requireTwoFactorForAdmins"
            render={({ field }) => (
              <Switch
                ref={field.ref}
                name={field.name}
                label="Require two-factor sign-in for administrators"
                description="Users who can manage users must set up an authenticator app before they can do anything else."
                checked={field.value}
                onChange={(event) => field.onChange(event.currentTarget.checked)}
                onBlur={field.onBlur}
              />
            )}
          />
          {conflict ? (
            <ErrorAlert title="Not saved">
              <Stack gap="xs" align="flex-start">
                <Text fz="sm">{update.error.message}</Text>
                <Button size="xs" variant="white" color="red" onClick={() => void onReload()} loading={reloading}>
                  Reload
                </Button>
              </Stack>
            </ErrorAlert>
          ) : update.isError ? (
            <ErrorAlert>{errorMessage(update.error)}</ErrorAlert>
          ) : null}
          <Group justify="space-between">
            <Text fz="sm" c="dimmed" aria-live="polite">
              {isDirty ? 'You have unsaved changes.' : 'No unsaved changes.'}
            </Text>
            <Group gap="sm">
              <Button type="button" variant="default" disabled={!isDirty || form.formState.isSubmitting} onClick={() => form.reset(formValues(loaded))}>
                Undo changes
              </Button>
              <Button type="submit" loading={form.formState.isSubmitting}>
                Save sign-in and lock settings
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
