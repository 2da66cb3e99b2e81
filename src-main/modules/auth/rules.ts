/** A session ends twelve hours after sign-in however busy it was: a shift, not a standing key. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

export function sessionExpiry(signedInAt: Date): string {
  return new Date(signedInAt.getTime() + SESSION_LIFETIME_MS).toISOString();
}

export function isSessionLive(session: { ended_at: string | null; expires_at: string }, nowIso: string): boolean {
  return session.ended_at === null && session.expires_at > nowIso;
}

/** The same words for an unknown username and a wrong password, so neither is confirmed. */
export const SIGN_IN_REFUSED = 'That username and password do not match an active account.';
