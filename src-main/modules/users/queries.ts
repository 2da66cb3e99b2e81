import type { Kysely } from 'kysely';
import { DEFAULT_ROLE_PERMISSIONS, ROLE_LABELS, ROLE_NAMES, type RoleName } from '../../../src-shared/permissions.js';
import { hashPassword } from '../../core/crypto.js';
import type { DB } from '../../core/db/schema.js';
import { newId } from '../../core/ids.js';

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
