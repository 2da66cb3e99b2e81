import Papa from 'papaparse';
import { IMPORTABLE_FIELDS, type ImportableField } from '../../../src-shared/contract/patients.js';
import { AppError } from '../../../src-shared/errors.js';
import { patientFields } from '../../../src-shared/schemas/patient.js';
import { exportFileName, toCsv } from '../../core/csv.js';
import { expectVersionedUpdate } from '../../core/db/versioned.js';
import type { HandlerContext, Handlers } from '../../core/procedure.js';
import { clinicToday, readClinicSettings } from '../settings/queries.js';
import {
  findDuplicates,
  insertPatient,
  listQuery,
  ownPatientId,
  readPatient,
  requireLivePatient,
  searchPatients,
  toSummary,
  updatePatientFields,
} from './queries.js';
import { mayReadPatient, mergeAllergies, normalizeImportedSex, PATIENT_REFERENCES } from './rules.js';

function auditPatient(ctx: HandlerContext, id: string): void {
  ctx.audit.entity = 'patient';
  ctx.audit.entityId = id;
}

export const patientsHandlers: Handlers<
  | 'patients.search'
  | 'patients.get'
  | 'patients.list'
  | 'patients.findDuplicates'
  | 'patients.register'
  | 'patients.update'
  | 'patients.setActive'
  | 'patients.merge'
  | 'patients.exportCsv'
  | 'patients.importCsv'
> = {
  'patients.search': async ({ query, includeInactive, limit }, ctx) =>
    searchPatients(ctx.db, query, { includeInactive: includeInactive ?? false, limit: limit ?? 20 }),

  'patients.get': async ({ id }, ctx) => {
    const session = ctx.user();
    if (!mayReadPatient(session.permissions, session.permissions.has('patients.read') ? null : await ownPatientId(ctx.db, session.userId), id)) {
      throw new AppError('FORBIDDEN', 'You can see only your own record.');
    }
    auditPatient(ctx, id);
    ctx.audit.recordRead = true;
    return readPatient(ctx.db, id);
  },

  'patients.list': async ({ filter, page, pageSize }, ctx) => {
    const size = pageSize ?? 50;
    const offset = ((page ?? 1) - 1) * size;
    const { timeZone } = await readClinicSettings(ctx.db);
    const { total } = await listQuery(ctx.db, filter, timeZone)
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow();
    const rows = await listQuery(ctx.db, filter, timeZone).selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(size).offset(offset).execute();
    return { rows: rows.map((row) => toSummary(row)), total: Number(total) };
  },

  'patients.findDuplicates': async (probe, ctx) => findDuplicates(ctx.db, probe),

  'patients.register': async ({ patient, acknowledgedDuplicates }, ctx) => {
    const candidates = await findDuplicates(ctx.db, patient);
    const unacknowledged = candidates.filter((candidate) => !acknowledgedDuplicates?.includes(candidate.id));
    if (unacknowledged.length > 0) {
      throw new AppError(
        'CONFLICT',
        `This may be a patient who is already registered (${unacknowledged.map((candidate) => `${candidate.name}, ${candidate.mrn}`).join('; ')}). Open the existing record, or confirm that this is a different person.`,
      );
    }
    const id = await insertPatient(ctx.db, patient, ctx.nowIso, ctx.user().userId);
    auditPatient(ctx, id);
    if (candidates.length > 0) ctx.audit.details = { registeredDespite: candidates.map((candidate) => candidate.id) };
    return readPatient(ctx.db, id);
  },

  'patients.update': async ({ id, version, patient }, ctx) => {
    auditPatient(ctx, id);
    await requireLivePatient(ctx.db, id);
    expectVersionedUpdate(await updatePatientFields(ctx.db, id, version, patient, ctx.nowIso, ctx.user().userId), 'patient record');
    return readPatient(ctx.db, id);
  },

  'patients.setActive': async ({ id, version, active, reason }, ctx) => {
    auditPatient(ctx, id);
    await requireLivePatient(ctx.db, id);
    if (!active && !reason)
      throw new AppError('VALIDATION', 'Say why the record is being deactivated.', { reason: 'Give a reason, e.g. “deceased” or “moved away”.' });
    const result = await ctx.db
      .updateTable('patients')
      .set((eb) => ({ active: active ? 1 : 0, deactivation_reason: active ? null : (reason ?? null), updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    expectVersionedUpdate(result, 'patient record');
    ctx.audit.details = { active };
    return readPatient(ctx.db, id);
  },

  'patients.merge': async ({ keepId, duplicateId, reason }, ctx) => {
    if (keepId === duplicateId) throw new AppError('VALIDATION', 'Choose two different records to merge.', { duplicateId: 'This is the record being kept.' });
    const kept = await requireLivePatient(ctx.db, keepId);
    const duplicate = await requireLivePatient(ctx.db, duplicateId);
    for (const reference of PATIENT_REFERENCES) {
      if (reference.unique) {
        const keptTaken = await ctx.db.selectFrom(reference.table).select('id').where(reference.column, '=', keepId).executeTakeFirst();
        if (keptTaken) {
          const duplicateTaken = await ctx.db.selectFrom(reference.table).select('id').where(reference.column, '=', duplicateId).executeTakeFirst();
          if (duplicateTaken) {
            throw new AppError('CONFLICT', 'Both records have their own patient sign-in. Deactivate one of those user accounts first, then merge.');
          }
        }
      }
      await ctx.db
        .updateTable(reference.table)
        .set((eb) => ({ [reference.column]: keepId, updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
        .where(reference.column, '=', duplicateId)
        .execute();
    }
    const allergies = await ctx.db.selectFrom('patients').select(['id', 'allergies']).where('id', 'in', [keepId, duplicateId]).execute();
    const allergiesOf = (id: string) => JSON.parse(allergies.find((row) => row.id === id)?.allergies ?? '[]') as Array<{ substance: string }>;
    const combined = mergeAllergies(allergiesOf(keepId), allergiesOf(duplicateId));
    await ctx.db
      .updateTable('patients')
      .set((eb) => ({ allergies: JSON.stringify(combined), updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
      .where('id', '=', keepId)
      .execute();
    // Later registrations of old records: the tombstones of earlier merges follow to the kept record.
    await ctx.db.updateTable('patients').set({ merged_into: keepId, updated_at: ctx.nowIso }).where('merged_into', '=', duplicateId).execute();
    await ctx.db
      .updateTable('patients')
      .set((eb) => ({
        merged_into: keepId,
        merged_at: ctx.nowIso,
        active: 0,
        deactivation_reason: `Merged into ${kept.mrn}: ${reason}`,
        updated_at: ctx.nowIso,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', duplicateId)
      .execute();
    auditPatient(ctx, keepId);
    ctx.audit.details = { duplicateId, duplicateMrn: duplicate.mrn };
    return readPatient(ctx.db, keepId);
  },

  'patients.exportCsv': async ({ filter }, ctx) => {
    const rows = await listQuery(ctx.db, filter, (await readClinicSettings(ctx.db)).timeZone)
      .selectAll()
      .orderBy('mrn')
      .execute();
    ctx.audit.entity = 'patient_list';
    // The filter's free text can be a name: the audit keeps only which filters were used.
    ctx.audit.details = { rows: rows.length, filters: Object.keys(filter).filter((key) => filter[key as keyof typeof filter] !== undefined) };
    const csv = toCsv(
      [
        { key: 'mrn', header: 'MRN' },
        { key: 'given_name', header: 'Given name' },
        { key: 'other_names', header: 'Other names' },
        { key: 'family_name', header: 'Family name' },
        { key: 'sex', header: 'Sex' },
        { key: 'birth_date', header: 'Date of birth' },
        { key: 'phone', header: 'Phone' },
        { key: 'email', header: 'Email' },
        { key: 'address', header: 'Address' },
        { key: 'national_id', header: 'National id' },
        { key: 'blood_group', header: 'Blood group' },
        { key: 'allergy_list', header: 'Allergies' },
        { key: 'status', header: 'Status' },
        { key: 'created_at', header: 'Registered (UTC)' },
      ],
      rows.map((row) => ({
        ...row,
        allergy_list: (JSON.parse(row.allergies) as Array<{ substance: string; severity: string }>)
          .map((entry) => `${entry.substance} (${entry.severity})`)
          .join('; '),
        status: row.active === 1 ? 'active' : 'inactive',
      })),
    );
    return { fileName: exportFileName('patients', await clinicToday(ctx.db, ctx.now)), csv, rows: rows.length };
  },

  'patients.importCsv': async ({ csv, mapping, commit }, ctx) => {
    const text = csv.replace(/^\uFEFF/, '');
    // Blank rows stay in while parsing, so every row keeps the number a spreadsheet shows for it;
    // the delimiter (a comma, or a semicolon in many locales) is guessed from the first rows without them.
    const { delimiter } = Papa.parse(text, { preview: 10, skipEmptyLines: 'greedy' }).meta;
    const parsed = Papa.parse<Record<string, string | string[]>>(text, {
      header: true,
      delimiter,
      skipEmptyLines: false,
      transformHeader: (header) => header.trim(),
    });
    const isBlank = (record: Record<string, string | string[]> | undefined) =>
      Object.values(record ?? {}).every((value) => [value].flat().every((cell) => cell.trim() === ''));
    // A row the parser could not read cleanly (a cell too many or too few) is a bad row, never imported.
    const unreadable = new Set(parsed.errors.map((error) => error.row));
    const headers = parsed.meta.fields ?? [];
    const problems: Array<{ row: number; field: string; message: string }> = [];
    for (const [field, header] of Object.entries(mapping)) {
      if (header && !headers.includes(header)) problems.push({ row: 1, field, message: `The file has no column “${header}”.` });
    }
    if (!mapping.givenName || !mapping.familyName || !mapping.birthDate || !mapping.sex) {
      throw new AppError('VALIDATION', 'Choose the columns for given name, family name, sex and date of birth: a patient cannot be registered without them.', {
        mapping: 'Map given name, family name, sex and date of birth.',
      });
    }
    if (problems.length > 0) throw new AppError('VALIDATION', problems.map((problem) => problem.message).join(' '), { mapping: problems[0]?.message ?? '' });

    const valid: Array<{ row: number; patient: ReturnType<typeof patientFields.parse> }> = [];
    let totalRows = 0;
    parsed.data.forEach((record, index) => {
      if (isBlank(record)) return;
      totalRows += 1;
      if (unreadable.has(index)) return;
      const row = index + 2; // the header is row 1, as a spreadsheet numbers them
      const raw: Partial<Record<ImportableField, string>> = {};
      for (const field of IMPORTABLE_FIELDS) {
        const header = mapping[field];
        const value = header ? record[header] : undefined;
        if (header) raw[field] = (typeof value === 'string' ? value : '').trim();
      }
      const result = patientFields.safeParse({ ...raw, sex: normalizeImportedSex(raw.sex ?? '') });
      if (result.success) valid.push({ row, patient: result.data });
      else {
        // One problem per cell: the first thing wrong with it, as forms show it.
        const fields = new Set<string>();
        for (const issue of result.error.issues) {
          const field = issue.path.map(String).join('.') || 'row';
          if (!fields.has(field)) problems.push({ row, field, message: issue.message });
          fields.add(field);
        }
      }
    });
    for (const error of parsed.errors) {
      if (error.row !== undefined && isBlank(parsed.data[error.row])) continue;
      problems.push({ row: (error.row ?? 0) + 2, field: 'row', message: `The file is not well-formed here: ${error.message}` });
    }

    const likelyDuplicates: Array<{ row: number; mrn: string }> = [];
    for (const { row, patient } of valid) {
      const [match] = await findDuplicates(ctx.db, patient);
      if (match) likelyDuplicates.push({ row, mrn: match.mrn });
    }
    let imported = 0;
    if (commit) {
      const by = ctx.user().userId;
      for (const { patient } of valid) {
        await insertPatient(ctx.db, patient, ctx.nowIso, by);
        imported += 1;
      }
      ctx.audit.entity = 'patient_import';
      ctx.audit.details = { imported, skipped: totalRows - valid.length };
    }
    problems.sort((a, b) => a.row - b.row);
    return { headers, totalRows, validRows: valid.length, problems, likelyDuplicates, imported };
  },
};
