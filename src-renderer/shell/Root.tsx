import { Button, Stack, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import type { Me } from '../../src-shared/contract/auth.js';
import { errorMessage } from '../api/client.js';
import { useProcedureQuery } from '../api/hooks.js';
import { ForcedPasswordChange } from '../features/account/ForcedPasswordChange.js';
import { ForcedRecoveryCodes, ForcedTwoFactorEnrolment } from '../features/account/ForcedTwoFactorEnrolment.js';
import { useMarkEnrolled } from '../features/account/TwoFactorSection.js';
import { SignInScreen } from '../features/auth/SignInScreen.js';
import { MeContext, meKey, useLock, useSession } from '../features/auth/session.js';
import { LockScreen } from '../features/lock/LockScreen.js';
import { useIdleLock } from '../features/lock/useIdleLock.js';
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
  const queryClient = useQueryClient();
  const markEnrolled = useMarkEnrolled();
  // Held here, above the account checks: once enrolment is confirmed the refreshed session no longer
  // asks for it, and the recovery codes must stay on screen until the user says they kept them.
  const [forcedCodes, setForcedCodes] = useState<{ userId: string; codes: string[] } | null>(null);
  const me = session.data;
  useEffect(() => {
    if (forcedCodes && me?.id !== forcedCodes.userId) setForcedCodes(null);
  }, [forcedCodes, me?.id]);

  if (session.isPending) return <LoadingScreen />;
  if (session.isError) return <StartupError error={session.error} onRetry={() => void session.refetch()} retrying={session.isFetching} />;
  if (!me) return <SignInScreen clinicName={clinicName} />;

  let screen: ReactNode;
  if (forcedCodes?.userId === me.id) {
    screen = <ForcedRecoveryCodes clinicName={clinicName} codes={forcedCodes.codes} onDone={() => setForcedCodes(null)} />;
  } else if (me.mustChangePassword) {
    screen = <ForcedPasswordChange clinicName={clinicName} />;
  } else if (me.mustEnrollTwoFactor) {
    screen = (
      <ForcedTwoFactorEnrolment
        clinicName={clinicName}
        onConfirmed={(codes) => {
          setForcedCodes({ userId: me.id, codes });
          markEnrolled(true);
        }}
      />
    );
  } else {
    // Keyed by user: another user signing in from the lock screen gets a fresh app, never the
    // previous user's screens or unsaved input. The same user unlocking keeps everything.
    screen = <SignedInApp key={me.id} />;
  }
  return (
    <MeContext value={me}>
      <IdleLock me={me} onActive={() => void queryClient.invalidateQueries({ queryKey: meKey })} />
      {screen}
      {me.locked ? <LockScreen me={me} clinicName={clinicName} /> : null}
    </MeContext>
  );
}

/** Locks the workstation after the clinic's idle time without keyboard, pointer or touch input. */
function IdleLock({ me, onActive }: { me: Me; onActive: () => void }) {
  const lock = useLock();
  useIdleLock({ minutes: me.idleLockMinutes, paused: me.locked, onIdle: () => lock.mutate(), onActive });
  return null;
}
