import { Secret, TOTP } from 'otpauth';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Me } from '../../../src-shared/contract/auth.js';
import type { RoleSummary, UserSummary } from '../../../src-shared/contract/users.js';
import { DEFAULT_ROLE_PERMISSIONS, type Permission, type RoleName } from '../../../src-shared/permissions.js';
import { sha256Hex } from '../../core/crypto.js';
import type { CallerContext, CallResult } from '../../core/router.js';
import {
  cleanupTempDirs,
  codeOf,
  DEMO_PASSWORD,
  type DemoClinic,
  errorOf,
  expectOk,
  openDemoClinic,
  signedOut,
  snapshotTables,
  type TableSnapshot,
  WORKSTATION,
} from '../../testing/harness.js';
import { SIGN_IN_REFUSED } from '../auth/rules.js';

afterAll(cleanupTempDirs);

let clinic: DemoClinic;
let admin: CallerContext;
beforeEach(async () => {
  clinic = await openDemoClinic();
  admin = await clinic.signInAs('admin');
});
afterEach(() => clinic.dispose());

const NEW_PASSWORD = 'a long and unusual passphrase';
const TEMPORARY = /^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$/;

const sqlite = () => clinic.core.store.sqlite;
const count = (sql: string, ...params: unknown[]) =>
  sqlite()
    .prepare(sql)
    .pluck()
    .get(...params) as number;
const maxSeq = () => count('SELECT max(seq) FROM audit_log');
const auditSince = (seq: number) =>
  sqlite().prepare('SELECT procedure, outcome, user_id, entity, entity_id, details FROM audit_log WHERE seq > ? ORDER BY seq').all(seq) as Array<{
    procedure: string;
    outcome: string;
    user_id: string | null;
    entity: string | null;
    entity_id: string | null;
    details: string;
  }>;
const sessionRow = (caller: CallerContext) =>
  sqlite()
    .prepare('SELECT ended_at, end_reason FROM sessions WHERE id = ?')
    .get(sha256Hex(caller.sessionToken ?? '')) as {
    ended_at: string | null;
    end_reason: string | null;
  };

/** Everything but the audit log, which records refusals too. */
function dataSnapshot(): TableSnapshot {
  const { audit_log: _audit, ...rest } = snapshotTables(sqlite());
  return rest;
}

async function users(input: { search?: string; status?: 'active' | 'inactive' | 'all' } = {}): Promise<UserSummary[]> {
  return expectOk(await clinic.call('users.list', input, admin)) as UserSummary[];
}

async function user(username: string): Promise<UserSummary> {
  const found = (await users({ status: 'all' })).find((entry) => entry.username === username);
  if (!found) throw new Error(`no user ${username}`);
  return found;
}

async function roles(): Promise<RoleSummary[]> {
  return expectOk(await clinic.call('roles.list', {}, admin)) as RoleSummary[];
}

async function role(name: string): Promise<RoleSummary> {
  const found = (await roles()).find((entry) => entry.name === name);
  if (!found) throw new Error(`no role ${name}`);
  return found;
}

function signIn(username: string, password: string): Promise<CallResult> {
  return clinic.call('auth.signIn', { username, password }, signedOut);
}

function callerOf(result: CallResult): CallerContext {
  expectOk(result);
  if (result.session?.kind !== 'started') throw new Error('no session started');
  return { sessionToken: result.session.token, workstation: WORKSTATION };
}

const me = async (caller: CallerContext) => expectOk(await clinic.call('auth.me', {}, caller)) as Me;

async function createUser(username: string, roleName: RoleName | string, displayName = 'New Colleague') {
  const { id: roleId } = await role(roleName);
  return expectOk(await clinic.call('users.create', { username, displayName, roleId }, admin)) as { user: UserSummary; temporaryPassword: string };
}

describe('users.create', () => {
  it('creates the user with a temporary password shown once, and audits it', async () => {
    const seq = maxSeq();
    const nurseRole = await role('nurse');
    const { user: created, temporaryPassword } = await createUser('  J.Kamau ', 'nurse', 'Joseph Kamau');
    expect(temporaryPassword).toMatch(TEMPORARY);
    expect(created).toMatchObject({
      username: 'j.kamau',
      displayName: 'Joseph Kamau',
      role: { id: nurseRole.id, name: 'nurse', label: 'Nurse' },
      active: true,
      mustChangePassword: true,
      lockedUntil: null,
      twoFactorEnabled: false,
      version: 1,
    });
    // The temporary password is stored only as an argon2id hash.
    const stored = sqlite().prepare('SELECT password_hash FROM users WHERE id = ?').pluck().get(created.id) as string;
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(stored).not.toContain(temporaryPassword);
    expect(auditSince(seq)).toEqual([
      expect.objectContaining({ procedure: 'users.create', outcome: 'ok', user_id: (await me(admin)).id, entity: 'user', entity_id: created.id }),
    ]);
    expect(JSON.stringify(auditSince(seq))).not.toContain(temporaryPassword);
    // Two users never get the same temporary password.
    const other = await createUser('w.otieno', 'nurse');
    expect(other.temporaryPassword).not.toBe(temporaryPassword);
  });

  it('makes the new user choose a password before anything else', async () => {
    const { temporaryPassword } = await createUser('deputy.admin', 'admin');
    const deputy = callerOf(await signIn('deputy.admin', temporaryPassword));
    expect(await me(deputy)).toMatchObject({ username: 'deputy.admin', mustChangePassword: true });
    const refused = errorOf(await clinic.call('users.list', {}, deputy));
    expect(refused).toEqual({ code: 'FORBIDDEN', message: 'Choose a new password first: you signed in with a temporary one.' });
    expect(codeOf(await clinic.call('audit.verify', {}, deputy))).toBe('FORBIDDEN');
    expect(codeOf(await clinic.call('auth.twoFactorDisable', { password: temporaryPassword }, deputy))).toBe('FORBIDDEN');
    expectOk(await clinic.call('settings.get', {}, deputy));
    // The temporary password cannot be kept.
    expect(codeOf(await clinic.call('auth.changePassword', { currentPassword: temporaryPassword, newPassword: temporaryPassword }, deputy))).toBe('VALIDATION');
    expectOk(await clinic.call('auth.changePassword', { currentPassword: temporaryPassword, newPassword: NEW_PASSWORD }, deputy));
    expect(await me(deputy)).toMatchObject({ mustChangePassword: false });
    expectOk(await clinic.call('users.list', {}, deputy));
    expect((await user('deputy.admin')).mustChangePassword).toBe(false);
    expect(codeOf(await signIn('deputy.admin', temporaryPassword))).toBe('UNAUTHENTICATED');
  });

  it('refuses a taken username with a field error, in any case, and creates nothing', async () => {
    const before = dataSnapshot();
    const { id: roleId } = await role('nurse');
    for (const username of ['nurse', 'NURSE', ' Nurse ']) {
      const error = errorOf(await clinic.call('users.create', { username, displayName: 'Someone Else', roleId }, admin));
      expect(error).toMatchObject({ code: 'CONFLICT', fields: { username: expect.any(String) } });
    }
    expect(dataSnapshot()).toEqual(before);
  });

  it('refuses a role that does not exist and a malformed username', async () => {
    expect(errorOf(await clinic.call('users.create', { username: 'newbie', displayName: 'New Bie', roleId: 'no-such-role' }, admin))).toMatchObject({
      code: 'VALIDATION',
      fields: { roleId: expect.any(String) },
    });
    const { id: roleId } = await role('nurse');
    expect(errorOf(await clinic.call('users.create', { username: 'no spaces', displayName: 'X', roleId }, admin))).toMatchObject({
      code: 'VALIDATION',
      fields: { username: expect.any(String) },
    });
  });

  it('is for user managers only', async () => {
    const nurse = await clinic.signInAs('nurse');
    const { id: roleId } = await role('admin');
    expect(codeOf(await clinic.call('users.create', { username: 'sneaky', displayName: 'Sneaky', roleId }, nurse))).toBe('FORBIDDEN');
    expect(codeOf(await clinic.call('users.list', {}, nurse))).toBe('FORBIDDEN');
    expect(codeOf(await clinic.call('roles.update', { id: roleId, label: 'X1', permissions: [], version: 1 }, nurse))).toBe('FORBIDDEN');
  });
});

describe('users.changeRole', () => {
  it('gives the user the new role, applied to their next call', async () => {
    const nurse = await clinic.signInAs('nurse');
    const target = await user('nurse');
    const doctorRole = await role('doctor');
    const seq = maxSeq();
    const changed = expectOk(await clinic.call('users.changeRole', { id: target.id, roleId: doctorRole.id, version: target.version }, admin)) as UserSummary;
    expect(changed).toMatchObject({ role: { id: doctorRole.id, name: 'doctor' }, version: target.version + 1 });
    expect(auditSince(seq)).toEqual([expect.objectContaining({ procedure: 'users.changeRole', outcome: 'ok', entity_id: target.id })]);
    expect(JSON.parse(auditSince(seq)[0]?.details ?? '{}')).toEqual({ roleId: doctorRole.id });
    expect(await me(nurse)).toMatchObject({ role: { name: 'doctor' }, permissions: [...DEFAULT_ROLE_PERMISSIONS.doctor].sort() });
  });
});

describe('users.setActive', () => {
  it('deactivating ends the user’s sessions at once and bars sign-in; reactivating lets them sign in again', async () => {
    const nurse = await clinic.signInAs('nurse');
    const other = await clinic.signInAs('nurse', 'ward-2');
    const target = await user('nurse');
    const off = expectOk(await clinic.call('users.setActive', { id: target.id, active: false, version: target.version }, admin)) as UserSummary;
    expect(off).toMatchObject({ active: false, version: target.version + 1 });
    for (const caller of [nurse, other]) {
      expect(errorOf(await clinic.call('auth.me', {}, caller))).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(sessionRow(caller)).toMatchObject({ ended_at: clinic.clock.iso(), end_reason: 'deactivated' });
    }
    expect(errorOf(await signIn('nurse', DEMO_PASSWORD))).toEqual({ code: 'UNAUTHENTICATED', message: SIGN_IN_REFUSED });
    expect((await users({ status: 'inactive' })).map((entry) => entry.username)).toEqual(['nurse']);
    expect((await users({ status: 'active' })).map((entry) => entry.username)).not.toContain('nurse');

    const on = expectOk(await clinic.call('users.setActive', { id: target.id, active: true, version: off.version }, admin)) as UserSummary;
    expect(on).toMatchObject({ active: true, version: off.version + 1 });
    // The ended sessions stay ended; a new sign-in works.
    expect(codeOf(await clinic.call('auth.me', {}, nurse))).toBe('UNAUTHENTICATED');
    expectOk(await signIn('nurse', DEMO_PASSWORD));
  });
});

describe('users.resetPassword', () => {
  it('issues a new temporary password, ends the user’s sessions and makes them choose a new one', async () => {
    const doctor = await clinic.signInAs('doctor');
    const target = await user('doctor');
    const seq = maxSeq();
    const { user: reset, temporaryPassword } = expectOk(await clinic.call('users.resetPassword', { id: target.id, version: target.version }, admin)) as {
      user: UserSummary;
      temporaryPassword: string;
    };
    expect(temporaryPassword).toMatch(TEMPORARY);
    expect(reset).toMatchObject({ mustChangePassword: true, version: target.version + 1 });
    expect(auditSince(seq)).toEqual([expect.objectContaining({ procedure: 'users.resetPassword', outcome: 'ok', entity_id: target.id })]);
    expect(JSON.stringify(auditSince(seq))).not.toContain(temporaryPassword);
    expect(codeOf(await clinic.call('auth.me', {}, doctor))).toBe('UNAUTHENTICATED');
    expect(sessionRow(doctor)).toMatchObject({ end_reason: 'password_reset' });
    expect(codeOf(await signIn('doctor', DEMO_PASSWORD))).toBe('UNAUTHENTICATED');

    const again = callerOf(await signIn('doctor', temporaryPassword));
    expect(await me(again)).toMatchObject({ mustChangePassword: true });
    expect(codeOf(await clinic.call('users.list', {}, again))).toBe('FORBIDDEN');
    expectOk(await clinic.call('auth.changePassword', { currentPassword: temporaryPassword, newPassword: NEW_PASSWORD }, again));
    expect(await me(again)).toMatchObject({ mustChangePassword: false });
  });
});

describe('users.resetTwoFactor', () => {
  it('removes the second factor and its recovery codes, so the password alone signs in', async () => {
    const doctor = await clinic.signInAs('doctor');
    const { secret } = expectOk(await clinic.call('auth.twoFactorBegin', {}, doctor)) as { secret: string };
    const code = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({
      timestamp: clinic.clock.now().getTime(),
    });
    expectOk(await clinic.call('auth.twoFactorConfirm', { code }, doctor));
    expect(codeOf(await signIn('doctor', DEMO_PASSWORD))).toBe('UNAUTHENTICATED');
    const target = await user('doctor');
    expect(target.twoFactorEnabled).toBe(true);
    const reset = expectOk(await clinic.call('users.resetTwoFactor', { id: target.id, version: target.version }, admin)) as UserSummary;
    expect(reset).toMatchObject({ twoFactorEnabled: false, version: target.version + 1 });
    expect(count('SELECT count(*) FROM totp_recovery_codes WHERE user_id = ?', target.id)).toBe(0);
    expectOk(await signIn('doctor', DEMO_PASSWORD));
  });
});

describe('stale versions', () => {
  it('answers CONFLICT to every versioned change made with an old version, and changes nothing', async () => {
    const target = await user('nurse');
    const doctorRole = await role('doctor');
    const nurseRole = await role('nurse');
    // Another desk changes the user first.
    expectOk(await clinic.call('users.changeRole', { id: target.id, roleId: doctorRole.id, version: target.version }, admin));
    expectOk(
      await clinic.call('roles.update', { id: nurseRole.id, label: 'Nursing staff', permissions: nurseRole.permissions, version: nurseRole.version }, admin),
    );
    const before = dataSnapshot();
    const seq = maxSeq();
    const stale: Array<[string, unknown]> = [
      ['users.changeRole', { id: target.id, roleId: nurseRole.id, version: target.version }],
      ['users.setActive', { id: target.id, active: false, version: target.version }],
      ['users.resetPassword', { id: target.id, version: target.version }],
      ['users.resetTwoFactor', { id: target.id, version: target.version }],
      ['roles.update', { id: nurseRole.id, label: 'Nurses', permissions: [], version: nurseRole.version }],
    ];
    for (const [name, input] of stale) {
      expect(errorOf(await clinic.call(name, input, admin))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('Someone else changed') });
    }
    expect(dataSnapshot()).toEqual(before);
    // Each refusal is on record.
    expect(auditSince(seq).map((row) => [row.procedure, row.outcome])).toEqual(stale.map(([name]) => [name, 'error']));
    expect(codeOf(await signIn('nurse', DEMO_PASSWORD))).toBe('OK');
  });

  it('answers NOT_FOUND for a user that does not exist', async () => {
    expect(codeOf(await clinic.call('users.setActive', { id: 'no-such-user', active: false, version: 1 }, admin))).toBe('NOT_FOUND');
    expect(codeOf(await clinic.call('users.unlock', { id: 'no-such-user' }, admin))).toBe('NOT_FOUND');
  });
});

describe('the last user manager', () => {
  it('cannot be deactivated or demoted, nor its role stripped of users.manage; nothing changes', async () => {
    const self = await user('admin');
    const adminRole = await role('admin');
    const nurseRole = await role('nurse');
    const before = dataSnapshot();
    const seq = maxSeq();
    const attempts: Array<[string, unknown]> = [
      ['users.setActive', { id: self.id, active: false, version: self.version }],
      ['users.changeRole', { id: self.id, roleId: nurseRole.id, version: self.version }],
      [
        'roles.update',
        { id: adminRole.id, label: adminRole.label, permissions: adminRole.permissions.filter((p) => p !== 'users.manage'), version: adminRole.version },
      ],
    ];
    for (const [name, input] of attempts) {
      expect(errorOf(await clinic.call(name, input, admin))).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('without an active user who can manage users'),
      });
    }
    expect(dataSnapshot()).toEqual(before);
    expect(auditSince(seq).map((row) => [row.procedure, row.outcome])).toEqual(attempts.map(([name]) => [name, 'error']));
    expectOk(await clinic.call('users.list', {}, admin));
  });

  it('does not count an inactive user manager, but an active one in another role lets the change through', async () => {
    const managers = expectOk(
      await clinic.call('roles.create', { name: 'it_support', label: 'IT support', permissions: ['users.manage'] }, admin),
    ) as RoleSummary;
    const { user: helper } = await createUser('it.helper', 'it_support');
    const off = expectOk(await clinic.call('users.setActive', { id: helper.id, active: false, version: helper.version }, admin)) as UserSummary;
    const self = await user('admin');
    expect(codeOf(await clinic.call('users.setActive', { id: self.id, active: false, version: self.version }, admin))).toBe('CONFLICT');

    expectOk(await clinic.call('users.setActive', { id: helper.id, active: true, version: off.version }, admin));
    const adminRole = await role('admin');
    const stripped = expectOk(
      await clinic.call(
        'roles.update',
        { id: adminRole.id, label: adminRole.label, permissions: adminRole.permissions.filter((p) => p !== 'users.manage'), version: adminRole.version },
        admin,
      ),
    ) as RoleSummary;
    expect(stripped.permissions).not.toContain('users.manage');
    // The admin lost the permission with their next call.
    expect(codeOf(await clinic.call('users.list', {}, admin))).toBe('FORBIDDEN');
    expect(managers.activeUsers).toBe(0);
  });
});

describe('roles', () => {
  it('creates a custom role, lists it, and refuses a taken or malformed name', async () => {
    const seq = maxSeq();
    const created = expectOk(
      await clinic.call(
        'roles.create',
        { name: ' Triage_Nurse ', label: 'Triage nurse', permissions: ['patients.read', 'vitals.write', 'vitals.write'] },
        admin,
      ),
    ) as RoleSummary;
    expect(created).toMatchObject({
      name: 'triage_nurse',
      label: 'Triage nurse',
      isSystem: false,
      permissions: ['patients.read', 'vitals.write'],
      activeUsers: 0,
      version: 1,
    });
    expect(auditSince(seq)).toEqual([expect.objectContaining({ procedure: 'roles.create', outcome: 'ok', entity: 'role', entity_id: created.id })]);
    expect((await roles()).map((entry) => entry.name)).toContain('triage_nurse');
    expect((await role('admin')).isSystem).toBe(true);

    const before = dataSnapshot();
    expect(errorOf(await clinic.call('roles.create', { name: 'triage_nurse', label: 'Again', permissions: [] }, admin))).toMatchObject({
      code: 'CONFLICT',
      fields: { name: expect.any(String) },
    });
    expect(errorOf(await clinic.call('roles.create', { name: '1st-role', label: 'Bad', permissions: [] }, admin))).toMatchObject({
      code: 'VALIDATION',
      fields: { name: expect.any(String) },
    });
    expect(codeOf(await clinic.call('roles.create', { name: 'made_up', label: 'Made up', permissions: ['root.everything'] }, admin))).toBe('VALIDATION');
    expect(dataSnapshot()).toEqual(before);

    const { user: member } = await createUser('t.nurse', 'triage_nurse');
    expect(member.role).toMatchObject({ name: 'triage_nurse', label: 'Triage nurse' });
    expect((await role('triage_nurse')).activeUsers).toBe(1);
  });

  it('updates a role’s label and permissions, bumping its version', async () => {
    const created = expectOk(await clinic.call('roles.create', { name: 'cashier', label: 'Cashier', permissions: ['billing.manage'] }, admin)) as RoleSummary;
    const updated = expectOk(
      await clinic.call(
        'roles.update',
        { id: created.id, label: 'Cashier (front)', permissions: ['billing.manage', 'patients.read'], version: created.version },
        admin,
      ),
    ) as RoleSummary;
    expect(updated).toMatchObject({ id: created.id, name: 'cashier', label: 'Cashier (front)', permissions: ['billing.manage', 'patients.read'], version: 2 });
    expect(await role('cashier')).toEqual(updated);
    expect(codeOf(await clinic.call('roles.update', { id: 'no-such-role', label: 'Ghost', permissions: [], version: 1 }, admin))).toBe('NOT_FOUND');
  });

  it('applies a permission change to a signed-in user’s next call, without signing in again', async () => {
    const nurse = await clinic.signInAs('nurse');
    expect(codeOf(await clinic.call('audit.list', { filter: {} }, nurse))).toBe('FORBIDDEN');
    const nurseRole = await role('nurse');
    const granted = expectOk(
      await clinic.call(
        'roles.update',
        { id: nurseRole.id, label: nurseRole.label, permissions: [...nurseRole.permissions, 'audit.read'] satisfies Permission[], version: nurseRole.version },
        admin,
      ),
    ) as RoleSummary;
    expect(granted.permissions).toContain('audit.read');
    expectOk(await clinic.call('audit.list', { filter: {} }, nurse));
    expect((await me(nurse)).permissions).toContain('audit.read');

    expectOk(
      await clinic.call('roles.update', { id: nurseRole.id, label: nurseRole.label, permissions: nurseRole.permissions, version: granted.version }, admin),
    );
    expect(codeOf(await clinic.call('audit.list', { filter: {} }, nurse))).toBe('FORBIDDEN');
    expect(sessionRow(nurse).ended_at).toBeNull();
  });
});

describe('users.list', () => {
  it('lists everyone by default, with roles, sorted by name', async () => {
    const all = await users();
    expect(all).toHaveLength(count('SELECT count(*) FROM users'));
    expect(all.length).toBeGreaterThanOrEqual(6);
    expect(all.map((entry) => entry.displayName)).toEqual([...all.map((entry) => entry.displayName)].sort());
    expect(all.find((entry) => entry.username === 'frontdesk')).toMatchObject({ role: { name: 'front_desk', label: 'Front desk' }, active: true });
  });

  it('searches username and display name, ignoring case, with % and _ taken literally', async () => {
    expect((await users({ search: 'petrova' })).map((entry) => entry.username)).toEqual(['nurse']);
    expect((await users({ search: 'NURSE' })).map((entry) => entry.username)).toEqual(['nurse']);
    expect((await users({ search: '  Dr. ' })).map((entry) => entry.username)).toEqual(['doctor', 'kimani']);
    expect((await users({ search: 'a' })).length).toBeGreaterThan(1);
    expect(await users({ search: '%' })).toEqual([]);
    expect(await users({ search: '_' })).toEqual([]);
    expect(await users({ search: 'nobody at all' })).toEqual([]);
    expect(codeOf(await clinic.call('users.list', { search: 'x'.repeat(81) }, admin))).toBe('VALIDATION');
  });

  it('filters by status, and combines status with search', async () => {
    const pharmacist = await user('pharmacist');
    expectOk(await clinic.call('users.setActive', { id: pharmacist.id, active: false, version: pharmacist.version }, admin));
    expect((await users({ status: 'inactive' })).map((entry) => entry.username)).toEqual(['pharmacist']);
    const total = count('SELECT count(*) FROM users');
    expect(await users({ status: 'active' })).toHaveLength(total - 1);
    expect(await users({ status: 'all' })).toHaveLength(total);
    expect(await users({ search: 'pedro', status: 'active' })).toEqual([]);
    expect((await users({ search: 'pedro', status: 'inactive' })).map((entry) => entry.username)).toEqual(['pharmacist']);
  });
});
