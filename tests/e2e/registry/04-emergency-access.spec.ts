import { expect, test } from '@playwright/test';
import { patientBanner, signIn } from './helpers.js';

/**
 * Front desk sees a patient's demographics and allergies, but not the clinical record: the page
 * says so, and offers emergency access, which asks for a reason and then shows the chart.
 */
test('front desk is refused the clinical record, and opens it with emergency access and a reason', async ({ page }) => {
  await signIn(page, 'frontdesk');
  await page.keyboard.press('/');
  await page.keyboard.type('Grace Njeri');
  await expect(page.getByRole('option', { name: /Grace Njeri/ })).toBeVisible();
  await page.keyboard.press('Enter');

  // Demographics and allergies: what the desk needs.
  await expect(page.getByRole('heading', { level: 1, name: 'Grace Njeri' })).toBeVisible();
  await expect(patientBanner(page).getByTestId('patient-mrn')).toHaveText('P-000001');
  await expect(patientBanner(page).getByRole('region', { name: 'Allergies' })).toContainText('Penicillin');
  const demographics = page.getByRole('region', { name: 'Demographics' });
  await expect(demographics).toContainText('+254 712 345 678');
  await expect(demographics).toContainText('Peter Njeri (Husband)');

  // The clinical record: not for this role, and no chart on the page.
  const clinical = page.getByRole('region', { name: 'Clinical record' });
  await expect(clinical).toContainText('Clinical record: not available to your role');
  await expect(page.getByTestId('patient-chart')).toHaveCount(0);

  // Break glass: a reason of at least 10 characters, then the chart.
  await clinical.getByRole('button', { name: 'Emergency access' }).click();
  const dialog = page.getByRole('dialog', { name: 'Emergency access to Grace Njeri’s clinical record' });
  await expect(dialog.getByLabel('Reason')).toBeFocused();
  await dialog.getByLabel('Reason').fill('Collapsed');
  await dialog.getByRole('button', { name: 'Open the clinical record' }).click();
  await expect(dialog.getByText('Describe the emergency in at least 10 characters')).toBeVisible();
  await dialog.getByLabel('Reason').fill('Collapsed in the waiting room; the doctor asks for her medication history');
  await dialog.getByRole('button', { name: 'Open the clinical record' }).click();
  await expect(dialog).toBeHidden();

  await expect(clinical.getByText('You opened this record in an emergency')).toBeVisible();
  await expect(page.getByTestId('patient-chart')).toBeAttached();
  await expect(clinical).not.toContainText('not available to your role');

  // The administrator finds it in the review list, with the reason, and marks it reviewed.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Emergency access' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Emergency access' })).toBeVisible();
  const entries = page.getByRole('table', { name: 'Emergency accesses' });
  await expect(entries).toContainText('Collapsed in the waiting room');
  await expect(entries).toContainText('P-000001');
  await entries.getByRole('button', { name: 'Review access by frontdesk' }).first().click();
  const review = page.getByRole('dialog', { name: 'Review emergency access' });
  await review.getByLabel('Review note').fill('Confirmed with the duty doctor');
  await review.getByRole('button', { name: 'Mark reviewed' }).click();
  await expect(review).toBeHidden();
  await expect(page.getByText('Nothing waiting for review')).toBeVisible();
  await page.getByText('All', { exact: true }).click();
  await expect(entries).toContainText('Confirmed with the duty doctor');
});
