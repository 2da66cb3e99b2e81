import { expect, request, test } from '@playwright/test';
import { apiSession, BASE_URL, callApi, callOk, DEMO_PASSWORD, signIn } from './helpers.js';

interface SecurityPolicy {
  idleLockMinutes: number;
  requireTwoFactorForAdmins: boolean;
  version: number;
}

/** Puts the policy back as it was, whatever the journey left (other journeys share this host). */
async function restorePolicy(original: SecurityPolicy): Promise<void> {
  const admin = await apiSession('admin');
  try {
    const now = await callOk<SecurityPolicy>(admin, 'settings.getSecurity');
    if (now.idleLockMinutes === original.idleLockMinutes && now.requireTwoFactorForAdmins === original.requireTwoFactorForAdmins) return;
    await callOk(admin, 'settings.updateSecurity', {
      idleLockMinutes: original.idleLockMinutes,
      requireTwoFactorForAdmins: original.requireTwoFactorForAdmins,
      version: now.version,
    });
  } finally {
    await admin.dispose();
  }
}

test('the workstation locks when idle, keeps unsaved input, and hands over to another user', async ({ page, context }) => {
  const admin = await apiSession('admin');
  const original = await callOk<SecurityPolicy>(admin, 'settings.getSecurity');
  await admin.dispose();
  // The page's clock is ours: a minute of idleness passes in an instant.
  await page.clock.install();
  try {
    await page.goto('/');
    await signIn(page, 'admin');
    await expect(page.getByRole('heading', { level: 1, name: 'Administration' })).toBeVisible();

    // The administrator shortens the idle lock to one minute.
    await page.getByRole('link', { name: 'Clinic settings' }).click();
    const minutes = page.getByLabel('Lock the workstation after (minutes)');
    await minutes.fill('1');
    // Open screens hear of the change (a table-change event makes them ask who is signed in again).
    const meRefreshed = page.waitForResponse((response) => response.url().endsWith('/api/auth.me'));
    await page.getByRole('button', { name: 'Save sign-in and lock settings' }).click();
    await expect(page.getByText('Workstations lock after 1 minute without use')).toBeVisible();
    await meRefreshed;

    // Half-way through creating a user...
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByLabel('Display name').fill('Draft that must survive');

    // ...nobody touches the workstation for a minute.
    await page.clock.fastForward('01:05');
    const lockScreen = page.getByRole('dialog', { name: 'Workstation locked' });
    await expect(lockScreen.getByRole('heading', { level: 1, name: 'Workstation locked' })).toBeVisible();
    await expect(lockScreen).toContainText('Amina Okafor');
    // The keyboard stays in the lock screen; the app underneath is out of reach, here and on the server.
    await expect(lockScreen.getByLabel('Password', { exact: true })).toBeFocused();
    for (let i = 0; i < 6; i += 1) {
      await page.keyboard.press('Tab');
      await expect(lockScreen.locator(':focus')).toHaveCount(1);
    }
    // Escape on the lock screen must not reach the dialog underneath (it would close it, losing the draft).
    await page.keyboard.press('Escape');
    const server = await callApi(page.request, 'users.list', {});
    expect(server.ok ? 'answered' : (server.error.fields?._ ?? server.error.code)).toBe('locked');

    // A wrong password keeps it locked; the right one opens it where the user left off.
    await lockScreen.getByLabel('Password', { exact: true }).fill('not my password');
    await lockScreen.getByLabel('Password', { exact: true }).press('Enter');
    await expect(lockScreen.getByRole('alert')).toBeVisible();
    await lockScreen.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await lockScreen.getByRole('button', { name: 'Unlock' }).click();
    await expect(lockScreen).toBeHidden();
    await expect(dialog.getByLabel('Display name')).toHaveValue('Draft that must survive');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // "Lock now", then a shift change: the next user signs in from the lock screen.
    await page.getByLabel('Search users').fill('typed by the admin');
    const adminCookies = await context.cookies();
    await page.getByRole('button', { name: 'Lock now' }).click();
    await expect(lockScreen).toBeVisible();
    await lockScreen.getByRole('button', { name: 'Sign in as someone else' }).click();
    await lockScreen.getByLabel('Username').fill('frontdesk');
    await lockScreen.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await lockScreen.getByLabel('Password', { exact: true }).press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Front desk' })).toBeVisible();
    await expect(lockScreen).toBeHidden();
    await expect(page.getByTestId('user-display-name')).toHaveText('Farah Haddad');
    // Nothing of the previous user's screens is left: not their page, not what they typed.
    await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
    await expect(page.locator('input[value="typed by the admin"]')).toHaveCount(0);

    // The administrator's session ended on the server, not only in this window.
    const replay = await request.newContext({ baseURL: BASE_URL, storageState: { cookies: adminCookies, origins: [] } });
    const refused = await callApi(replay, 'auth.me');
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.error.code).toBe('UNAUTHENTICATED');
    await replay.dispose();
  } finally {
    await restorePolicy(original);
  }
});
