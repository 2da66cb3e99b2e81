import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { contract } from '../../../src-shared/contract/index.js';
import { ApiError, errorMessage } from '../../api/client.js';
import { AuthLayout } from '../../ui/AuthLayout.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { applyServerFieldErrors } from '../../ui/serverErrors.js';
import { useSignIn } from './session.js';
import { useSessionNotice } from './sessionNotice.js';

/** The contract's input, with the code field empty until the server asks for it. */
const signInSchema = contract['auth.signIn'].input.extend({ code: z.string().trim().max(20, 'That code is too long') });

export function SignInScreen({ clinicName }: { clinicName: string | null }) {
  useDocumentTitle('Sign in · Asclepia');
  const notice = useSessionNotice();
  const signIn = useSignIn();
  /** Set once the server answers that this account needs its second factor. */
  const [askCode, setAskCode] = useState(false);
  const form = useForm<z.input<typeof signInSchema>, unknown, z.output<typeof signInSchema>>({
    resolver: zodResolver(signInSchema),
    defaultValues: { username: '', password: '', code: '' },
  });
  const { errors } = form.formState;
  const { setFocus } = form;
  useEffect(() => setFocus('username'), [setFocus]);

  const onSubmit = form.handleSubmit(
    async (values) => {
      try {
        await signIn.mutateAsync({ username: values.username, password: values.password, code: askCode && values.code ? values.code : undefined });
      } catch (error) {
        if (error instanceof ApiError && error.fields.code) {
          // Password accepted; now the authenticator's code (or a recovery code). Keep what was typed.
          setAskCode(true);
          form.resetField('code');
          // Refused code: say so at the field. No code yet: the prompt above the field says what to enter.
          if (values.code) form.setError('code', { type: 'server', message: error.fields.code });
          setTimeout(() => setFocus('code'), 0);
          return;
        }
        applyServerFieldErrors(error, form.setError, ['username', 'password']);
        form.resetField('password', { keepError: true });
        form.resetField('code');
        setAskCode(false);
        setFocus('password');
      }
    },
    () => signIn.reset(),
  );
  const showAlert = signIn.isError && !signIn.error.fields.code;
  const codePrompt = signIn.isError && signIn.error.fields.code && !errors.code ? signIn.error.message : null;

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
          {codePrompt ? (
            <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />} role="status">
              {codePrompt}
            </Alert>
          ) : null}
          {askCode ? (
            <TextInput
              label="Authentication code"
              description="Six digits from the app, or a recovery code"
              autoComplete="one-time-code"
              autoCapitalize="none"
              spellCheck={false}
              {...form.register('code')}
              error={errors.code?.message}
            />
          ) : null}
          {showAlert ? <ErrorAlert>{errorMessage(signIn.error)}</ErrorAlert> : null}
          <Button type="submit" loading={form.formState.isSubmitting}>
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
