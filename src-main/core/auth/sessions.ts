import { type Kysely, sql } from 'kysely';
import { isPermission, type Permission } from '../../../src-shared/permissions.js';
import { ACTIVITY_WRITE_INTERVAL_MS, isIdle, isSessionLive, mustEnrollTwoFactor, sessionExpiry } from '../../modules/auth/rules.js';
import { readSecurityPolicy } from '../../modules/settings/queries.js';
import { newToken, sha256Hex } from '../crypto.js';
import type { DB } from '../db/schema.js';

export interface SessionInfo {
  id: string;
  userId: string;
  username: string;
  displayName: string;
  roleName: string;
  roleLabel: string;
  permissions: ReadonlySet<Permission>;
  mustChangePassword: boolean;
  mustEnrollTwoFactor: boolean;
  /** Locked by the user, the system's screen lock, or idleness. */
  locked: boolean;
  /** Locked just now by idleness: the lock is yet to be written. */
  idleSinceLastCall: boolean;
  lastActiveAt: string;
}

/** The token goes to the client; only its hash is stored. */
export async function createSession(db: Kysely<DB>, userId: string, workstation: string, now: Date): Promise<string> {
  const token = newToken();
  const at = now.toISOString();
  await db
    .insertInto('sessions')
    .values({
      id: sha256Hex(token),
      user_id: userId,
      workstation,
      expires_at: sessionExpiry(now),
      ended_at: null,
      end_reason: null,
      last_active_at: at,
      locked_at: null,
      created_at: at,
      updated_at: at,
      created_by: userId,
      version: 1,
    })
    .execute();
  return token;
}

/** Permissions are read on every call, so a change to a role applies to its users' next call. */
export async function loadSession(db: Kysely<DB>, token: string, now: Date): Promise<SessionInfo | null> {
  const nowIso = now.toISOString();
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('roles', 'roles.id', 'users.role_id')
    .select([
      'sessions.id as id',
      'sessions.ended_at',
      'sessions.expires_at',
      'sessions.created_at',
      'sessions.last_active_at',
      'sessions.locked_at',
      'users.id as user_id',
      'users.username',
      'users.display_name',
      'users.active',
      'users.must_change_password',
      'users.totp_enabled',
      'roles.id as role_id',
      'roles.name as role_name',
      'roles.label as role_label',
      // The role's grants in the same read: every call loads its session.
      (eb) =>
        eb
          .selectFrom('role_permissions')
          .select(sql<string>`json_group_array(permission)`.as('list'))
          .whereRef('role_permissions.role_id', '=', 'roles.id')
          .as('grants'),
    ])
    .where('sessions.id', '=', sha256Hex(token))
    .executeTakeFirst();
  if (row?.active !== 1 || !isSessionLive(row, nowIso)) return null;
  const grants: unknown = JSON.parse(row.grants ?? '[]');
  const permissions = new Set(Array.isArray(grants) ? grants.filter((grant): grant is Permission => typeof grant === 'string' && isPermission(grant)) : []);
  const policy = await readSecurityPolicy(db);
  const lastActiveAt = row.last_active_at ?? row.created_at;
  const idle = row.locked_at === null && isIdle(lastActiveAt, now, policy.idleLockMinutes);
  return {
    id: row.id,
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    roleName: row.role_name,
    roleLabel: row.role_label,
    permissions,
    mustChangePassword: row.must_change_password === 1,
    mustEnrollTwoFactor: mustEnrollTwoFactor(policy, permissions, row.totp_enabled === 1),
    locked: row.locked_at !== null || idle,
    idleSinceLastCall: idle,
    lastActiveAt,
  };
}

/**
 * Records that the session was used, at most every few seconds so reads stay cheap, and writes
 * the lock that idleness implied. Not a table change the screens need to hear about.
 */
export async function touchSession(db: Kysely<DB>, session: SessionInfo, now: Date): Promise<void> {
  const nowIso = now.toISOString();
  if (session.idleSinceLastCall) {
    await db.updateTable('sessions').set({ locked_at: nowIso, updated_at: nowIso }).where('id', '=', session.id).execute();
    return;
  }
  if (!session.locked && now.getTime() - Date.parse(session.lastActiveAt) >= ACTIVITY_WRITE_INTERVAL_MS) {
    await db.updateTable('sessions').set({ last_active_at: nowIso }).where('id', '=', session.id).execute();
  }
}

export async function setSessionLock(db: Kysely<DB>, sessionId: string, nowIso: string, locked: boolean): Promise<void> {
  await db
    .updateTable('sessions')
    .set((eb) => ({ locked_at: locked ? nowIso : null, last_active_at: nowIso, updated_at: nowIso, version: eb('version', '+', 1) }))
    .where('id', '=', sessionId)
    .execute();
}

export async function endSession(db: Kysely<DB>, sessionId: string, nowIso: string, reason: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set((eb) => ({ ended_at: nowIso, end_reason: reason, updated_at: nowIso, version: eb('version', '+', 1) }))
    .where('id', '=', sessionId)
    .where('ended_at', 'is', null)
    .execute();
}
