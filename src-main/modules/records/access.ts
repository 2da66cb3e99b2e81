import { AppError } from '../../../src-shared/errors.js';
import type { HandlerContext } from '../../core/procedure.js';
import { clinicalAccessFor } from '../emergency/queries.js';
import { requireLivePatient } from '../patients/queries.js';
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
  await requireLivePatient(ctx.db, patientId);
  const { via: clinical } = await clinicalAccessFor(ctx.db, session, patientId, ctx.nowIso);
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
