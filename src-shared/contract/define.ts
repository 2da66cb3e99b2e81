import type { z } from 'zod';
import type { Permission } from '../permissions.js';

/**
 * Who may call a procedure: anyone (the sign-in and first-run screens), any signed-in user, or a
 * user whose role holds at least one of the listed permissions.
 */
export type Access = 'public' | 'signed-in' | readonly [Permission, ...Permission[]];

export interface ProcedureDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  kind: 'query' | 'mutation';
  access: Access;
  /** Always a strict object, so unknown keys are refused rather than ignored. */
  input: I;
  output: O;
  summary: string;
  /** Queries only: the tables whose changes make the renderer fetch this again. */
  reads?: readonly string[];
}

export function query<I extends z.ZodType, O extends z.ZodType>(
  def: Omit<ProcedureDef<I, O>, 'kind' | 'reads'> & { reads: readonly string[] },
): ProcedureDef<I, O> {
  return { kind: 'query', ...def };
}

export function mutation<I extends z.ZodType, O extends z.ZodType>(def: Omit<ProcedureDef<I, O>, 'kind' | 'reads'>): ProcedureDef<I, O> {
  return { kind: 'mutation', ...def };
}

export function accessAllows(access: Access, granted: ReadonlySet<string> | null): boolean {
  if (access === 'public') return true;
  if (granted === null) return false;
  if (access === 'signed-in') return true;
  return access.some((permission) => granted.has(permission));
}
