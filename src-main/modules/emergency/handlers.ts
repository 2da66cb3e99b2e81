import { AppError } from '../../../src-shared/errors.js';
import { newId } from '../../core/ids.js';
import type { Handlers } from '../../core/procedure.js';
import { requireLivePatient } from '../patients/queries.js';
import { clinicalAccessFor, readGrants } from './queries.js';
import { emergencyExpiry } from './rules.js';

export const emergencyHandlers: Handlers<'emergency.open' | 'emergency.accessTo' | 'emergency.mine' | 'emergency.list' | 'emergency.review'> = {
  'emergency.open': async ({ patientId, reason }, ctx) => {
    const session = ctx.user();
    if (session.permissions.has('clinical.read')) {
      throw new AppError('CONFLICT', 'Your role already lets you read clinical records; emergency access is for those whose role does not.');
    }
    await requireLivePatient(ctx.db, patientId);
    const id = newId();
    await ctx.db
      .insertInto('emergency_access')
      .values({
        id,
        user_id: session.userId,
        patient_id: patientId,
        reason,
        granted_at: ctx.nowIso,
        expires_at: emergencyExpiry(ctx.now),
        created_at: ctx.nowIso,
        updated_at: ctx.nowIso,
        created_by: session.userId,
        version: 1,
      })
      .execute();
    ctx.audit.entity = 'patient';
    ctx.audit.entityId = patientId;
    ctx.audit.severity = 'high';
    ctx.audit.details = { emergencyAccessId: id };
    const [grant] = await readGrants(ctx.db, { ids: [id] });
    return grant as NonNullable<typeof grant>;
  },

  'emergency.accessTo': async ({ patientId }, ctx) => {
    const { via, until } = await clinicalAccessFor(ctx.db, ctx.user(), patientId, ctx.nowIso);
    return { allowed: via !== null, via, until };
  },

  'emergency.mine': async (_input, ctx) => readGrants(ctx.db, { userId: ctx.user().userId, openAt: ctx.nowIso }),

  'emergency.list': async ({ status }, ctx) => readGrants(ctx.db, { unreviewed: (status ?? 'unreviewed') === 'unreviewed' }),

  'emergency.review': async ({ id, note }, ctx) => {
    const opened = await ctx.db.selectFrom('emergency_access').select('user_id').where('id', '=', id).executeTakeFirst();
    if (opened?.user_id === ctx.user().userId) {
      throw new AppError('FORBIDDEN', 'Another administrator must review your own emergency access.');
    }
    const result = await ctx.db
      .updateTable('emergency_access')
      .set((eb) => ({
        reviewed_by: ctx.user().userId,
        reviewed_at: ctx.nowIso,
        review_note: note ?? null,
        updated_at: ctx.nowIso,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .where('reviewed_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      const exists = await ctx.db.selectFrom('emergency_access').select('id').where('id', '=', id).executeTakeFirst();
      throw exists
        ? new AppError('CONFLICT', 'Someone has already reviewed this emergency access.')
        : new AppError('NOT_FOUND', 'That emergency access does not exist.');
    }
    ctx.audit.entity = 'emergency_access';
    ctx.audit.entityId = id;
    const [grant] = await readGrants(ctx.db, { ids: [id] });
    return grant as NonNullable<typeof grant>;
  },
};
