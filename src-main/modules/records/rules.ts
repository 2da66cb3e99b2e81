/**
 * A numeric result against its reference range; text-only results carry no flag, and neither does
 * a value entered in another unit than the range's (5.5 mg/dL is not "normal" glucose in mmol/L).
 */
export function resultFlag(
  value: number | null,
  low: number | null,
  high: number | null,
  units: { entered: string | null; reference: string | null } = { entered: null, reference: null },
): 'low' | 'normal' | 'high' | 'none' {
  if (value === null) return 'none';
  const fold = (unit: string | null) => (unit ?? '').trim().toLowerCase();
  if (units.entered && units.reference && fold(units.entered) !== fold(units.reference)) return 'none';
  if (low !== null && value < low) return 'low';
  if (high !== null && value > high) return 'high';
  return low === null && high === null ? 'none' : 'normal';
}

/** Body-mass index to one decimal, from kilograms and centimetres. */
export function bodyMassIndex(weightKg: number | null, heightCm: number | null): number | null {
  if (weightKg === null || heightCm === null || heightCm <= 0) return null;
  const metres = heightCm / 100;
  return Math.round((weightKg / (metres * metres)) * 10) / 10;
}

/**
 * The file's type from its first bytes. Only JPEG, PNG and PDF are accepted, so three
 * signatures are the whole job; the name and what the browser claimed are not trusted.
 */
export function sniffAttachmentType(bytes: Uint8Array): 'image/jpeg' | 'image/png' | 'application/pdf' | null {
  const starts = (signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  return null;
}

export type RecordAccess = 'full' | 'prescriptions' | null;

/**
 * How much of a patient's clinical record a user may read: all of it (by role, own record or
 * emergency access), only the prescriptions (the pharmacy, to dispense), or nothing.
 */
export function recordAccess(clinical: 'role' | 'own_record' | 'emergency' | null, permissions: ReadonlySet<string>): RecordAccess {
  if (clinical !== null) return 'full';
  return permissions.has('clinical.read_prescriptions') ? 'prescriptions' : null;
}

/** Newest first; equal instants in a fixed order so paging never skips or repeats an entry. */
export function compareTimeline(a: { at: string; id: string }, b: { at: string; id: string }): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function isAfterCursor(entry: { at: string; id: string }, cursor: { at: string; id: string }): boolean {
  return compareTimeline(cursor, entry) < 0;
}
