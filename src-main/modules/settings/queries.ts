import type { Kysely } from 'kysely';
import { type ClinicSettings, clinicSettings } from '../../../src-shared/schemas/settings.js';
import type { DB } from '../../core/db/schema.js';
import { expectVersionedUpdate } from '../../core/db/versioned.js';
import { newId } from '../../core/ids.js';

/** The clinic's identity lives under one settings key; later modules add keys of their own. */
const CLINIC_KEY = 'clinic';

export async function insertClinicSettings(db: Kysely<DB>, settings: ClinicSettings, nowIso: string, createdBy: string | null): Promise<void> {
  await db
    .insertInto('settings')
    .values({ id: newId(), key: CLINIC_KEY, value: JSON.stringify(settings), created_at: nowIso, updated_at: nowIso, created_by: createdBy, version: 1 })
    .execute();
}

export async function readClinicSettings(db: Kysely<DB>): Promise<ClinicSettings & { version: number }> {
  const row = await db.selectFrom('settings').select(['value', 'version']).where('key', '=', CLINIC_KEY).executeTakeFirstOrThrow();
  return { ...clinicSettings.parse(JSON.parse(row.value)), version: row.version };
}

export async function updateClinicSettings(db: Kysely<DB>, settings: ClinicSettings, expectedVersion: number, nowIso: string): Promise<void> {
  const result = await db
    .updateTable('settings')
    .set((eb) => ({ value: JSON.stringify(settings), updated_at: nowIso, version: eb('version', '+', 1) }))
    .where('key', '=', CLINIC_KEY)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  expectVersionedUpdate(result, 'clinic settings');
}
