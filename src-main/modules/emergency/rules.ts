/** Long enough to treat someone; short enough that it is not a standing permission. */
export const EMERGENCY_ACCESS_MS = 60 * 60 * 1000;

export function emergencyExpiry(grantedAt: Date): string {
  return new Date(grantedAt.getTime() + EMERGENCY_ACCESS_MS).toISOString();
}

export type ClinicalAccess = 'role' | 'own_record' | 'emergency' | null;

/**
 * Why a user may read a patient's clinical record: by role, as the patient themself, or through
 * an emergency access that has not expired; null when they may not. Every clinical read asks this.
 */
export function clinicalAccess(
  permissions: ReadonlySet<string>,
  context: { ownPatientId: string | null; patientId: string; emergencyUntil: string | null; nowIso: string },
): ClinicalAccess {
  if (permissions.has('clinical.read')) return 'role';
  if (permissions.has('clinical.read_own') && context.ownPatientId === context.patientId) return 'own_record';
  return context.emergencyUntil !== null && context.emergencyUntil > context.nowIso ? 'emergency' : null;
}
