import { expect, type Page, test } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { createUserWithPassword, signIn, signOut, uniqueUsername } from './helpers.js';

const PASSWORD = 'copper willow 9134';
const PERIOD_MS = 30_000;

/** What the user's authenticator app would show at this moment. */
function codeNow(key: string): { code: string; step: number } {
  const totp = new TOTP({ secret: Secret.fromBase32(key), algorithm: 'SHA1', digits: 6, period: 30 });
  const now = Date.now();
  return { code: totp.generate({ timestamp: now }), step: Math.floor(now / PERIOD_MS) };
}

/** The server refuses a code from a 30-second step already used, as a real app user would wait for the next one. */
async function waitForStepAfter(page: Page, step: number): Promise<void> {
  const next = (step + 1) * PERIOD_MS;
  const wait = next - Date.now();
  if (wait > 0) await page.waitForTimeout(wait + 250);
}

async function passwordThenCode(page: Page, username: string, code: string): Promise<void> {
  await signIn(page, username, PASSWORD);
  const field = page.getByLabel('Authentication code');
  await expect(field).toBeVisible();
  await expect(field).toBeFocused();
  await field.fill(code);
  await field.press('Enter');
}

test('a user enrols in two-factor sign-in, then signs in with a code and with a one-time recovery code', async ({ page }) => {
  test.setTimeout(120_000);
  const username = uniqueUsername('totp');
  await createUserWithPassword({ username, displayName: 'Tariq Two-Factor', role: 'doctor', password: PASSWORD });

  await page.goto('/');
  await signIn(page, username, PASSWORD);
  await expect(page.getByRole('heading', { level: 1, name: 'Doctor' })).toBeVisible();
  await page.getByRole('link', { name: 'My account' }).click();
  const section = page.getByRole('region', { name: 'Two-factor sign-in' });
  await expect(section.getByText('Off', { exact: true })).toBeVisible();
  await section.getByRole('button', { name: 'Set up two-factor sign-in' }).click();

  // The QR code and the same key as text, for typing into the app.
  await expect(section.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const shownKey = (await section.getByTestId('two-factor-key').textContent()) ?? '';
  expect(shownKey).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
  const key = shownKey.replace(/\s/g, '');

  // A wrong code is refused at the field; the app's current code completes enrolment.
  await section.getByLabel('Code from the app').fill('000000');
  await section.getByRole('button', { name: 'Confirm' }).click();
  await expect(section.getByText('That code does not match')).toBeVisible();
  const enrolment = codeNow(key);
  await section.getByLabel('Code from the app').fill(enrolment.code);
  await section.getByRole('button', { name: 'Confirm' }).click();

  // Ten recovery codes, once; Done only after saying they are kept.
  const codes = section.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  const recoveryCode = ((await codes.first().textContent()) ?? '').trim();
  expect(recoveryCode).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
  await expect(section.getByRole('button', { name: 'Download as text file' })).toBeVisible();
  await expect(section.getByRole('button', { name: 'Done' })).toBeDisabled();
  await section.getByLabel('I have saved these recovery codes').check();
  await section.getByRole('button', { name: 'Done' }).click();
  await expect(section.getByText('On', { exact: true })).toBeVisible();
  await expect(section.getByRole('button', { name: 'Turn off two-factor sign-in' })).toBeVisible();
  await signOut(page);

  // Password, then the app's code from a later 30-second step.
  await waitForStepAfter(page, enrolment.step);
  await passwordThenCode(page, username, codeNow(key).code);
  await expect(page.getByRole('heading', { level: 1, name: 'Doctor' })).toBeVisible();
  await signOut(page);

  // Phone lost: a recovery code instead of the app's code, good once.
  await passwordThenCode(page, username, recoveryCode.toUpperCase());
  await expect(page.getByRole('heading', { level: 1, name: 'Doctor' })).toBeVisible();
  await signOut(page);

  await passwordThenCode(page, username, recoveryCode);
  await expect(page.getByText('That code is not correct, or it was already used.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
});
