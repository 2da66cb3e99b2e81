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

export function useSession() {
  return useQuery<Me | null, ApiError>({ queryKey: meKey, queryFn: fetchMe });
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

export function useSignIn() {
  const client = useQueryClient();
  const [, navigate] = useLocation();
  return useMutation<Me, ApiError, { username: string; password: string }>({
    mutationFn: (input) => call('auth.signIn', input),
    onSuccess: (me) => {
      navigate('/', { replace: true });
      beginSession(client, me);
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
