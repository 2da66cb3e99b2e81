import type { Kysely } from 'kysely';
import type { EmergencyGrant } from '../../../src-shared/contract/emergency.js';
import { patientDisplayName } from '../../../src-shared/schemas/patient.js';
import type { DB } from '../../core/db/schema.js';
import { ownPatientId } from '../patients/queries.js';
import { clinicalAccess } from './rules.js';

export async function readGrants(
  db: Kysely<DB>,
  filter: { ids?: string[]; userId?: string; openAt?: string; unreviewed?: boolean },
): Promise<EmergencyGrant[]> {
  let query = db
    .selectFrom('emergency_access')
    .innerJoin('users', 'users.id', 'emergency_access.user_id')
    .innerJoin('roles', 'roles.id', 'users.role_id')
    .innerJoin('patients', 'patients.id', 'emergency_access.patient_id')
    .leftJoin('users as reviewers', 'reviewers.id', 'emergency_access.reviewed_by')
    .select([
      'emergency_access.id',
      'emergency_access.reason',
      'emergency_access.granted_at',
      'emergency_access.expires_at',
      'emergency_access.reviewed_at',
      'emergency_access.review_note',
      'reviewers.display_name as reviewer_name',
      'users.id as user_id',
      'users.username',
      'users.display_name',
      'roles.label as role_label',
      'patients.id as patient_id',
      'patients.mrn',
      'patients.given_name',
      'patients.family_name',
      'patients.other_names',
    ])
    .orderBy('emergency_access.granted_at', 'desc');
  if (filter.ids) query = query.where('emergency_access.id', 'in', filter.ids);
  if (filter.userId) query = query.where('emergency_access.user_id', '=', filter.userId);
  if (filter.openAt) query = query.where('emergency_access.expires_at', '>', filter.openAt);
  if (filter.unreviewed) query = query.where('emergency_access.reviewed_at', 'is', null);
  const rows = await query.limit(500).execute();
  return rows.map((row) => ({
    id: row.id,
    user: { id: row.user_id, username: row.username, displayName: row.display_name, roleLabel: row.role_label },
    patient: {
      id: row.patient_id,
      mrn: row.mrn,
      name: patientDisplayName({ givenName: row.given_name, familyName: row.family_name, otherNames: row.other_names }),
    },
    reason: row.reason,
    grantedAt: row.granted_at,
    expiresAt: row.expires_at,
    review: row.reviewed_at ? { by: row.reviewer_name ?? 'unknown', at: row.reviewed_at, note: row.review_note } : null,
  }));
}

/** The latest expiry of this user's emergency accesses to this patient, if any. */
export async function emergencyAccessUntil(db: Kysely<DB>, userId: string, patientId: string): Promise<string | null> {
  const row = await db
    .selectFrom('emergency_access')
    .select((eb) => eb.fn.max('expires_at').as('until'))
    .where('user_id', '=', userId)
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  return (row?.until as string | null | undefined) ?? null;
}

/** Why this user may read this patient's clinical record now (clinicalAccess), and until when if by emergency. */
export async function clinicalAccessFor(db: Kysely<DB>, session: { userId: string; permissions: ReadonlySet<string> }, patientId: string, nowIso: string) {
  const emergencyUntil = await emergencyAccessUntil(db, session.userId, patientId);
  const via = clinicalAccess(session.permissions, { ownPatientId: await ownPatientId(db, session.userId), patientId, emergencyUntil, nowIso });
  return { via, until: via === 'emergency' ? emergencyUntil : null };
}
