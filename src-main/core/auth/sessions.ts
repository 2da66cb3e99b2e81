import type { Kysely } from 'kysely';
import { isPermission, type Permission } from '../../../src-shared/permissions.js';
import { isSessionLive, sessionExpiry } from '../../modules/auth/rules.js';
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
      created_at: at,
      updated_at: at,
      created_by: userId,
      version: 1,
    })
    .execute();
  return token;
}

/** Permissions are read on every call, so a change to a role applies to its users' next call. */
export async function loadSession(db: Kysely<DB>, token: string, nowIso: string): Promise<SessionInfo | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('roles', 'roles.id', 'users.role_id')
    .select([
      'sessions.id as id',
      'sessions.ended_at',
      'sessions.expires_at',
      'users.id as user_id',
      'users.username',
      'users.display_name',
      'users.active',
      'users.must_change_password',
      'roles.id as role_id',
      'roles.name as role_name',
      'roles.label as role_label',
    ])
    .where('sessions.id', '=', sha256Hex(token))
    .executeTakeFirst();
  if (row?.active !== 1 || !isSessionLive(row, nowIso)) return null;
  const grants = await db.selectFrom('role_permissions').select('permission').where('role_id', '=', row.role_id).execute();
  return {
    id: row.id,
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    roleName: row.role_name,
    roleLabel: row.role_label,
    permissions: new Set(grants.map((grant) => grant.permission).filter(isPermission)),
    mustChangePassword: row.must_change_password === 1,
  };
}

export async function endSession(db: Kysely<DB>, sessionId: string, nowIso: string, reason: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set((eb) => ({ ended_at: nowIso, end_reason: reason, updated_at: nowIso, version: eb('version', '+', 1) }))
    .where('id', '=', sessionId)
    .where('ended_at', 'is', null)
    .execute();
}
