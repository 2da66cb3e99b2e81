import { type APIRequestContext, expect, type Page, request as playwrightRequest } from '@playwright/test';
import { E2E_HOSTS } from '../../playwright.config.js';

/** Every demo user's password. */
export const DEMO_PASSWORD = 'asclepia-demo';

/** A journey group's own host (see playwright.config.ts). */
export function hostUrl(group: keyof typeof E2E_HOSTS): string {
  return `http://127.0.0.1:${E2E_HOSTS[group].port}`;
}

export type Envelope = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; fields?: Record<string, string> } };

/** Procedure calls to one host, made outside the page (to set up or check what a journey needs). */
export function hostApi(baseUrl: string) {
  /** A procedure call as the page makes it (the host refuses calls without its own Origin). */
  async function callApi(context: APIRequestContext, name: string, input: unknown = {}): Promise<Envelope> {
    const response = await context.post(`/api/${name}`, { data: input, headers: { Origin: baseUrl } });
    return (await response.json()) as Envelope;
  }

  async function callOk<T>(context: APIRequestContext, name: string, input: unknown = {}): Promise<T> {
    const envelope = await callApi(context, name, input);
    if (!envelope.ok) throw new Error(`${name} refused: ${envelope.error.code} ${envelope.error.message}`);
    return envelope.value as T;
  }

  /** A separate cookie jar, so signing in through it leaves the page's session alone. */
  async function apiSession(username?: string, password = DEMO_PASSWORD, code?: string): Promise<APIRequestContext> {
    const context = await playwrightRequest.newContext({ baseURL: baseUrl });
    if (username) await callOk(context, 'auth.signIn', { username, password, ...(code ? { code } : {}) });
    return context;
  }

  return { callApi, callOk, apiSession };
}

/** Fills the sign-in form on the page as it is and submits it with Enter. */
export async function submitSignIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Password', { exact: true }).press('Enter');
}

/** Opens the app and signs a demo user in, waiting until they are in. */
export async function signInDemo(page: Page, username: string): Promise<void> {
  await page.goto('/');
  await submitSignIn(page, username);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
}
