import { type APIRequestContext, expect, type Page, request as playwrightRequest } from '@playwright/test';

/** Every demo user's password. */
export const DEMO_PASSWORD = 'asclepia-demo';
export const BASE_URL = 'http://127.0.0.1:5493';

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
export async function apiSession(username?: string, password = DEMO_PASSWORD, code?: string): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL: BASE_URL });
  if (username) await callOk(context, 'auth.signIn', { username, password, ...(code ? { code } : {}) });
  return context;
}

/** Unique per run, so journeys never trip over each other's users (the host is shared). */
export function uniqueUsername(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296)
    .toString(36)
    .padStart(2, '0')}`;
}

interface UserSummary {
  id: string;
  username: string;
  version: number;
}

/**
 * A user with a password of our choosing, made the way a clinic would: the administrator creates
 * them (temporary password), then they sign in and choose their own.
 */
export async function createUserWithPassword(options: { username: string; displayName: string; role: string; password: string }): Promise<UserSummary> {
  const admin = await apiSession('admin');
  try {
    const roles = await callOk<{ id: string; name: string }[]>(admin, 'roles.list');
    const role = roles.find((entry) => entry.name === options.role);
    if (!role) throw new Error(`No role ${options.role}`);
    const created = await callOk<{ user: UserSummary; temporaryPassword: string }>(admin, 'users.create', {
      username: options.username,
      displayName: options.displayName,
      roleId: role.id,
    });
    const person = await apiSession(options.username, created.temporaryPassword);
    await callOk(person, 'auth.changePassword', { currentPassword: created.temporaryPassword, newPassword: options.password });
    await person.dispose();
    return created.user;
  } finally {
    await admin.dispose();
  }
}

export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Password', { exact: true }).press('Enter');
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
}
