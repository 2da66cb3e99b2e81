import { zodResolver } from '@hookform/resolvers/zod';
import { Badge, Button, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { Me } from '../../../src-shared/contract/auth.js';
import { enteredPassword } from '../../../src-shared/schemas/user.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifySuccess } from '../../ui/notify.js';
import { applyServerFieldErrors } from '../../ui/serverErrors.js';
import { meKey, useMe } from '../auth/session.js';
import { RecoveryCodesPanel, TwoFactorEnrolment } from './TwoFactorEnrolment.js';

/** After enrolment the server's answer is known; say so now, then confirm with a fresh auth.me. */
export function useMarkEnrolled() {
  const queryClient = useQueryClient();
  return (enabled: boolean) => {
    queryClient.setQueryData<Me | null>(meKey, (me) =>
      me ? { ...me, twoFactorEnabled: enabled, mustEnrollTwoFactor: enabled ? false : me.mustEnrollTwoFactor } : me,
    );
    void queryClient.invalidateQueries({ queryKey: meKey });
  };
}

type Step = { kind: 'status' } | { kind: 'codes'; codes: string[] } | { kind: 'disabling' };

export function TwoFactorSection() {
  const me = useMe();
  const policy = useProcedureQuery('settings.getSecurity', {});
  // Where the clinic requires it of this user, turning it off is refused anyway: say so instead.
  const required = Boolean(policy.data?.requireTwoFactorForAdmins && me.permissions.includes('users.manage'));
  const markEnrolled = useMarkEnrolled();
  const [step, setStep] = useState<Step>({ kind: 'status' });

  return (
    <Stack gap="sm" component="section" aria-labelledby="two-factor-title">
      <Group gap="sm">
        <Title order={2} fz="h3" id="two-factor-title">
          Two-factor sign-in
        </Title>
        {step.kind !== 'codes' ? (
          <Badge
            variant="light"
            color={me.twoFactorEnabled ? 'teal' : 'gray'}
            tt="none"
            leftSection={me.twoFactorEnabled ? <IconShieldCheck size={14} aria-hidden /> : null}
          >
            {me.twoFactorEnabled ? 'On' : 'Off'}
          </Badge>
        ) : null}
      </Group>
      {step.kind === 'codes' ? (
        <Paper withBorder p="lg" radius="md">
          <RecoveryCodesPanel codes={step.codes} username={me.username} onDone={() => setStep({ kind: 'status' })} />
        </Paper>
      ) : me.twoFactorEnabled ? (
        <>
          <Text fz="sm" c="dimmed">
            Signing in asks for your password and the code from your authenticator app (or one of your recovery codes).
          </Text>
          {required ? (
            <Text fz="sm">The clinic requires two-factor sign-in for administrators, so it stays on for your account.</Text>
          ) : step.kind === 'disabling' ? (
            <DisableForm onDone={() => setStep({ kind: 'status' })} />
          ) : (
            <Group>
              <Button variant="default" color="red" onClick={() => setStep({ kind: 'disabling' })}>
                Turn off two-factor sign-in
              </Button>
            </Group>
          )}
        </>
      ) : (
        <>
          <Text fz="sm" c="dimmed">
            Protect your account with a second step: after your password, a six-digit code from an authenticator app on your phone.
          </Text>
          <TwoFactorEnrolment
            framed
            onConfirmed={(codes) => {
              setStep({ kind: 'codes', codes });
              markEnrolled(true);
            }}
          />
        </>
      )}
    </Stack>
  );
}

const disableSchema = z.object({ password: enteredPassword });

function DisableForm({ onDone }: { onDone: () => void }) {
  const disable = useProcedureMutation('auth.twoFactorDisable');
  const markEnrolled = useMarkEnrolled();
  const form = useForm<z.infer<typeof disableSchema>>({ resolver: zodResolver(disableSchema), defaultValues: { password: '' } });
  const { errors } = form.formState;
  const onSubmit = form.handleSubmit(
    async ({ password }) => {
      try {
        await disable.mutateAsync({ password });
      } catch (error) {
        applyServerFieldErrors(error, form.setError, ['password']);
        form.resetField('password', { keepError: true });
        return;
      }
      markEnrolled(false);
      notifySuccess('Two-factor sign-in is off', 'Your password alone now signs you in.');
      onDone();
    },
    () => disable.reset(),
  );
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Turn off two-factor sign-in">
      <Stack gap="sm" maw={420}>
        <Text fz="sm">Enter your password to turn off two-factor sign-in. Your recovery codes stop working too.</Text>
        <PasswordInput label="Password" autoComplete="current-password" data-autofocus {...form.register('password')} error={errors.password?.message} />
        {disable.isError && !disable.error.fields.password ? <ErrorAlert>{errorMessage(disable.error)}</ErrorAlert> : null}
        <Group gap="sm">
          <Button type="submit" color="red" loading={form.formState.isSubmitting}>
            Turn off
          </Button>
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
