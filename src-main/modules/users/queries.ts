import { type Kysely, sql } from 'kysely';
import { AppError } from '../../../src-shared/errors.js';
import { DEFAULT_ROLE_PERMISSIONS, isPermission, ROLE_LABELS, ROLE_NAMES, type RoleName } from '../../../src-shared/permissions.js';
import { hashPassword } from '../../core/crypto.js';
import { likeContaining } from '../../core/db/like.js';
import type { DB } from '../../core/db/schema.js';
import { newId } from '../../core/ids.js';
import { leavesNoUserManager, USER_MANAGER_PERMISSION } from './rules.js';

/** The six roles of DOMAIN.md with their default grants; roles are data from then on. */
export async function seedDefaultRoles(db: Kysely<DB>, nowIso: string): Promise<Record<RoleName, string>> {
  const ids = {} as Record<RoleName, string>;
  for (const name of ROLE_NAMES) {
    const roleId = newId();
    ids[name] = roleId;
    await db
      .insertInto('roles')
      .values({ id: roleId, name, label: ROLE_LABELS[name], is_system: 1, created_at: nowIso, updated_at: nowIso, created_by: null, version: 1 })
      .execute();
    const grants = DEFAULT_ROLE_PERMISSIONS[name].map((permission) => ({
      id: newId(),
      role_id: roleId,
      permission,
      created_at: nowIso,
      updated_at: nowIso,
      created_by: null,
      version: 1,
    }));
    if (grants.length > 0) await db.insertInto('role_permissions').values(grants).execute();
  }
  return ids;
}

export interface NewUser {
  username: string;
  displayName: string;
  roleId: string;
  password: string;
  mustChangePassword?: boolean;
  patientId?: string | null;
}

export async function insertUser(db: Kysely<DB>, user: NewUser, nowIso: string, createdBy: string | null): Promise<string> {
  const id = newId();
  await db
    .insertInto('users')
    .values({
      id,
      username: user.username,
      display_name: user.displayName,
      role_id: user.roleId,
      password_hash: await hashPassword(user.password),
      active: 1,
      must_change_password: user.mustChangePassword ? 1 : 0,
      totp_enabled: 0,
      patient_id: user.patientId ?? null,
      created_at: nowIso,
      updated_at: nowIso,
      created_by: createdBy,
      version: 1,
    })
    .execute();
  return id;
}

export function findUserByUsername(db: Kysely<DB>, username: string) {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

/** The user as the administration screens show them; lockedUntil only while the lock holds. */
export async function readUserSummaries(db: Kysely<DB>, nowIso: string, filter: { ids?: string[]; search?: string; status?: 'active' | 'inactive' | 'all' }) {
  let query = db
    .selectFrom('users')
    .innerJoin('roles', 'roles.id', 'users.role_id')
    .leftJoin('sign_in_throttle', 'sign_in_throttle.username', 'users.username')
    .leftJoin('patients', 'patients.id', 'users.patient_id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.active',
      'users.must_change_password',
      'users.totp_enabled',
      'users.created_at',
      'users.version',
      'roles.id as role_id',
      'roles.name as role_name',
      'roles.label as role_label',
      'sign_in_throttle.locked_until',
      'patients.id as patient_id',
      'patients.mrn as patient_mrn',
      'patients.given_name as patient_given_name',
      'patients.family_name as patient_family_name',
    ])
    .orderBy('users.display_name')
    .orderBy('users.username');
  if (filter.ids) query = query.where('users.id', 'in', filter.ids);
  if (filter.status === 'active') query = query.where('users.active', '=', 1);
  if (filter.status === 'inactive') query = query.where('users.active', '=', 0);
  if (filter.search) {
    const pattern = likeContaining(filter.search);
    query = query.where((eb) =>
      eb.or([sql<boolean>`users.username LIKE ${pattern} ESCAPE '\\'`, sql<boolean>`users.display_name LIKE ${pattern} ESCAPE '\\'`]),
    );
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: { id: row.role_id, name: row.role_name, label: row.role_label },
    active: row.active === 1,
    mustChangePassword: row.must_change_password === 1,
    lockedUntil: row.locked_until && row.locked_until > nowIso ? row.locked_until : null,
    twoFactorEnabled: row.totp_enabled === 1,
    patient:
      row.patient_id && row.patient_mrn ? { id: row.patient_id, mrn: row.patient_mrn, name: `${row.patient_given_name} ${row.patient_family_name}` } : null,
    createdAt: row.created_at,
    version: row.version,
  }));
}

export async function readUserSummary(db: Kysely<DB>, nowIso: string, userId: string) {
  const [user] = await readUserSummaries(db, nowIso, { ids: [userId], status: 'all' });
  if (!user) throw new AppError('NOT_FOUND', 'That user does not exist.');
  return user;
}

/** Active users whose role can manage users; checked after a change, before it commits. */
export async function assertUserManagerRemains(db: Kysely<DB>): Promise<void> {
  const { count } = await db
    .selectFrom('users')
    .innerJoin('role_permissions', 'role_permissions.role_id', 'users.role_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('users.active', '=', 1)
    .where('role_permissions.permission', '=', USER_MANAGER_PERMISSION)
    .executeTakeFirstOrThrow();
  if (leavesNoUserManager(Number(count))) {
    throw new AppError('CONFLICT', 'This would leave the clinic without an active user who can manage users. Give another active user that permission first.');
  }
}

export async function endUserSessions(db: Kysely<DB>, userId: string, nowIso: string, reason: string, keepSessionId?: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set((eb) => ({ ended_at: nowIso, end_reason: reason, updated_at: nowIso, version: eb('version', '+', 1) }))
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .$if(keepSessionId !== undefined, (query) => query.where('id', '!=', keepSessionId as string))
    .execute();
}

export async function readRoleSummaries(db: Kysely<DB>, ids?: string[]) {
  let query = db
    .selectFrom('roles')
    .select((eb) => [
      'roles.id',
      'roles.name',
      'roles.label',
      'roles.is_system',
      'roles.version',
      eb
        .selectFrom('users')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('users.role_id', '=', 'roles.id')
        .where('users.active', '=', 1)
        .as('active_users'),
    ])
    .orderBy('roles.is_system', 'desc')
    .orderBy('roles.label');
  if (ids) query = query.where('roles.id', 'in', ids);
  const roles = await query.execute();
  const grants = await db.selectFrom('role_permissions').select(['role_id', 'permission']).orderBy('permission').execute();
  return roles.map((role) => ({
    id: role.id,
    name: role.name,
    label: role.label,
    isSystem: role.is_system === 1,
    permissions: grants
      .filter((grant) => grant.role_id === role.id)
      .map((grant) => grant.permission)
      .filter(isPermission),
    activeUsers: Number(role.active_users ?? 0),
    version: role.version,
  }));
}

export async function replaceRolePermissions(db: Kysely<DB>, roleId: string, permissions: readonly string[], nowIso: string, by: string): Promise<void> {
  await db.deleteFrom('role_permissions').where('role_id', '=', roleId).execute();
  const rows = [...new Set(permissions)].map((permission) => ({
    id: newId(),
    role_id: roleId,
    permission,
    created_at: nowIso,
    updated_at: nowIso,
    created_by: by,
    version: 1,
  }));
  if (rows.length > 0) await db.insertInto('role_permissions').values(rows).execute();
}
