import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Access } from '../../src-shared/contract/define.js';
import { contract, PROCEDURE_NAMES, type ProcedureName, procedureDef } from '../../src-shared/contract/index.js';
import type { ErrorCode } from '../../src-shared/errors.js';
import { DEFAULT_ROLE_PERMISSIONS, ROLE_NAMES, type RoleName } from '../../src-shared/permissions.js';
import { cleanupTempDirs, codeOf, type DemoClinic, openDemoClinic, signedOut } from '../testing/harness.js';
import type { CallerContext } from './router.js';

/**
 * The access matrix, generated from the contract: every procedure for every demo role and for
 * nobody signed in. The input {__probe: 1} is invalid for every strict schema, so a caller who
 * gets past the permission check stops at VALIDATION and nothing runs.
 */
type Who = RoleName | 'signed out';
const WHO: Who[] = ['signed out', ...ROLE_NAMES];
const PROBE = { __probe: 1 };

function expectedCode(access: Access, who: Who): ErrorCode {
  if (access === 'public') return 'VALIDATION';
  if (who === 'signed out') return 'UNAUTHENTICATED';
  if (access === 'signed-in') return 'VALIDATION';
  const granted: readonly string[] = DEFAULT_ROLE_PERMISSIONS[who];
  return access.some((permission) => granted.includes(permission)) ? 'VALIDATION' : 'FORBIDDEN';
}

const CASES = PROCEDURE_NAMES.flatMap((name) =>
  WHO.map((who) => ({ name, who, access: procedureDef(name).access, expected: expectedCode(procedureDef(name).access, who) })),
);

let clinic: DemoClinic;
const callers = new Map<Who, CallerContext>();

beforeAll(async () => {
  clinic = await openDemoClinic();
  callers.set('signed out', signedOut);
  for (const role of ROLE_NAMES) callers.set(role, await clinic.signInAs(role));
});

afterAll(() => {
  clinic?.dispose();
  cleanupTempDirs();
});

describe('the access matrix', () => {
  it('covers every procedure for every role and for nobody', () => {
    expect(CASES).toHaveLength(PROCEDURE_NAMES.length * (ROLE_NAMES.length + 1));
    expect(PROCEDURE_NAMES.length).toBeGreaterThan(0);
  });

  it.each(CASES)('$name as $who → $expected', async ({ name, who, expected }) => {
    const result = await clinic.call(name, PROBE, callers.get(who));
    expect(codeOf(result)).toBe(expected);
  });
});

/** Walks a zod schema and returns the paths of object schemas that would accept unknown keys. */
function nonStrictObjects(schema: z.ZodType, path: string): string[] {
  // zod 4 keeps each schema's definition in _zod.def; its type says which children to visit.
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const child = (key: string) => def[key] as z.ZodType;
  switch (def.type) {
    case 'object': {
      const catchall = def.catchall as z.ZodType | undefined;
      const strict = (catchall as unknown as { _zod?: { def: { type: string } } })?._zod?.def.type === 'never';
      const shape = def.shape as Record<string, z.ZodType>;
      return [...(strict ? [] : [path || '(root)']), ...Object.entries(shape).flatMap(([key, value]) => nonStrictObjects(value, `${path}.${key}`))];
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return nonStrictObjects(child('innerType'), path);
    case 'pipe':
      return [...nonStrictObjects(child('in'), path), ...nonStrictObjects(child('out'), path)];
    case 'array':
      return nonStrictObjects(child('element'), `${path}[]`);
    case 'union':
      return (def.options as z.ZodType[]).flatMap((option, index) => nonStrictObjects(option, `${path}|${index}`));
    case 'intersection':
      return [...nonStrictObjects(child('left'), path), ...nonStrictObjects(child('right'), path)];
    case 'record':
    case 'map':
      return nonStrictObjects(child('valueType'), `${path}{}`);
    case 'tuple':
      return (def.items as z.ZodType[]).flatMap((item, index) => nonStrictObjects(item, `${path}[${index}]`));
    case 'lazy':
      return [];
    default:
      return [];
  }
}

describe('every input schema', () => {
  it('is checked by a walker that does find a loose object', () => {
    const loose = z.strictObject({ a: z.object({ b: z.string() }).optional(), c: z.array(z.looseObject({})), d: z.strictObject({}) });
    expect(nonStrictObjects(loose, '')).toEqual(['.a', '.c[]']);
  });

  it.each(PROCEDURE_NAMES)('%s takes a strict object, strict at every level', (name: ProcedureName) => {
    const input = contract[name].input as z.ZodType;
    expect((input as unknown as { _zod: { def: { type: string } } })._zod.def.type).toBe('object');
    expect(nonStrictObjects(input, '')).toEqual([]);
    const parsed = input.safeParse(PROBE);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.some((issue) => issue.code === 'unrecognized_keys')).toBe(true);
  });
});
