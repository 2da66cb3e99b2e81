import { expect, test } from '@playwright/test';
import { BASE_URL, createUserWithPassword, signIn, signOut, uniqueUsername } from './helpers.js';

const PASSWORD = 'meadow lantern 2718';
const WRONG_PASSWORD_REFUSED = 'That username and password do not match an active account.';

/**
 * Ten wrong passwords lock the account. The server makes each attempt after the fourth wait
 * 1, 2, 4, 8, 16 s; the failures go straight to the sign-in procedure (as a script would), waiting
 * exactly as long as the server asks, so only the counted failures cost time.
 */
test('ten wrong passwords lock an account; the admin unlocks it; the user signs in', async ({ page }) => {
  test.setTimeout(120_000);
  const username = uniqueUsername('lockme');
  await createUserWithPassword({ username, displayName: 'Lockout Tester', role: 'front_desk', password: PASSWORD });

  let counted = 0;
  const waits: number[] = [];
  while (counted < 10) {
    const response = await page.request.post('/api/auth.signIn', {
      data: { username, password: `wrong-password-${counted}` },
      headers: { Origin: BASE_URL },
    });
    const body = (await response.json()) as { ok: boolean; error?: { code: string; message: string } };
    expect(body.ok).toBe(false);
    const message = body.error?.message ?? '';
    const wait = /Wait (\d+) seconds? before trying again/.exec(message);
    if (wait) {
      // Throttled: this attempt was not even checked. Wait as told, then try again.
      waits.push(Number(wait[1]));
      await page.waitForTimeout(Number(wait[1]) * 1000 + 150);
      continue;
    }
    expect(message).toBe(WRONG_PASSWORD_REFUSED);
    counted += 1;
  }
  // The free attempts cost nothing; then the delays grow.
  expect(waits.length).toBeGreaterThanOrEqual(4);

  // Now even the right password is refused, with a plain sentence.
  await page.goto('/');
  await signIn(page, username, PASSWORD);
  await expect(page.getByRole('alert')).toContainText('This account is locked after too many failed sign-ins');
  await expect(page.getByRole('alert')).toContainText('ask an administrator to unlock it');

  // The administrator sees the lock and lifts it.
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByLabel('Search users').fill(username);
  const row = page.getByRole('row').filter({ hasText: username });
  await expect(row.getByText(/^Locked until /)).toBeVisible();
  await page.getByRole('button', { name: `Actions for ${username}` }).click();
  await page.getByRole('menuitem', { name: 'Unlock' }).click();
  await expect(page.getByText('Lockout Tester can sign in again.')).toBeVisible();
  await expect(row.getByText(/^Locked until /)).toHaveCount(0);
  // Unlock is offered only while an account is locked.
  await page.getByRole('button', { name: `Actions for ${username}` }).click();
  await expect(page.getByRole('menuitem', { name: 'Reset password' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: 'Unlock' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await signOut(page);

  await signIn(page, username, PASSWORD);
  await expect(page.getByRole('heading', { level: 1, name: 'Front desk' })).toBeVisible();
  await signOut(page);
});
