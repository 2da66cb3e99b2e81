import { expect, test } from '@playwright/test';
import { findPatient, patientBanner, signIn } from './helpers.js';

/** A patient signs in and sees their own record, nothing of anyone else's, and no patient search. */
test('the patient sees only their own record', async ({ page }) => {
  const other = await findPatient('Samuel Otieno');

  await signIn(page, 'patient');
  await expect(page.getByRole('heading', { level: 1, name: 'My health record' })).toBeVisible();
  await expect(patientBanner(page).getByRole('heading', { name: 'Grace Njeri' })).toBeVisible();
  await expect(patientBanner(page).getByTestId('patient-mrn')).toHaveText('P-000001');
  await expect(patientBanner(page).getByRole('region', { name: 'Allergies' })).toContainText('Penicillin');
  await expect(page.getByRole('region', { name: 'Clinical record' })).not.toContainText('not available');
  await expect(page.getByTestId('patient-chart')).toBeAttached();

  // No search anywhere: not in the navigation, not in the header, not by shortcut; no desk actions.
  const navigation = page.getByRole('navigation', { name: 'Main' });
  await expect(navigation.getByRole('link', { name: 'Home' })).toBeVisible();
  await expect(navigation.getByRole('link', { name: 'Patients' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Search patients/ })).toHaveCount(0);
  await page.keyboard.press('/');
  await expect(page.getByRole('combobox', { name: 'Search patients' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Edit' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Deactivate' })).toHaveCount(0);

  // Another patient's page, typed into the address bar: refused, and nothing of theirs shown.
  await page.goto(`/#/patients/${other.id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Not your record' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('You can see only your own record.');
  await expect(page.getByText('Samuel Otieno')).toHaveCount(0);
  await expect(page.getByText(other.mrn)).toHaveCount(0);
  await page.goto('/#/patients');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
});
