import { randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

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

/** At the lock screen nobody typed a username, so the refusal speaks only of the password. */
export const UNLOCK_REFUSED = 'That password is not correct. Try again, or sign in as someone else.';

/**
 * Sign-in throttling, per attempted username (known or not, so refusals look alike):
 * the first few failures cost nothing, then each waits twice as long, and the tenth locks the
 * username for fifteen minutes or until an administrator unlocks it.
 */
export const FREE_FAILURES = 4;
export const LOCK_AFTER_FAILURES = 10;
export const LOCK_MINUTES = 15;

export interface ThrottleState {
  failures: number;
  lastFailureAt: string | null;
  lockedUntil: string | null;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; reason: 'wait' | 'locked'; retryAfterSeconds: number };

export function throttleDelaySeconds(failures: number): number {
  return failures <= FREE_FAILURES ? 0 : 2 ** (failures - FREE_FAILURES - 1);
}

export function checkThrottle(state: ThrottleState | undefined, now: Date): ThrottleVerdict {
  if (!state) return { allowed: true };
  const at = now.getTime();
  if (state.lockedUntil) {
    const until = Date.parse(state.lockedUntil);
    if (until > at) return { allowed: false, reason: 'locked', retryAfterSeconds: Math.ceil((until - at) / 1000) };
    return { allowed: true };
  }
  const delay = throttleDelaySeconds(state.failures);
  if (delay > 0 && state.lastFailureAt) {
    const next = Date.parse(state.lastFailureAt) + delay * 1000;
    if (next > at) return { allowed: false, reason: 'wait', retryAfterSeconds: Math.ceil((next - at) / 1000) };
  }
  return { allowed: true };
}

/** An expired lock starts the count again rather than locking at the next mistake. */
export function afterFailure(state: ThrottleState | undefined, now: Date): ThrottleState {
  const lockExpired = state?.lockedUntil != null && Date.parse(state.lockedUntil) <= now.getTime();
  const failures = (lockExpired ? 0 : (state?.failures ?? 0)) + 1;
  return {
    failures,
    lastFailureAt: now.toISOString(),
    lockedUntil: failures >= LOCK_AFTER_FAILURES ? new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString() : null,
  };
}

export function throttleMessage(verdict: Extract<ThrottleVerdict, { allowed: false }>): string {
  if (verdict.reason === 'locked') {
    const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
    return `This account is locked after too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an administrator to unlock it.`;
  }
  return `Too many failed sign-ins. Wait ${verdict.retryAfterSeconds} second${verdict.retryAfterSeconds === 1 ? '' : 's'} before trying again.`;
}

/** Idle lock: the workstation locks after this many minutes without a request (a clinic setting). */
export const DEFAULT_IDLE_LOCK_MINUTES = 10;

export function isIdle(lastActiveAt: string, now: Date, idleMinutes: number): boolean {
  return now.getTime() - Date.parse(lastActiveAt) >= idleMinutes * 60_000;
}

/** Activity is written at most this often, so reads do not turn into a write per call. */
export const ACTIVITY_WRITE_INTERVAL_MS = 15_000;

/** Procedures a locked workstation still answers: open it again, or hand it to the next user. */
export const OPEN_WHILE_LOCKED: ReadonlySet<string> = new Set(['auth.me', 'auth.unlock', 'auth.signIn', 'auth.signOut']);

/**
 * Until a user has replaced a temporary password (or enrolled in two-factor sign-in where the
 * clinic requires it), their session can do nothing but that.
 */
export const OPEN_BEFORE_ACCOUNT_READY: ReadonlySet<string> = new Set([
  'auth.me',
  'auth.signIn',
  'auth.signOut',
  'auth.lock',
  'auth.unlock',
  'auth.changePassword',
  'auth.twoFactorBegin',
  'auth.twoFactorConfirm',
  'settings.get',
  'settings.getSecurity',
]);

export function mustEnrollTwoFactor(policy: { requireTwoFactorForAdmins: boolean }, permissions: Iterable<string>, enrolled: boolean): boolean {
  return policy.requireTwoFactorForAdmins && !enrolled && [...permissions].includes('users.manage');
}

/** RFC 6238 as authenticator apps expect it: SHA-1, six digits, 30 seconds; one step of drift either way. */
export const TOTP_OPTIONS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
export const TOTP_WINDOW = 1;

/** The time step a code belongs to, if it is valid now and newer than the last one used (no replay). */
export function acceptedTotpStep(secretBase32: string, code: string, now: Date, lastStep: number | null): number | null {
  const totp = new TOTP({ ...TOTP_OPTIONS, secret: Secret.fromBase32(secretBase32) });
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: TOTP_WINDOW });
  if (delta === null) return null;
  const step = Math.floor(now.getTime() / 1000 / TOTP_OPTIONS.period) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function otpauthUri(secretBase32: string, username: string, clinicName: string): string {
  return new TOTP({ ...TOTP_OPTIONS, issuer: `Asclepia (${clinicName})`, label: username, secret: Secret.fromBase32(secretBase32) }).toString();
}

export function isTotpCode(code: string): boolean {
  return /^\d{6}$/.test(code);
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const RECOVERY_CODE_COUNT = 10;

/** Ten codes of ten characters (xxxxx-xxxxx), each good for one sign-in. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** People type codes with spaces, dashes and capitals; the stored hash is of the bare lower-case code. */
export function normalizeRecoveryCode(typed: string): string {
  return typed.toLowerCase().replace(/[\s-]/g, '');
}
