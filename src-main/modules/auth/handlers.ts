import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { AppError } from '../../../src-shared/errors.js';
import { setSessionLock } from '../../core/auth/sessions.js';
import { hashPassword, passwordNeedsRehash, sha256Hex, verifyPassword } from '../../core/crypto.js';
import type { DB } from '../../core/db/schema.js';
import { newId } from '../../core/ids.js';
import { CommittedRefusal, type HandlerContext, type Handlers } from '../../core/procedure.js';
import { readClinicSettings, readSecurityPolicy } from '../settings/queries.js';
import { endUserSessions, findUserByUsername } from '../users/queries.js';
import { passwordProblem } from '../users/rules.js';
import { clearThrottle, readMe, readThrottle, recordFailure } from './queries.js';
import {
  acceptedTotpStep,
  checkThrottle,
  isTotpCode,
  mustEnrollTwoFactor,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  otpauthUri,
  SIGN_IN_REFUSED,
  throttleMessage,
  UNLOCK_REFUSED,
} from './rules.js';

/** Verified against when the username is unknown, so both refusals take about as long. */
let decoyHash: Promise<string> | null = null;
function decoy(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return decoyHash;
}

type UserRow = DB['users'];

const CODE_NEEDED = 'Enter the six-digit code from your authenticator app, or one of your recovery codes.';
const CODE_REFUSED = 'That code is not correct, or it was already used. Enter the current code from your authenticator app.';

/** A six-digit code newer than the last one used, or an unused recovery code; either is spent at once. */
async function spendSecondFactor(ctx: HandlerContext, user: UserRow, code: string): Promise<boolean> {
  if (isTotpCode(code)) {
    if (!user.totp_secret) return false;
    const step = acceptedTotpStep(user.totp_secret, code, ctx.now, user.totp_last_step);
    if (step === null) return false;
    await ctx.db.updateTable('users').set({ totp_last_step: step }).where('id', '=', user.id).execute();
    return true;
  }
  const spent = await ctx.db
    .updateTable('totp_recovery_codes')
    .set((eb) => ({ used_at: ctx.nowIso, updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
    .where('user_id', '=', user.id)
    .where('code_hash', '=', sha256Hex(normalizeRecoveryCode(code)))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (spent.numUpdatedRows === 0n) return false;
  ctx.audit.details = { ...ctx.audit.details, secondFactor: 'recovery_code' };
  return true;
}

/**
 * Password, then the second factor where the user has one, under the per-username throttle.
 * Every failure is counted and kept even though the call is refused.
 */
async function authenticate(ctx: HandlerContext, username: string, password: string, code: string | undefined, refusal = SIGN_IN_REFUSED): Promise<UserRow> {
  const verdict = checkThrottle(await readThrottle(ctx.db, username), ctx.now);
  if (!verdict.allowed) throw new AppError('UNAUTHENTICATED', throttleMessage(verdict));
  const user = await findUserByUsername(ctx.db, username);
  const matches = await verifyPassword(user?.password_hash ?? (await decoy()), password);
  if (user) {
    ctx.audit.entity = 'user';
    ctx.audit.entityId = user.id;
  }
  if (!user || !matches || user.active !== 1) {
    await recordFailure(ctx.db, username, ctx.now);
    throw new CommittedRefusal(new AppError('UNAUTHENTICATED', refusal));
  }
  if (user.totp_enabled === 1) {
    if (!code) throw new AppError('UNAUTHENTICATED', CODE_NEEDED, { code: CODE_NEEDED });
    if (!(await spendSecondFactor(ctx, user, code))) {
      await recordFailure(ctx.db, username, ctx.now);
      throw new CommittedRefusal(new AppError('UNAUTHENTICATED', CODE_REFUSED, { code: CODE_REFUSED }));
    }
  }
  await clearThrottle(ctx.db, username);
  if (passwordNeedsRehash(user.password_hash)) {
    const rehashed = await hashPassword(password);
    await ctx.db
      .updateTable('users')
      .set((eb) => ({ password_hash: rehashed, updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
      .where('id', '=', user.id)
      .execute();
  }
  return user;
}

/**
 * The signed-in user proves it is still them. A wrong password counts against the same throttle
 * as sign-in and is audited, so a borrowed session cannot be used to guess it quietly.
 */
async function requirePassword(ctx: HandlerContext, password: string, field: string): Promise<UserRow> {
  const user = await ctx.db.selectFrom('users').selectAll().where('id', '=', ctx.user().userId).executeTakeFirstOrThrow();
  ctx.audit.entity = 'user';
  ctx.audit.entityId = user.id;
  const verdict = checkThrottle(await readThrottle(ctx.db, user.username), ctx.now);
  if (!verdict.allowed) throw new AppError('UNAUTHENTICATED', throttleMessage(verdict));
  if (!(await verifyPassword(user.password_hash, password))) {
    await recordFailure(ctx.db, user.username, ctx.now);
    throw new CommittedRefusal(new AppError('VALIDATION', 'Your current password is not correct.', { [field]: 'This is not your current password.' }));
  }
  return user;
}

export const authHandlers: Handlers<
  | 'auth.signIn'
  | 'auth.signOut'
  | 'auth.me'
  | 'auth.changePassword'
  | 'auth.lock'
  | 'auth.unlock'
  | 'auth.twoFactorBegin'
  | 'auth.twoFactorConfirm'
  | 'auth.twoFactorDisable'
> = {
  'auth.signIn': async ({ username, password, code }, ctx) => {
    const user = await authenticate(ctx, username, password, code);
    // From a lock screen this is the shift change: the previous user's session ends here.
    await ctx.startSession(user.id);
    return readMe(ctx.db, user.id, false);
  },

  'auth.signOut': async (_input, ctx) => {
    ctx.audit.entity = 'user';
    ctx.audit.entityId = ctx.user().userId;
    await ctx.endSession('signed_out');
    return null;
  },

  'auth.me': async (_input, ctx) => {
    const session = ctx.user();
    return readMe(ctx.db, session.userId, session.locked);
  },

  'auth.lock': async (_input, ctx) => {
    const session = ctx.user();
    ctx.audit.entity = 'user';
    ctx.audit.entityId = session.userId;
    await setSessionLock(ctx.db, session.id, ctx.nowIso, true);
    return null;
  },

  'auth.unlock': async ({ password, code }, ctx) => {
    const session = ctx.user();
    await authenticate(ctx, session.username, password, code, UNLOCK_REFUSED);
    await setSessionLock(ctx.db, session.id, ctx.nowIso, false);
    return readMe(ctx.db, session.userId, false);
  },

  'auth.changePassword': async ({ currentPassword, newPassword }, ctx) => {
    const user = await requirePassword(ctx, currentPassword, 'currentPassword');
    if (currentPassword === newPassword) {
      throw new AppError('VALIDATION', 'Choose a new password different from the current one.', { newPassword: 'This is the same as your current password.' });
    }
    const problem = passwordProblem(newPassword, ctx.services.commonPasswords, user.username);
    if (problem) throw new AppError('VALIDATION', problem, { newPassword: problem });
    const newHash = await hashPassword(newPassword);
    await ctx.db
      .updateTable('users')
      .set((eb) => ({ password_hash: newHash, must_change_password: 0, updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
      .where('id', '=', user.id)
      .execute();
    // Whoever else knew the old password is signed out; this desk carries on.
    await endUserSessions(ctx.db, user.id, ctx.nowIso, 'password_changed', ctx.user().id);
    return null;
  },

  'auth.twoFactorBegin': async (_input, ctx) => {
    const { userId, username } = ctx.user();
    ctx.audit.entity = 'user';
    ctx.audit.entityId = userId;
    const user = await ctx.db.selectFrom('users').select(['totp_enabled']).where('id', '=', userId).executeTakeFirstOrThrow();
    if (user.totp_enabled === 1) throw new AppError('CONFLICT', 'Two-factor sign-in is already on for your account. Turn it off first to enrol a new device.');
    const secret = newTotpSecret();
    await ctx.db.updateTable('users').set({ totp_pending_secret: secret, updated_at: ctx.nowIso }).where('id', '=', userId).execute();
    const { clinicName } = await readClinicSettings(ctx.db);
    const uri = otpauthUri(secret, username, clinicName);
    const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return { secret, otpauthUri: uri, qrSvg };
  },

  'auth.twoFactorConfirm': async ({ code }, ctx) => {
    const { userId } = ctx.user();
    ctx.audit.entity = 'user';
    ctx.audit.entityId = userId;
    const user = await ctx.db.selectFrom('users').select(['totp_pending_secret']).where('id', '=', userId).executeTakeFirstOrThrow();
    if (!user.totp_pending_secret) throw new AppError('CONFLICT', 'Start the set-up again: no enrolment is under way for your account.');
    const step = acceptedTotpStep(user.totp_pending_secret, code, ctx.now, null);
    if (step === null) {
      const message = 'That code does not match. Check that the app was set up with this QR code or key, then enter the code it shows now.';
      throw new AppError('VALIDATION', message, { code: message });
    }
    await ctx.db
      .updateTable('users')
      .set((eb) => ({
        totp_secret: user.totp_pending_secret,
        totp_pending_secret: null,
        totp_enabled: 1,
        totp_last_step: step,
        updated_at: ctx.nowIso,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', userId)
      .execute();
    await ctx.db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
    const recoveryCodes = newRecoveryCodes();
    await ctx.db
      .insertInto('totp_recovery_codes')
      .values(
        recoveryCodes.map((recoveryCode) => ({
          id: newId(),
          user_id: userId,
          code_hash: sha256Hex(normalizeRecoveryCode(recoveryCode)),
          used_at: null,
          created_at: ctx.nowIso,
          updated_at: ctx.nowIso,
          created_by: userId,
          version: 1,
        })),
      )
      .execute();
    return { recoveryCodes };
  },

  'auth.twoFactorDisable': async ({ password }, ctx) => {
    const session = ctx.user();
    await requirePassword(ctx, password, 'password');
    if (mustEnrollTwoFactor(await readSecurityPolicy(ctx.db), session.permissions, false)) {
      throw new AppError('FORBIDDEN', 'The clinic requires two-factor sign-in for administrators, so it cannot be turned off for your account.');
    }
    await ctx.db
      .updateTable('users')
      .set((eb) => ({
        totp_enabled: 0,
        totp_secret: null,
        totp_pending_secret: null,
        totp_last_step: null,
        updated_at: ctx.nowIso,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', session.userId)
      .execute();
    await ctx.db.deleteFrom('totp_recovery_codes').where('user_id', '=', session.userId).execute();
    return null;
  },
};
