import { z } from 'zod';

/** ICD-10 shape: a letter, two digits, then optionally a dot and up to four more characters (e.g. J45.909). */
export const ICD10 = /^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$/;

const text = (label: string, max: number) => z.string().trim().min(1, `Enter the ${label}`).max(max, `Keep the ${label} under ${max} characters`);

export const diagnosis = z.strictObject({
  text: text('diagnosis', 300),
  icd10: z
    .string()
    .trim()
    .toUpperCase()
    .regex(ICD10, 'An ICD-10 code looks like J45 or J45.909')
    .optional()
    .nullable()
    .transform((value) => value ?? null),
});

export const encounterFields = z.strictObject({
  complaint: text('presenting complaint', 4000),
  findings: text('findings', 8000),
  diagnoses: z.array(diagnosis).min(1, 'Record at least one diagnosis (a working one is fine)').max(20, 'At most 20 diagnoses'),
  plan: text('plan', 8000),
});
export type EncounterFields = z.output<typeof encounterFields>;

/** Decimal measurements keep one decimal place, as the instruments show them (37.2, not 37.199999999999996). */
const measure = (label: string, min: number, max: number, integer = false) => {
  const base = z.number(`${label} must be a number`);
  return (integer ? base.int(`${label} is a whole number`) : base)
    .min(min, `${label} must be at least ${min}`)
    .max(max, `${label} must be at most ${max}`)
    .optional()
    .nullable()
    .transform((value) => (value === undefined || value === null ? null : integer ? value : Math.round(value * 10) / 10));
};

/** Ranges wide enough for any living patient, narrow enough to catch a slipped key. */
export const vitalsFields = z
  .strictObject({
    systolic: measure('Systolic pressure (mmHg)', 40, 300, true),
    diastolic: measure('Diastolic pressure (mmHg)', 20, 200, true),
    pulse: measure('Pulse (beats/min)', 20, 250, true),
    temperatureC: measure('Temperature (°C)', 30, 45),
    respiratoryRate: measure('Respiratory rate (breaths/min)', 4, 80, true),
    spo2: measure('SpO₂ (%)', 50, 100, true),
    weightKg: measure('Weight (kg)', 0.3, 400),
    heightCm: measure('Height (cm)', 20, 250),
    glucoseMmolL: measure('Glucose (mmol/L)', 0.5, 60),
  })
  .refine((vitals) => Object.values(vitals).some((value) => value !== null), { message: 'Record at least one measurement', path: ['systolic'] })
  .refine((vitals) => (vitals.systolic === null) === (vitals.diastolic === null), {
    message: 'Blood pressure needs both numbers (systolic and diastolic)',
    path: ['diastolic'],
  })
  .refine((vitals) => vitals.systolic === null || vitals.diastolic === null || vitals.systolic > vitals.diastolic, {
    message: 'Systolic pressure must be higher than diastolic',
    path: ['systolic'],
  });
export type VitalsFields = z.output<typeof vitalsFields>;

export const prescriptionItem = z.strictObject({
  drug: text('drug', 200),
  dose: text('dose', 100),
  route: z.enum(['oral', 'iv', 'im', 'sc', 'topical', 'inhaled', 'rectal', 'sublingual', 'ophthalmic', 'otic', 'nasal', 'other'], 'Choose a route'),
  frequency: text('frequency', 100),
  duration: text('duration', 100),
  quantity: z.number('Quantity must be a number').int('Quantity is a whole number').min(1, 'Quantity is at least 1').max(10_000, 'Quantity is at most 10,000'),
  instructions: z
    .string()
    .trim()
    .max(500, 'Keep the instructions under 500 characters')
    .optional()
    .nullable()
    .transform((value) => (value ? value : null)),
});
export type PrescriptionItem = z.output<typeof prescriptionItem>;

export const testCatalogFields = z
  .strictObject({
    code: z
      .string()
      .trim()
      .toUpperCase()
      .min(2, 'A code has at least 2 characters')
      .max(20, 'A code has at most 20 characters')
      .regex(/^[A-Z0-9-]+$/, 'Use capital letters, digits and dashes'),
    name: text('name', 120),
    kind: z.enum(['test', 'procedure'], 'Choose test or procedure'),
    priceMinor: z
      .number()
      .int('The price is in whole minor units (cents)')
      .min(0, 'The price cannot be negative')
      .max(1_000_000_000, 'That price is too large'),
    unit: z
      .string()
      .trim()
      .max(20, 'A unit has at most 20 characters')
      .optional()
      .nullable()
      .transform((value) => (value ? value : null)),
    refLow: z
      .number()
      .optional()
      .nullable()
      .transform((value) => value ?? null),
    refHigh: z
      .number()
      .optional()
      .nullable()
      .transform((value) => value ?? null),
    refText: z
      .string()
      .trim()
      .max(200, 'Keep the reference text under 200 characters')
      .optional()
      .nullable()
      .transform((value) => (value ? value : null)),
    active: z.boolean(),
  })
  .refine((test) => test.refLow === null || test.refHigh === null || test.refLow <= test.refHigh, {
    message: 'The low end of the reference range must not be above the high end',
    path: ['refHigh'],
  });

/** 20 MB of file, as base64 text (4 characters for every 3 bytes). */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
