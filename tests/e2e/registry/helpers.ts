import type { Page } from '@playwright/test';
import { hostApi, hostUrl } from '../host.js';

export { signInDemo as signIn, signOut } from '../host.js';

export const BASE_URL = hostUrl('registry');

export const { callApi, callOk, apiSession } = hostApi(BASE_URL);

export interface PatientSummary {
  id: string;
  mrn: string;
  name: string;
}

/** The demo clinic's patients, found the way the desk finds them. */
export async function findPatient(query: string): Promise<PatientSummary> {
  const desk = await apiSession('frontdesk');
  try {
    const [found] = await callOk<PatientSummary[]>(desk, 'patients.search', { query });
    if (!found) throw new Error(`No patient found for ${query}`);
    return found;
  } finally {
    await desk.dispose();
  }
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Letters unique to this run (names take letters only), so journeys never meet each other's
 * patients on the shared host, nor the demo clinic's.
 */
export function uniqueLetters(length = 5): string {
  let value = Date.now() + Math.floor(Math.random() * 1_000_000);
  let text = '';
  for (let index = 0; index < length; index += 1) {
    text += LETTERS[value % 26];
    value = Math.floor(value / 26);
  }
  return text;
}

/** A family name of our own: a real-looking stem and unique letters ("Wekesa" + "qzbra"). */
export function uniqueFamilyName(stem: string): string {
  return `${stem}${uniqueLetters()}`;
}

/** A birth date nobody else in the run has, between 1950 and 2005. */
export function uniqueBirthDate(): string {
  const day = Math.floor(Math.random() * 20_000);
  return new Date(Date.UTC(1950, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
}

/** A phone number of our own: 07 and eight digits. */
export function uniquePhone(): string {
  return `07${String(Math.floor(Math.random() * 100_000_000)).padStart(8, '0')}`;
}

/** The patient page's header: name, MRN, sex, age, birth date and the allergies. */
export function patientBanner(page: Page) {
  return page.getByTestId('patient-banner');
}
