import { expect, test } from '@playwright/test';

/** A new workstation: create the clinic and its first administrator, keep the recovery key, land signed in. */
test('first-run setup through to a signed-in administrator', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Set up your clinic' })).toBeVisible();

  await page.getByLabel('Clinic name').fill('Hillside Family Clinic');
  const timeZone = page.getByRole('combobox', { name: 'Time zone' });
  await timeZone.fill('Africa/Nair');
  await page.getByRole('option', { name: 'Africa/Nairobi' }).click();
  const currency = page.getByRole('combobox', { name: 'Currency' });
  await currency.fill('KES');
  await page.getByRole('option', { name: /KES/ }).first().click();

  await page.getByLabel('Username').fill('matron');
  await page.getByLabel('Display name').fill('Mary Wanjiru');
  // A mismatch is caught before anything is created.
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('Confirm password').fill('different');
  await page.getByRole('button', { name: 'Create clinic' }).click();
  await expect(page.getByText('A password has at least 10 characters')).toBeVisible();

  await page.getByLabel('Password', { exact: true }).fill('lantern river copper 7');
  await page.getByLabel('Confirm password').fill('lantern river copper 7');
  await page.getByLabel('Confirm password').press('Enter');

  await expect(page.getByRole('heading', { level: 1, name: 'Save your recovery key' })).toBeVisible();
  const key = (await page.getByTestId('recovery-key').textContent())?.trim() ?? '';
  expect(key).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
  const proceed = page.getByRole('button', { name: 'Continue' });
  await expect(proceed).toBeDisabled();
  await page.getByLabel('I have written down the recovery key and stored it safely').check();
  await proceed.click();

  await expect(page.getByRole('heading', { level: 1, name: 'Administration' })).toBeVisible();
  await expect(page.getByTestId('clinic-name')).toHaveText('Hillside Family Clinic');
  await expect(page.getByTestId('user-display-name')).toHaveText('Mary Wanjiru');

  // The clinic now exists: a reload asks for sign-in (or keeps the session), never for setup again.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Administration' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Username').fill('matron');
  await page.getByLabel('Password', { exact: true }).fill('lantern river copper 7');
  await page.getByLabel('Password', { exact: true }).press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Administration' })).toBeVisible();
});
