import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_ROLE_PERMISSIONS } from '../../src-shared/permissions.js';
import { authHandlers } from '../modules/auth/handlers.js';
import { settingsHandlers } from '../modules/settings/handlers.js';
import { readClinicSettings, updateClinicSettings } from '../modules/settings/queries.js';
import { setupHandlers } from '../modules/setup/handlers.js';
import { cleanupTempDirs, codeOf, type DemoClinic, errorOf, expectOk, HOUR, MINUTE, openDemoClinic, signedOut, WORKSTATION } from '../testing/harness.js';
import type { Handlers } from './procedure.js';
import { Router } from './router.js';

afterAll(cleanupTempDirs);

let clinic: DemoClinic;
beforeEach(async () => {
  clinic = await openDemoClinic();
});
afterEach(() => {
  vi.restoreAllMocks();
  clinic.dispose();
});

interface AuditRow {
  id: string;
  user_id: string | null;
  workstation: string;
  procedure: string;
  entity: string | null;
  entity_id: string | null;
  outcome: string;
  details: string;
}

const auditRows = (): AuditRow[] => clinic.core.store.sqlite.prepare('SELECT * FROM audit_log ORDER BY id').all() as AuditRow[];
/** The audit rows written since `before` was taken. */
const newAuditRows = (before: AuditRow[]): AuditRow[] => {
  const seen = new Set(before.map((row) => row.id));
  return auditRows().filter((row) => !seen.has(row.id));
};
const userId = (username: string) => clinic.core.store.sqlite.prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as string;
const settingsRow = () => clinic.core.store.sqlite.prepare(`SELECT * FROM settings WHERE key = 'clinic'`).get();

const UPDATE = { clinicName: 'Riverside Clinic', timeZone: 'Europe/Lisbon', currency: 'EUR', version: 1 };

describe('the router', () => {
  it.each(['no.such', 'settings', '', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'settings.get.', 'SETTINGS.GET'])(
    'answers NOT_FOUND for the unknown procedure %j',
    async (name) => {
      const admin = await clinic.signInAs('admin');
      const result = await clinic.call(name, {}, admin);
      expect(errorOf(result).code).toBe('NOT_FOUND');
    },
  );

  it('asks a caller without a session to sign in, and one with a dead token to sign in again', async () => {
    expect(errorOf(await clinic.call('settings.get', {}, signedOut))).toMatchObject({ code: 'UNAUTHENTICATED', message: 'Please sign in to continue.' });
    const stale = { sessionToken: 'not-a-token-anyone-was-given', workstation: WORKSTATION };
    expect(errorOf(await clinic.call('settings.get', {}, stale))).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'Your session has ended. Please sign in again.',
    });
  });

  it('audits a mutation that succeeded, with the user, the entity and the workstation', async () => {
    const admin = await clinic.signInAs('admin');
    const before = auditRows();
    expect(expectOk(await clinic.call('settings.update', UPDATE, admin))).toEqual({ ...UPDATE, version: 2 });
    expect(newAuditRows(before)).toEqual([
      expect.objectContaining({
        user_id: userId('admin'),
        workstation: WORKSTATION,
        procedure: 'settings.update',
        entity: 'settings',
        entity_id: 'clinic',
        outcome: 'ok',
      }),
    ]);
  });

  it('does not audit a plain query', async () => {
    const nurse = await clinic.signInAs('nurse');
    const before = auditRows();
    expectOk(await clinic.call('settings.get', {}, nurse));
    expect(newAuditRows(before)).toEqual([]);
  });

  it('refuses a role without the permission with FORBIDDEN, audits the refusal, and changes nothing', async () => {
    const nurse = await clinic.signInAs('nurse');
    const before = auditRows();
    const settings = settingsRow();
    expect(errorOf(await clinic.call('settings.update', UPDATE, nurse)).code).toBe('FORBIDDEN');
    expect(settingsRow()).toEqual(settings);
    const [row, ...more] = newAuditRows(before);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ user_id: userId('nurse'), procedure: 'settings.update', outcome: 'denied' });
    expect(JSON.parse(row?.details ?? '{}')).toEqual({ code: 'FORBIDDEN' });
  });

  it('writes no audit row for VALIDATION', async () => {
    const admin = await clinic.signInAs('admin');
    const before = auditRows();
    const settings = settingsRow();
    const result = await clinic.call('settings.update', { ...UPDATE, clinicName: 'X' }, admin);
    expect(errorOf(result)).toMatchObject({ code: 'VALIDATION', fields: { clinicName: expect.any(String) } });
    expect(codeOf(await clinic.call('settings.update', { ...UPDATE, timeZone: 'Mars/Olympus_Mons' }, admin))).toBe('VALIDATION');
    expect(codeOf(await clinic.call('settings.update', { ...UPDATE, extra: true }, admin))).toBe('VALIDATION');
    expect(newAuditRows(before)).toEqual([]);
    expect(settingsRow()).toEqual(settings);
  });

  it('answers a stale version with CONFLICT, keeps the first desk’s change, and audits the attempt', async () => {
    const admin = await clinic.signInAs('admin');
    const frontDeskAdmin = await clinic.signInAs('admin', 'front-desk-pc');
    expectOk(await clinic.call('settings.update', UPDATE, admin));
    const saved = settingsRow();
    const before = auditRows();
    const result = await clinic.call('settings.update', { ...UPDATE, clinicName: 'Overwritten Clinic' }, frontDeskAdmin);
    expect(errorOf(result)).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/Someone else changed the clinic settings/) });
    expect(settingsRow()).toEqual(saved);
    expect(await readClinicSettings(clinic.core.store.db)).toMatchObject({ clinicName: 'Riverside Clinic', version: 2 });
    expect(newAuditRows(before)).toEqual([expect.objectContaining({ procedure: 'settings.update', outcome: 'error', workstation: 'front-desk-pc' })]);
  });

  it('applies a change to a role’s permissions on its users’ next call', async () => {
    const admin = await clinic.signInAs('admin');
    expectOk(await clinic.call('settings.update', UPDATE, admin));
    clinic.core.store.sqlite
      .prepare(`DELETE FROM role_permissions WHERE permission = 'settings.manage' AND role_id = (SELECT id FROM roles WHERE name = 'admin')`)
      .run();
    expect(codeOf(await clinic.call('settings.update', { ...UPDATE, version: 2 }, admin))).toBe('FORBIDDEN');
  });

  it('ends the sessions of a deactivated user at once', async () => {
    const nurse = await clinic.signInAs('nurse');
    expectOk(await clinic.call('auth.me', {}, nurse));
    clinic.core.store.sqlite.prepare(`UPDATE users SET active = 0 WHERE username = 'nurse'`).run();
    expect(codeOf(await clinic.call('auth.me', {}, nurse))).toBe('UNAUTHENTICATED');
  });

  it('ends a session twelve hours after sign-in however busy it was', async () => {
    const doctor = await clinic.signInAs('doctor');
    // A call every five minutes: busy, so no idle timeout can be what ends it.
    const STEP = 5 * MINUTE;
    for (let elapsed = STEP; elapsed < 12 * HOUR; elapsed += STEP) {
      clinic.clock.advance(STEP);
      expectOk(await clinic.call('auth.me', {}, doctor));
    }
    clinic.clock.advance(STEP - 1);
    expectOk(await clinic.call('auth.me', {}, doctor));
    clinic.clock.advance(1);
    expect(errorOf(await clinic.call('auth.me', {}, doctor))).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'Your session has ended. Please sign in again.',
    });
    // A new sign-in starts a new twelve hours.
    const again = await clinic.signInAs('doctor');
    expectOk(await clinic.call('auth.me', {}, again));
  });
});

describe('table-change events', () => {
  interface Seen {
    tables: string[];
    inTransaction: boolean;
    clinicName: string;
  }
  let seen: Seen[];
  beforeEach(() => {
    seen = [];
    clinic.core.onTablesChanged((tables) => {
      const sqlite = clinic.core.store.sqlite;
      const value = sqlite.prepare(`SELECT value FROM settings WHERE key = 'clinic'`).pluck().get() as string;
      seen.push({ tables, inTransaction: sqlite.inTransaction, clinicName: JSON.parse(value).clinicName });
    });
  });

  it('fire after the commit with the tables a mutation changed', async () => {
    const admin = await clinic.signInAs('admin');
    expect(seen).toEqual([{ tables: expect.arrayContaining(['audit_log', 'sessions']), inTransaction: false, clinicName: 'Asclepia Demo Clinic' }]);
    seen = [];
    expectOk(await clinic.call('settings.update', UPDATE, admin));
    expect(seen).toEqual([{ tables: ['audit_log', 'settings'], inTransaction: false, clinicName: 'Riverside Clinic' }]);
  });

  it('do not fire for queries or VALIDATION', async () => {
    const admin = await clinic.signInAs('admin');
    seen = [];
    expectOk(await clinic.call('settings.get', {}, admin));
    expectOk(await clinic.call('auth.me', {}, admin));
    expect(codeOf(await clinic.call('settings.update', { ...UPDATE, currency: 'euro' }, admin))).toBe('VALIDATION');
    expect(seen).toEqual([]);
  });

  it('do not name a rolled-back table: a CONFLICT reports only its audit row', async () => {
    const admin = await clinic.signInAs('admin');
    seen = [];
    expect(codeOf(await clinic.call('settings.update', { ...UPDATE, version: 7 }, admin))).toBe('CONFLICT');
    expect(seen).toEqual([{ tables: ['audit_log'], inTransaction: false, clinicName: 'Asclepia Demo Clinic' }]);
  });

  it('survive a listener that throws', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    clinic.core.onTablesChanged(() => {
      throw new Error('listener broke');
    });
    const admin = await clinic.signInAs('admin');
    expectOk(await clinic.call('settings.update', UPDATE, admin));
    expect(seen.at(-1)?.tables).toEqual(['audit_log', 'settings']);
    expect(errors).toHaveBeenCalled();
  });
});

describe('a handler that fails', () => {
  const SECRET = 'Mrs Jane Example, HIV positive';

  /** The setup, auth and settings modules, with settings handlers that misbehave after writing. */
  function routerWith(settings: Partial<Handlers<'settings.get' | 'settings.update'>>): Router {
    const router = new Router(clinic.core.store, clinic.clock, { commonPasswords: new Set() });
    router.register(setupHandlers);
    router.register(authHandlers);
    router.register({ ...settingsHandlers, ...settings });
    return router;
  }

  async function signIn(router: Router) {
    const result = await router.call('auth.signIn', { username: 'admin', password: 'asclepia-demo' }, signedOut);
    if (result.session?.kind !== 'started') throw new Error('no session');
    return { sessionToken: result.session.token, workstation: WORKSTATION };
  }

  it('rolls back everything it wrote, answers INTERNAL with a reference, audits the failure, and logs no message text', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const router = routerWith({
      'settings.update': async ({ version, ...settings }, ctx) => {
        await updateClinicSettings(ctx.db, settings, version, ctx.nowIso, ctx.user().userId);
        throw new Error(SECRET);
      },
    });
    const events: string[][] = [];
    router.changes.subscribe((tables) => events.push(tables));
    const admin = await signIn(router);
    events.length = 0;
    const settings = settingsRow();
    const before = auditRows();

    const error = errorOf(await router.call('settings.update', UPDATE, admin));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).not.toContain(SECRET);
    const reference = /reference to your administrator: ([0-9a-f-]{36})/.exec(error.message)?.[1];
    expect(reference).toBeDefined();

    expect(settingsRow()).toEqual(settings);
    expect(events).toEqual([['audit_log']]);
    const [row, ...more] = newAuditRows(before);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ procedure: 'settings.update', outcome: 'error', user_id: userId('admin') });
    expect(JSON.parse(row?.details ?? '{}')).toEqual({ code: 'INTERNAL' });

    const logged = errors.mock.calls.map((args) => args.map(String).join(' ')).join('\n');
    expect(logged).toContain(reference);
    expect(logged).not.toContain(SECRET);
  });

  it('answers INTERNAL and rolls back when its output does not match the contract', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const router = routerWith({
      'settings.update': async ({ version, ...settings }, ctx) => {
        await updateClinicSettings(ctx.db, settings, version, ctx.nowIso, ctx.user().userId);
        return { ...settings, version: 'two' } as never;
      },
      'settings.get': async () => ({ clinicName: 'Leaky', timeZone: 'UTC', currency: 'EUR', version: 1, passwordHash: 'x' }) as never,
    });
    const admin = await signIn(router);
    const settings = settingsRow();
    expect(codeOf(await router.call('settings.update', UPDATE, admin))).toBe('INTERNAL');
    expect(settingsRow()).toEqual(settings);
    expect(codeOf(await router.call('settings.get', {}, admin))).toBe('INTERNAL');
  });

  it('refuses handler tables that do not match the contract', () => {
    const router = new Router(clinic.core.store, clinic.clock, { commonPasswords: new Set() });
    router.register(settingsHandlers);
    expect(() => router.register(settingsHandlers)).toThrow(/registered twice/);
    const unknown: Record<string, unknown> = { 'settings.delete': async () => null };
    expect(() => router.register(unknown)).toThrow(/no procedure in the contract/);
    expect(() => router.assertComplete()).toThrow(/No handler for: .*setup\.status/);
  });
});

describe('the audit log', () => {
  it('refuses UPDATE and DELETE', async () => {
    const admin = await clinic.signInAs('admin');
    expectOk(await clinic.call('settings.update', UPDATE, admin));
    const { sqlite } = clinic.core.store;
    const before = auditRows();
    expect(before.length).toBeGreaterThan(0);
    expect(() => sqlite.prepare(`UPDATE audit_log SET outcome = 'denied'`).run()).toThrow(/audit_log is append-only/);
    expect(() => sqlite.prepare(`UPDATE audit_log SET details = '{}' WHERE procedure = 'settings.update'`).run()).toThrow(/append-only/);
    expect(() => sqlite.prepare('DELETE FROM audit_log').run()).toThrow(/audit_log is append-only/);
    await expect(clinic.core.store.db.deleteFrom('audit_log').where('procedure', '=', 'settings.update').execute()).rejects.toThrow(/append-only/);
    expect(auditRows()).toEqual(before);
  });

  it('holds the demo seed for every role', () => {
    const seeded = auditRows().filter((row) => row.procedure === 'demo.seed');
    expect(seeded).toHaveLength(Object.keys(DEFAULT_ROLE_PERMISSIONS).length);
  });
});
