import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconInfoCircle } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { contract } from '../../../src-shared/contract/index.js';
import { errorMessage } from '../../api/client.js';
import { AuthLayout } from '../../ui/AuthLayout.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { applyServerFieldErrors } from '../../ui/serverErrors.js';
import { useSignIn } from './session.js';
import { useSessionNotice } from './sessionNotice.js';

const signInSchema = contract['auth.signIn'].input;

export function SignInScreen({ clinicName }: { clinicName: string | null }) {
  useDocumentTitle('Sign in · Asclepia');
  const notice = useSessionNotice();
  const signIn = useSignIn();
  const form = useForm<z.input<typeof signInSchema>, unknown, z.output<typeof signInSchema>>({
    resolver: zodResolver(signInSchema),
    defaultValues: { username: '', password: '' },
  });
  const { errors } = form.formState;
  const { setFocus } = form;
  useEffect(() => setFocus('username'), [setFocus]);

  const onSubmit = form.handleSubmit(
    async (values) => {
      try {
        await signIn.mutateAsync(values);
      } catch (error) {
        applyServerFieldErrors(error, form.setError, ['username', 'password']);
        form.resetField('password', { keepError: true });
        setFocus('password');
      }
    },
    () => signIn.reset(),
  );

  return (
    <AuthLayout clinicName={clinicName}>
      <form onSubmit={onSubmit} noValidate aria-labelledby="sign-in-title">
        <Stack>
          <div>
            <Title order={1} id="sign-in-title" fz="h2">
              Sign in
            </Title>
            <Text c="dimmed" mt={4}>
              Use the username and password your administrator gave you.
            </Text>
          </div>
          {notice && !signIn.isError ? (
            <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />} role="status">
              {notice}
            </Alert>
          ) : null}
          <TextInput
            label="Username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            {...form.register('username')}
            error={errors.username?.message}
          />
          <PasswordInput label="Password" autoComplete="current-password" {...form.register('password')} error={errors.password?.message} />
          {signIn.isError ? <ErrorAlert>{errorMessage(signIn.error)}</ErrorAlert> : null}
          <Button type="submit" loading={form.formState.isSubmitting}>
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
