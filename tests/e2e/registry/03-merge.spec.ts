import { expect, test } from '@playwright/test';
import { apiSession, callOk, patientBanner, signIn, uniqueBirthDate, uniqueFamilyName, uniquePhone } from './helpers.js';

interface Registered {
  id: string;
  mrn: string;
}

/**
 * The administrator merges a duplicate into the record to keep: both shown side by side, a reason,
 * then the duplicate is a pointer, and its old MRN still finds the kept record.
 */
test('admin merges a duplicate; its old MRN finds the kept record', async ({ page }) => {
  // Two records of one person, registered at the desk (the second despite the warning).
  const familyName = uniqueFamilyName('Chebet');
  const birthDate = uniqueBirthDate();
  const desk = await apiSession('frontdesk');
  const kept = await callOk<Registered>(desk, 'patients.register', {
    patient: { givenName: 'Mercy', familyName, sex: 'female', birthDate, phone: uniquePhone() },
  });
  const duplicate = await callOk<Registered>(desk, 'patients.register', {
    patient: { givenName: 'Mercy', familyName, sex: 'female', birthDate, phone: uniquePhone(), allergies: [{ substance: 'Aspirin', severity: 'moderate' }] },
    acknowledgedDuplicates: [kept.id],
  });
  await desk.dispose();
  const name = `Mercy ${familyName}`;

  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Patients' }).click();
  await page.getByRole('combobox', { name: 'Search patients' }).fill(kept.mrn);
  await expect(page.getByRole('option', { name: new RegExp(kept.mrn) })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(patientBanner(page).getByTestId('patient-mrn')).toHaveText(kept.mrn);

  await page.getByRole('button', { name: 'Merge a duplicate' }).click();
  const dialog = page.getByRole('dialog', { name: `Merge a duplicate into ${name} (${kept.mrn})` });
  await dialog.getByRole('combobox', { name: 'Find the duplicate record' }).fill(duplicate.mrn);
  await expect(dialog.getByRole('option', { name: new RegExp(duplicate.mrn) })).toBeVisible();
  await page.keyboard.press('Enter');

  // Side by side, with the allergy only the duplicate knows called out.
  const comparison = dialog.getByRole('table', { name: 'The two records side by side' });
  await expect(comparison.getByRole('columnheader', { name: new RegExp(`Keep ${kept.mrn}`) })).toBeVisible();
  await expect(comparison.getByRole('columnheader', { name: new RegExp(`Merge and retire ${duplicate.mrn}`) })).toBeVisible();
  await expect(dialog.getByText('Allergies recorded only on the record being retired')).toBeVisible();
  await expect(dialog.getByLabel('Reason for the merge')).toBeFocused();

  await dialog.getByRole('button', { name: `Merge ${duplicate.mrn} into ${kept.mrn}` }).click();
  await expect(dialog.getByText('Say why these are the same person (at least 5 characters)')).toBeVisible();
  await dialog.getByLabel('Reason for the merge').fill('Same person registered twice at the desk');
  await dialog.getByRole('button', { name: `Merge ${duplicate.mrn} into ${kept.mrn}` }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`${duplicate.mrn} was merged into ${kept.mrn}`)).toBeVisible();
  await expect(patientBanner(page).getByTestId('patient-mrn')).toHaveText(kept.mrn);

  // The old MRN still finds the kept record, and says how.
  await page.keyboard.press('/');
  const search = page.getByRole('combobox', { name: 'Search patients' });
  await expect(search).toBeFocused();
  await search.fill(duplicate.mrn);
  // First of the results (other MRNs and phones may contain the same digits); the duplicate itself is never one.
  const found = page.getByRole('option').first();
  await expect(found).toContainText(kept.mrn);
  await expect(found).toContainText(`Found by old MRN ${duplicate.mrn}`);
  await expect(page.getByRole('option').filter({ hasText: new RegExp(`${duplicate.mrn}(?! \\(merged)`) })).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(patientBanner(page).getByTestId('patient-mrn')).toHaveText(kept.mrn);

  // The duplicate remains as a tombstone pointing at the kept record.
  await page.goto(`/#/patients/${duplicate.id}`);
  await expect(page.getByText('This record was merged into')).toBeVisible();
  await page.getByRole('link', { name: kept.mrn }).click();
  await expect(patientBanner(page).getByTestId('patient-mrn')).toHaveText(kept.mrn);

  // The merge is in the audit log.
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('combobox', { name: 'Action' }).fill('patients.merge');
  await page.getByRole('combobox', { name: 'Action' }).press('Escape');
  const entry = page
    .getByRole('table', { name: 'Audit log entries' })
    .getByRole('row')
    .filter({ hasText: 'patients.merge' })
    .filter({ hasText: duplicate.mrn });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText(`patient ${kept.id}`);
});
