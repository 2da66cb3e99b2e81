import { randomBytes } from 'node:crypto';
import { AppError } from '../../../src-shared/errors.js';
import { hashPassword, passwordNeedsRehash, verifyPassword } from '../../core/crypto.js';
import type { Handlers } from '../../core/procedure.js';
import { findUserByUsername } from '../users/queries.js';
import { readMe } from './queries.js';
import { SIGN_IN_REFUSED } from './rules.js';

/** Verified against when the username is unknown, so both refusals take about as long. */
let decoyHash: Promise<string> | null = null;
function decoy(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return decoyHash;
}

export const authHandlers: Handlers<'auth.signIn' | 'auth.signOut' | 'auth.me' | 'auth.changePassword'> = {
  'auth.signIn': async ({ username, password }, ctx) => {
    const user = await findUserByUsername(ctx.db, username);
    const matches = await verifyPassword(user?.password_hash ?? (await decoy()), password);
    if (user) {
      ctx.audit.entity = 'user';
      ctx.audit.entityId = user.id;
    }
    if (!user || !matches || user.active !== 1) throw new AppError('UNAUTHENTICATED', SIGN_IN_REFUSED);
    if (passwordNeedsRehash(user.password_hash)) {
      const rehashed = await hashPassword(password);
      await ctx.db
        .updateTable('users')
        .set((eb) => ({ password_hash: rehashed, updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
        .where('id', '=', user.id)
        .execute();
    }
    await ctx.startSession(user.id);
    return readMe(ctx.db, user.id);
  },

  'auth.signOut': async (_input, ctx) => {
    ctx.audit.entity = 'user';
    ctx.audit.entityId = ctx.user().userId;
    await ctx.endSession('signed_out');
    return null;
  },

  'auth.me': async (_input, ctx) => readMe(ctx.db, ctx.user().userId),

  'auth.changePassword': async ({ currentPassword, newPassword }, ctx) => {
    const { userId } = ctx.user();
    ctx.audit.entity = 'user';
    ctx.audit.entityId = userId;
    const user = await ctx.db.selectFrom('users').select(['password_hash']).where('id', '=', userId).executeTakeFirstOrThrow();
    if (!(await verifyPassword(user.password_hash, currentPassword))) {
      throw new AppError('VALIDATION', 'Your current password is not correct.', { currentPassword: 'This is not your current password.' });
    }
    if (currentPassword === newPassword) {
      throw new AppError('VALIDATION', 'Choose a new password different from the current one.', { newPassword: 'This is the same as your current password.' });
    }
    const newHash = await hashPassword(newPassword);
    await ctx.db
      .updateTable('users')
      .set((eb) => ({ password_hash: newHash, must_change_password: 0, updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
      .where('id', '=', userId)
      .execute();
    return null;
  },
};
