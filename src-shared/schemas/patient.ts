import { z } from 'zod';

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export const SEX_LABELS: Record<(typeof SEXES)[number], string> = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' };
export const BLOOD_GROUPS = ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'] as const;
export const ALLERGY_SEVERITIES = ['mild', 'moderate', 'severe', 'unknown'] as const;

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} has at most ${max} characters`)
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional()
    .transform((value) => value ?? null);

export const calendarDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date as YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'That date does not exist');

/** Birth dates: real, not in the future (by UTC, which a clinic a day ahead will not notice), not before 1880. */
export const birthDate = calendarDate.refine(
  (value) => value >= '1880-01-01' && value <= new Date().toISOString().slice(0, 10),
  'The date of birth must be in the past (and after 1880)',
);

export const phoneNumber = z
  .string()
  .trim()
  .max(30, 'A phone number has at most 30 characters')
  .refine((value) => value === '' || /^\+?[\d\s().-]+$/.test(value), 'Use digits, spaces, dashes or brackets, with an optional + in front')
  .refine((value) => {
    const digits = value.replace(/\D/g, '').length;
    return value === '' || (digits >= 6 && digits <= 15);
  }, 'A phone number has 6 to 15 digits');

export const allergy = z.strictObject({
  substance: z.string().trim().min(1, 'Name the substance').max(120, 'Keep the substance under 120 characters'),
  reaction: optionalText(200, 'The reaction'),
  severity: z.enum(ALLERGY_SEVERITIES, 'Choose mild, moderate, severe or unknown'),
});
export type Allergy = z.infer<typeof allergy>;

export const emergencyContact = z.strictObject({
  name: z.string().trim().min(1, 'Enter the contact’s name').max(120, 'Keep the name under 120 characters'),
  relationship: optionalText(60, 'The relationship'),
  phone: phoneNumber.refine((value) => value !== '', 'Enter the contact’s phone number'),
});

/** Everything a desk enters about a patient; the same schema checks forms and CSV imports. */
export const patientFields = z.strictObject({
  givenName: z.string().trim().min(1, 'Enter the given (first) name').max(80, 'A name has at most 80 characters'),
  familyName: z.string().trim().min(1, 'Enter the family name').max(80, 'A name has at most 80 characters'),
  otherNames: optionalText(120, 'Other names'),
  sex: z.enum(SEXES, 'Choose female, male, other or unknown'),
  birthDate,
  phone: phoneNumber
    .optional()
    .nullable()
    .transform((value) => (value ? value : null)),
  email: z
    .string()
    .trim()
    .max(120, 'An email address has at most 120 characters')
    .refine((value) => value === '' || z.email().safeParse(value).success, 'That is not an email address')
    .optional()
    .nullable()
    .transform((value) => (value ? value.toLowerCase() : null)),
  address: optionalText(300, 'The address'),
  nationalId: z
    .string()
    .trim()
    .max(40, 'A national id has at most 40 characters')
    .optional()
    .nullable()
    .transform((value) => (value ? value.toUpperCase().replace(/\s+/g, '') : null)),
  bloodGroup: z
    .enum(BLOOD_GROUPS, 'Choose a blood group from the list')
    .optional()
    .nullable()
    .transform((value) => value ?? null),
  allergies: z.array(allergy).max(50, 'At most 50 allergies').default([]),
  emergencyContact: emergencyContact
    .optional()
    .nullable()
    .transform((value) => value ?? null),
  notes: optionalText(2000, 'Notes'),
});
export type PatientFieldsInput = z.input<typeof patientFields>;
export type PatientFields = z.output<typeof patientFields>;

export function patientDisplayName(patient: { givenName: string; familyName: string; otherNames?: string | null }): string {
  return [patient.givenName, patient.otherNames, patient.familyName].filter(Boolean).join(' ');
}
