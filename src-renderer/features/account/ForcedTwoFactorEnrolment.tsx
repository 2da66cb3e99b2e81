import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { errorMessage } from '../../api/client.js';
import { AuthLayout } from '../../ui/AuthLayout.js';
import { notifyError } from '../../ui/notify.js';
import { useMe, useSignOut } from '../auth/session.js';
import { RecoveryCodesPanel, TwoFactorEnrolment } from './TwoFactorEnrolment.js';

function SignOutButton() {
  const signOut = useSignOut();
  return (
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
  );
}

/** Nothing else until an administrator required by the clinic to use two-factor sign-in has enrolled. */
export function ForcedTwoFactorEnrolment({ clinicName, onConfirmed }: { clinicName: string | null; onConfirmed: (codes: string[]) => void }) {
  useDocumentTitle('Set up two-factor sign-in · Asclepia');
  const me = useMe();
  return (
    <AuthLayout clinicName={clinicName} width={720}>
      <Stack>
        <div>
          <Title order={1} fz="h2">
            Set up two-factor sign-in
          </Title>
          <Text mt={4}>
            {me.displayName}, the clinic requires administrators to sign in with a second step: a six-digit code from an authenticator app on your phone. Set it
            up now to continue.
          </Text>
        </div>
        <TwoFactorEnrolment onConfirmed={onConfirmed} />
        <SignOutButton />
      </Stack>
    </AuthLayout>
  );
}

/** The codes from a forced enrolment, held above the session gate so the refreshed session does not hide them. */
export function ForcedRecoveryCodes({ clinicName, codes, onDone }: { clinicName: string | null; codes: string[]; onDone: () => void }) {
  useDocumentTitle('Recovery codes · Asclepia');
  const me = useMe();
  return (
    <AuthLayout clinicName={clinicName} width={640}>
      <RecoveryCodesPanel codes={codes} username={me.username} onDone={onDone} headingOrder={1} />
    </AuthLayout>
  );
}
