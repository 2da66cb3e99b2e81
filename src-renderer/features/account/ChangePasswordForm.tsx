import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { Me } from '../../../src-shared/contract/auth.js';
import { enteredPassword, newPassword } from '../../../src-shared/schemas/user.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureMutation } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifySuccess } from '../../ui/notify.js';
import { applyServerFieldErrors } from '../../ui/serverErrors.js';
import { meKey } from '../auth/session.js';

const changePasswordSchema = z.object({ currentPassword: enteredPassword, newPassword, confirmPassword: z.string() }).superRefine((values, ctx) => {
  if (values.newPassword !== values.confirmPassword) {
    ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'The two new passwords are not the same' });
  }
});
type Values = z.infer<typeof changePasswordSchema>;

export function ChangePasswordForm({ autoFocus = false, submitLabel = 'Change password' }: { autoFocus?: boolean; submitLabel?: string }) {
  const queryClient = useQueryClient();
  const changePassword = useProcedureMutation('auth.changePassword');
  const form = useForm<Values>({
    resolver: zodResolver(changePasswordSchema),
    defaultValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
  });
  const { errors } = form.formState;
  const { setFocus } = form;
  useEffect(() => {
    if (autoFocus) setFocus('currentPassword');
  }, [autoFocus, setFocus]);

  const onSubmit = form.handleSubmit(
    async (values) => {
      try {
        await changePassword.mutateAsync({ currentPassword: values.currentPassword, newPassword: values.newPassword });
      } catch (error) {
        applyServerFieldErrors(error, form.setError, ['currentPassword', 'newPassword']);
        return;
      }
      form.reset();
      notifySuccess('Password changed', 'Use your new password the next time you sign in.');
      // The server cleared must-change-password; say so now, then confirm with a fresh auth.me.
      queryClient.setQueryData<Me | null>(meKey, (me) => (me ? { ...me, mustChangePassword: false } : me));
      void queryClient.invalidateQueries({ queryKey: meKey });
    },
    () => changePassword.reset(),
  );

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Change password">
      <Stack gap="sm" maw={420}>
        <PasswordInput label="Current password" autoComplete="current-password" {...form.register('currentPassword')} error={errors.currentPassword?.message} />
        <PasswordInput
          label="New password"
          description="At least 10 characters. A few unrelated words make a strong, memorable password."
          autoComplete="new-password"
          {...form.register('newPassword')}
          error={errors.newPassword?.message}
        />
        <PasswordInput label="Confirm password" autoComplete="new-password" {...form.register('confirmPassword')} error={errors.confirmPassword?.message} />
        {changePassword.isError ? <ErrorAlert>{errorMessage(changePassword.error)}</ErrorAlert> : null}
        <Group>
          <Button type="submit" loading={form.formState.isSubmitting}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
