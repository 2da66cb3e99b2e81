import { type APIRequestContext, expect, type Page, request as playwrightRequest } from '@playwright/test';
import { E2E_HOSTS } from '../../../playwright.config.js';

/** Every demo user's password. */
export const DEMO_PASSWORD = 'asclepia-demo';
export const BASE_URL = `http://127.0.0.1:${E2E_HOSTS.registry.port}`;

type Envelope = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; fields?: Record<string, string> } };

/** A procedure call as the page makes it (the host refuses calls without its own Origin). */
export async function callApi(context: APIRequestContext, name: string, input: unknown = {}): Promise<Envelope> {
  const response = await context.post(`/api/${name}`, { data: input, headers: { Origin: BASE_URL } });
  return (await response.json()) as Envelope;
}

export async function callOk<T>(context: APIRequestContext, name: string, input: unknown = {}): Promise<T> {
  const envelope = await callApi(context, name, input);
  if (!envelope.ok) throw new Error(`${name} refused: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.value as T;
}

/** A separate cookie jar, so signing in through it leaves the page's session alone. */
export async function apiSession(username: string): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL: BASE_URL });
  await callOk(context, 'auth.signIn', { username, password: DEMO_PASSWORD });
  return context;
}

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

export async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByLabel('Password', { exact: true }).press('Enter');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
}

/** The patient page's header: name, MRN, sex, age, birth date and the allergies. */
export function patientBanner(page: Page) {
  return page.getByTestId('patient-banner');
}
