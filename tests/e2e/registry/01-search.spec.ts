import { expect, test } from '@playwright/test';
import { patientBanner, signIn } from './helpers.js';

/**
 * The front desk finds a patient from any screen by keyboard alone: "/" jumps to the search, a
 * misspelt name still finds the person, the arrows choose and Enter opens the record.
 */
test('front desk presses / anywhere, types a misspelt name, and opens the record with the arrows and Enter', async ({ page }) => {
  await signIn(page, 'frontdesk');
  await expect(page.getByRole('heading', { level: 1, name: 'Front desk' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Search patients/ })).toBeVisible();

  // "/" from the home screen: the Patients screen opens with the search box focused.
  await page.keyboard.press('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Patients' })).toBeVisible();
  const search = page.getByRole('combobox', { name: 'Search patients' });
  await expect(search).toBeFocused();

  // "wanjeru" is not how Amani's family name is spelt; the search forgives it.
  await page.keyboard.type('wanjeru');
  const amani = page.getByRole('option', { name: /Amani Faith Wanjiru/ });
  await expect(amani).toBeVisible();
  await expect(amani).toContainText('P-000003');
  await expect(amani).toContainText('born 3 Feb 2019');
  await expect(amani).toContainText('0701 555 020');
  await page.keyboard.press('ArrowDown');
  await expect(amani).toHaveAttribute('aria-selected', 'true');
  await expect(search).toHaveAttribute('aria-activedescendant', (await amani.getAttribute('id')) ?? '');
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1, name: 'Amani Faith Wanjiru' })).toBeVisible();
  await expect(patientBanner(page).getByTestId('patient-mrn')).toHaveText('P-000003');
  await expect(patientBanner(page)).toContainText('No known allergies');

  // Ctrl+K from the patient's page goes back to the search, ready to type over.
  await page.keyboard.press('Control+k');
  await expect(search).toBeFocused();
  await page.keyboard.type('P-000004');
  await expect(page.getByRole('option', { name: /Joseph Kamau/ })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Joseph Kamau' })).toBeVisible();
  await expect(patientBanner(page).getByRole('region', { name: 'Allergies' })).toContainText('Sulfonamides');

  // Nothing matches: the empty state offers registration.
  await page.keyboard.press('/');
  await expect(search).toBeFocused();
  await page.keyboard.type('qqzzxxv');
  await expect(page.getByText('No patient matches “qqzzxxv”')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Register a new patient' })).toBeVisible();
});
