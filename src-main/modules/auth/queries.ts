import type { Kysely } from 'kysely';
import type { Me } from '../../../src-shared/contract/auth.js';
import { isPermission } from '../../../src-shared/permissions.js';
import type { DB } from '../../core/db/schema.js';
import { newId } from '../../core/ids.js';
import { readSecurityPolicy } from '../settings/queries.js';
import { afterFailure, mustEnrollTwoFactor, type ThrottleState } from './rules.js';

export async function readMe(db: Kysely<DB>, userId: string, locked: boolean): Promise<Me> {
  const user = await db
    .selectFrom('users')
    .innerJoin('roles', 'roles.id', 'users.role_id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.must_change_password',
      'users.totp_enabled',
      'users.patient_id',
      'roles.id as role_id',
      'roles.name as role_name',
      'roles.label as role_label',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirstOrThrow();
  const grants = await db.selectFrom('role_permissions').select('permission').where('role_id', '=', user.role_id).orderBy('permission').execute();
  const permissions = grants.map((grant) => grant.permission).filter(isPermission);
  const policy = await readSecurityPolicy(db);
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    role: { name: user.role_name, label: user.role_label },
    permissions,
    mustChangePassword: user.must_change_password === 1,
    mustEnrollTwoFactor: mustEnrollTwoFactor(policy, permissions, user.totp_enabled === 1),
    twoFactorEnabled: user.totp_enabled === 1,
    locked,
    idleLockMinutes: policy.idleLockMinutes,
    patientId: user.patient_id,
  };
}

export async function readThrottle(db: Kysely<DB>, username: string): Promise<ThrottleState | undefined> {
  const row = await db
    .selectFrom('sign_in_throttle')
    .select(['failures', 'last_failure_at', 'locked_until'])
    .where('username', '=', username)
    .executeTakeFirst();
  return row ? { failures: row.failures, lastFailureAt: row.last_failure_at, lockedUntil: row.locked_until } : undefined;
}

/** Counts one more failure for the typed username; returns the state after it. */
export async function recordFailure(db: Kysely<DB>, username: string, now: Date): Promise<ThrottleState> {
  const next = afterFailure(await readThrottle(db, username), now);
  const nowIso = now.toISOString();
  await db
    .insertInto('sign_in_throttle')
    .values({
      id: newId(),
      username,
      failures: next.failures,
      last_failure_at: next.lastFailureAt,
      locked_until: next.lockedUntil,
      created_at: nowIso,
      updated_at: nowIso,
      created_by: null,
      version: 1,
    })
    .onConflict((conflict) =>
      conflict.column('username').doUpdateSet((eb) => ({
        failures: next.failures,
        last_failure_at: next.lastFailureAt,
        locked_until: next.lockedUntil,
        updated_at: nowIso,
        version: eb('sign_in_throttle.version', '+', 1),
      })),
    )
    .execute();
  return next;
}

export async function clearThrottle(db: Kysely<DB>, username: string): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('username', '=', username).execute();
}
