import { z } from 'zod';
import { ATTACHMENT_TYPES, encounterFields, MAX_ATTACHMENT_BYTES, prescriptionItem, testCatalogFields, vitalsFields } from '../schemas/records.js';
import { isoInstant } from '../time.js';
import { mutation, query } from './define.js';

const id = z.string().min(1).max(64);
const version = z.number().int().positive();
const person = z.strictObject({ id: z.string(), name: z.string() });

export const diagnosisOut = z.strictObject({ text: z.string(), icd10: z.string().nullable() });

export const encounterRevision = z.strictObject({
  revision: z.number().int(),
  complaint: z.string(),
  findings: z.string(),
  diagnoses: z.array(diagnosisOut),
  plan: z.string(),
  amendmentReason: z.string().nullable(),
  by: person,
  at: z.string(),
});

export const encounter = z.strictObject({
  id: z.string(),
  patientId: z.string(),
  doctor: person,
  occurredAt: z.string(),
  complaint: z.string(),
  findings: z.string(),
  diagnoses: z.array(diagnosisOut),
  plan: z.string(),
  revision: z.number().int(),
  /** Oldest first: the original, then each amendment with its reason. */
  revisions: z.array(encounterRevision),
  version,
});
export type Encounter = z.infer<typeof encounter>;

export const vitalsOut = z.strictObject({
  id: z.string(),
  takenAt: z.string(),
  by: person,
  systolic: z.number().nullable(),
  diastolic: z.number().nullable(),
  pulse: z.number().nullable(),
  temperatureC: z.number().nullable(),
  respiratoryRate: z.number().nullable(),
  spo2: z.number().nullable(),
  weightKg: z.number().nullable(),
  heightCm: z.number().nullable(),
  /** Derived from weight and the latest height, never stored. */
  bmi: z.number().nullable(),
  glucoseMmolL: z.number().nullable(),
});
export type VitalsOut = z.infer<typeof vitalsOut>;

export const testOut = z.strictObject({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(['test', 'procedure']),
  priceMinor: z.number().int(),
  unit: z.string().nullable(),
  refLow: z.number().nullable(),
  refHigh: z.number().nullable(),
  refText: z.string().nullable(),
  active: z.boolean(),
  version,
});
export type TestOut = z.infer<typeof testOut>;

export const resultOut = z.strictObject({
  id: z.string(),
  resultedAt: z.string(),
  by: person,
  valueNumeric: z.number().nullable(),
  valueText: z.string().nullable(),
  unit: z.string().nullable(),
  refLow: z.number().nullable(),
  refHigh: z.number().nullable(),
  flag: z.enum(['low', 'normal', 'high', 'abnormal', 'none']),
  attachments: z.array(z.strictObject({ id: z.string(), fileName: z.string(), mimeType: z.enum(ATTACHMENT_TYPES), sizeBytes: z.number().int() })),
});

export const orderOut = z.strictObject({
  id: z.string(),
  patient: z.strictObject({ id: z.string(), mrn: z.string(), name: z.string() }),
  test: z.strictObject({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    unit: z.string().nullable(),
    refLow: z.number().nullable(),
    refHigh: z.number().nullable(),
    refText: z.string().nullable(),
  }),
  orderedBy: person,
  orderedAt: z.string(),
  status: z.enum(['ordered', 'resulted', 'cancelled']),
  notes: z.string().nullable(),
  result: resultOut.nullable(),
  version,
});
export type OrderOut = z.infer<typeof orderOut>;

export const prescriptionOut = z.strictObject({
  id: z.string(),
  patientId: z.string(),
  prescriber: person,
  prescribedAt: z.string(),
  encounterId: z.string().nullable(),
  items: z.array(
    z.strictObject({
      drug: z.string(),
      dose: z.string(),
      route: z.string(),
      frequency: z.string(),
      duration: z.string(),
      quantity: z.number().int(),
      instructions: z.string().nullable(),
    }),
  ),
  notes: z.string().nullable(),
});
export type PrescriptionOut = z.infer<typeof prescriptionOut>;

export const TIMELINE_KINDS = ['encounter', 'vitals', 'order', 'result', 'prescription', 'attachment'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const timelineEntry = z.strictObject({
  kind: z.enum(TIMELINE_KINDS),
  id: z.string(),
  at: z.string(),
  /** One line for the timeline; the entry's own procedure gives the rest. */
  title: z.string(),
  detail: z.string().nullable(),
  by: z.string().nullable(),
  flag: z.enum(['low', 'normal', 'high', 'abnormal', 'none']).nullable(),
});
export type TimelineEntry = z.infer<typeof timelineEntry>;

const patientScoped = { patientId: id };

export const recordsContract = {
  'records.timeline': query({
    summary: 'A patient’s chart as one timeline, newest first, a page at a time; opening it is audited',
    access: 'signed-in',
    reads: ['encounters', 'vitals', 'orders', 'results', 'prescriptions', 'attachments', 'emergency_access'],
    input: z.strictObject({
      ...patientScoped,
      kinds: z.array(z.enum(TIMELINE_KINDS)).max(TIMELINE_KINDS.length).optional(),
      /** The `at` and `id` of the last entry shown; the next page continues after it. */
      after: z.strictObject({ at: isoInstant, id }).optional(),
      limit: z.number().int().min(1).max(200).optional(),
    }),
    output: z.strictObject({ entries: z.array(timelineEntry), next: z.strictObject({ at: z.string(), id: z.string() }).nullable() }),
  }),
  'encounters.create': mutation({
    summary: 'Write an encounter: complaint, findings, diagnoses, plan',
    access: ['clinical.write'],
    input: z.strictObject({ ...patientScoped, appointmentId: id.optional(), encounter: encounterFields }),
    output: encounter,
  }),
  'encounters.amend': mutation({
    summary: 'Correct an encounter; the original and every earlier version stay readable',
    access: ['clinical.write'],
    input: z.strictObject({
      id,
      version,
      reason: z.string().trim().min(5, 'Say why the encounter is being corrected (at least 5 characters)').max(500, 'Keep the reason under 500 characters'),
      encounter: encounterFields,
    }),
    output: encounter,
  }),
  'encounters.get': query({
    summary: 'One encounter with all its versions',
    access: 'signed-in',
    reads: ['encounters', 'encounter_revisions'],
    input: z.strictObject({ id }),
    output: encounter,
  }),
  'vitals.record': mutation({
    summary: 'Record a set of vitals',
    access: ['vitals.write'],
    input: z.strictObject({ ...patientScoped, takenAt: isoInstant.optional(), vitals: vitalsFields }),
    output: vitalsOut,
  }),
  'vitals.series': query({
    summary: 'A patient’s vitals, oldest first, for the trend charts',
    access: 'signed-in',
    reads: ['vitals'],
    input: z.strictObject({ ...patientScoped, limit: z.number().int().min(1).max(1000).optional() }),
    output: z.array(vitalsOut),
  }),
  'catalog.tests': query({
    summary: 'The test and procedure catalog',
    access: ['catalogs.manage', 'clinical.write', 'results.write', 'clinical.read'],
    reads: ['test_catalog'],
    input: z.strictObject({ includeInactive: z.boolean().optional() }),
    output: z.array(testOut),
  }),
  'catalog.saveTest': mutation({
    summary: 'Add a test or procedure to the catalog, or change one',
    access: ['catalogs.manage'],
    input: z.strictObject({ id: id.optional(), version: version.optional(), test: testCatalogFields }),
    output: testOut,
  }),
  'orders.create': mutation({
    summary: 'Order tests or procedures for a patient',
    access: ['clinical.write'],
    input: z.strictObject({
      ...patientScoped,
      encounterId: id.optional(),
      testIds: z.array(id).min(1, 'Choose at least one test').max(30),
      notes: z.string().trim().max(500).optional(),
    }),
    output: z.array(orderOut),
  }),
  'orders.worklist': query({
    summary: 'Ordered tests awaiting results, oldest first',
    access: ['results.write', 'clinical.read'],
    reads: ['orders', 'results'],
    input: z.strictObject({ patientId: id.optional() }),
    output: z.array(orderOut),
  }),
  'orders.get': query({
    summary: 'One order with its result and attachments',
    access: 'signed-in',
    reads: ['orders', 'results', 'attachments'],
    input: z.strictObject({ id }),
    output: orderOut,
  }),
  'results.enter': mutation({
    summary: 'Enter the result of an ordered test: a value (flagged against the reference range) or text, with files',
    access: ['results.write'],
    input: z.strictObject({
      orderId: id,
      version,
      valueNumeric: z.number('The value must be a number').optional(),
      valueText: z.string().trim().max(4000, 'Keep the text under 4000 characters').optional(),
      unit: z.string().trim().max(20).optional(),
      attachments: z
        .array(
          z.strictObject({
            fileName: z.string().trim().min(1).max(200),
            contentBase64: z.string().max(Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4 + 4, 'A file can be at most 20 MB'),
          }),
        )
        .max(10, 'At most 10 files per result')
        .optional(),
    }),
    output: orderOut,
  }),
  'attachments.get': query({
    summary: 'One attached file’s content, to show it',
    access: 'signed-in',
    reads: ['attachments'],
    input: z.strictObject({ id }),
    output: z.strictObject({ id: z.string(), fileName: z.string(), mimeType: z.enum(ATTACHMENT_TYPES), contentBase64: z.string() }),
  }),
  'prescriptions.create': mutation({
    summary: 'Prescribe: drug, dose, route, frequency, duration, quantity, instructions',
    access: ['clinical.write'],
    input: z.strictObject({
      ...patientScoped,
      encounterId: id.optional(),
      items: z.array(prescriptionItem).min(1, 'Add at least one drug').max(20, 'At most 20 drugs on one prescription'),
      notes: z.string().trim().max(1000).optional(),
    }),
    output: prescriptionOut,
  }),
  'prescriptions.get': query({
    summary: 'One prescription',
    access: 'signed-in',
    reads: ['prescriptions'],
    input: z.strictObject({ id }),
    output: prescriptionOut,
  }),
  'prescriptions.pdf': mutation({
    summary: 'A prescription as a printable PDF (the printing is audited)',
    access: 'signed-in',
    input: z.strictObject({ id }),
    output: z.strictObject({ fileName: z.string(), pdfBase64: z.string() }),
  }),
  'records.exportCsv': mutation({
    summary: 'One patient’s whole record as a CSV file',
    access: ['reports.all', 'reports.lists', 'reports.own'],
    input: z.strictObject({ ...patientScoped }),
    output: z.strictObject({ fileName: z.string(), csv: z.string(), rows: z.number().int() }),
  }),
};
