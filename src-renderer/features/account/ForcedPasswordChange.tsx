import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { errorMessage } from '../../api/client.js';
import { AuthLayout } from '../../ui/AuthLayout.js';
import { notifyError } from '../../ui/notify.js';
import { useMe, useSignOut } from '../auth/session.js';
import { ChangePasswordForm } from './ChangePasswordForm.js';

/** Nothing else until the temporary password an administrator set is replaced. */
export function ForcedPasswordChange({ clinicName }: { clinicName: string | null }) {
  useDocumentTitle('Choose a new password · Asclepia');
  const me = useMe();
  const signOut = useSignOut();
  return (
    <AuthLayout clinicName={clinicName} width={480}>
      <Stack>
        <div>
          <Title order={1} fz="h2">
            Choose a new password
          </Title>
          <Text mt={4}>{me.displayName}, your password was set by an administrator. Choose your own password before you continue; only you will know it.</Text>
        </div>
        <ChangePasswordForm autoFocus submitLabel="Save new password" />
        <Group justify="flex-end">
          <Button
            variant="subtle"
            color="gray"
            loading={signOut.isPending}
            onClick={() => signOut.mutate(undefined, { onError: (error) => notifyError('Not signed out', errorMessage(error)) })}
          >
            Sign out
          </Button>
        </Group>
      </Stack>
    </AuthLayout>
  );
}
