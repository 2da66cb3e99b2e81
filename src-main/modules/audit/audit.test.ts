import Papa from 'papaparse';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditFilter, AuditRow } from '../../../src-shared/contract/audit.js';
import type { RoleSummary, UserSummary } from '../../../src-shared/contract/users.js';
import { auditRowHash, GENESIS_HASH } from '../../core/audit/chain.js';
import type { CallerContext } from '../../core/router.js';
import { cleanupTempDirs, codeOf, DEMO_PASSWORD, type DemoClinic, errorOf, expectOk, MINUTE, openDemoClinic, signedOut } from '../../testing/harness.js';

afterAll(cleanupTempDirs);

let clinic: DemoClinic;
let admin: CallerContext;
beforeEach(async () => {
  clinic = await openDemoClinic();
  admin = await clinic.signInAs('admin');
});
afterEach(() => clinic.dispose());

interface StoredRow {
  seq: number;
  id: string;
  at: string;
  user_id: string | null;
  workstation: string;
  procedure: string;
  entity: string | null;
  entity_id: string | null;
  outcome: string;
  severity: string;
  details: string;
  prev_hash: string;
  hash: string;
}
type Verdict = { intact: boolean; checked: number; firstBroken: { seq: number; id: string; at: string; problem: string } | null };

const sqlite = () => clinic.core.store.sqlite;
const stored = () => sqlite().prepare('SELECT * FROM audit_log ORDER BY seq').all() as StoredRow[];
const maxSeq = () => sqlite().prepare('SELECT max(seq) FROM audit_log').pluck().get() as number;
const userId = (username: string) => sqlite().prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as string;

async function list(filter: AuditFilter = {}, page: { before?: number; limit?: number } = {}) {
  return expectOk(await clinic.call('audit.list', { filter, ...page }, admin)) as { rows: AuditRow[]; nextBefore: number | null };
}

async function verify(): Promise<Verdict> {
  return expectOk(await clinic.call('audit.verify', {}, admin)) as Verdict;
}

async function roleNamed(name: string): Promise<RoleSummary> {
  const roles = expectOk(await clinic.call('roles.list', {}, admin)) as RoleSummary[];
  return roles.find((role) => role.name === name) as RoleSummary;
}

describe('the audit trail of mutations', () => {
  it('adds one chained row for every mutation, none for queries, and the chain verifies', async () => {
    const nurseRole = await roleNamed('nurse');
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['users.create', async () => clinic.call('users.create', { username: 'k.wanjiru', displayName: 'K Wanjiru', roleId: nurseRole.id }, admin)],
      ['roles.create', async () => clinic.call('roles.create', { name: 'auditor', label: 'Auditor', permissions: ['audit.read'] }, admin)],
      [
        'settings.updateSecurity',
        async () => clinic.call('settings.updateSecurity', { idleLockMinutes: 15, requireTwoFactorForAdmins: false, version: 0 }, admin),
      ],
      ['auth.lock', async () => clinic.call('auth.lock', {}, admin)],
      ['auth.unlock', async () => clinic.call('auth.unlock', { password: DEMO_PASSWORD }, admin)],
      ['auth.signIn', async () => clinic.call('auth.signIn', { username: 'nurse', password: DEMO_PASSWORD }, signedOut)],
      ['auth.changePassword', async () => clinic.call('auth.changePassword', { currentPassword: DEMO_PASSWORD, newPassword: 'a brand new passphrase' }, admin)],
    ];
    for (const [procedure, step] of steps) {
      const before = maxSeq();
      const result = (await step()) as Parameters<typeof expectOk>[0];
      expectOk(result);
      const added = stored().filter((row) => row.seq > before);
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({ procedure, outcome: 'ok', workstation: 'test-workstation' });
    }
    const before = maxSeq();
    for (const query of ['users.list', 'roles.list', 'auth.me', 'settings.getSecurity', 'audit.verify']) expectOk(await clinic.call(query, {}, admin));
    expectOk(await clinic.call('audit.list', { filter: {} }, admin));
    expect(maxSeq()).toBe(before);

    const rows = stored();
    rows.forEach((row, index) => {
      expect(row.seq).toBe(index + 1);
      expect(row.prev_hash).toBe(index === 0 ? GENESIS_HASH : rows[index - 1]?.hash);
      expect(row.hash).toBe(auditRowHash(row.prev_hash, row));
    });
    expect(await verify()).toEqual({ intact: true, checked: rows.length, firstBroken: null });
  });

  it('records refused calls as denied and failed ones as error, still chained', async () => {
    const nurse = await clinic.signInAs('nurse');
    const before = maxSeq();
    expect(codeOf(await clinic.call('users.list', {}, nurse))).toBe('FORBIDDEN');
    const self = expectOk(await clinic.call('users.list', { search: 'admin' }, admin)) as UserSummary[];
    expect(codeOf(await clinic.call('users.setActive', { id: self[0]?.id, active: false, version: self[0]?.version }, admin))).toBe('CONFLICT');
    const added = stored().filter((row) => row.seq > before);
    expect(added.map((row) => [row.procedure, row.outcome, row.user_id])).toEqual([
      ['users.list', 'denied', userId('nurse')],
      ['users.setActive', 'error', userId('admin')],
    ]);
    expect(JSON.parse(added[0]?.details ?? '{}')).toEqual({ code: 'FORBIDDEN' });
    expect((await verify()).intact).toBe(true);
  });

  it('is readable only with audit.read', async () => {
    const nurse = await clinic.signInAs('nurse');
    for (const [name, input] of [
      ['audit.list', { filter: {} }],
      ['audit.verify', {}],
      ['audit.exportCsv', { filter: {} }],
    ] as const) {
      expect(codeOf(await clinic.call(name, input, nurse))).toBe('FORBIDDEN');
      expect(codeOf(await clinic.call(name, input, signedOut))).toBe('UNAUTHENTICATED');
    }
  });
});

describe('audit.list', () => {
  /** A small history over three hours: sign-ins and refusals by several users. */
  async function history() {
    clinic.clock.advance(MINUTE);
    const nurse = await clinic.signInAs('nurse');
    clinic.clock.advance(60 * MINUTE);
    const doctor = await clinic.signInAs('doctor');
    expect(codeOf(await clinic.call('users.list', {}, doctor))).toBe('FORBIDDEN');
    clinic.clock.advance(60 * MINUTE);
    expect(codeOf(await clinic.call('auth.signIn', { username: 'doctor', password: 'wrong password' }, signedOut))).toBe('UNAUTHENTICATED');
    expectOk(await clinic.call('auth.signOut', {}, nurse));
    // The admin's first session locked while time passed: sign in again to read.
    admin = await clinic.signInAs('admin');
    return { nurse, doctor };
  }

  it('lists newest first with usernames', async () => {
    await history();
    const { rows, nextBefore } = await list();
    expect(nextBefore).toBeNull();
    expect(rows.map((row) => row.seq)).toEqual(
      stored()
        .map((row) => row.seq)
        .reverse(),
    );
    expect(rows[0]).toMatchObject({ procedure: 'auth.signIn', username: 'admin', entityId: userId('admin'), outcome: 'ok' });
    expect(rows[1]).toMatchObject({ procedure: 'auth.signOut', username: 'nurse', userId: userId('nurse'), outcome: 'ok', severity: 'normal', details: {} });
    expect(rows.at(-1)).toMatchObject({ seq: 1, procedure: 'demo.seed', userId: null, username: null });
  });

  it('filters by user, procedure, outcome and time range', async () => {
    await history();
    const byDoctor = await list({ userId: userId('doctor') });
    expect(byDoctor.rows.map((row) => [row.procedure, row.outcome])).toEqual([
      ['users.list', 'denied'],
      ['auth.signIn', 'ok'],
    ]);
    const signIns = await list({ procedure: 'auth.signIn' });
    expect(signIns.rows.every((row) => row.procedure === 'auth.signIn')).toBe(true);
    expect(signIns.rows).toHaveLength(5); // admin, nurse, doctor, the refused one, admin again
    const denied = await list({ outcome: 'denied' });
    expect(denied.rows.map((row) => row.procedure)).toEqual(['auth.signIn', 'users.list']);
    expect(denied.rows[0]).toMatchObject({ userId: null, entityId: userId('doctor') });
    expect((await list({ procedure: 'auth.signIn', outcome: 'denied' })).rows).toHaveLength(1);
    expect((await list({ outcome: 'error' })).rows).toEqual([]);

    // from is inclusive, to exclusive.
    const start = new Date('2026-03-02T08:00:00.000Z').getTime();
    const at = (minutes: number) => new Date(start + minutes * MINUTE).toISOString();
    const firstHour = await list({ from: at(1), to: at(61) });
    expect(firstHour.rows.map((row) => [row.procedure, row.username])).toEqual([['auth.signIn', 'nurse']]);
    const secondHourOn = await list({ from: at(61) });
    expect(secondHourOn.rows.map((row) => [row.procedure, row.outcome])).toEqual([
      ['auth.signIn', 'ok'],
      ['auth.signOut', 'ok'],
      ['auth.signIn', 'denied'],
      ['users.list', 'denied'],
      ['auth.signIn', 'ok'],
    ]);
    const beforeAll = await list({ to: at(0) });
    expect(beforeAll.rows).toEqual([]);
    const firstMinute = (await list({ from: at(0), to: at(1) })).rows;
    const seeded = stored().filter((row) => row.procedure === 'demo.seed').length;
    expect(seeded).toBeGreaterThan(0);
    expect(firstMinute.map((row) => row.procedure)).toEqual(['auth.signIn', ...Array(seeded).fill('demo.seed')]);
    expect(firstMinute.every((row) => row.at === at(0))).toBe(true);
    expect(codeOf(await clinic.call('audit.list', { filter: { from: 'yesterday' } }, admin))).toBe('VALIDATION');
  });

  it('pages with before and nextBefore, without gaps or repeats', async () => {
    await history();
    const all = (await list()).rows.map((row) => row.seq);
    expect(all.length).toBeGreaterThan(7);
    const seen: number[] = [];
    let before: number | undefined;
    let pages = 0;
    for (;;) {
      const page = await list({}, { before, limit: 3 });
      pages += 1;
      expect(page.rows.length).toBeLessThanOrEqual(3);
      seen.push(...page.rows.map((row) => row.seq));
      if (page.nextBefore === null) break;
      expect(page.nextBefore).toBe(page.rows.at(-1)?.seq);
      before = page.nextBefore;
    }
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 3));
    // Paging combines with a filter.
    const first = await list({ procedure: 'auth.signIn' }, { limit: 2 });
    expect(first.rows).toHaveLength(2);
    const second = await list({ procedure: 'auth.signIn' }, { limit: 2, before: first.nextBefore ?? undefined });
    expect(second.rows).toHaveLength(2);
    const third = await list({ procedure: 'auth.signIn' }, { limit: 2, before: second.nextBefore ?? undefined });
    expect(third.rows.map((row) => row.username)).toEqual(['admin']);
    expect(third.nextBefore).toBeNull();
    expect([...first.rows, ...second.rows, ...third.rows].every((row) => row.procedure === 'auth.signIn')).toBe(true);
    expect(codeOf(await clinic.call('audit.list', { filter: {}, limit: 501 }, admin))).toBe('VALIDATION');
  });
});

describe('audit.exportCsv', () => {
  it('writes a BOM, the header and neutralised formula cells, and is itself audited', async () => {
    const evil = { sessionToken: null, workstation: '=cmd|"/c calc"!A1' };
    expectOk(await clinic.call('auth.signIn', { username: 'nurse', password: DEMO_PASSWORD }, evil));
    const plus = await clinic.signInAs('doctor', '+desk');
    expectOk(await clinic.call('auth.lock', {}, plus));
    const before = maxSeq();
    const exported = expectOk(await clinic.call('audit.exportCsv', { filter: {} }, admin)) as { fileName: string; csv: string; rows: number };

    expect(exported.csv.startsWith('\uFEFF')).toBe(true);
    expect(Buffer.from(exported.csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = exported.csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('Seq,Time (UTC),User,Workstation,Action,Entity,Entity id,Outcome,Severity,Details');
    expect(exported.rows).toBe(before);

    const parsed = Papa.parse<string[]>(exported.csv.slice(1), { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const [header, ...data] = parsed.data;
    expect(header).toHaveLength(10);
    expect(data).toHaveLength(before);
    for (const row of data) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const workstations = data.map((row) => row[3]);
    expect(workstations).toContain(`'=cmd|"/c calc"!A1`);
    expect(workstations).toContain(`'+desk`);
    expect(exported.csv).not.toMatch(/(^|,|\r\n)=cmd/);
    expect(data[0]?.[0]).toBe(String(before));
    expect(exported.fileName).toBe('audit-log-2026-03-02.csv');

    // The export is on record, with the number of rows it carried.
    const added = stored().filter((row) => row.seq > before);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ procedure: 'audit.exportCsv', outcome: 'ok', user_id: userId('admin'), entity: 'audit_log' });
    expect(JSON.parse(added[0]?.details ?? '{}')).toEqual({ rows: before, filter: {} });
    expect((await verify()).intact).toBe(true);
  });

  it('exports only the filtered rows and names the file by the clinic’s local date', async () => {
    // 22:30 UTC is already the next day in Nairobi (UTC+3), the demo clinic's zone.
    clinic.clock.set('2026-03-02T22:30:00.000Z');
    admin = await clinic.signInAs('admin');
    await clinic.signInAs('nurse');
    const exported = expectOk(await clinic.call('audit.exportCsv', { filter: { procedure: 'auth.signIn' } }, admin)) as {
      fileName: string;
      csv: string;
      rows: number;
    };
    expect(exported.fileName).toBe('audit-log-2026-03-03.csv');
    expect(exported.rows).toBe(3);
    const data = Papa.parse<string[]>(exported.csv.slice(1), { skipEmptyLines: true }).data.slice(1);
    expect(data.map((row) => [row[1], row[2], row[4]])).toEqual([
      ['2026-03-02T22:30:00.000Z', 'nurse', 'auth.signIn'],
      ['2026-03-02T22:30:00.000Z', 'admin', 'auth.signIn'],
      ['2026-03-02T08:00:00.000Z', 'admin', 'auth.signIn'],
    ]);
  });
});

describe('tampering behind the application’s back', () => {
  it('a changed row is reported by its seq once the update trigger is dropped', async () => {
    await clinic.signInAs('nurse');
    await clinic.signInAs('doctor');
    const total = maxSeq();
    const target = stored()[3] as StoredRow;
    expect(() => sqlite().prepare(`UPDATE audit_log SET details = '{"role":"Nobody"}' WHERE seq = ?`).run(target.seq)).toThrow(/append-only/);
    expect((await verify()).intact).toBe(true);

    sqlite().exec('DROP TRIGGER audit_log_no_update');
    sqlite().prepare(`UPDATE audit_log SET details = '{"role":"Nobody"}' WHERE seq = ?`).run(target.seq);
    expect(await verify()).toEqual({
      intact: false,
      checked: target.seq - 1,
      firstBroken: { seq: target.seq, id: target.id, at: target.at, problem: 'its content was changed after it was written' },
    });
    expect(maxSeq()).toBe(total);
  });

  it('a forged row whose hash was recomputed is reported at the row after it', async () => {
    await clinic.signInAs('nurse');
    const target = stored()[2] as StoredRow;
    sqlite().exec('DROP TRIGGER audit_log_no_update');
    const forged = { ...target, workstation: 'elsewhere' };
    sqlite()
      .prepare('UPDATE audit_log SET workstation = ?, hash = ? WHERE seq = ?')
      .run(forged.workstation, auditRowHash(target.prev_hash, forged), target.seq);
    expect((await verify()).firstBroken).toMatchObject({ seq: target.seq + 1, problem: 'it does not follow the row before it' });
  });

  it('a deleted middle row is reported once the delete trigger is dropped', async () => {
    await clinic.signInAs('nurse');
    await clinic.signInAs('doctor');
    expect(() => sqlite().prepare('DELETE FROM audit_log WHERE seq = 4').run()).toThrow(/append-only/);
    sqlite().exec('DROP TRIGGER audit_log_no_delete');
    sqlite().prepare('DELETE FROM audit_log WHERE seq = 4').run();
    const verdict = await verify();
    expect(verdict).toMatchObject({ intact: false, checked: 3, firstBroken: { seq: 5, problem: 'row 4 is missing' } });
    // Later rows keep coming; the break stays reported.
    await clinic.signInAs('pharmacist');
    expect((await verify()).firstBroken?.seq).toBe(5);
  });

  it('the report is the same through audit.verify for a reader other than the admin', async () => {
    const nurseRole = await roleNamed('nurse');
    expectOk(
      await clinic.call(
        'roles.update',
        { id: nurseRole.id, label: nurseRole.label, permissions: [...nurseRole.permissions, 'audit.read'], version: nurseRole.version },
        admin,
      ),
    );
    const nurse = await clinic.signInAs('nurse');
    sqlite().exec('DROP TRIGGER audit_log_no_update');
    sqlite().prepare(`UPDATE audit_log SET outcome = 'denied' WHERE seq = 2`).run();
    const verdict = expectOk(await clinic.call('audit.verify', {}, nurse)) as Verdict;
    expect(verdict.firstBroken?.seq).toBe(2);
    expect(errorOf(await clinic.call('audit.verify', {}, signedOut)).code).toBe('UNAUTHENTICATED');
  });
});
