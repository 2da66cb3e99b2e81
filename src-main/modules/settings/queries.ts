import type { Kysely } from 'kysely';
import { type ClinicSettings, clinicSettings, type SecurityPolicy, securityPolicy } from '../../../src-shared/schemas/settings.js';
import type { DB } from '../../core/db/schema.js';
import { expectVersionedUpdate, staleVersionError } from '../../core/db/versioned.js';
import { newId } from '../../core/ids.js';
import { DEFAULT_IDLE_LOCK_MINUTES } from '../auth/rules.js';

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

const SECURITY_KEY = 'security';
const DEFAULT_SECURITY_POLICY: SecurityPolicy = { idleLockMinutes: DEFAULT_IDLE_LOCK_MINUTES, requireTwoFactorForAdmins: false };

export async function readSecurityPolicy(db: Kysely<DB>): Promise<SecurityPolicy & { version: number }> {
  const row = await db.selectFrom('settings').select(['value', 'version']).where('key', '=', SECURITY_KEY).executeTakeFirst();
  if (!row) return { ...DEFAULT_SECURITY_POLICY, version: 0 };
  return { ...securityPolicy.parse(JSON.parse(row.value)), version: row.version };
}

/** Version 0 means the defaults were shown: the first save inserts, and a racing second save conflicts. */
export async function writeSecurityPolicy(db: Kysely<DB>, policy: SecurityPolicy, expectedVersion: number, nowIso: string, by: string): Promise<void> {
  if (expectedVersion === 0) {
    const exists = await db.selectFrom('settings').select('id').where('key', '=', SECURITY_KEY).executeTakeFirst();
    if (exists) throw staleVersionError('security settings');
    await db
      .insertInto('settings')
      .values({ id: newId(), key: SECURITY_KEY, value: JSON.stringify(policy), created_at: nowIso, updated_at: nowIso, created_by: by, version: 1 })
      .execute();
    return;
  }
  const result = await db
    .updateTable('settings')
    .set((eb) => ({ value: JSON.stringify(policy), updated_at: nowIso, version: eb('version', '+', 1) }))
    .where('key', '=', SECURITY_KEY)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  expectVersionedUpdate(result, 'security settings');
}
