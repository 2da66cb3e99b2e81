import type { Kysely } from 'kysely';
import type { z } from 'zod';
import {
  type ClinicSettings,
  clinicSettings,
  type RegistrySettings,
  registrySettings,
  type SecurityPolicy,
  securityPolicy,
} from '../../../src-shared/schemas/settings.js';
import { clinicLocalDate } from '../../../src-shared/time.js';
import type { DB } from '../../core/db/schema.js';
import { expectVersionedUpdate, staleVersionError } from '../../core/db/versioned.js';
import { newId } from '../../core/ids.js';
import { DEFAULT_IDLE_LOCK_MINUTES } from '../auth/rules.js';
import { DEFAULT_MRN_PREFIX } from '../patients/rules.js';

/**
 * Settings are JSON documents under a key, each with its schema and defaults. Version 0 means
 * the defaults were shown and never saved: the first save inserts, a racing second one conflicts.
 */
interface SettingDef<T> {
  key: string;
  label: string;
  schema: z.ZodType<T>;
  defaults: T | null;
}

const CLINIC: SettingDef<ClinicSettings> = { key: 'clinic', label: 'clinic settings', schema: clinicSettings, defaults: null };
const SECURITY: SettingDef<SecurityPolicy> = {
  key: 'security',
  label: 'security settings',
  schema: securityPolicy,
  defaults: { idleLockMinutes: DEFAULT_IDLE_LOCK_MINUTES, requireTwoFactorForAdmins: false },
};
const REGISTRY: SettingDef<RegistrySettings> = {
  key: 'registry',
  label: 'registry settings',
  schema: registrySettings,
  defaults: { mrnPrefix: DEFAULT_MRN_PREFIX },
};

/**
 * Every call reads the security policy (for the session) and most read the clinic settings: the
 * stored text is parsed and checked once, and again only when it changes.
 */
const parsedSettings = new Map<string, { text: string; value: unknown }>();

function parseSetting<T>(def: SettingDef<T>, text: string): T {
  const known = parsedSettings.get(def.key);
  if (known?.text === text) return known.value as T;
  const value = def.schema.parse(JSON.parse(text));
  parsedSettings.set(def.key, { text, value });
  return value;
}

async function readSetting<T>(db: Kysely<DB>, def: SettingDef<T>): Promise<T & { version: number }> {
  const row = await db.selectFrom('settings').select(['value', 'version']).where('key', '=', def.key).executeTakeFirst();
  if (!row) {
    if (def.defaults === null) throw new Error(`setting ${def.key} is missing`);
    return { ...def.defaults, version: 0 };
  }
  return { ...parseSetting(def, row.value), version: row.version };
}

async function writeSetting<T>(db: Kysely<DB>, def: SettingDef<T>, value: T, expectedVersion: number, nowIso: string, by: string | null): Promise<void> {
  if (expectedVersion === 0) {
    const exists = await db.selectFrom('settings').select('id').where('key', '=', def.key).executeTakeFirst();
    if (exists) throw staleVersionError(def.label);
    await db
      .insertInto('settings')
      .values({ id: newId(), key: def.key, value: JSON.stringify(value), created_at: nowIso, updated_at: nowIso, created_by: by, version: 1 })
      .execute();
    return;
  }
  const result = await db
    .updateTable('settings')
    .set((eb) => ({ value: JSON.stringify(value), updated_at: nowIso, version: eb('version', '+', 1) }))
    .where('key', '=', def.key)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  expectVersionedUpdate(result, def.label);
}

export const readClinicSettings = (db: Kysely<DB>) => readSetting(db, CLINIC);
export const insertClinicSettings = (db: Kysely<DB>, settings: ClinicSettings, nowIso: string, by: string | null) =>
  writeSetting(db, CLINIC, settings, 0, nowIso, by);
export const updateClinicSettings = (db: Kysely<DB>, settings: ClinicSettings, expectedVersion: number, nowIso: string, by: string | null) =>
  writeSetting(db, CLINIC, settings, expectedVersion, nowIso, by);

export const readSecurityPolicy = (db: Kysely<DB>) => readSetting(db, SECURITY);
export const writeSecurityPolicy = (db: Kysely<DB>, policy: SecurityPolicy, expectedVersion: number, nowIso: string, by: string | null) =>
  writeSetting(db, SECURITY, policy, expectedVersion, nowIso, by);

export const readRegistrySettings = (db: Kysely<DB>) => readSetting(db, REGISTRY);
export const writeRegistrySettings = (db: Kysely<DB>, settings: RegistrySettings, expectedVersion: number, nowIso: string, by: string | null) =>
  writeSetting(db, REGISTRY, settings, expectedVersion, nowIso, by);

/** Today's date at the clinic (YYYY-MM-DD), e.g. for naming an export. */
export async function clinicToday(db: Kysely<DB>, now: Date): Promise<string> {
  return clinicLocalDate(now, (await readClinicSettings(db)).timeZone);
}
