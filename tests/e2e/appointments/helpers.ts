import type { APIRequestContext, Page } from '@playwright/test';
import { E2E_HOSTS } from '../../../playwright.config.js';
import { hostApi, hostUrl, signInDemo } from '../host.js';

/** This group's host: the demo clinic with its clock started on Monday 2 March 2026, 08:30 in Nairobi. */
export const BASE_URL = hostUrl('appointments');
export const CLINIC_START = E2E_HOSTS.appointments.env.ASCLEPIA_CLOCK_START;
export const TODAY = '2026-03-02';

export const { callOk, apiSession } = hostApi(BASE_URL);

/** The browser's clock agrees with the host's (same day, same morning), then runs on. */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.clock.install({ time: new Date(CLINIC_START) });
  await signInDemo(page, username);
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
