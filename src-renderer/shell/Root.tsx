import { Button, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../api/client.js';
import { useProcedureQuery } from '../api/hooks.js';
import { ForcedPasswordChange } from '../features/account/ForcedPasswordChange.js';
import { SignInScreen } from '../features/auth/SignInScreen.js';
import { MeContext, useSession } from '../features/auth/session.js';
import { RecoveryKeyScreen } from '../features/setup/RecoveryKeyScreen.js';
import { type CreatedClinic, SetupScreen } from '../features/setup/SetupScreen.js';
import { UnlockScreen } from '../features/setup/UnlockScreen.js';
import { AuthLayout } from '../ui/AuthLayout.js';
import { ErrorAlert } from '../ui/ErrorAlert.js';
import { LoadingScreen } from '../ui/LoadingScreen.js';
import { SignedInApp } from './SignedInApp.js';

function StartupError({ error, onRetry, retrying }: { error: unknown; onRetry: () => void; retrying: boolean }) {
  return (
    <AuthLayout>
      <Stack>
        <Title order={1} fz="h3">
          Asclepia cannot start
        </Title>
        <ErrorAlert>{errorMessage(error)}</ErrorAlert>
        <Button onClick={onRetry} loading={retrying}>
          Try again
        </Button>
      </Stack>
    </AuthLayout>
  );
}

/** setup.status decides the first screen: first-run setup, unlock, or the signed-in gate. */
export function Root() {
  const status = useProcedureQuery('setup.status', {});
  // Held here, above the status switch, so the recovery key stays on screen once the store is ready.
  const [created, setCreated] = useState<CreatedClinic | null>(null);

  if (created) return <RecoveryKeyScreen created={created} onDone={() => setCreated(null)} />;
  if (status.isPending) return <LoadingScreen label="Opening Asclepia…" />;
  if (status.isError) return <StartupError error={status.error} onRetry={() => void status.refetch()} retrying={status.isFetching} />;

  switch (status.data.state) {
    case 'needs_setup':
      return <SetupScreen passphraseRequired={status.data.passphraseRequired} onCreated={setCreated} />;
    case 'locked':
      return <UnlockScreen clinicName={status.data.clinicName} />;
    case 'ready':
      return <SessionGate clinicName={status.data.clinicName} />;
  }
}

function SessionGate({ clinicName }: { clinicName: string | null }) {
  const session = useSession();
  if (session.isPending) return <LoadingScreen />;
  if (session.isError) return <StartupError error={session.error} onRetry={() => void session.refetch()} retrying={session.isFetching} />;
  if (!session.data) return <SignInScreen clinicName={clinicName} />;
  return <MeContext value={session.data}>{session.data.mustChangePassword ? <ForcedPasswordChange clinicName={clinicName} /> : <SignedInApp />}</MeContext>;
}
