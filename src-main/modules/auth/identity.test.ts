import { Secret, TOTP } from 'otpauth';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Me } from '../../../src-shared/contract/auth.js';
import type { UserSummary } from '../../../src-shared/contract/users.js';
import { sha256Hex } from '../../core/crypto.js';
import type { CallerContext, CallResult } from '../../core/router.js';
import {
  cleanupTempDirs,
  codeOf,
  DEMO_PASSWORD,
  type DemoClinic,
  errorOf,
  expectOk,
  HOUR,
  MINUTE,
  openDemoClinic,
  signedOut,
  WORKSTATION,
} from '../../testing/harness.js';
import { SIGN_IN_REFUSED, UNLOCK_REFUSED } from './rules.js';

afterAll(cleanupTempDirs);

let clinic: DemoClinic;
beforeEach(async () => {
  clinic = await openDemoClinic();
});
afterEach(() => clinic.dispose());

const SECOND = 1000;
const GOOD_PASSWORD = 'correct horse battery staple';

const sqlite = () => clinic.core.store.sqlite;
const userId = (username: string) => sqlite().prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as string;
const throttleOf = (username: string) =>
  sqlite().prepare('SELECT failures, locked_until FROM sign_in_throttle WHERE username = ?').get(username) as
    | { failures: number; locked_until: string | null }
    | undefined;
const sessionRow = (caller: CallerContext) =>
  sqlite()
    .prepare('SELECT ended_at, end_reason, locked_at FROM sessions WHERE id = ?')
    .get(sha256Hex(caller.sessionToken ?? '')) as { ended_at: string | null; end_reason: string | null; locked_at: string | null };
const passwordHash = (username: string) => sqlite().prepare('SELECT password_hash FROM users WHERE username = ?').pluck().get(username) as string;
const maxSeq = () => sqlite().prepare('SELECT max(seq) FROM audit_log').pluck().get() as number;
interface AuditLine {
  procedure: string;
  outcome: string;
  user_id: string | null;
  entity_id: string | null;
  details: string;
}
const auditSince = (seq: number) =>
  sqlite().prepare('SELECT procedure, outcome, user_id, entity_id, details FROM audit_log WHERE seq > ? ORDER BY seq').all(seq) as AuditLine[];

function signIn(username: string, password: string, extra: { code?: string; caller?: CallerContext } = {}): Promise<CallResult> {
  const input = extra.code === undefined ? { username, password } : { username, password, code: extra.code };
  return clinic.call('auth.signIn', input, extra.caller ?? signedOut);
}

function callerOf(result: CallResult, workstation = WORKSTATION): CallerContext {
  expectOk(result);
  if (result.session?.kind !== 'started') throw new Error('no session started');
  return { sessionToken: result.session.token, workstation };
}

const me = async (caller: CallerContext) => expectOk(await clinic.call('auth.me', {}, caller)) as Me;

async function setSecurity(admin: CallerContext, policy: { idleLockMinutes?: number; requireTwoFactorForAdmins?: boolean }): Promise<void> {
  const current = expectOk(await clinic.call('settings.getSecurity', {}, admin)) as Record<string, unknown>;
  expectOk(await clinic.call('settings.updateSecurity', { ...current, ...policy }, admin));
}

function totpCode(secret: string, at: Date): string {
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: at.getTime() });
}

const LOCKED_MESSAGE = 'This account is locked after too many failed sign-ins. Try again in 15 minutes, or ask an administrator to unlock it.';

/** Fails ten times in a row, waiting each throttle delay out on the fake clock; checks the waits on the way. */
async function failUntilLocked(username: string): Promise<void> {
  for (let failure = 1; failure <= 10; failure += 1) {
    expect(errorOf(await signIn(username, `wrong password ${failure}`))).toEqual({ code: 'UNAUTHENTICATED', message: SIGN_IN_REFUSED });
    const wait = failure <= 4 ? 0 : 2 ** (failure - 5);
    if (failure < 10) expect(throttleOf(username)).toEqual({ failures: failure, locked_until: null });
    if (wait > 0 && failure < 10) {
      // Too early, even with the right password: refused with the wait, and not counted.
      const early = errorOf(await signIn(username, DEMO_PASSWORD));
      expect(early).toEqual({
        code: 'UNAUTHENTICATED',
        message: `Too many failed sign-ins. Wait ${wait} second${wait === 1 ? '' : 's'} before trying again.`,
      });
      clinic.clock.advance(wait * SECOND - 1);
      expect(errorOf(await signIn(username, DEMO_PASSWORD)).message).toContain('Wait 1 second ');
      expect(throttleOf(username)?.failures).toBe(failure);
      clinic.clock.advance(1);
    }
  }
}

describe('refused sign-ins and the throttle', () => {
  it('gives an unknown user and a wrong password the same answer', async () => {
    const wrongPassword = await signIn('nurse', 'not the password');
    const unknownUser = await signIn('nobody-here', DEMO_PASSWORD);
    expect(wrongPassword).toEqual({ envelope: { ok: false, error: { code: 'UNAUTHENTICATED', message: SIGN_IN_REFUSED } } });
    expect(unknownUser).toEqual(wrongPassword);
  });

  it('counts each failure though the call fails, and audits each as denied', async () => {
    const seq = maxSeq();
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect(errorOf(await signIn('nurse', `wrong password ${attempt}`)).message).toBe(SIGN_IN_REFUSED);
      expect(throttleOf('nurse')).toEqual({ failures: attempt, locked_until: null });
    }
    expect(errorOf(await signIn('nobody-here', 'whatever')).message).toBe(SIGN_IN_REFUSED);
    expect(throttleOf('nobody-here')).toEqual({ failures: 1, locked_until: null });
    const rows = auditSince(seq);
    expect(rows).toHaveLength(4);
    for (const row of rows.slice(0, 3)) {
      expect(row).toMatchObject({ procedure: 'auth.signIn', outcome: 'denied', user_id: null, entity_id: userId('nurse') });
      expect(JSON.parse(row.details)).toEqual({ code: 'UNAUTHENTICATED' });
    }
    expect(rows[3]).toMatchObject({ procedure: 'auth.signIn', outcome: 'denied', user_id: null, entity_id: null });
    // Nothing else was written by the refusals: no session began.
    expect(sqlite().prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(0);
  });

  it.each([
    ['an existing user', 'nurse'],
    ['an unknown username', 'nobody-here'],
  ])('makes %s wait 1, 2, 4, 8, 16 s after the 5th to 9th failures and locks at the 10th for 15 minutes', async (_what, username) => {
    const seq = maxSeq();
    await failUntilLocked(username);
    const throttle = throttleOf(username);
    expect(throttle?.failures).toBe(10);
    expect(throttle?.locked_until).toBe(new Date(clinic.clock.now().getTime() + 15 * MINUTE).toISOString());
    // Locked: even the right password is refused, with the lock's words, for known and unknown names alike.
    expect(errorOf(await signIn(username, DEMO_PASSWORD))).toEqual({ code: 'UNAUTHENTICATED', message: LOCKED_MESSAGE });
    clinic.clock.advance(15 * MINUTE - SECOND);
    expect(errorOf(await signIn(username, DEMO_PASSWORD)).message).toContain('Try again in 1 minute,');
    // Every attempt, counted or refused early, left a denied audit row.
    const rows = auditSince(seq);
    expect(rows.length).toBe(10 + 2 * 5 + 2);
    expect(rows.every((row) => row.procedure === 'auth.signIn' && row.outcome === 'denied')).toBe(true);
    clinic.clock.advance(SECOND);
    if (username === 'nurse') {
      expectOk(await signIn('nurse', DEMO_PASSWORD));
      expect(throttleOf('nurse')).toBeUndefined();
    } else {
      // The lock expired: the count starts again rather than locking at the next mistake.
      expect(errorOf(await signIn(username, 'again wrong')).message).toBe(SIGN_IN_REFUSED);
      expect(throttleOf(username)).toEqual({ failures: 1, locked_until: null });
    }
  });

  it('after an expired lock, a new mistake starts the count at one', async () => {
    await failUntilLocked('nurse');
    clinic.clock.advance(15 * MINUTE);
    expect(errorOf(await signIn('nurse', 'still wrong')).message).toBe(SIGN_IN_REFUSED);
    expect(throttleOf('nurse')).toEqual({ failures: 1, locked_until: null });
    expectOk(await signIn('nurse', DEMO_PASSWORD));
  });

  it('shows the lock to administrators, and users.unlock lifts it at once', async () => {
    const admin = await clinic.signInAs('admin');
    await failUntilLocked('nurse');
    const listed = expectOk(await clinic.call('users.list', { search: 'nurse' }, admin)) as UserSummary[];
    expect(listed).toHaveLength(1);
    expect(listed[0]?.lockedUntil).toBe(throttleOf('nurse')?.locked_until);
    expect(codeOf(await signIn('nurse', DEMO_PASSWORD))).toBe('UNAUTHENTICATED');

    const seq = maxSeq();
    const unlocked = expectOk(await clinic.call('users.unlock', { id: userId('nurse') }, admin)) as UserSummary;
    expect(unlocked).toMatchObject({ username: 'nurse', lockedUntil: null });
    expect(auditSince(seq)).toEqual([
      expect.objectContaining({ procedure: 'users.unlock', outcome: 'ok', user_id: userId('admin'), entity_id: userId('nurse') }),
    ]);
    expect(throttleOf('nurse')).toBeUndefined();
    expectOk(await signIn('nurse', DEMO_PASSWORD));
  });

  it('clears the count at a successful sign-in', async () => {
    for (let failure = 1; failure <= 6; failure += 1) {
      await signIn('doctor', 'wrong password');
      clinic.clock.advance(2 * SECOND);
    }
    expect(throttleOf('doctor')?.failures).toBe(6);
    expectOk(await signIn('doctor', DEMO_PASSWORD));
    expect(throttleOf('doctor')).toBeUndefined();
    // The next four mistakes are free again: no wait between them.
    for (let failure = 1; failure <= 5; failure += 1) expect(errorOf(await signIn('doctor', 'wrong password')).message).toBe(SIGN_IN_REFUSED);
    expect(throttleOf('doctor')?.failures).toBe(5);
  });
});

describe('auth.changePassword', () => {
  it('refuses a common password, in any case, and changes nothing', async () => {
    const nurse = await clinic.signInAs('nurse');
    const before = passwordHash('nurse');
    for (const newPassword of ['password1234', 'PassWord1234']) {
      const error = errorOf(await clinic.call('auth.changePassword', { currentPassword: DEMO_PASSWORD, newPassword }, nurse));
      expect(error).toMatchObject({ code: 'VALIDATION', fields: { newPassword: expect.stringContaining('commonly used') } });
    }
    expect(passwordHash('nurse')).toBe(before);
  });

  it('refuses the username as the password, in any case', async () => {
    // A username long enough for the length rule and not itself a common password.
    const admin = await clinic.signInAs('admin');
    const roleId = sqlite().prepare(`SELECT id FROM roles WHERE name = 'nurse'`).pluck().get() as string;
    const created = expectOk(await clinic.call('users.create', { username: 'nadia.petrova', displayName: 'Nadia Petrova', roleId }, admin)) as {
      temporaryPassword: string;
    };
    const nadia = callerOf(await signIn('nadia.petrova', created.temporaryPassword));
    for (const newPassword of ['nadia.petrova', 'Nadia.Petrova']) {
      const error = errorOf(await clinic.call('auth.changePassword', { currentPassword: created.temporaryPassword, newPassword }, nadia));
      expect(error).toMatchObject({ code: 'VALIDATION', fields: { newPassword: 'A password cannot be the same as the username.' } });
    }
    expect((await me(nadia)).mustChangePassword).toBe(true);
  });

  it('needs the current password, and accepts a good new one', async () => {
    const nurse = await clinic.signInAs('nurse');
    const wrong = errorOf(await clinic.call('auth.changePassword', { currentPassword: 'not my password', newPassword: GOOD_PASSWORD }, nurse));
    expect(wrong).toMatchObject({ code: 'VALIDATION', fields: { currentPassword: expect.any(String) } });
    expect(await clinic.call('auth.changePassword', { currentPassword: DEMO_PASSWORD, newPassword: GOOD_PASSWORD }, nurse)).toEqual({
      envelope: { ok: true, value: null },
    });
    expect(codeOf(await signIn('nurse', DEMO_PASSWORD))).toBe('UNAUTHENTICATED');
    expectOk(await signIn('nurse', GOOD_PASSWORD));
  });
});

describe('a password change', () => {
  it('signs the user out everywhere else and keeps this desk signed in', async () => {
    const here = await clinic.signInAs('doctor', 'consulting-room-1');
    const elsewhere = await clinic.signInAs('doctor', 'ward-terminal');
    expectOk(await clinic.call('auth.changePassword', { currentPassword: DEMO_PASSWORD, newPassword: GOOD_PASSWORD }, here));
    expect(codeOf(await clinic.call('auth.me', {}, elsewhere))).toBe('UNAUTHENTICATED');
    expect((await me(here)).username).toBe('doctor');
  });
});

describe('sessions', () => {
  it('starts a new session id at every sign-in and ends the one the caller held', async () => {
    const first = callerOf(await signIn('doctor', DEMO_PASSWORD));
    const second = callerOf(await signIn('doctor', DEMO_PASSWORD, { caller: first }));
    expect(second.sessionToken).not.toBe(first.sessionToken);
    expect(sessionRow(first)).toMatchObject({ ended_at: clinic.clock.iso(), end_reason: 'replaced' });
    expect(sessionRow(second)).toMatchObject({ ended_at: null });
    expect(errorOf(await clinic.call('auth.me', {}, first))).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('ended') });
    expect((await me(second)).username).toBe('doctor');
  });

  it('locks after the clinic’s idle minutes: only auth.me answers, saying locked, until the password opens it', async () => {
    const admin = await clinic.signInAs('admin');
    await setSecurity(admin, { idleLockMinutes: 5 });
    expect((await me(admin)).idleLockMinutes).toBe(5);

    // Activity postpones the lock.
    clinic.clock.advance(5 * MINUTE - SECOND);
    expectOk(await clinic.call('users.list', {}, admin));
    clinic.clock.advance(5 * MINUTE - SECOND);
    expectOk(await clinic.call('users.list', {}, admin));

    clinic.clock.advance(5 * MINUTE);
    const locked = errorOf(await clinic.call('users.list', {}, admin));
    expect(locked).toMatchObject({ code: 'UNAUTHENTICATED', fields: { _: 'locked' } });
    expect(sessionRow(admin)).toMatchObject({ ended_at: null, locked_at: clinic.clock.iso() });
    expect(await me(admin)).toMatchObject({ username: 'admin', locked: true });
    for (const name of ['settings.get', 'auth.changePassword', 'auth.lock', 'audit.verify']) {
      const input = name === 'auth.changePassword' ? { currentPassword: DEMO_PASSWORD, newPassword: GOOD_PASSWORD } : {};
      expect(errorOf(await clinic.call(name, input, admin))).toMatchObject({ code: 'UNAUTHENTICATED', fields: { _: 'locked' } });
    }

    // A wrong password is refused and counted; the session stays locked.
    const seq = maxSeq();
    expect(errorOf(await clinic.call('auth.unlock', { password: 'not the password' }, admin))).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: UNLOCK_REFUSED,
    });
    expect(throttleOf('admin')).toEqual({ failures: 1, locked_until: null });
    expect(auditSince(seq)).toEqual([expect.objectContaining({ procedure: 'auth.unlock', outcome: 'denied', user_id: userId('admin') })]);
    expect(await me(admin)).toMatchObject({ locked: true });
    expect(codeOf(await clinic.call('users.list', {}, admin))).toBe('UNAUTHENTICATED');

    // The right one reopens the same session.
    expect(expectOk(await clinic.call('auth.unlock', { password: DEMO_PASSWORD }, admin))).toMatchObject({ username: 'admin', locked: false });
    expect(throttleOf('admin')).toBeUndefined();
    expect(sessionRow(admin)).toMatchObject({ ended_at: null, locked_at: null });
    expectOk(await clinic.call('users.list', {}, admin));
    expect(await me(admin)).toMatchObject({ locked: false });
  });

  it('locks on auth.lock, and the password opens it again', async () => {
    const nurse = await clinic.signInAs('nurse');
    expect(await clinic.call('auth.lock', {}, nurse)).toEqual({ envelope: { ok: true, value: null } });
    expect(await me(nurse)).toMatchObject({ locked: true });
    expect(errorOf(await clinic.call('settings.get', {}, nurse))).toMatchObject({ code: 'UNAUTHENTICATED', fields: { _: 'locked' } });
    // Time passing while locked changes nothing.
    clinic.clock.advance(30 * MINUTE);
    expect(await me(nurse)).toMatchObject({ locked: true });
    expectOk(await clinic.call('auth.unlock', { password: DEMO_PASSWORD }, nurse));
    expectOk(await clinic.call('settings.get', {}, nurse));
  });

  it('ends the locked session when another user signs in from it', async () => {
    const nurse = await clinic.signInAs('nurse');
    expectOk(await clinic.call('auth.lock', {}, nurse));
    const doctor = callerOf(await signIn('doctor', DEMO_PASSWORD, { caller: nurse }));
    expect(sessionRow(nurse)).toMatchObject({ ended_at: clinic.clock.iso(), end_reason: 'replaced' });
    const ended = errorOf(await clinic.call('auth.me', {}, nurse));
    expect(ended.code).toBe('UNAUTHENTICATED');
    expect(ended.fields).toBeUndefined();
    expect(codeOf(await clinic.call('auth.unlock', { password: DEMO_PASSWORD }, nurse))).toBe('UNAUTHENTICATED');
    expect(await me(doctor)).toMatchObject({ username: 'doctor', locked: false });
  });

  it('records a sign-in from another user’s locked session as the person signing in, never as the previous user', async () => {
    const nurse = await clinic.signInAs('nurse');
    expectOk(await clinic.call('auth.lock', {}, nurse));
    const seq = maxSeq();
    expect(codeOf(await signIn('doctor', 'not the password', { caller: nurse }))).toBe('UNAUTHENTICATED');
    callerOf(await signIn('doctor', DEMO_PASSWORD, { caller: nurse }));
    const [failed, succeeded] = auditSince(seq).filter((line) => line.procedure === 'auth.signIn');
    expect(failed).toMatchObject({ outcome: 'denied', user_id: null, entity_id: userId('doctor') });
    expect(succeeded).toMatchObject({ outcome: 'ok', user_id: userId('doctor'), entity_id: userId('doctor') });
  });

  it('also ends a session that idleness locked when another user signs in from it', async () => {
    const nurse = await clinic.signInAs('nurse');
    clinic.clock.advance(10 * MINUTE);
    const doctor = callerOf(await signIn('doctor', DEMO_PASSWORD, { caller: nurse }));
    expect(sessionRow(nurse)).toMatchObject({ end_reason: 'replaced' });
    expect(codeOf(await clinic.call('auth.me', {}, nurse))).toBe('UNAUTHENTICATED');
    expect((await me(doctor)).locked).toBe(false);
  });

  it('ends every session twelve hours after sign-in, however busy', async () => {
    const admin = await clinic.signInAs('admin');
    await setSecurity(admin, { idleLockMinutes: 240 });
    for (let hour = 3; hour < 12; hour += 3) {
      clinic.clock.advance(3 * HOUR);
      expectOk(await clinic.call('users.list', {}, admin));
    }
    clinic.clock.advance(3 * HOUR - SECOND);
    expectOk(await clinic.call('users.list', {}, admin));
    clinic.clock.advance(SECOND);
    const expired = errorOf(await clinic.call('users.list', {}, admin));
    expect(expired).toMatchObject({ code: 'UNAUTHENTICATED', message: 'Your session has ended. Please sign in again.' });
    expect(expired.fields).toBeUndefined();
    expect(codeOf(await clinic.call('auth.me', {}, admin))).toBe('UNAUTHENTICATED');
    expectOk(await signIn('admin', DEMO_PASSWORD));
  });
});

describe('two-factor sign-in', () => {
  async function enrol(caller: CallerContext): Promise<{ secret: string; recoveryCodes: string[] }> {
    const begun = expectOk(await clinic.call('auth.twoFactorBegin', {}, caller)) as { secret: string; otpauthUri: string; qrSvg: string };
    expect(begun.otpauthUri).toContain(`secret=${begun.secret}`);
    expect(begun.qrSvg).toContain('<svg');
    const { recoveryCodes } = expectOk(await clinic.call('auth.twoFactorConfirm', { code: totpCode(begun.secret, clinic.clock.now()) }, caller)) as {
      recoveryCodes: string[];
    };
    return { secret: begun.secret, recoveryCodes };
  }

  it('enrols with a computed code, then asks for a code at sign-in, refuses a replayed one and spends recovery codes once', async () => {
    const doctor = await clinic.signInAs('doctor');
    const begun = expectOk(await clinic.call('auth.twoFactorBegin', {}, doctor)) as { secret: string };
    // A wrong first code enrols nothing.
    const wrongCode = String((Number(totpCode(begun.secret, clinic.clock.now())) + 500_000) % 1_000_000).padStart(6, '0');
    expect(errorOf(await clinic.call('auth.twoFactorConfirm', { code: wrongCode }, doctor))).toMatchObject({
      code: 'VALIDATION',
      fields: { code: expect.any(String) },
    });
    expect((await me(doctor)).twoFactorEnabled).toBe(false);

    const enrolCode = totpCode(begun.secret, clinic.clock.now());
    const { recoveryCodes } = expectOk(await clinic.call('auth.twoFactorConfirm', { code: enrolCode }, doctor)) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect(sqlite().prepare('SELECT count(*) FROM totp_recovery_codes WHERE user_id = ? AND used_at IS NULL').pluck().get(userId('doctor'))).toBe(10);
    // Only hashes are stored.
    const stored = sqlite().prepare('SELECT code_hash FROM totp_recovery_codes').pluck().all() as string[];
    expect(stored.some((hash) => recoveryCodes.some((code) => hash.includes(code.replace('-', ''))))).toBe(false);
    expect(await me(doctor)).toMatchObject({ twoFactorEnabled: true });

    // The password alone is not enough: the answer asks for the code, and is not counted as a failure.
    const withoutCode = errorOf(await signIn('doctor', DEMO_PASSWORD));
    expect(withoutCode).toMatchObject({ code: 'UNAUTHENTICATED', fields: { code: expect.any(String) } });
    expect(throttleOf('doctor')).toBeUndefined();
    // The code used to enrol cannot be used again to sign in.
    expect(errorOf(await signIn('doctor', DEMO_PASSWORD, { code: enrolCode }))).toMatchObject({
      code: 'UNAUTHENTICATED',
      fields: { code: expect.any(String) },
    });
    expect(throttleOf('doctor')?.failures).toBe(1);

    clinic.clock.advance(30 * SECOND);
    const code = totpCode(begun.secret, clinic.clock.now());
    const signedIn = await signIn('doctor', DEMO_PASSWORD, { code });
    expect(expectOk(signedIn)).toMatchObject({ username: 'doctor', twoFactorEnabled: true });
    expect(throttleOf('doctor')).toBeUndefined();
    // The same code in the same step: refused, and counted.
    const seq = maxSeq();
    const replay = errorOf(await signIn('doctor', DEMO_PASSWORD, { code }));
    expect(replay).toMatchObject({ code: 'UNAUTHENTICATED', fields: { code: expect.any(String) } });
    expect(throttleOf('doctor')?.failures).toBe(1);
    expect(auditSince(seq)).toEqual([expect.objectContaining({ procedure: 'auth.signIn', outcome: 'denied', entity_id: userId('doctor') })]);
    // A wrong password with a good code is still the plain refusal.
    clinic.clock.advance(30 * SECOND);
    expect(errorOf(await signIn('doctor', 'not the password', { code: totpCode(begun.secret, clinic.clock.now()) })).message).toBe(SIGN_IN_REFUSED);

    // A recovery code works once, typed any way; the second time it is refused.
    const recovery = recoveryCodes[3] as string;
    const recoverySeq = maxSeq();
    expectOk(await signIn('doctor', DEMO_PASSWORD, { code: ` ${recovery.toUpperCase()} ` }));
    expect(auditSince(recoverySeq).at(-1)).toMatchObject({ procedure: 'auth.signIn', outcome: 'ok' });
    expect(JSON.parse(auditSince(recoverySeq).at(-1)?.details ?? '{}')).toMatchObject({ secondFactor: 'recovery_code' });
    expect(errorOf(await signIn('doctor', DEMO_PASSWORD, { code: recovery }))).toMatchObject({ code: 'UNAUTHENTICATED', fields: { code: expect.any(String) } });
    expect(sqlite().prepare('SELECT count(*) FROM totp_recovery_codes WHERE user_id = ? AND used_at IS NULL').pluck().get(userId('doctor'))).toBe(9);
    // Another one still works.
    expectOk(await signIn('doctor', DEMO_PASSWORD, { code: recoveryCodes[7] }));
  });

  it('refuses a second enrolment while one is on, and auth.twoFactorDisable needs the password', async () => {
    const doctor = await clinic.signInAs('doctor');
    await enrol(doctor);
    expect(codeOf(await clinic.call('auth.twoFactorBegin', {}, doctor))).toBe('CONFLICT');
    expect(errorOf(await clinic.call('auth.twoFactorDisable', { password: 'not the password' }, doctor))).toMatchObject({
      code: 'VALIDATION',
      fields: { password: expect.any(String) },
    });
    expect((await me(doctor)).twoFactorEnabled).toBe(true);
    expectOk(await clinic.call('auth.twoFactorDisable', { password: DEMO_PASSWORD }, doctor));
    expect((await me(doctor)).twoFactorEnabled).toBe(false);
    expect(sqlite().prepare('SELECT count(*) FROM totp_recovery_codes').pluck().get()).toBe(0);
    expectOk(await signIn('doctor', DEMO_PASSWORD));
  });

  it('when the clinic requires it for administrators, holds an admin without it to enrolment, and refuses to turn it off', async () => {
    const admin = await clinic.signInAs('admin');
    const nurse = await clinic.signInAs('nurse');
    await setSecurity(admin, { requireTwoFactorForAdmins: true });

    expect(await me(admin)).toMatchObject({ mustEnrollTwoFactor: true, twoFactorEnabled: false });
    const forbidden = errorOf(await clinic.call('users.list', {}, admin));
    expect(forbidden).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('two-factor') });
    expect(codeOf(await clinic.call('audit.verify', {}, admin))).toBe('FORBIDDEN');
    expect(codeOf(await clinic.call('settings.updateSecurity', { idleLockMinutes: 10, requireTwoFactorForAdmins: false, version: 1 }, admin))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await clinic.call('auth.twoFactorDisable', { password: DEMO_PASSWORD }, admin))).toBe('FORBIDDEN');
    // What resolves it stays open.
    expectOk(await clinic.call('settings.get', {}, admin));
    expectOk(await clinic.call('settings.getSecurity', {}, admin));
    // Users without users.manage are not affected.
    expect(await me(nurse)).toMatchObject({ mustEnrollTwoFactor: false });
    expectOk(await clinic.call('settings.get', {}, nurse));

    // A fresh sign-in is held the same way.
    const again = callerOf(await signIn('admin', DEMO_PASSWORD));
    expect(codeOf(await clinic.call('users.list', {}, again))).toBe('FORBIDDEN');

    const { secret } = await enrol(again);
    expect(await me(again)).toMatchObject({ mustEnrollTwoFactor: false, twoFactorEnabled: true });
    expectOk(await clinic.call('users.list', {}, again));

    const refused = errorOf(await clinic.call('auth.twoFactorDisable', { password: DEMO_PASSWORD }, again));
    expect(refused).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('requires two-factor') });
    expect(await me(again)).toMatchObject({ twoFactorEnabled: true });
    clinic.clock.advance(30 * SECOND);
    expectOk(await signIn('admin', DEMO_PASSWORD, { code: totpCode(secret, clinic.clock.now()) }));
  });
});
