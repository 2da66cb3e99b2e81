import type { Kysely } from 'kysely';
import { newId } from '../ids.js';
import type { DB } from './schema.js';

/**
 * The next number of a named sequence (MRN, invoice number), taken inside the caller's
 * transaction: a rolled-back write gives its number back, a committed one never reuses it.
 */
export async function nextNumber(db: Kysely<DB>, name: string, nowIso: string): Promise<number> {
  const row = await db
    .insertInto('counters')
    .values({ id: newId(), name, value: 1, created_at: nowIso, updated_at: nowIso, created_by: null, version: 1 })
    .onConflict((conflict) => conflict.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1), updated_at: nowIso })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return row.value;
}
