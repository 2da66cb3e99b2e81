import { type APIRequestContext, expect, type Page, request as playwrightRequest } from '@playwright/test';

/** This group's host (see playwright.config.ts): the demo clinic with its clock started on Monday 2 March 2026, 08:30 in Nairobi. */
export const BASE_URL = 'http://127.0.0.1:5496';
export const DEMO_PASSWORD = 'asclepia-demo';
export const CLINIC_START = '2026-03-02T05:30:00.000Z';
export const TODAY = '2026-03-02';

type Envelope = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

export async function callOk<T>(context: APIRequestContext, name: string, input: unknown = {}): Promise<T> {
  const response = await context.post(`/api/${name}`, { data: input, headers: { Origin: BASE_URL } });
  const envelope = (await response.json()) as Envelope;
  if (!envelope.ok) throw new Error(`${name} refused: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.value as T;
}

/** A separate cookie jar, so calls made through it leave the page's session alone. */
export async function apiSession(username: string): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL: BASE_URL });
  await callOk(context, 'auth.signIn', { username, password: DEMO_PASSWORD });
  return context;
}

/** The browser's clock agrees with the host's (same day, same morning), then runs on. */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.clock.install({ time: new Date(CLINIC_START) });
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByLabel('Password', { exact: true }).press('Enter');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

export async function idOf(context: APIRequestContext, kind: 'patient' | 'doctor', name: string): Promise<string> {
  if (kind === 'patient') {
    const found = await callOk<{ id: string }[]>(context, 'patients.search', { query: name });
    if (!found[0]) throw new Error(`No patient ${name}`);
    return found[0].id;
  }
  const doctors = await callOk<{ userId: string; name: string }[]>(context, 'doctors.list', {});
  const doctor = doctors.find((entry) => entry.name.includes(name));
  if (!doctor) throw new Error(`No doctor ${name}`);
  return doctor.userId;
}

/** A UTC instant for a Nairobi wall-clock time (UTC+3 all year). */
export const nairobi = (date: string, time: string) => new Date(`${date}T${time}:00.000+03:00`).toISOString();
