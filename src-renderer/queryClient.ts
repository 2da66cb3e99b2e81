import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/client.js';
import { endSession, isSignedIn } from './features/auth/session.js';

/** Refusals are answers, not glitches: only INTERNAL (a crash, or the server not answering) is worth trying again. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.code !== 'INTERNAL') return false;
  return failureCount < 2;
}

const SESSION_ENDED = 'Your session has ended. Please sign in again.';

export function createQueryClient(): QueryClient {
  // A call refused as UNAUTHENTICATED while someone is signed in means the session ended
  // (expired, or signed out elsewhere): drop everything it fetched and show the sign-in screen.
  const onError = (error: unknown) => {
    if (error instanceof ApiError && error.code === 'UNAUTHENTICATED' && isSignedIn(client)) endSession(client, SESSION_ENDED);
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: { staleTime: Number.POSITIVE_INFINITY, retry: shouldRetry, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
  return client;
}
