import { notifications } from '@mantine/notifications';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { useLocation } from 'wouter';
import type { Me } from '../../../src-shared/contract/auth.js';
import { ApiError, call, queryKey } from '../../api/client.js';
import { setSessionNotice } from './sessionNotice.js';

/**
 * Who is signed in: a Me, or null when nobody is (auth.me answered UNAUTHENTICATED). Read the
 * session through useSession only, never through useProcedureQuery('auth.me'): they share this key.
 */
export const meKey = queryKey('auth.me', {});

async function fetchMe(): Promise<Me | null> {
  try {
    return await call('auth.me', {});
  } catch (error) {
    if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') return null;
    throw error;
  }
}

export const SESSION_ENDED = 'Your session has ended. Please sign in again.';

export function useSession() {
  const client = useQueryClient();
  return useQuery<Me | null, ApiError>({
    queryKey: meKey,
    queryFn: async () => {
      const me = await fetchMe();
      // Ended elsewhere (deactivated, password reset, expired): say why the sign-in screen is back.
      if (me === null && isSignedIn(client)) endSession(client, SESSION_ENDED);
      return me;
    },
  });
}

/**
 * The signed-in user, provided by the signed-in gate. A context rather than the query itself, so
 * a screen that re-renders in the instant between sign-out and the gate's own re-render still has
 * a user to show instead of crashing.
 */
export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe was called outside the signed-in gate');
  return me;
}

export function isSignedIn(client: QueryClient): boolean {
  return Boolean(client.getQueryData<Me | null>(meKey));
}

/** Whatever the previous user fetched goes; the store's status stays. */
function forgetUserData(client: QueryClient): void {
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'setup.status' && query.queryKey[0] !== 'auth.me' });
}

export function beginSession(client: QueryClient, me: Me): void {
  setSessionNotice(null);
  notifications.clean();
  client.setQueryData<Me | null>(meKey, me);
  forgetUserData(client);
}

export function endSession(client: QueryClient, notice: string | null = null): void {
  setSessionNotice(notice);
  // What the last user was told is not for the next one at this workstation.
  notifications.clean();
  client.setQueryData<Me | null>(meKey, null);
  // After the signed-in screens have unmounted; removed earlier, a screen still on its way out
  // would fetch its data again (and be refused).
  setTimeout(() => {
    if (!isSignedIn(client)) forgetUserData(client);
  }, 0);
}

export interface SignInInput {
  username: string;
  password: string;
  /** The authenticator's code or a recovery code, once the server has asked for it. */
  code?: string;
}

/**
 * Mutations whose refusals are about the attempt (a wrong password or code), not the session: the
 * query client must not read their UNAUTHENTICATED as "the session ended".
 */
export const ATTEMPT_META = { attempt: true } as const;

/** Queries refused while the workstation was locked are fetched again once it is open. */
function refetchRefused(client: QueryClient): void {
  void client.invalidateQueries({ predicate: (query) => query.state.status === 'error' && query.queryKey[0] !== 'auth.me' });
}

export function useSignIn() {
  const client = useQueryClient();
  const [, navigate] = useLocation();
  return useMutation<Me, ApiError, SignInInput>({
    mutationKey: ['auth.signIn'],
    meta: ATTEMPT_META,
    mutationFn: (input) => call('auth.signIn', input),
    onSuccess: (me) => {
      const previous = client.getQueryData<Me | null>(meKey);
      if (previous && previous.id === me.id) {
        // The same person again (from the lock screen): their screens and unsaved input stay.
        client.setQueryData<Me | null>(meKey, me);
        refetchRefused(client);
        return;
      }
      navigate('/', { replace: true });
      beginSession(client, me);
    },
  });
}

/**
 * Shows the lock screen now; the server is told in the background (it also locks by itself). A
 * session check already on its way is dropped first, so its older "unlocked" answer cannot lift
 * the lock screen again.
 */
export async function lockLocally(client: QueryClient): Promise<void> {
  await client.cancelQueries({ queryKey: meKey });
  client.setQueryData<Me | null>(meKey, (me) => (me && !me.locked ? { ...me, locked: true } : me));
}

export function useLock() {
  const client = useQueryClient();
  return useMutation<null, ApiError, void>({
    mutationKey: ['auth.lock'],
    onMutate: () => lockLocally(client),
    mutationFn: () => call('auth.lock', {}),
  });
}

export function useUnlock() {
  const client = useQueryClient();
  return useMutation<Me, ApiError, { password: string; code?: string }>({
    mutationKey: ['auth.unlock'],
    meta: ATTEMPT_META,
    mutationFn: (input) => call('auth.unlock', input),
    onSuccess: (me) => {
      client.setQueryData<Me | null>(meKey, me);
      refetchRefused(client);
    },
    onError: async (error) => {
      // A wrong password looks like this too; only auth.me can tell whether the session itself ended
      // (deactivated, expired, or replaced at another desk).
      if (error.code !== 'UNAUTHENTICATED' || error.fields.code) return;
      const me = await fetchMe().catch(() => undefined);
      if (me === null) endSession(client, SESSION_ENDED);
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  const [, navigate] = useLocation();
  return useMutation<null, ApiError, void>({
    mutationFn: () => call('auth.signOut', {}),
    onSuccess: () => {
      navigate('/', { replace: true });
      endSession(client);
    },
  });
}
