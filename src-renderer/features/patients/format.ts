import type { DuplicateCandidate } from '../../../src-shared/contract/patients.js';
import { type ALLERGY_SEVERITIES, SEX_LABELS, type SEXES } from '../../../src-shared/schemas/patient.js';
import { ageOn } from '../../../src-shared/time.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "3 Feb 2019" from 2019-02-03: a calendar date, never shifted by a time zone. */
export function formatDate(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  return `${Number(match[3])} ${MONTHS[Number(match[2]) - 1] ?? match[2]} ${match[1]}`;
}

/**
 * Age as a clinic writes it: years from two, months under two, days in the first month
 * ("38 years", "14 months", "12 days"). Empty for a birth date after today.
 */
export function describeAge(birthDate: string, today: string): string {
  const age = ageOn(birthDate, today);
  if (!age) return '';
  if (age.years >= 2) return `${age.years} years`;
  const months = age.years * 12 + age.months;
  if (months >= 1) return months === 1 ? '1 month' : `${months} months`;
  return age.days === 1 ? '1 day' : `${age.days} days`;
}

export function sexLabel(sex: (typeof SEXES)[number]): string {
  return SEX_LABELS[sex];
}

/** "Female, 38 years, born 12 Apr 1988". */
export function describePerson(person: { sex: (typeof SEXES)[number]; birthDate: string }, today: string): string {
  const age = describeAge(person.birthDate, today);
  return [sexLabel(person.sex), age, `born ${formatDate(person.birthDate)}`].filter(Boolean).join(', ');
}

export const SEVERITY_LABELS: Record<(typeof ALLERGY_SEVERITIES)[number], string> = {
  mild: 'Mild',
  moderate: 'Moderate',
  severe: 'Severe',
  unknown: 'Severity unknown',
};

export const DUPLICATE_REASON_LABELS: Record<DuplicateCandidate['reasons'][number], string> = {
  name_and_birth_date: 'Similar name and the same date of birth',
  phone: 'The same phone number',
  national_id: 'The same national id',
};

/** Patient fields in the order people read them, with the words screens use for them. */
export const PATIENT_FIELD_LABELS = {
  givenName: 'Given name',
  familyName: 'Family name',
  otherNames: 'Other names',
  sex: 'Sex',
  birthDate: 'Date of birth',
  phone: 'Phone',
  email: 'Email',
  address: 'Address',
  nationalId: 'National id',
  bloodGroup: 'Blood group',
  notes: 'Notes',
} as const;

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
