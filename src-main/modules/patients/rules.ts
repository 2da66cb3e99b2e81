import { doubleMetaphone } from 'double-metaphone';
import { distance } from 'fastest-levenshtein';

/**
 * Edit distance where swapping two neighbouring letters ("Graec" for "Grace") is one slip, as it
 * is at a keyboard: optimal string alignment, for short names only.
 */
export function typingDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      row[j] = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** MRNs read well aloud and sort as text: prefix plus six digits (more when the clinic outgrows them). */
export function formatMrn(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(6, '0')}`;
}

export const DEFAULT_MRN_PREFIX = 'P-';

export function phoneDigits(phone: string | null | undefined): string | null {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length > 0 ? digits : null;
}

function nameParts(...names: Array<string | null | undefined>): string[] {
  return names
    .filter((name): name is string => Boolean(name))
    .flatMap((name) =>
      name
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .split(/[^\p{L}]+/u),
    )
    .filter((part) => part.length > 0);
}

/** Phonetic keys of every name part: "Wanjiru" and "Wanjeru" share one, so a typo still finds the person. */
export function nameKeys(...names: Array<string | null | undefined>): string[] {
  const keys = new Set<string>();
  for (const part of nameParts(...names)) {
    for (const key of doubleMetaphone(part)) if (key) keys.add(key);
  }
  return [...keys];
}

export type SearchKind = { kind: 'birth_date'; date: string } | { kind: 'number'; digits: string; text: string } | { kind: 'name'; words: string[] };

/**
 * What a person typed into the one search box: a date of birth (2001-04-17 or 17/04/2001), a
 * number (MRN, phone, national id — anything with three or more digits), or name words.
 */
export function classifySearch(raw: string): SearchKind {
  const text = raw.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (iso) return { kind: 'birth_date', date: text };
  const dmy = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(text);
  if (dmy) return { kind: 'birth_date', date: `${dmy[3]}-${dmy[2]?.padStart(2, '0')}-${dmy[1]?.padStart(2, '0')}` };
  const digits = text.replace(/\D/g, '');
  if (digits.length >= 3) return { kind: 'number', digits, text: text.toUpperCase().replace(/\s+/g, '') };
  return { kind: 'name', words: nameParts(text) };
}

/**
 * A number as typed and, for a local phone number with its trunk 0 (0712…), without it, so it
 * also finds the number stored in international form (+254 712…).
 */
export function numberAlternatives(digits: string, typed = digits): string[] {
  const phoneLike = /^[\d\s()+.-]+$/.test(typed);
  return phoneLike && digits.startsWith('0') && digits.length >= 4 ? [digits, digits.slice(1)] : [digits];
}

/** For FTS5: each word as a quoted phrase (substring, via the trigram index), all required. */
export function ftsPhrase(words: readonly string[]): string {
  return words.map((word) => `"${word.replaceAll('"', '""')}"`).join(' AND ');
}

/** Lower is closer: the best edit distance of each typed word to any part of the name, summed. */
export function nameDistance(typedWords: readonly string[], ...names: Array<string | null | undefined>): number {
  const parts = nameParts(...names);
  if (parts.length === 0) return Number.POSITIVE_INFINITY;
  return typedWords.reduce((sum, word) => sum + Math.min(...parts.map((part) => (part.includes(word) ? 0 : distance(word, part)))), 0);
}

/** Two spellings of a name are the same person's when they differ by a slip of the keyboard or sound alike. */
export function namesLookAlike(a: { givenName: string; familyName: string }, b: { givenName: string; familyName: string }): boolean {
  const close = (x: string, y: string) => {
    const [left] = nameParts(x);
    const [right] = nameParts(y);
    if (!left || !right) return false;
    const tolerance = Math.max(1, Math.floor(Math.max(left.length, right.length) / 4));
    return typingDistance(left, right) <= tolerance || nameKeys(left).some((key) => nameKeys(right).includes(key));
  };
  // Given and family names are sometimes swapped at a busy desk.
  return (close(a.givenName, b.givenName) && close(a.familyName, b.familyName)) || (close(a.givenName, b.familyName) && close(a.familyName, b.givenName));
}

export type DuplicateReason = 'name_and_birth_date' | 'phone' | 'national_id';

export function duplicateReasons(
  probe: { givenName: string; familyName: string; birthDate?: string | null; phoneDigits?: string | null; nationalId?: string | null },
  candidate: { givenName: string; familyName: string; birthDate: string; phoneDigits: string | null; nationalId: string | null },
): DuplicateReason[] {
  const reasons: DuplicateReason[] = [];
  if (probe.birthDate && probe.birthDate === candidate.birthDate && namesLookAlike(probe, candidate)) reasons.push('name_and_birth_date');
  if (probe.phoneDigits && probe.phoneDigits.length >= 6 && probe.phoneDigits === candidate.phoneDigits) reasons.push('phone');
  if (probe.nationalId && probe.nationalId === candidate.nationalId) reasons.push('national_id');
  return reasons;
}

/** A patient-role user reads only the record linked to their account. */
export function mayReadPatient(permissions: ReadonlySet<string>, ownPatientId: string | null, patientId: string): boolean {
  return permissions.has('patients.read') || (permissions.has('patients.read_own') && ownPatientId === patientId);
}

/**
 * Every column that points at a patient. Merging moves these from the duplicate to the kept
 * record; a module that adds a patient-owned table adds its column here.
 */
export const PATIENT_REFERENCES = [
  { table: 'users', column: 'patient_id', unique: true },
  { table: 'emergency_access', column: 'patient_id', unique: false },
  { table: 'encounters', column: 'patient_id', unique: false },
  { table: 'vitals', column: 'patient_id', unique: false },
  { table: 'orders', column: 'patient_id', unique: false },
  { table: 'results', column: 'patient_id', unique: false },
  { table: 'attachments', column: 'patient_id', unique: false },
  { table: 'prescriptions', column: 'patient_id', unique: false },
  { table: 'appointments', column: 'patient_id', unique: false },
] as const;

/** What spreadsheets write for sex, mapped onto the registry's values. */
export function normalizeImportedSex(value: string): string {
  const folded = value.trim().toLowerCase();
  const aliases: Record<string, string> = { f: 'female', m: 'male', o: 'other', u: 'unknown', '': 'unknown' };
  return aliases[folded] ?? folded;
}

/** A merge must not lose a known allergy: the kept record gains the duplicate's, by substance. */
export function mergeAllergies<A extends { substance: string }>(kept: readonly A[], duplicate: readonly A[]): A[] {
  const known = new Set(kept.map((allergy) => allergy.substance.trim().toLowerCase()));
  return [...kept, ...duplicate.filter((allergy) => !known.has(allergy.substance.trim().toLowerCase()))];
}
