import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/client.js';
import { endSession, isSignedIn, lockLocally, SESSION_ENDED } from './features/auth/session.js';

/** Refusals are answers, not glitches: only INTERNAL (a crash, or the server not answering) is worth trying again. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.code !== 'INTERNAL') return false;
  return failureCount < 2;
}

/** The server locked this workstation (idleness, the system's screen lock, or another window's "Lock now"). */
export function isLockedRefusal(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'UNAUTHENTICATED' && error.fields._ === 'locked';
}

export function createQueryClient(): QueryClient {
  // A call refused as UNAUTHENTICATED while someone is signed in means the session ended
  // (expired, or signed out elsewhere): drop everything it fetched and show the sign-in screen.
  // Refused because the workstation is locked, it shows the lock screen over the open screens instead.
  const onError = (error: unknown) => {
    if (!(error instanceof ApiError) || error.code !== 'UNAUTHENTICATED' || !isSignedIn(client)) return;
    if (isLockedRefusal(error)) void lockLocally(client);
    else endSession(client, SESSION_ENDED);
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _result, mutation) => {
        // A wrong password at the lock screen is the attempt's failure, not the session's.
        if (mutation.meta?.attempt && !isLockedRefusal(error)) return;
        onError(error);
      },
    }),
    defaultOptions: {
      queries: { staleTime: Number.POSITIVE_INFINITY, retry: shouldRetry, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
  return client;
}
