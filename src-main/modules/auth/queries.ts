import type { Kysely } from 'kysely';
import type { Me } from '../../../src-shared/contract/auth.js';
import { isPermission } from '../../../src-shared/permissions.js';
import type { DB } from '../../core/db/schema.js';

export async function readMe(db: Kysely<DB>, userId: string): Promise<Me> {
  const user = await db
    .selectFrom('users')
    .innerJoin('roles', 'roles.id', 'users.role_id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.must_change_password',
      'roles.id as role_id',
      'roles.name as role_name',
      'roles.label as role_label',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirstOrThrow();
  const grants = await db.selectFrom('role_permissions').select('permission').where('role_id', '=', user.role_id).orderBy('permission').execute();
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    role: { name: user.role_name, label: user.role_label },
    permissions: grants.map((grant) => grant.permission).filter(isPermission),
    mustChangePassword: user.must_change_password === 1,
  };
}
