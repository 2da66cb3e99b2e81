import { type Kysely, sql } from 'kysely';
import type { Encounter, OrderOut, PrescriptionOut, TestOut, TimelineEntry, TimelineKind, VitalsOut } from '../../../src-shared/contract/records.js';
import { AppError } from '../../../src-shared/errors.js';
import { patientDisplayName } from '../../../src-shared/schemas/patient.js';
import type { DB } from '../../core/db/schema.js';
import { bodyMassIndex, compareTimeline } from './rules.js';

async function people(db: Kysely<DB>, ids: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', unique).execute();
  return new Map(rows.map((row) => [row.id, row.display_name]));
}

const person = (names: Map<string, string>, id: string | null) => ({ id: id ?? '', name: (id && names.get(id)) ?? 'Unknown user' });

export async function readEncounter(db: Kysely<DB>, id: string): Promise<Encounter> {
  const row = await db.selectFrom('encounters').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'That encounter does not exist.');
  const revisions = await db.selectFrom('encounter_revisions').selectAll().where('encounter_id', '=', id).orderBy('revision').execute();
  const names = await people(db, [row.doctor_id, ...revisions.map((revision) => revision.created_by ?? '')]);
  return {
    id: row.id,
    patientId: row.patient_id,
    doctor: person(names, row.doctor_id),
    occurredAt: row.occurred_at,
    complaint: row.complaint,
    findings: row.findings,
    diagnoses: JSON.parse(row.diagnoses),
    plan: row.plan,
    revision: row.revision,
    revisions: revisions.map((revision) => ({
      revision: revision.revision,
      complaint: revision.complaint,
      findings: revision.findings,
      diagnoses: JSON.parse(revision.diagnoses),
      plan: revision.plan,
      amendmentReason: revision.amendment_reason,
      by: person(names, revision.created_by),
      at: revision.created_at,
    })),
    version: row.version,
  };
}

/** Heights change slowly: a weight without a height that day takes the latest height before it. */
export async function readVitals(db: Kysely<DB>, patientId: string, options: { ids?: string[]; limit?: number }): Promise<VitalsOut[]> {
  let query = db.selectFrom('vitals').selectAll().where('patient_id', '=', patientId).orderBy('taken_at', 'desc').orderBy('id', 'desc');
  if (options.ids) query = query.where('id', 'in', options.ids);
  const rows = (await query.limit(options.limit ?? 200).execute()).reverse();
  const names = await people(
    db,
    rows.map((row) => row.created_by ?? ''),
  );
  let height: number | null = null;
  const earlier = rows[0]
    ? await db
        .selectFrom('vitals')
        .select('height_cm')
        .where('patient_id', '=', patientId)
        .where('taken_at', '<', rows[0].taken_at)
        .where('height_cm', 'is not', null)
        .orderBy('taken_at', 'desc')
        .limit(1)
        .executeTakeFirst()
    : undefined;
  height = earlier?.height_cm ?? null;
  return rows.map((row) => {
    height = row.height_cm ?? height;
    return {
      id: row.id,
      takenAt: row.taken_at,
      by: person(names, row.created_by),
      systolic: row.systolic,
      diastolic: row.diastolic,
      pulse: row.pulse,
      temperatureC: row.temperature_c,
      respiratoryRate: row.respiratory_rate,
      spo2: row.spo2,
      weightKg: row.weight_kg,
      heightCm: row.height_cm,
      bmi: bodyMassIndex(row.weight_kg, height),
      glucoseMmolL: row.glucose_mmol_l,
    };
  });
}

export function toTest(row: DB['test_catalog']): TestOut {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    priceMinor: row.price_minor,
    unit: row.unit,
    refLow: row.ref_low,
    refHigh: row.ref_high,
    refText: row.ref_text,
    active: row.active === 1,
    version: row.version,
  };
}

export async function readOrders(db: Kysely<DB>, filter: { ids?: string[]; patientId?: string; status?: 'ordered' }): Promise<OrderOut[]> {
  let query = db
    .selectFrom('orders')
    .innerJoin('test_catalog', 'test_catalog.id', 'orders.test_id')
    .innerJoin('patients', 'patients.id', 'orders.patient_id')
    .leftJoin('results', 'results.order_id', 'orders.id')
    .select([
      'orders.id',
      'orders.ordered_by',
      'orders.ordered_at',
      'orders.status',
      'orders.notes',
      'orders.version',
      'patients.id as patient_id',
      'patients.mrn',
      'patients.given_name',
      'patients.family_name',
      'patients.other_names',
      'test_catalog.id as test_id',
      'test_catalog.code',
      'test_catalog.name',
      'test_catalog.unit as test_unit',
      'test_catalog.ref_low as test_ref_low',
      'test_catalog.ref_high as test_ref_high',
      'test_catalog.ref_text',
      'results.id as result_id',
      'results.resulted_at',
      'results.created_by as result_by',
      'results.value_numeric',
      'results.value_text',
      'results.unit',
      'results.ref_low',
      'results.ref_high',
      'results.flag',
    ])
    .orderBy('orders.ordered_at')
    .orderBy('orders.id');
  if (filter.ids) query = query.where('orders.id', 'in', filter.ids);
  if (filter.patientId) query = query.where('orders.patient_id', '=', filter.patientId);
  if (filter.status) query = query.where('orders.status', '=', filter.status);
  const rows = await query.limit(500).execute();
  const resultIds = rows.map((row) => row.result_id).filter((value): value is string => value !== null);
  const files =
    resultIds.length > 0
      ? await db
          .selectFrom('attachments')
          .select(['id', 'result_id', 'file_name', 'mime_type', 'size_bytes'])
          .where('result_id', 'in', resultIds)
          .orderBy('uploaded_at')
          .execute()
      : [];
  const names = await people(
    db,
    rows.flatMap((row) => [row.ordered_by, row.result_by ?? '']),
  );
  return rows.map((row) => ({
    id: row.id,
    patient: {
      id: row.patient_id,
      mrn: row.mrn,
      name: patientDisplayName({ givenName: row.given_name, familyName: row.family_name, otherNames: row.other_names }),
    },
    test: { id: row.test_id, code: row.code, name: row.name, unit: row.test_unit, refLow: row.test_ref_low, refHigh: row.test_ref_high, refText: row.ref_text },
    orderedBy: person(names, row.ordered_by),
    orderedAt: row.ordered_at,
    status: row.status,
    notes: row.notes,
    result:
      row.result_id && row.resulted_at && row.flag
        ? {
            id: row.result_id,
            resultedAt: row.resulted_at,
            by: person(names, row.result_by),
            valueNumeric: row.value_numeric,
            valueText: row.value_text,
            unit: row.unit,
            refLow: row.ref_low,
            refHigh: row.ref_high,
            flag: row.flag,
            attachments: files
              .filter((file) => file.result_id === row.result_id)
              .map((file) => ({ id: file.id, fileName: file.file_name, mimeType: file.mime_type, sizeBytes: file.size_bytes })),
          }
        : null,
    version: row.version,
  }));
}

export async function readPrescription(db: Kysely<DB>, id: string): Promise<PrescriptionOut> {
  const row = await db.selectFrom('prescriptions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'That prescription does not exist.');
  const names = await people(db, [row.prescriber_id]);
  return {
    id: row.id,
    patientId: row.patient_id,
    prescriber: person(names, row.prescriber_id),
    prescribedAt: row.prescribed_at,
    encounterId: row.encounter_id,
    items: JSON.parse(row.items),
    notes: row.notes,
  };
}

/**
 * One page of the chart. Each kind is read newest-first from its (patient, time) index, at most a
 * page of it, then the pages are merged: the cost grows with the page, not with the history.
 */
export async function readTimeline(
  db: Kysely<DB>,
  patientId: string,
  kinds: readonly TimelineKind[],
  after: { at: string; id: string } | undefined,
  limit: number,
): Promise<TimelineEntry[]> {
  const cursor = (atColumn: string, idColumn: string) =>
    sql<boolean>`(${sql.ref(atColumn)} < ${after?.at} OR (${sql.ref(atColumn)} = ${after?.at} AND ${sql.ref(idColumn)} < ${after?.id}))`;
  const sources: Array<Promise<Array<TimelineEntry & { byId: string | null }>>> = [];
  if (kinds.includes('encounter')) {
    sources.push(
      db
        .selectFrom('encounters')
        .select(['id', 'occurred_at as at', 'diagnoses', 'complaint', 'doctor_id', 'revision'])
        .where('patient_id', '=', patientId)
        .$if(after !== undefined, (qb) => qb.where(cursor('occurred_at', 'id')))
        .orderBy('occurred_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
        .then((rows) =>
          rows.map((row) => ({
            kind: 'encounter' as const,
            id: row.id,
            at: row.at,
            title: `Visit: ${(JSON.parse(row.diagnoses) as Array<{ text: string }>).map((diagnosis) => diagnosis.text).join('; ')}`,
            detail: row.revision > 1 ? `${row.complaint} (amended)` : row.complaint,
            byId: row.doctor_id,
            by: null,
            flag: null,
          })),
        ),
    );
  }
  if (kinds.includes('vitals')) {
    sources.push(
      db
        .selectFrom('vitals')
        .selectAll()
        .where('patient_id', '=', patientId)
        .$if(after !== undefined, (qb) => qb.where(cursor('taken_at', 'id')))
        .orderBy('taken_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
        .then((rows) =>
          rows.map((row) => ({
            kind: 'vitals' as const,
            id: row.id,
            at: row.taken_at,
            title: 'Vitals',
            detail:
              [
                row.systolic !== null ? `BP ${row.systolic}/${row.diastolic}` : null,
                row.pulse !== null ? `pulse ${row.pulse}` : null,
                row.temperature_c !== null ? `${row.temperature_c} °C` : null,
                row.spo2 !== null ? `SpO₂ ${row.spo2}%` : null,
                row.weight_kg !== null ? `${row.weight_kg} kg` : null,
              ]
                .filter(Boolean)
                .join(', ') || null,
            byId: row.created_by,
            by: null,
            flag: null,
          })),
        ),
    );
  }
  if (kinds.includes('order')) {
    sources.push(
      db
        .selectFrom('orders')
        .innerJoin('test_catalog', 'test_catalog.id', 'orders.test_id')
        .select(['orders.id', 'orders.ordered_at', 'orders.ordered_by', 'orders.status', 'test_catalog.name'])
        .where('orders.patient_id', '=', patientId)
        .$if(after !== undefined, (qb) => qb.where(cursor('orders.ordered_at', 'orders.id')))
        .orderBy('orders.ordered_at', 'desc')
        .orderBy('orders.id', 'desc')
        .limit(limit)
        .execute()
        .then((rows) =>
          rows.map((row) => ({
            kind: 'order' as const,
            id: row.id,
            at: row.ordered_at,
            title: `Ordered: ${row.name}`,
            detail: row.status === 'ordered' ? 'Awaiting result' : row.status === 'resulted' ? 'Resulted' : 'Cancelled',
            byId: row.ordered_by,
            by: null,
            flag: null,
          })),
        ),
    );
  }
  if (kinds.includes('result')) {
    sources.push(
      db
        .selectFrom('results')
        .innerJoin('orders', 'orders.id', 'results.order_id')
        .innerJoin('test_catalog', 'test_catalog.id', 'orders.test_id')
        .select([
          'results.id',
          'results.order_id',
          'results.resulted_at',
          'results.created_by',
          'results.value_numeric',
          'results.value_text',
          'results.unit',
          'results.flag',
          'test_catalog.name',
        ])
        .where('results.patient_id', '=', patientId)
        // The entry carries the order's id, so the order's id is what sorts and continues the page.
        .$if(after !== undefined, (qb) => qb.where(cursor('results.resulted_at', 'results.order_id')))
        .orderBy('results.resulted_at', 'desc')
        .orderBy('results.order_id', 'desc')
        .limit(limit)
        .execute()
        .then((rows) =>
          rows.map((row) => ({
            kind: 'result' as const,
            // The order's id: its page shows the result with its files.
            id: row.order_id,
            at: row.resulted_at,
            title: `Result: ${row.name}`,
            detail: row.value_numeric !== null ? `${row.value_numeric}${row.unit ? ` ${row.unit}` : ''}` : row.value_text,
            byId: row.created_by,
            by: null,
            flag: row.flag,
          })),
        ),
    );
  }
  if (kinds.includes('prescription')) {
    sources.push(
      db
        .selectFrom('prescriptions')
        .select(['id', 'prescribed_at', 'prescriber_id', 'items'])
        .where('patient_id', '=', patientId)
        .$if(after !== undefined, (qb) => qb.where(cursor('prescribed_at', 'id')))
        .orderBy('prescribed_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
        .then((rows) =>
          rows.map((row) => ({
            kind: 'prescription' as const,
            id: row.id,
            at: row.prescribed_at,
            title: 'Prescription',
            detail: (JSON.parse(row.items) as Array<{ drug: string; dose: string }>).map((item) => `${item.drug} ${item.dose}`).join('; '),
            byId: row.prescriber_id,
            by: null,
            flag: null,
          })),
        ),
    );
  }
  if (kinds.includes('attachment')) {
    sources.push(
      db
        .selectFrom('attachments')
        .select(['id', 'uploaded_at', 'file_name', 'created_by', 'mime_type'])
        .where('patient_id', '=', patientId)
        .$if(after !== undefined, (qb) => qb.where(cursor('uploaded_at', 'id')))
        .orderBy('uploaded_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
        .then((rows) =>
          rows.map((row) => ({
            kind: 'attachment' as const,
            id: row.id,
            at: row.uploaded_at,
            title: `File: ${row.file_name}`,
            detail: row.mime_type === 'application/pdf' ? 'PDF document' : 'Image',
            byId: row.created_by,
            by: null,
            flag: null,
          })),
        ),
    );
  }
  const merged = (await Promise.all(sources)).flat().sort(compareTimeline).slice(0, limit);
  const names = await people(
    db,
    merged.map((entry) => entry.byId ?? ''),
  );
  return merged.map(({ byId, ...entry }) => ({ ...entry, by: byId ? (names.get(byId) ?? null) : null }));
}
