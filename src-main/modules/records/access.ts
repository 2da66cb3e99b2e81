import { AppError } from '../../../src-shared/errors.js';
import type { HandlerContext } from '../../core/procedure.js';
import { emergencyAccessUntil } from '../emergency/queries.js';
import { clinicalAccess } from '../emergency/rules.js';
import { type RecordAccess, recordAccess } from './rules.js';

/**
 * The gate of every clinical read and write: the patient must exist (not a merged duplicate),
 * the user must be allowed to see it, and the read is audited against the patient.
 */
export async function requireRecordAccess(
  ctx: HandlerContext,
  patientId: string,
  need: 'full' | 'prescriptions' = 'full',
): Promise<Exclude<RecordAccess, null>> {
  const session = ctx.user();
  const patient = await ctx.db.selectFrom('patients').select(['id', 'merged_into', 'mrn']).where('id', '=', patientId).executeTakeFirst();
  if (!patient) throw new AppError('NOT_FOUND', 'That patient record does not exist.');
  if (patient.merged_into) throw new AppError('CONFLICT', `Record ${patient.mrn} was merged into another record; open that one instead.`);
  const own = await ctx.db.selectFrom('users').select('patient_id').where('id', '=', session.userId).executeTakeFirst();
  const emergencyUntil = await emergencyAccessUntil(ctx.db, session.userId, patientId);
  const clinical = clinicalAccess(session.permissions, { ownPatientId: own?.patient_id ?? null, patientId, emergencyUntil, nowIso: ctx.nowIso });
  const access = recordAccess(clinical, session.permissions);
  ctx.audit.entity = 'patient';
  ctx.audit.entityId = patientId;
  if (access === null || (need === 'full' && access !== 'full')) {
    throw new AppError(
      'FORBIDDEN',
      'Your role does not let you read this patient’s clinical record. In an emergency, use “Emergency access” and give the reason.',
    );
  }
  ctx.audit.recordRead = true;
  if (clinical === 'emergency') ctx.audit.severity = 'high';
  return access;
}
