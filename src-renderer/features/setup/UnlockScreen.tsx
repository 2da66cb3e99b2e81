import { Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { errorMessage, queryKey } from '../../api/client.js';
import { useProcedureMutation } from '../../api/hooks.js';
import { AuthLayout } from '../../ui/AuthLayout.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';

type Method = 'passphrase' | 'recovery_key';

/**
 * The store is locked: this computer's key store cannot open it by itself, so a person types the
 * passphrase (or, if it is lost, the recovery key). Then the sign-in screen follows.
 */
export function UnlockScreen({ clinicName }: { clinicName: string | null }) {
  useDocumentTitle('Unlock · Asclepia');
  const [method, setMethod] = useState<Method>('passphrase');
  const [secret, setSecret] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const unlock = useProcedureMutation('setup.unlock');
  const queryClient = useQueryClient();

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  const switchMethod = (next: Method) => {
    setMethod(next);
    setSecret('');
    setFieldError(null);
    unlock.reset();
    // The input is replaced; focus the new one once it is on screen.
    requestAnimationFrame(() => inputRef.current?.focus());
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (secret.trim() === '') {
      setFieldError(method === 'passphrase' ? 'Enter the passphrase' : 'Enter the recovery key');
      inputRef.current?.focus();
      return;
    }
    setFieldError(null);
    unlock.mutate(
      { method, secret },
      {
        onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKey('setup.status') }),
        onError: (error) => {
          setFieldError(error.fields.secret ?? null);
          inputRef.current?.focus();
        },
      },
    );
  };

  const serverMessage = unlock.isError && !unlock.error.fields.secret ? errorMessage(unlock.error) : null;

  return (
    <AuthLayout clinicName={clinicName}>
      <form onSubmit={onSubmit} noValidate aria-labelledby="unlock-title">
        <Stack>
          <div>
            <Title order={1} id="unlock-title" fz="h2">
              Unlock the clinic database
            </Title>
            <Text c="dimmed" mt={4}>
              {method === 'passphrase'
                ? 'This computer cannot open the clinic database by itself. Enter the database passphrase chosen when the clinic was set up.'
                : 'Enter the recovery key written down when the clinic was set up. Dashes and spaces do not matter.'}
            </Text>
          </div>
          {method === 'passphrase' ? (
            <PasswordInput
              key="passphrase"
              ref={inputRef}
              label="Passphrase"
              autoComplete="current-password"
              value={secret}
              onChange={(event) => setSecret(event.currentTarget.value)}
              error={fieldError}
            />
          ) : (
            <TextInput
              key="recovery"
              ref={inputRef}
              label="Recovery key"
              placeholder="XXXXX-XXXXX-XXXXX-XXXXX-XXXXX"
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              ff="monospace"
              value={secret}
              onChange={(event) => setSecret(event.currentTarget.value)}
              error={fieldError}
            />
          )}
          {serverMessage ? <ErrorAlert>{serverMessage}</ErrorAlert> : null}
          <Button type="submit" loading={unlock.isPending}>
            Unlock
          </Button>
          <Anchor component="button" type="button" fz="sm" onClick={() => switchMethod(method === 'passphrase' ? 'recovery_key' : 'passphrase')}>
            {method === 'passphrase' ? 'Use the recovery key' : 'Use the passphrase'}
          </Anchor>
        </Stack>
      </form>
    </AuthLayout>
  );
}
