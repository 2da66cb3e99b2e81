import { useSyncExternalStore } from 'react';

/** Why the sign-in screen is showing again (for example, the session expired); null when there is nothing to say. */
let notice: string | null = null;
const listeners = new Set<() => void>();

export function setSessionNotice(next: string | null): void {
  if (next === notice) return;
  notice = next;
  for (const listener of listeners) listener();
}

export function useSessionNotice(): string | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => notice,
  );
}
