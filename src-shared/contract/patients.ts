import { z } from 'zod';
import { ALLERGY_SEVERITIES, BLOOD_GROUPS, patientFields, SEXES } from '../schemas/patient.js';
import { mutation, query } from './define.js';

const id = z.string().min(1).max(64);
const version = z.number().int().positive();

export const patientRecord = z.strictObject({
  id: z.string(),
  mrn: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  otherNames: z.string().nullable(),
  sex: z.enum(SEXES),
  birthDate: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string().nullable(),
  nationalId: z.string().nullable(),
  bloodGroup: z.enum(BLOOD_GROUPS).nullable(),
  allergies: z.array(z.strictObject({ substance: z.string(), reaction: z.string().nullable(), severity: z.enum(ALLERGY_SEVERITIES) })),
  emergencyContact: z.strictObject({ name: z.string(), relationship: z.string().nullable(), phone: z.string() }).nullable(),
  notes: z.string().nullable(),
  active: z.boolean(),
  deactivationReason: z.string().nullable(),
  /** Set on a merged duplicate: the record that was kept. */
  mergedInto: z.strictObject({ id: z.string(), mrn: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version,
});
export type PatientRecord = z.infer<typeof patientRecord>;

export const patientSummary = z.strictObject({
  id: z.string(),
  mrn: z.string(),
  name: z.string(),
  sex: z.enum(SEXES),
  birthDate: z.string(),
  phone: z.string().nullable(),
  nationalId: z.string().nullable(),
  active: z.boolean(),
  /** The search found this record through a merged duplicate's old MRN. */
  foundByMrn: z.string().nullable(),
});
export type PatientSummary = z.infer<typeof patientSummary>;

export const duplicateCandidate = patientSummary.extend({
  reasons: z.array(z.enum(['name_and_birth_date', 'phone', 'national_id'])),
});
export type DuplicateCandidate = z.infer<typeof duplicateCandidate>;

export const patientListFilter = z.strictObject({
  query: z.string().trim().max(80, 'Search with at most 80 characters').optional(),
  status: z.enum(['active', 'inactive', 'all']).optional(),
  sex: z.enum(SEXES).optional(),
  registeredFrom: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD')
    .optional(),
  registeredTo: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD')
    .optional(),
});
export type PatientListFilter = z.infer<typeof patientListFilter>;

/** The patient fields a CSV column can fill; the import maps the file's headers onto these. */
export const IMPORTABLE_FIELDS = [
  'givenName',
  'familyName',
  'otherNames',
  'sex',
  'birthDate',
  'phone',
  'email',
  'address',
  'nationalId',
  'bloodGroup',
  'notes',
] as const;
export type ImportableField = (typeof IMPORTABLE_FIELDS)[number];

const duplicateProbe = z.strictObject({
  givenName: z.string().trim().min(1, 'Enter the given name').max(80),
  familyName: z.string().trim().min(1, 'Enter the family name').max(80),
  birthDate: z.string().trim().max(10).optional(),
  phone: z.string().trim().max(30).optional(),
  nationalId: z.string().trim().max(40).optional(),
  /** While editing, the record itself is not its own duplicate. */
  excludeId: id.optional(),
});

export const patientsContract = {
  'patients.search': query({
    summary: 'Find patients by any part of a name (typos forgiven), MRN, phone, national id or birth date',
    access: ['patients.read'],
    reads: ['patients'],
    input: z.strictObject({
      query: z.string().trim().min(1, 'Type part of a name, an MRN, a phone number or a date of birth').max(80, 'Search with at most 80 characters'),
      includeInactive: z.boolean().optional(),
      limit: z.number().int().min(1).max(50).optional(),
    }),
    output: z.array(patientSummary),
  }),
  'patients.get': query({
    summary: 'One patient’s demographics; a patient sees only their own',
    access: ['patients.read', 'patients.read_own'],
    reads: ['patients'],
    input: z.strictObject({ id }),
    output: patientRecord,
  }),
  'patients.list': query({
    summary: 'Patients by registration date, filtered, a page at a time',
    access: ['patients.read'],
    reads: ['patients'],
    input: z.strictObject({
      filter: patientListFilter,
      page: z.number().int().min(1).max(100_000).optional(),
      pageSize: z.number().int().min(1).max(200).optional(),
    }),
    output: z.strictObject({ rows: z.array(patientSummary), total: z.number().int() }),
  }),
  'patients.findDuplicates': query({
    summary: 'Likely duplicates of a patient being registered or edited',
    access: ['patients.write'],
    reads: ['patients'],
    input: duplicateProbe,
    output: z.array(duplicateCandidate),
  }),
  'patients.register': mutation({
    summary: 'Register a patient; refused while likely duplicates are unacknowledged',
    access: ['patients.write'],
    input: z.strictObject({
      patient: patientFields,
      /** The candidates the user saw and chose to register anyway. */
      acknowledgedDuplicates: z.array(id).max(50).optional(),
    }),
    output: patientRecord,
  }),
  'patients.update': mutation({
    summary: 'Edit a patient’s demographics',
    access: ['patients.write'],
    input: z.strictObject({ id, version, patient: patientFields }),
    output: patientRecord,
  }),
  'patients.setActive': mutation({
    summary: 'Deactivate a patient (with a reason) or reactivate them; nothing is deleted',
    access: ['patients.write'],
    input: z.strictObject({
      id,
      version,
      active: z.boolean(),
      reason: z.string().trim().max(300, 'Keep the reason under 300 characters').optional(),
    }),
    output: patientRecord,
  }),
  'patients.merge': mutation({
    summary: 'Merge a duplicate into the record to keep; the duplicate remains as a pointer',
    access: ['patients.merge'],
    input: z.strictObject({
      keepId: id,
      duplicateId: id,
      reason: z.string().trim().min(5, 'Say why these are the same person (at least 5 characters)').max(300, 'Keep the reason under 300 characters'),
    }),
    output: patientRecord,
  }),
  'patients.exportCsv': mutation({
    summary: 'The patient list with the current filters, as a CSV file',
    access: ['reports.all', 'reports.lists'],
    input: z.strictObject({ filter: patientListFilter }),
    output: z.strictObject({ fileName: z.string(), csv: z.string(), rows: z.number().int() }),
  }),
  'patients.importCsv': mutation({
    summary: 'Import patients from CSV: a dry run lists every bad row; a commit writes all valid rows or none',
    access: ['patients.write'],
    input: z.strictObject({
      csv: z
        .string()
        .min(1, 'Choose a CSV file')
        .max(10 * 1024 * 1024, 'Import at most 10 MB at a time'),
      /** Patient field -> the CSV column header that fills it. */
      mapping: z.partialRecord(z.enum(IMPORTABLE_FIELDS), z.string().max(200)),
      commit: z.boolean(),
    }),
    output: z.strictObject({
      headers: z.array(z.string()),
      totalRows: z.number().int(),
      validRows: z.number().int(),
      problems: z.array(z.strictObject({ row: z.number().int(), field: z.string(), message: z.string() })),
      /** Rows that look like patients already registered: imported only when committed anyway. */
      likelyDuplicates: z.array(z.strictObject({ row: z.number().int(), mrn: z.string() })),
      imported: z.number().int(),
    }),
  }),
};
