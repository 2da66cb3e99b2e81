import { hash } from '@node-rs/argon2';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ROLE_PERMISSIONS, ROLE_LABELS, ROLE_NAMES } from '../../../src-shared/permissions.js';
import { sha256Hex } from '../../core/crypto.js';
import type { CallerContext } from '../../core/router.js';
import {
  cleanupTempDirs,
  codeOf,
  DEMO_PASSWORD,
  DEMO_USERNAMES,
  type DemoClinic,
  errorOf,
  expectOk,
  openDemoClinic,
  signedOut,
  WORKSTATION,
} from '../../testing/harness.js';
import { SIGN_IN_REFUSED } from './rules.js';

afterAll(cleanupTempDirs);

let clinic: DemoClinic;
beforeEach(async () => {
  clinic = await openDemoClinic();
});
afterEach(() => clinic.dispose());

const sqlite = () => clinic.core.store.sqlite;
const count = (table: string) => sqlite().prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
const passwordHash = (username: string) => sqlite().prepare('SELECT password_hash FROM users WHERE username = ?').pluck().get(username) as string;
const userId = (username: string) => sqlite().prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as string;
const session = (token: string) =>
  sqlite().prepare('SELECT * FROM sessions WHERE id = ?').get(sha256Hex(token)) as { ended_at: string | null; end_reason: string | null; user_id: string };
const lastAudit = () =>
  sqlite().prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT 1').get() as {
    procedure: string;
    outcome: string;
    user_id: string | null;
    entity_id: string | null;
    details: string;
  };

function signIn(username: string, password: string, caller: CallerContext = signedOut) {
  return clinic.call('auth.signIn', { username, password }, caller);
}

function tokenOf(result: Awaited<ReturnType<typeof signIn>>): string {
  if (result.session?.kind !== 'started') throw new Error('no session started');
  return result.session.token;
}

describe('auth.signIn', () => {
  it.each(ROLE_NAMES)('signs in the %s and answers with the role and its permissions', async (role) => {
    const result = await signIn(DEMO_USERNAMES[role], DEMO_PASSWORD);
    expect(expectOk(result)).toMatchObject({
      id: userId(DEMO_USERNAMES[role]),
      username: DEMO_USERNAMES[role],
      displayName: expect.any(String),
      role: { name: role, label: ROLE_LABELS[role] },
      permissions: [...DEFAULT_ROLE_PERMISSIONS[role]].sort(),
      mustChangePassword: false,
    });
    const token = tokenOf(result);
    // Only the token's hash is stored.
    expect(session(token)).toMatchObject({ user_id: userId(DEMO_USERNAMES[role]), ended_at: null });
    expect(sqlite().prepare('SELECT count(*) FROM sessions WHERE id = ?').pluck().get(token)).toBe(0);
    expect(lastAudit()).toMatchObject({ procedure: 'auth.signIn', outcome: 'ok', entity_id: userId(DEMO_USERNAMES[role]) });
  });

  it('accepts the username in any case and with stray spaces', async () => {
    expectOk(await signIn('  Admin ', DEMO_PASSWORD));
  });

  it('issues a new token each time and ends the session the caller held', async () => {
    const first = tokenOf(await signIn('admin', DEMO_PASSWORD));
    const holder = { sessionToken: first, workstation: WORKSTATION };
    const second = tokenOf(await signIn('admin', DEMO_PASSWORD, holder));
    const third = tokenOf(await signIn('admin', DEMO_PASSWORD, { sessionToken: second, workstation: WORKSTATION }));
    expect(new Set([first, second, third]).size).toBe(3);
    expect(session(first)).toMatchObject({ ended_at: expect.any(String), end_reason: 'replaced' });
    expect(session(second)).toMatchObject({ ended_at: expect.any(String), end_reason: 'replaced' });
    expect(session(third)).toMatchObject({ ended_at: null });
    expect(codeOf(await clinic.call('auth.me', {}, holder))).toBe('UNAUTHENTICATED');
    expect(codeOf(await clinic.call('auth.me', {}, { sessionToken: second, workstation: WORKSTATION }))).toBe('UNAUTHENTICATED');
    expectOk(await clinic.call('auth.me', {}, { sessionToken: third, workstation: WORKSTATION }));
  });

  it('ends the caller’s session also when someone else signs in at the same window', async () => {
    const nurse = await clinic.signInAs('nurse');
    const doctor = tokenOf(await signIn('doctor', DEMO_PASSWORD, nurse));
    expect(codeOf(await clinic.call('auth.me', {}, nurse))).toBe('UNAUTHENTICATED');
    expect(expectOk(await clinic.call('auth.me', {}, { sessionToken: doctor, workstation: WORKSTATION }))).toMatchObject({ username: 'doctor' });
  });

  it('gives a wrong password, an unknown user and a deactivated user the same answer, and starts no session', async () => {
    sqlite().prepare(`UPDATE users SET active = 0 WHERE username = 'pharmacist'`).run();
    const sessions = count('sessions');
    const wrongPassword = await signIn('admin', 'not the password');
    const unknownUser = await signIn('nobody', DEMO_PASSWORD);
    const inactive = await signIn('pharmacist', DEMO_PASSWORD);
    for (const result of [wrongPassword, unknownUser, inactive]) {
      expect(result).toEqual({ envelope: { ok: false, error: { code: 'UNAUTHENTICATED', message: SIGN_IN_REFUSED } } });
    }
    expect(count('sessions')).toBe(sessions);
  });

  it('audits failed sign-ins as denied, naming the account when it exists', async () => {
    await signIn('admin', 'not the password');
    expect(lastAudit()).toMatchObject({ procedure: 'auth.signIn', outcome: 'denied', entity_id: userId('admin') });
    expect(JSON.parse(lastAudit().details)).toEqual({ code: 'UNAUTHENTICATED' });
    await signIn('nobody', 'not the password');
    expect(lastAudit()).toMatchObject({ procedure: 'auth.signIn', outcome: 'denied', entity_id: null, user_id: null });
  });

  it('does not audit a sign-in refused for its shape', async () => {
    const audits = count('audit_log');
    expect(codeOf(await signIn('', ''))).toBe('VALIDATION');
    expect(codeOf(await signIn('admin', 'x'.repeat(129)))).toBe('VALIDATION');
    expect(count('audit_log')).toBe(audits);
  });

  it('upgrades a password hash made with weaker argon2 settings', async () => {
    const weak = await hash(DEMO_PASSWORD, { algorithm: 2, memoryCost: 4096, timeCost: 3, parallelism: 1 });
    sqlite().prepare(`UPDATE users SET password_hash = ? WHERE username = 'nurse'`).run(weak);
    expectOk(await signIn('nurse', DEMO_PASSWORD));
    expect(passwordHash('nurse')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expectOk(await signIn('nurse', DEMO_PASSWORD));
  });
});

describe('auth.signOut and auth.me', () => {
  it('ends the session, tells the transport, and audits it', async () => {
    const admin = await clinic.signInAs('admin');
    expect(expectOk(await clinic.call('auth.me', {}, admin))).toMatchObject({ username: 'admin', role: { name: 'admin' } });
    const result = await clinic.call('auth.signOut', {}, admin);
    expect(result).toEqual({ envelope: { ok: true, value: null }, session: { kind: 'ended' } });
    expect(session(admin.sessionToken as string)).toMatchObject({ ended_at: expect.any(String), end_reason: 'signed_out' });
    expect(lastAudit()).toMatchObject({ procedure: 'auth.signOut', outcome: 'ok', user_id: userId('admin') });
    expect(codeOf(await clinic.call('auth.me', {}, admin))).toBe('UNAUTHENTICATED');
    expect(codeOf(await clinic.call('auth.signOut', {}, admin))).toBe('UNAUTHENTICATED');
  });
});

describe('auth.changePassword', () => {
  const NEW_PASSWORD = 'a much longer new password';

  it('needs the current password, and changes nothing without it', async () => {
    const doctor = await clinic.signInAs('doctor');
    const before = passwordHash('doctor');
    const audits = count('audit_log');
    const result = await clinic.call('auth.changePassword', { currentPassword: 'not my password', newPassword: NEW_PASSWORD }, doctor);
    expect(errorOf(result)).toMatchObject({ code: 'VALIDATION', fields: { currentPassword: expect.any(String) } });
    expect(passwordHash('doctor')).toBe(before);
    // A wrong current password is a guess: it is audited as denied and counted against the throttle.
    expect(count('audit_log')).toBe(audits + 1);
    expect(clinic.core.store.sqlite.prepare('SELECT outcome FROM audit_log ORDER BY seq DESC LIMIT 1').pluck().get()).toBe('denied');
    expect(clinic.core.store.sqlite.prepare('SELECT failures FROM sign_in_throttle WHERE username = ?').pluck().get('doctor')).toBe(1);
    expect(codeOf(await signIn('doctor', NEW_PASSWORD))).toBe('UNAUTHENTICATED');
  });

  it('refuses the same password again and one that is too short', async () => {
    const doctor = await clinic.signInAs('doctor');
    const before = passwordHash('doctor');
    expect(errorOf(await clinic.call('auth.changePassword', { currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD }, doctor))).toMatchObject({
      code: 'VALIDATION',
      fields: { newPassword: expect.any(String) },
    });
    expect(errorOf(await clinic.call('auth.changePassword', { currentPassword: DEMO_PASSWORD, newPassword: 'short' }, doctor))).toMatchObject({
      code: 'VALIDATION',
      fields: { newPassword: expect.any(String) },
    });
    expect(passwordHash('doctor')).toBe(before);
  });

  it('is refused to nobody signed in', async () => {
    expect(codeOf(await clinic.call('auth.changePassword', { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD }, signedOut))).toBe('UNAUTHENTICATED');
  });

  it('changes the password, clears the must-change flag, and the old password then fails', async () => {
    sqlite().prepare(`UPDATE users SET must_change_password = 1 WHERE username = 'doctor'`).run();
    const doctor = await clinic.signInAs('doctor');
    expect(expectOk(await clinic.call('auth.me', {}, doctor))).toMatchObject({ mustChangePassword: true });
    expect(await clinic.call('auth.changePassword', { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD }, doctor)).toEqual({
      envelope: { ok: true, value: null },
    });
    expect(lastAudit()).toMatchObject({ procedure: 'auth.changePassword', outcome: 'ok', user_id: userId('doctor'), entity_id: userId('doctor') });
    expect(expectOk(await clinic.call('auth.me', {}, doctor))).toMatchObject({ mustChangePassword: false });
    expect(errorOf(await signIn('doctor', DEMO_PASSWORD))).toEqual({ code: 'UNAUTHENTICATED', message: SIGN_IN_REFUSED });
    expectOk(await signIn('doctor', NEW_PASSWORD));
    expect(passwordHash('doctor')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});
