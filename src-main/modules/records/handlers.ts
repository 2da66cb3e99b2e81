import { TIMELINE_KINDS } from '../../../src-shared/contract/records.js';
import { AppError } from '../../../src-shared/errors.js';
import { patientDisplayName } from '../../../src-shared/schemas/patient.js';
import { MAX_ATTACHMENT_BYTES } from '../../../src-shared/schemas/records.js';
import { clinicLocalDate, formatClinicDateTime } from '../../../src-shared/time.js';
import { exportFileName, toCsv } from '../../core/csv.js';
import { expectVersionedUpdate } from '../../core/db/versioned.js';
import { newId } from '../../core/ids.js';
import type { HandlerContext, Handlers } from '../../core/procedure.js';
import { readPatient } from '../patients/queries.js';
import { clinicToday, readClinicSettings } from '../settings/queries.js';
import { requireRecordAccess } from './access.js';
import { prescriptionPdf } from './pdf.js';
import { readEncounter, readOrders, readPrescription, readTimeline, readVitals, toTest } from './queries.js';
import { resultFlag, sniffAttachmentType } from './rules.js';

async function requireEncounterOf(ctx: HandlerContext, encounterId: string | undefined, patientId: string): Promise<void> {
  if (!encounterId) return;
  const encounter = await ctx.db.selectFrom('encounters').select('patient_id').where('id', '=', encounterId).executeTakeFirst();
  if (encounter?.patient_id !== patientId)
    throw new AppError('VALIDATION', 'That encounter does not belong to this patient.', { encounterId: 'Choose one of this patient’s encounters.' });
}

export const recordsHandlers: Handlers<
  | 'records.timeline'
  | 'encounters.create'
  | 'encounters.amend'
  | 'encounters.get'
  | 'vitals.record'
  | 'vitals.series'
  | 'catalog.tests'
  | 'catalog.saveTest'
  | 'orders.create'
  | 'orders.worklist'
  | 'orders.get'
  | 'results.enter'
  | 'attachments.get'
  | 'prescriptions.create'
  | 'prescriptions.get'
  | 'prescriptions.pdf'
  | 'records.exportCsv'
> = {
  'records.timeline': async ({ patientId, kinds, after, limit }, ctx) => {
    const access = await requireRecordAccess(ctx, patientId, 'prescriptions');
    const wanted = (kinds ?? TIMELINE_KINDS).filter((kind) => access === 'full' || kind === 'prescription');
    const size = limit ?? 50;
    const entries = await readTimeline(ctx.db, patientId, wanted, after, size + 1);
    const shown = entries.slice(0, size);
    const last = shown.at(-1);
    return { entries: shown, next: entries.length > size && last ? { at: last.at, id: last.id } : null };
  },

  'encounters.create': async ({ patientId, appointmentId, encounter }, ctx) => {
    await requireRecordAccess(ctx, patientId);
    if (appointmentId) {
      const appointment = await ctx.db
        .selectFrom('appointments')
        .select(['patient_id', 'status', 'encounter_id'])
        .where('id', '=', appointmentId)
        .executeTakeFirst();
      if (appointment?.patient_id !== patientId)
        throw new AppError('VALIDATION', 'That appointment is not this patient’s.', { appointmentId: 'Open the visit from the patient’s own appointment.' });
      if (appointment.status !== 'booked' && appointment.status !== 'checked_in')
        throw new AppError('CONFLICT', 'That appointment is already closed; write the visit without linking it, or amend the visit already written.');
      if (appointment.encounter_id) throw new AppError('CONFLICT', 'A visit is already written for this appointment; amend it instead of writing another.');
    }
    const id = newId();
    const doctorId = ctx.user().userId;
    const diagnoses = JSON.stringify(encounter.diagnoses);
    await ctx.db
      .insertInto('encounters')
      .values({
        id,
        patient_id: patientId,
        doctor_id: doctorId,
        appointment_id: appointmentId ?? null,
        admission_id: null,
        occurred_at: ctx.nowIso,
        complaint: encounter.complaint,
        findings: encounter.findings,
        diagnoses,
        plan: encounter.plan,
        revision: 1,
        created_at: ctx.nowIso,
        updated_at: ctx.nowIso,
        created_by: doctorId,
        version: 1,
      })
      .execute();
    await ctx.db
      .insertInto('encounter_revisions')
      .values({
        id: newId(),
        encounter_id: id,
        revision: 1,
        ...encounter,
        diagnoses,
        amendment_reason: null,
        created_at: ctx.nowIso,
        updated_at: ctx.nowIso,
        created_by: doctorId,
        version: 1,
      })
      .execute();
    if (appointmentId) {
      await ctx.db
        .updateTable('appointments')
        .set((eb) => ({ encounter_id: id, updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
        .where('id', '=', appointmentId)
        .execute();
    }
    ctx.audit.details = { encounterId: id };
    return readEncounter(ctx.db, id);
  },

  'encounters.amend': async ({ id, version, reason, encounter }, ctx) => {
    const current = await ctx.db.selectFrom('encounters').select(['patient_id', 'revision']).where('id', '=', id).executeTakeFirst();
    if (!current) throw new AppError('NOT_FOUND', 'That encounter does not exist.');
    await requireRecordAccess(ctx, current.patient_id);
    const diagnoses = JSON.stringify(encounter.diagnoses);
    const revision = current.revision + 1;
    const result = await ctx.db
      .updateTable('encounters')
      .set((eb) => ({ ...encounter, diagnoses, revision, updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    expectVersionedUpdate(result, 'encounter');
    await ctx.db
      .insertInto('encounter_revisions')
      .values({
        id: newId(),
        encounter_id: id,
        revision,
        ...encounter,
        diagnoses,
        amendment_reason: reason,
        created_at: ctx.nowIso,
        updated_at: ctx.nowIso,
        created_by: ctx.user().userId,
        version: 1,
      })
      .execute();
    ctx.audit.details = { encounterId: id, revision };
    return readEncounter(ctx.db, id);
  },

  'encounters.get': async ({ id }, ctx) => {
    const encounter = await readEncounter(ctx.db, id);
    await requireRecordAccess(ctx, encounter.patientId);
    return encounter;
  },

  'vitals.record': async ({ patientId, takenAt, vitals }, ctx) => {
    await requireRecordAccess(ctx, patientId);
    if (takenAt && takenAt > ctx.nowIso)
      throw new AppError('VALIDATION', 'Vitals cannot be recorded for a time in the future.', { takenAt: 'Use the time they were taken.' });
    const id = newId();
    await ctx.db
      .insertInto('vitals')
      .values({
        id,
        patient_id: patientId,
        taken_at: takenAt ?? ctx.nowIso,
        systolic: vitals.systolic,
        diastolic: vitals.diastolic,
        pulse: vitals.pulse,
        temperature_c: vitals.temperatureC,
        respiratory_rate: vitals.respiratoryRate,
        spo2: vitals.spo2,
        weight_kg: vitals.weightKg,
        height_cm: vitals.heightCm,
        glucose_mmol_l: vitals.glucoseMmolL,
        created_at: ctx.nowIso,
        updated_at: ctx.nowIso,
        created_by: ctx.user().userId,
        version: 1,
      })
      .execute();
    ctx.audit.details = { vitalsId: id };
    const [saved] = await readVitals(ctx.db, patientId, { ids: [id] });
    return saved as NonNullable<typeof saved>;
  },

  'vitals.series': async ({ patientId, limit }, ctx) => {
    await requireRecordAccess(ctx, patientId);
    return readVitals(ctx.db, patientId, { limit: limit ?? 200 });
  },

  'catalog.tests': async ({ includeInactive }, ctx) => {
    let query = ctx.db.selectFrom('test_catalog').selectAll().orderBy('name');
    if (!includeInactive) query = query.where('active', '=', 1);
    return (await query.execute()).map(toTest);
  },

  'catalog.saveTest': async ({ id, version, test }, ctx) => {
    const values = {
      code: test.code,
      name: test.name,
      kind: test.kind,
      price_minor: test.priceMinor,
      unit: test.unit,
      ref_low: test.refLow,
      ref_high: test.refHigh,
      ref_text: test.refText,
      active: test.active ? (1 as const) : (0 as const),
    };
    const clash = await ctx.db.selectFrom('test_catalog').select('id').where('code', '=', test.code).executeTakeFirst();
    if (clash && clash.id !== id) throw new AppError('CONFLICT', `The code ${test.code} is already used by another test.`, { code: 'This code is taken.' });
    let savedId = id;
    if (id && !(await ctx.db.selectFrom('test_catalog').select('id').where('id', '=', id).executeTakeFirst())) {
      throw new AppError('NOT_FOUND', 'That test is not in the catalog.');
    }
    if (id) {
      if (!version) throw new AppError('VALIDATION', 'Send the version you edited.', { version: 'Required when changing a test.' });
      const result = await ctx.db
        .updateTable('test_catalog')
        .set((eb) => ({ ...values, updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      expectVersionedUpdate(result, 'test');
    } else {
      savedId = newId();
      await ctx.db
        .insertInto('test_catalog')
        .values({ id: savedId, ...values, created_at: ctx.nowIso, updated_at: ctx.nowIso, created_by: ctx.user().userId, version: 1 })
        .execute();
    }
    ctx.audit.entity = 'test_catalog';
    ctx.audit.entityId = savedId;
    return toTest(
      await ctx.db
        .selectFrom('test_catalog')
        .selectAll()
        .where('id', '=', savedId as string)
        .executeTakeFirstOrThrow(),
    );
  },

  'orders.create': async ({ patientId, encounterId, testIds, notes }, ctx) => {
    await requireRecordAccess(ctx, patientId);
    await requireEncounterOf(ctx, encounterId, patientId);
    const tests = await ctx.db.selectFrom('test_catalog').select(['id', 'active']).where('id', 'in', testIds).execute();
    const unknown = testIds.filter((testId) => !tests.some((test) => test.id === testId && test.active === 1));
    if (unknown.length > 0)
      throw new AppError('VALIDATION', 'Choose tests from the current catalog.', {
        testIds: 'One of the chosen tests is not in the catalog or is no longer offered.',
      });
    const ids = testIds.map(() => newId());
    await ctx.db
      .insertInto('orders')
      .values(
        testIds.map((testId, index) => ({
          id: ids[index] as string,
          patient_id: patientId,
          encounter_id: encounterId ?? null,
          test_id: testId,
          ordered_by: ctx.user().userId,
          ordered_at: ctx.nowIso,
          status: 'ordered' as const,
          notes: notes ?? null,
          created_at: ctx.nowIso,
          updated_at: ctx.nowIso,
          created_by: ctx.user().userId,
          version: 1,
        })),
      )
      .execute();
    ctx.audit.details = { orderIds: ids };
    return readOrders(ctx.db, { ids });
  },

  'orders.worklist': async ({ patientId }, ctx) => {
    if (patientId) await requireRecordAccess(ctx, patientId);
    const orders = await readOrders(ctx.db, { status: 'ordered', patientId });
    // Every patient's pending tests are clinical data too: the read is audited.
    if (!patientId) {
      ctx.audit.entity = 'worklist';
      ctx.audit.recordRead = true;
      ctx.audit.details = { orders: orders.length };
    }
    return orders;
  },

  'orders.get': async ({ id }, ctx) => {
    const [order] = await readOrders(ctx.db, { ids: [id] });
    if (!order) throw new AppError('NOT_FOUND', 'That order does not exist.');
    await requireRecordAccess(ctx, order.patient.id);
    return order;
  },

  'results.enter': async ({ orderId, version, valueNumeric, valueText, unit, attachments }, ctx) => {
    const order = await ctx.db
      .selectFrom('orders')
      .innerJoin('test_catalog', 'test_catalog.id', 'orders.test_id')
      .select(['orders.patient_id', 'orders.status', 'test_catalog.unit', 'test_catalog.ref_low', 'test_catalog.ref_high'])
      .where('orders.id', '=', orderId)
      .executeTakeFirst();
    if (!order) throw new AppError('NOT_FOUND', 'That order does not exist.');
    await requireRecordAccess(ctx, order.patient_id);
    if (order.status !== 'ordered') throw new AppError('CONFLICT', 'This test already has a result (or was cancelled).');
    if (valueNumeric === undefined && !valueText && (attachments ?? []).length === 0) {
      throw new AppError('VALIDATION', 'Enter a value, a text result or attach a file.', { valueNumeric: 'Enter the result.' });
    }
    const files = (attachments ?? []).map((file, index) => {
      const content = Buffer.from(file.contentBase64, 'base64');
      const field = `attachments.${index}`;
      if (content.length === 0) throw new AppError('VALIDATION', `${file.fileName} is empty.`, { [field]: 'The file is empty.' });
      if (content.length > MAX_ATTACHMENT_BYTES)
        throw new AppError('VALIDATION', `${file.fileName} is larger than 20 MB.`, { [field]: 'A file can be at most 20 MB.' });
      const mimeType = sniffAttachmentType(content);
      if (!mimeType)
        throw new AppError('VALIDATION', `${file.fileName} is not a JPEG, PNG or PDF file.`, { [field]: 'Attach JPEG or PNG images, or PDF documents.' });
      return { fileName: file.fileName, content, mimeType };
    });
    const updated = await ctx.db
      .updateTable('orders')
      .set((eb) => ({ status: 'resulted', updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
      .where('id', '=', orderId)
      .where('version', '=', version)
      .executeTakeFirst();
    expectVersionedUpdate(updated, 'order');
    const resultId = newId();
    const value = valueNumeric ?? null;
    await ctx.db
      .insertInto('results')
      .values({
        id: resultId,
        order_id: orderId,
        patient_id: order.patient_id,
        resulted_at: ctx.nowIso,
        value_numeric: value,
        value_text: valueText || null,
        unit: unit || order.unit,
        ref_low: order.ref_low,
        ref_high: order.ref_high,
        flag: resultFlag(value, order.ref_low, order.ref_high, { entered: unit || null, reference: order.unit }),
        created_at: ctx.nowIso,
        updated_at: ctx.nowIso,
        created_by: ctx.user().userId,
        version: 1,
      })
      .execute();
    for (const file of files) {
      await ctx.db
        .insertInto('attachments')
        .values({
          id: newId(),
          patient_id: order.patient_id,
          result_id: resultId,
          encounter_id: null,
          uploaded_at: ctx.nowIso,
          file_name: file.fileName,
          mime_type: file.mimeType,
          size_bytes: file.content.length,
          content: file.content,
          created_at: ctx.nowIso,
          updated_at: ctx.nowIso,
          created_by: ctx.user().userId,
          version: 1,
        })
        .execute();
    }
    ctx.audit.details = { orderId, resultId, files: files.length };
    const [saved] = await readOrders(ctx.db, { ids: [orderId] });
    return saved as NonNullable<typeof saved>;
  },

  'attachments.get': async ({ id }, ctx) => {
    const file = await ctx.db
      .selectFrom('attachments')
      .select(['id', 'patient_id', 'file_name', 'mime_type', 'content'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!file) throw new AppError('NOT_FOUND', 'That file does not exist.');
    await requireRecordAccess(ctx, file.patient_id);
    ctx.audit.details = { attachmentId: id };
    return { id: file.id, fileName: file.file_name, mimeType: file.mime_type, contentBase64: Buffer.from(file.content).toString('base64') };
  },

  'prescriptions.create': async ({ patientId, encounterId, items, notes }, ctx) => {
    await requireRecordAccess(ctx, patientId);
    await requireEncounterOf(ctx, encounterId, patientId);
    const id = newId();
    await ctx.db
      .insertInto('prescriptions')
      .values({
        id,
        patient_id: patientId,
        encounter_id: encounterId ?? null,
        prescriber_id: ctx.user().userId,
        prescribed_at: ctx.nowIso,
        items: JSON.stringify(items),
        notes: notes || null,
        created_at: ctx.nowIso,
        updated_at: ctx.nowIso,
        created_by: ctx.user().userId,
        version: 1,
      })
      .execute();
    ctx.audit.details = { prescriptionId: id };
    return readPrescription(ctx.db, id);
  },

  'prescriptions.get': async ({ id }, ctx) => {
    const prescription = await readPrescription(ctx.db, id);
    await requireRecordAccess(ctx, prescription.patientId, 'prescriptions');
    return prescription;
  },

  'prescriptions.pdf': async ({ id }, ctx) => {
    const prescription = await readPrescription(ctx.db, id);
    await requireRecordAccess(ctx, prescription.patientId, 'prescriptions');
    const patient = await readPatient(ctx.db, prescription.patientId);
    const { clinicName, timeZone } = await readClinicSettings(ctx.db);
    const bytes = await prescriptionPdf({
      clinicName,
      patient: {
        name: patientDisplayName(patient),
        mrn: patient.mrn,
        birthDate: patient.birthDate,
        allergies: patient.allergies.map((allergy) => `${allergy.substance} (${allergy.severity})`),
      },
      prescription,
      prescribedAt: formatClinicDateTime(new Date(prescription.prescribedAt), timeZone, 'en-GB'),
    });
    ctx.audit.details = { prescriptionId: id, printed: true };
    const day = clinicLocalDate(new Date(prescription.prescribedAt), timeZone);
    return { fileName: `prescription-${patient.mrn}-${day}.pdf`, pdfBase64: Buffer.from(bytes).toString('base64') };
  },

  'records.exportCsv': async ({ patientId }, ctx) => {
    await requireRecordAccess(ctx, patientId);
    const patient = await readPatient(ctx.db, patientId);
    const rows: Array<{ at: string; kind: string; title: string; detail: string | null; by: string | null; flag: string | null }> = [];
    let after: { at: string; id: string } | undefined;
    for (;;) {
      const page = await readTimeline(ctx.db, patientId, TIMELINE_KINDS, after, 500);
      rows.push(...page);
      const last = page.at(-1);
      if (page.length < 500 || !last) break;
      after = { at: last.at, id: last.id };
    }
    const csv = toCsv(
      [
        { key: 'at', header: 'Time (UTC)' },
        { key: 'kind', header: 'Kind' },
        { key: 'title', header: 'Entry' },
        { key: 'detail', header: 'Detail' },
        { key: 'flag', header: 'Flag' },
        { key: 'by', header: 'By' },
      ],
      rows,
    );
    ctx.audit.details = { rows: rows.length, exported: true };
    return { fileName: exportFileName(`record-${patient.mrn}`, await clinicToday(ctx.db, ctx.now)), csv, rows: rows.length };
  },
};
