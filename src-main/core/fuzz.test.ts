import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Access } from '../../src-shared/contract/define.js';
import { PROCEDURE_NAMES, type ProcedureName, procedureDef } from '../../src-shared/contract/index.js';
import { DEFAULT_ROLE_PERMISSIONS, ROLE_NAMES, type RoleName } from '../../src-shared/permissions.js';
import { cleanupTempDirs, type DemoClinic, openDemoClinic, signedOut, snapshotTables, type TableSnapshot } from '../testing/harness.js';
import type { CallerContext } from './router.js';

/**
 * Random input to every procedure, as a caller allowed to make the call: whatever the input
 * schema refuses must come back as VALIDATION, never as a thrown error or another code, and must
 * leave every row of every table as it was.
 */
const RUNS = 250;
const MIN_REFUSED = 200;

type Def = { type: string } & Record<string, unknown>;
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Values of every kind, including ones no JSON or IPC transport would carry. */
const anyValue = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});

/** Values a form might send by mistake: near misses for the fields' real types. */
const nearMiss = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.constantFrom('', ' ', 'UTC', 'EUR', 'KES', 'admin', 'passphrase', 'recovery_key', 'asclepia-demo', 'x'.repeat(1000), '\u0000', '🩺'),
  fc.integer(),
  fc.constantFrom(0, -1, 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 2),
  fc.boolean(),
  fc.constantFrom(null, undefined),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/**
 * Objects over the schema's real key names (nested objects likewise), each key present or not,
 * holding either a near miss, anything at all, or a value shaped by the field's own schema; and
 * now and then one key the schema does not know.
 */
function shaped(schema: z.ZodType, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return shaped(def.innerType as z.ZodType, depth);
    case 'pipe':
      return shaped(def.in as z.ZodType, depth);
    case 'object': {
      if (depth > 3) return anyValue;
      const shape = def.shape as Record<string, z.ZodType>;
      const fields = Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, fc.oneof(nearMiss, anyValue, shaped(field, depth + 1))]));
      const known = fc.record(fields, { requiredKeys: [] });
      const extra = fc.option(fc.tuple(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'toString', '__probe')), anyValue), {
        freq: 4,
      });
      return fc.tuple(known, extra).map(([record, more]) => {
        if (!more) return record;
        const out: Record<string, unknown> = { ...record };
        Object.defineProperty(out, more[0], { value: more[1], enumerable: true, configurable: true, writable: true });
        return out;
      });
    }
    case 'array':
      return fc.array(shaped(def.element as z.ZodType, depth + 1), { maxLength: 3 });
    default:
      return nearMiss;
  }
}

function inputs(schema: z.ZodType): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: anyValue, weight: 1 }, { arbitrary: shaped(schema), weight: 3 }).filter((input) => !schema.safeParse(input).success);
}

function permittedRole(access: Access): RoleName | 'signed out' {
  if (access === 'public') return 'signed out';
  if (access === 'signed-in') return 'patient';
  const role = ROLE_NAMES.find((name) => access.some((permission) => DEFAULT_ROLE_PERMISSIONS[name].includes(permission)));
  if (!role) throw new Error(`No demo role holds any of ${access.join(', ')}: give the fuzz test a caller for it.`);
  return role;
}

let clinic: DemoClinic;
const callers = new Map<RoleName | 'signed out', CallerContext>();
let baseline: TableSnapshot;

beforeAll(async () => {
  clinic = await openDemoClinic();
  callers.set('signed out', signedOut);
  for (const role of ROLE_NAMES) callers.set(role, await clinic.signInAs(role));
  baseline = snapshotTables(clinic.core.store.sqlite);
});

afterAll(() => {
  clinic?.dispose();
  cleanupTempDirs();
});

describe('random input to every procedure', () => {
  it('watches every table, starting from the seeded clinic with every role signed in', () => {
    const tables = clinic.core.store.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[];
    expect(Object.keys(baseline).sort()).toEqual(tables.sort());
    // One user per role, plus the demo's second doctor.
    expect(baseline.users).toHaveLength(ROLE_NAMES.length + 1);
    expect(baseline.sessions).toHaveLength(ROLE_NAMES.length);
  });

  it.each(PROCEDURE_NAMES)('%s answers VALIDATION and writes nothing', async (name: ProcedureName) => {
    const def = procedureDef(name);
    const who = permittedRole(def.access);
    const caller = callers.get(who) as CallerContext;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(inputs(def.input), async (input) => {
        const result = await clinic.call(name, input, caller);
        refused++;
        expect(result.envelope).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.any(String) } });
        expect(result.session).toBeUndefined();
        expect(snapshotTables(clinic.core.store.sqlite)).toEqual(baseline);
      }),
      { numRuns: RUNS },
    );
    expect(refused).toBeGreaterThanOrEqual(MIN_REFUSED);
  });
});
