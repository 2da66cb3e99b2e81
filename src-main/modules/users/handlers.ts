import { AppError } from '../../../src-shared/errors.js';
import { hashPassword } from '../../core/crypto.js';
import { expectVersionedUpdate } from '../../core/db/versioned.js';
import { newId } from '../../core/ids.js';
import type { HandlerContext, Handlers } from '../../core/procedure.js';
import {
  assertUserManagerRemains,
  endUserSessions,
  insertUser,
  readRoleSummaries,
  readUserSummaries,
  readUserSummary,
  replaceRolePermissions,
} from './queries.js';
import { newTemporaryPassword } from './rules.js';

async function requireRole(ctx: HandlerContext, roleId: string): Promise<void> {
  const role = await ctx.db.selectFrom('roles').select('id').where('id', '=', roleId).executeTakeFirst();
  if (!role) throw new AppError('VALIDATION', 'Choose one of the clinic’s roles.', { roleId: 'That role does not exist.' });
}

async function requireUser(ctx: HandlerContext, id: string) {
  const user = await ctx.db.selectFrom('users').select(['id', 'username', 'active', 'role_id']).where('id', '=', id).executeTakeFirst();
  if (!user) throw new AppError('NOT_FOUND', 'That user does not exist.');
  ctx.audit.entity = 'user';
  ctx.audit.entityId = id;
  return user;
}

/** A patient record can be the own record of one user account only, and never a merged tombstone. */
async function requireUnlinkedPatient(ctx: HandlerContext, patientId: string, exceptUserId?: string): Promise<void> {
  const patient = await ctx.db.selectFrom('patients').select(['id', 'merged_into']).where('id', '=', patientId).executeTakeFirst();
  if (!patient || patient.merged_into)
    throw new AppError('VALIDATION', 'Choose a current patient record.', { patientId: 'That patient record does not exist.' });
  const holder = await ctx.db.selectFrom('users').select(['id', 'username']).where('patient_id', '=', patientId).executeTakeFirst();
  if (holder && holder.id !== exceptUserId) {
    throw new AppError('CONFLICT', `That patient record is already linked to the account “${holder.username}”.`, {
      patientId: 'Already linked to another account.',
    });
  }
}

/** A versioned update of one user row: a stale version is another desk's change, never overwritten. */
async function updateUser(ctx: HandlerContext, id: string, version: number, values: Record<string, unknown>): Promise<void> {
  const result = await ctx.db
    .updateTable('users')
    .set((eb) => ({ ...values, updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  expectVersionedUpdate(result, 'user');
}

export const usersHandlers: Handlers<
  | 'users.list'
  | 'users.create'
  | 'users.changeRole'
  | 'users.setActive'
  | 'users.resetPassword'
  | 'users.unlock'
  | 'users.linkPatient'
  | 'users.resetTwoFactor'
  | 'roles.list'
  | 'roles.create'
  | 'roles.update'
> = {
  'users.list': async ({ search, status }, ctx) => readUserSummaries(ctx.db, ctx.nowIso, { search, status: status ?? 'all' }),

  'users.create': async ({ username, displayName, roleId, patientId }, ctx) => {
    await requireRole(ctx, roleId);
    if (patientId) await requireUnlinkedPatient(ctx, patientId);
    const taken = await ctx.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
    if (taken) throw new AppError('CONFLICT', `The username “${username}” is already taken; choose another.`, { username: 'This username is already taken.' });
    const temporaryPassword = newTemporaryPassword();
    const id = await insertUser(
      ctx.db,
      { username, displayName, roleId, password: temporaryPassword, mustChangePassword: true, patientId },
      ctx.nowIso,
      ctx.user().userId,
    );
    ctx.audit.entity = 'user';
    ctx.audit.entityId = id;
    ctx.audit.details = { roleId };
    return { user: await readUserSummary(ctx.db, ctx.nowIso, id), temporaryPassword };
  },

  'users.changeRole': async ({ id, roleId, version }, ctx) => {
    await requireUser(ctx, id);
    await requireRole(ctx, roleId);
    await updateUser(ctx, id, version, { role_id: roleId });
    await assertUserManagerRemains(ctx.db);
    ctx.audit.details = { roleId };
    return readUserSummary(ctx.db, ctx.nowIso, id);
  },

  'users.setActive': async ({ id, active, version }, ctx) => {
    await requireUser(ctx, id);
    await updateUser(ctx, id, version, { active: active ? 1 : 0 });
    if (!active) {
      await endUserSessions(ctx.db, id, ctx.nowIso, 'deactivated');
      await assertUserManagerRemains(ctx.db);
    }
    ctx.audit.details = { active };
    return readUserSummary(ctx.db, ctx.nowIso, id);
  },

  'users.resetPassword': async ({ id, version }, ctx) => {
    await requireUser(ctx, id);
    const temporaryPassword = newTemporaryPassword();
    await updateUser(ctx, id, version, { password_hash: await hashPassword(temporaryPassword), must_change_password: 1 });
    // Whoever held the old password is signed out everywhere.
    await endUserSessions(ctx.db, id, ctx.nowIso, 'password_reset');
    return { user: await readUserSummary(ctx.db, ctx.nowIso, id), temporaryPassword };
  },

  'users.unlock': async ({ id }, ctx) => {
    const user = await requireUser(ctx, id);
    await ctx.db.deleteFrom('sign_in_throttle').where('username', '=', user.username).execute();
    return readUserSummary(ctx.db, ctx.nowIso, id);
  },

  'users.linkPatient': async ({ id, patientId, version }, ctx) => {
    await requireUser(ctx, id);
    if (patientId) await requireUnlinkedPatient(ctx, patientId, id);
    await updateUser(ctx, id, version, { patient_id: patientId });
    ctx.audit.details = { patientId };
    return readUserSummary(ctx.db, ctx.nowIso, id);
  },

  'users.resetTwoFactor': async ({ id, version }, ctx) => {
    await requireUser(ctx, id);
    await updateUser(ctx, id, version, { totp_enabled: 0, totp_secret: null, totp_pending_secret: null, totp_last_step: null });
    await ctx.db.deleteFrom('totp_recovery_codes').where('user_id', '=', id).execute();
    return readUserSummary(ctx.db, ctx.nowIso, id);
  },

  'roles.list': async (_input, ctx) => readRoleSummaries(ctx.db),

  'roles.create': async ({ name, label, permissions }, ctx) => {
    const taken = await ctx.db.selectFrom('roles').select('id').where('name', '=', name).executeTakeFirst();
    if (taken) throw new AppError('CONFLICT', `A role named “${name}” already exists.`, { name: 'This name is already used by another role.' });
    const id = newId();
    const by = ctx.user().userId;
    await ctx.db
      .insertInto('roles')
      .values({ id, name, label, is_system: 0, created_at: ctx.nowIso, updated_at: ctx.nowIso, created_by: by, version: 1 })
      .execute();
    await replaceRolePermissions(ctx.db, id, permissions, ctx.nowIso, by);
    ctx.audit.entity = 'role';
    ctx.audit.entityId = id;
    ctx.audit.details = { permissions };
    const [role] = await readRoleSummaries(ctx.db, [id]);
    return role as NonNullable<typeof role>;
  },

  'roles.update': async ({ id, label, permissions, version }, ctx) => {
    ctx.audit.entity = 'role';
    ctx.audit.entityId = id;
    const exists = await ctx.db.selectFrom('roles').select('id').where('id', '=', id).executeTakeFirst();
    if (!exists) throw new AppError('NOT_FOUND', 'That role does not exist.');
    const result = await ctx.db
      .updateTable('roles')
      .set((eb) => ({ label, updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    expectVersionedUpdate(result, 'role');
    await replaceRolePermissions(ctx.db, id, permissions, ctx.nowIso, ctx.user().userId);
    await assertUserManagerRemains(ctx.db);
    ctx.audit.details = { permissions };
    const [role] = await readRoleSummaries(ctx.db, [id]);
    return role as NonNullable<typeof role>;
  },
};
