import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, type DemoClinic, openDemoClinic } from '../../testing/harness.js';
import { writeAudit } from './audit.js';
import { auditRowHash, type ChainedFields, GENESIS_HASH, verifyChain } from './chain.js';

type ChainRow = ChainedFields & { prev_hash: string; hash: string };

function fieldsFor(seq: number): ChainedFields {
  return {
    seq,
    id: `01900000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    at: new Date(Date.UTC(2026, 2, 2, 8, 0, seq)).toISOString(),
    user_id: seq % 3 === 0 ? null : `user-${seq % 4}`,
    workstation: `desk-${seq % 2}`,
    procedure: ['auth.signIn', 'users.create', 'roles.update'][seq % 3] as string,
    entity: seq % 2 === 0 ? 'user' : null,
    entity_id: seq % 2 === 0 ? `user-${seq}` : null,
    outcome: seq % 5 === 0 ? 'denied' : 'ok',
    severity: 'normal',
    details: JSON.stringify({ n: seq }),
  };
}

/** A correctly chained log of n rows. */
function chainOf(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let previous = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const fields = fieldsFor(seq);
    const hash = auditRowHash(previous, fields);
    rows.push({ ...fields, prev_hash: previous, hash });
    previous = hash;
  }
  return rows;
}

async function* stream(rows: readonly ChainRow[]): AsyncGenerator<ChainRow> {
  for (const row of rows) yield row;
}

const verify = (rows: readonly ChainRow[]) => verifyChain(stream(rows));

describe('auditRowHash', () => {
  it('is SHA-256 of the previous hash and the row’s fields in a fixed order', () => {
    const fields = fieldsFor(1);
    const canonical = JSON.stringify([
      fields.seq,
      fields.id,
      fields.at,
      fields.user_id,
      fields.workstation,
      fields.procedure,
      fields.entity,
      fields.entity_id,
      fields.outcome,
      fields.severity,
      fields.details,
    ]);
    const expected = createHash('sha256').update(`${GENESIS_HASH}\n${canonical}`).digest('hex');
    expect(auditRowHash(GENESIS_HASH, fields)).toBe(expected);
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
  });

  it('ignores extra properties and the order they were given in', () => {
    const fields = fieldsFor(2);
    const shuffled = Object.fromEntries(Object.entries({ ...fields, prev_hash: 'x', hash: 'y', version: 9 }).reverse()) as unknown as ChainedFields;
    expect(auditRowHash(GENESIS_HASH, shuffled)).toBe(auditRowHash(GENESIS_HASH, fields));
  });

  it('tells field boundaries apart: moving text from one field to the next changes the hash', () => {
    const base = fieldsFor(3);
    const a = { ...base, workstation: 'ab', procedure: 'c' };
    const b = { ...base, workstation: 'a', procedure: 'bc' };
    expect(auditRowHash(GENESIS_HASH, a)).not.toBe(auditRowHash(GENESIS_HASH, b));
    expect(auditRowHash(GENESIS_HASH, { ...base, entity: null })).not.toBe(auditRowHash(GENESIS_HASH, { ...base, entity: 'null' }));
  });

  it('depends on the previous hash', () => {
    expect(auditRowHash(GENESIS_HASH, fieldsFor(1))).not.toBe(auditRowHash('f'.repeat(64), fieldsFor(1)));
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain, and an empty one', async () => {
    expect(await verify(chainOf(25))).toEqual({ intact: true, checked: 25 });
    expect(await verify([])).toEqual({ intact: true, checked: 0 });
  });

  const fieldNames = ['id', 'at', 'user_id', 'workstation', 'procedure', 'entity', 'entity_id', 'outcome', 'severity', 'details'] as const;

  it('names the first changed row, whichever field was changed (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.constantFrom(...fieldNames), fc.string({ maxLength: 12 }), async (seq, field, value) => {
        const rows = chainOf(12);
        const row = rows[seq - 1] as ChainRow;
        fc.pre(row[field] !== value);
        (row as unknown as Record<string, unknown>)[field] = value;
        const verdict = await verify(rows);
        expect(verdict).toEqual({
          intact: false,
          checked: seq - 1,
          firstBroken: { seq, id: row.id, at: row.at, problem: 'its content was changed after it was written' },
        });
      }),
      { numRuns: 150 },
    );
  });

  it('finds a removed row at the row after the gap, naming the missing one (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 11 }), async (removed) => {
        const rows = chainOf(12);
        rows.splice(removed - 1, 1);
        const verdict = await verify(rows);
        expect(verdict).toMatchObject({ intact: false, checked: removed - 1, firstBroken: { seq: removed + 1, problem: `row ${removed} is missing` } });
      }),
    );
  });

  it('finds a row whose hash was recomputed after a change: the next row no longer follows it', async () => {
    const rows = chainOf(10);
    const row = rows[4] as ChainRow;
    row.details = JSON.stringify({ n: 'forged' });
    row.hash = auditRowHash(row.prev_hash, row);
    expect(await verify(rows)).toMatchObject({ intact: false, checked: 5, firstBroken: { seq: 6, problem: 'it does not follow the row before it' } });
  });

  it('finds renumbered rows and swapped rows', async () => {
    const renumbered = chainOf(6);
    (renumbered[2] as ChainRow).seq = 4;
    expect(await verify(renumbered)).toMatchObject({ intact: false, firstBroken: { seq: 4, problem: 'row 3 is missing' } });

    const swapped = chainOf(6);
    const [third, fourth] = [swapped[2] as ChainRow, swapped[3] as ChainRow];
    swapped[2] = { ...fourth, seq: 3 };
    swapped[3] = { ...third, seq: 4 };
    expect(await verify(swapped)).toMatchObject({ intact: false, firstBroken: { seq: 3 } });
  });

  it('finds a forged first row that does not start from the genesis hash', async () => {
    const rows = chainOf(3);
    const first = rows[0] as ChainRow;
    first.prev_hash = 'a'.repeat(64);
    first.hash = auditRowHash(first.prev_hash, first);
    expect(await verify(rows)).toMatchObject({ intact: false, checked: 0, firstBroken: { seq: 1, problem: 'it does not follow the row before it' } });
  });
});

describe('writeAudit on the encrypted store', () => {
  afterAll(cleanupTempDirs);
  let clinic: DemoClinic;
  beforeEach(async () => {
    clinic = await openDemoClinic();
  });
  afterEach(() => clinic.dispose());

  const rows = () => clinic.core.store.sqlite.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Array<ChainRow & { created_at: string }>;

  it('appends rows numbered from 1, each chained to the one before, starting at the genesis hash', async () => {
    const seeded = rows();
    expect(seeded.length).toBeGreaterThan(0);
    expect(seeded[0]).toMatchObject({ seq: 1, prev_hash: GENESIS_HASH });
    for (let index = 0; index < 3; index += 1) {
      await writeAudit(clinic.core.store.db, {
        at: clinic.clock.iso(),
        userId: null,
        workstation: 'desk',
        procedure: 'test.write',
        outcome: index === 1 ? 'denied' : 'ok',
        severity: index === 2 ? 'high' : undefined,
        details: { index },
      });
    }
    const all = rows();
    expect(all).toHaveLength(seeded.length + 3);
    all.forEach((row, index) => {
      expect(row.seq).toBe(index + 1);
      expect(row.prev_hash).toBe(index === 0 ? GENESIS_HASH : all[index - 1]?.hash);
      expect(row.hash).toBe(auditRowHash(row.prev_hash, row));
    });
    expect(all.at(-1)).toMatchObject({ procedure: 'test.write', severity: 'high', details: '{"index":2}', entity: null, entity_id: null });
    expect(await verifyChain(stream(all))).toEqual({ intact: true, checked: all.length });
  });

  it('refuses UPDATE and DELETE while its triggers are in place', () => {
    const sqlite = clinic.core.store.sqlite;
    const before = rows();
    expect(() => sqlite.prepare(`UPDATE audit_log SET details = '{"forged":true}' WHERE seq = 2`).run()).toThrow(/append-only/);
    expect(() => sqlite.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/);
    expect(() => sqlite.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(rows()).toEqual(before);
  });
});
