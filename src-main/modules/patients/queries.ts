import { type Kysely, type Selectable, sql } from 'kysely';
import type { PatientListFilter, PatientRecord, PatientSummary } from '../../../src-shared/contract/patients.js';
import { AppError } from '../../../src-shared/errors.js';
import { type PatientFields, patientDisplayName } from '../../../src-shared/schemas/patient.js';
import { addDays, clinicDayStart } from '../../../src-shared/time.js';
import { nextNumber } from '../../core/db/counters.js';
import { likeContaining } from '../../core/db/like.js';
import type { DB, PatientsTable } from '../../core/db/schema.js';
import { newId } from '../../core/ids.js';
import { readRegistrySettings } from '../settings/queries.js';
import { classifySearch, duplicateReasons, formatMrn, ftsPhrase, nameDistance, nameKeys, numberAlternatives, phoneDigits } from './rules.js';

type PatientRow = Selectable<PatientsTable>;

function toColumns(fields: PatientFields) {
  return {
    given_name: fields.givenName,
    family_name: fields.familyName,
    other_names: fields.otherNames,
    sex: fields.sex,
    birth_date: fields.birthDate,
    phone: fields.phone,
    phone_digits: phoneDigits(fields.phone),
    email: fields.email,
    address: fields.address,
    national_id: fields.nationalId,
    blood_group: fields.bloodGroup,
    allergies: JSON.stringify(fields.allergies),
    emergency_contact: fields.emergencyContact ? JSON.stringify(fields.emergencyContact) : null,
    notes: fields.notes,
  };
}

export function toSummary(row: PatientRow, foundByMrn: string | null = null): PatientSummary {
  return {
    id: row.id,
    mrn: row.mrn,
    name: patientDisplayName({ givenName: row.given_name, familyName: row.family_name, otherNames: row.other_names }),
    sex: row.sex,
    birthDate: row.birth_date,
    phone: row.phone,
    nationalId: row.national_id,
    active: row.active === 1,
    foundByMrn,
  };
}

export async function readPatient(db: Kysely<DB>, id: string): Promise<PatientRecord> {
  const row = await db.selectFrom('patients').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'That patient record does not exist.');
  const kept = row.merged_into ? await db.selectFrom('patients').select(['id', 'mrn']).where('id', '=', row.merged_into).executeTakeFirst() : undefined;
  return {
    id: row.id,
    mrn: row.mrn,
    givenName: row.given_name,
    familyName: row.family_name,
    otherNames: row.other_names,
    sex: row.sex,
    birthDate: row.birth_date,
    phone: row.phone,
    email: row.email,
    address: row.address,
    nationalId: row.national_id,
    bloodGroup: row.blood_group as PatientRecord['bloodGroup'],
    allergies: JSON.parse(row.allergies),
    emergencyContact: row.emergency_contact ? JSON.parse(row.emergency_contact) : null,
    notes: row.notes,
    active: row.active === 1,
    deactivationReason: row.deactivation_reason,
    mergedInto: kept ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

async function writeNameKeys(
  db: Kysely<DB>,
  patientId: string,
  fields: Pick<PatientFields, 'givenName' | 'familyName' | 'otherNames'>,
  nowIso: string,
  by: string,
) {
  await db.deleteFrom('patient_name_keys').where('patient_id', '=', patientId).execute();
  const keys = nameKeys(fields.givenName, fields.otherNames, fields.familyName);
  if (keys.length === 0) return;
  await db
    .insertInto('patient_name_keys')
    .values(keys.map((key) => ({ id: newId(), patient_id: patientId, name_key: key, created_at: nowIso, updated_at: nowIso, created_by: by, version: 1 })))
    .execute();
}

/** A new record with the next MRN, its search keys written in the same transaction. */
export async function insertPatient(db: Kysely<DB>, fields: PatientFields, nowIso: string, by: string): Promise<string> {
  const { mrnPrefix } = await readRegistrySettings(db);
  const id = newId();
  const mrn = formatMrn(mrnPrefix, await nextNumber(db, 'mrn', nowIso));
  await db
    .insertInto('patients')
    .values({ id, mrn, ...toColumns(fields), active: 1, created_at: nowIso, updated_at: nowIso, created_by: by, version: 1 })
    .execute();
  await writeNameKeys(db, id, fields, nowIso, by);
  return id;
}

export async function updatePatientFields(db: Kysely<DB>, id: string, version: number, fields: PatientFields, nowIso: string, by: string) {
  const result = await db
    .updateTable('patients')
    .set((eb) => ({ ...toColumns(fields), updated_at: nowIso, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .where('merged_into', 'is', null)
    .executeTakeFirst();
  await writeNameKeys(db, id, fields, nowIso, by);
  return result;
}

/** Rows of the trigram index that match; the index is contentless, so only rowids come back. */
function ftsMatch(expression: string) {
  return sql<boolean>`patients.rowid IN (SELECT rowid FROM patients_fts WHERE patients_fts MATCH ${expression} LIMIT ${CANDIDATES})`;
}

/**
 * A name search reads at most this many matching records before ordering them: a common
 * fragment ("wanj") matches thousands, and the desk narrows by typing more, not by scrolling.
 */
const CANDIDATES = 200;

/**
 * A one- or two-letter word matches thousands of names; the desk reads the first few alphabetically
 * and types on. The name indexes yield them in that order, so a short candidate list suffices.
 */
const PREFIX_CANDIDATES = 60;

/** Names starting with a one- or two-letter word, read as a range of the (case-insensitive) name indexes. */
function namePrefix(word: string) {
  const upper = word.slice(0, -1) + String.fromCharCode(word.charCodeAt(word.length - 1) + 1);
  return sql<boolean>`patients.rowid IN (SELECT rowid FROM patients WHERE
    (family_name COLLATE NOCASE >= ${word} AND family_name COLLATE NOCASE < ${upper})
    OR (given_name COLLATE NOCASE >= ${word} AND given_name COLLATE NOCASE < ${upper})
    OR (other_names COLLATE NOCASE >= ${word} AND other_names COLLATE NOCASE < ${upper})
    LIMIT ${PREFIX_CANDIDATES})`;
}

const ACTIVE_FIRST = sql<number>`CASE WHEN patients.active = 1 THEN 0 ELSE 1 END`;

/**
 * The one search box: a date of birth, a number (MRN — including a merged duplicate's old one —
 * phone or national id), or name words found as substrings, then by sound when spelt wrong.
 * Merged duplicates never appear themselves; the record they point at does.
 */
export async function searchPatients(db: Kysely<DB>, text: string, options: { includeInactive: boolean; limit: number }): Promise<PatientSummary[]> {
  const search = classifySearch(text);
  const base = () => {
    let query = db.selectFrom('patients').selectAll('patients').where('patients.merged_into', 'is', null);
    if (!options.includeInactive) query = query.where('patients.active', '=', 1);
    return query;
  };
  if (search.kind === 'birth_date') {
    const rows = await base().where('birth_date', '=', search.date).orderBy('family_name').orderBy('given_name').limit(options.limit).execute();
    return rows.map((row) => toSummary(row));
  }
  if (search.kind === 'number') {
    const results: PatientSummary[] = [];
    const tombstone = await db
      .selectFrom('patients')
      .select(['mrn', 'merged_into'])
      .where('mrn', '=', search.text)
      .where('merged_into', 'is not', null)
      .executeTakeFirst();
    if (tombstone?.merged_into) {
      const kept = await base().where('patients.id', '=', tombstone.merged_into).executeTakeFirst();
      if (kept) results.push(toSummary(kept, tombstone.mrn));
    }
    const rows = await base()
      .where(
        ftsMatch(
          `numbers:(${numberAlternatives(search.digits, text.trim())
            .map((digits) => ftsPhrase([digits]))
            .join(' OR ')})`,
        ),
      )
      // The MRN typed in full comes first, inactive or not: other numbers merely contain its digits.
      .orderBy(sql`CASE WHEN patients.mrn = ${search.text} THEN 0 ELSE 1 END`)
      .orderBy(ACTIVE_FIRST)
      .orderBy('patients.family_name')
      .limit(options.limit)
      .execute();
    for (const row of rows) if (!results.some((result) => result.id === row.id)) results.push(toSummary(row));
    return results.slice(0, options.limit);
  }
  const words = search.words.filter((word) => word.length > 0);
  if (words.length === 0) return [];
  // Trigrams need three letters; shorter words match the start of a name instead.
  const long = words.filter((word) => word.length >= 3);
  const short = words.filter((word) => word.length < 3);
  let exact = base();
  if (long.length > 0) {
    exact = exact.where(ftsMatch(`names:(${ftsPhrase(long)})`));
  }
  for (const word of short) exact = exact.where(namePrefix(word));
  const found = await exact.orderBy(ACTIVE_FIRST).orderBy('patients.family_name').orderBy('patients.given_name').limit(options.limit).execute();
  if (found.length >= options.limit) return found.map((row) => toSummary(row));

  // Fewer than a page: add people whose names sound like every typed word (Wanjeru finds Wanjiru).
  const keysPerWord = words.map((word) => nameKeys(word)).filter((keys) => keys.length > 0);
  if (keysPerWord.length === 0) return found.map((row) => toSummary(row));
  // People who have a name part sounding like every typed word: the key lists are intersected in
  // the (name_key, patient_id) index itself, so a common given name's thousands of entries never
  // reach the patients table; only the ≤CANDIDATES survivors are read.
  const withKeys = (keys: string[]) =>
    db.selectFrom('patient_name_keys').select('patient_name_keys.patient_id').where('patient_name_keys.name_key', 'in', keys);
  const [firstKeys, ...otherKeys] = keysPerWord as [string[], ...string[][]];
  const everyWord = otherKeys.reduce((query, keys) => query.intersect(withKeys(keys)), withKeys(firstKeys)).limit(CANDIDATES);
  const sounding = base().where('patients.id', 'in', everyWord);
  const seen = new Set(found.map((row) => row.id));
  const similar = (await sounding.limit(200).execute())
    .filter((row) => !seen.has(row.id))
    .map((row) => ({ row, score: nameDistance(words, row.given_name, row.other_names, row.family_name) }))
    .sort((a, b) => a.score - b.score)
    .map(({ row }) => row);
  return [...found, ...similar].slice(0, options.limit).map((row) => toSummary(row));
}

export async function findDuplicates(
  db: Kysely<DB>,
  probe: { givenName: string; familyName: string; birthDate?: string; phone?: string | null; nationalId?: string | null; excludeId?: string },
) {
  const digits = phoneDigits(probe.phone);
  const nationalId = probe.nationalId ? probe.nationalId.toUpperCase().replace(/\s+/g, '') : null;
  if (!probe.birthDate && !(digits && digits.length >= 6) && !nationalId) return [];
  const rows = await db
    .selectFrom('patients')
    .selectAll()
    .where('merged_into', 'is', null)
    .where((eb) =>
      eb.or([
        ...(probe.birthDate ? [eb('birth_date', '=', probe.birthDate)] : []),
        ...(digits && digits.length >= 6 ? [eb('phone_digits', '=', digits)] : []),
        ...(nationalId ? [eb('national_id', '=', nationalId)] : []),
      ]),
    )
    .limit(500)
    .execute();
  return rows
    .filter((row) => row.id !== probe.excludeId)
    .map((row) => ({
      row,
      reasons: duplicateReasons(
        { ...probe, phoneDigits: digits, nationalId },
        { givenName: row.given_name, familyName: row.family_name, birthDate: row.birth_date, phoneDigits: row.phone_digits, nationalId: row.national_id },
      ),
    }))
    .filter(({ reasons }) => reasons.length > 0)
    .slice(0, 20)
    .map(({ row, reasons }) => ({ ...toSummary(row), reasons }));
}

/** Registration dates are the clinic's days, so "registered on the 3rd" means the 3rd in the clinic's time zone. */
export function listQuery(db: Kysely<DB>, filter: PatientListFilter, timeZone: string) {
  let query = db.selectFrom('patients').where('merged_into', 'is', null);
  const status = filter.status ?? 'active';
  if (status !== 'all') query = query.where('active', '=', status === 'active' ? 1 : 0);
  if (filter.sex) query = query.where('sex', '=', filter.sex);
  if (filter.registeredFrom) query = query.where('created_at', '>=', clinicDayStart(filter.registeredFrom, timeZone));
  if (filter.registeredTo) query = query.where('created_at', '<', clinicDayStart(addDays(filter.registeredTo, 1), timeZone));
  if (filter.query) {
    const pattern = likeContaining(filter.query);
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`given_name LIKE ${pattern} ESCAPE '\\'`,
        sql<boolean>`family_name LIKE ${pattern} ESCAPE '\\'`,
        sql<boolean>`mrn LIKE ${pattern} ESCAPE '\\'`,
        sql<boolean>`phone_digits LIKE ${pattern} ESCAPE '\\'`,
      ]),
    );
  }
  return query;
}

/** A patient that exists and is not a merged duplicate: everything about a patient is done on the kept record. */
export async function requireLivePatient(db: Kysely<DB>, id: string) {
  const row = await db.selectFrom('patients').select(['id', 'merged_into', 'mrn']).where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'That patient record does not exist.');
  if (row.merged_into) throw new AppError('CONFLICT', `Record ${row.mrn} was merged into another record; open that one instead.`);
  return row;
}

/** The record a patient-role user is linked to, if any. */
export async function ownPatientId(db: Kysely<DB>, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('patient_id').where('id', '=', userId).executeTakeFirst();
  return row?.patient_id ?? null;
}
