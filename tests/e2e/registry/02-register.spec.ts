import { expect, type Page, test } from '@playwright/test';
import { patientBanner, signIn, uniqueBirthDate, uniqueFamilyName, uniquePhone } from './helpers.js';

interface NewPatient {
  givenName: string;
  familyName: string;
  birthDate: string;
  phone: string;
}

async function fillRegistration(page: Page, patient: NewPatient): Promise<void> {
  await page.getByLabel('Given name').fill(patient.givenName);
  await page.getByLabel('Family name').fill(patient.familyName);
  await page.getByRole('radio', { name: 'Female' }).check();
  await page.getByLabel('Date of birth').fill(patient.birthDate);
  await page.getByLabel('Phone', { exact: true }).fill(patient.phone);
}

/**
 * Front desk registers a patient with allergies and an emergency contact, then a look-alike with a
 * misspelt name and the same birth date: the duplicate warning lists the first, "Open existing"
 * opens it, and "Register anyway" registers the second after all.
 */
test('front desk registers a patient, and is warned before registering a look-alike', async ({ page }) => {
  const first: NewPatient = { givenName: 'Zawadi', familyName: uniqueFamilyName('Wekesa'), birthDate: uniqueBirthDate(), phone: uniquePhone() };
  // One letter wrong in the family name, another phone: only the name and birth date give it away.
  const misspelt = `${first.familyName.slice(0, 3)}i${first.familyName.slice(4)}`;
  const second: NewPatient = { ...first, familyName: misspelt, phone: uniquePhone() };

  await signIn(page, 'frontdesk');
  await page.getByRole('link', { name: 'Patients' }).click();
  await page.getByRole('link', { name: 'Register patient' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Register a patient' })).toBeVisible();
  await expect(page.getByLabel('Given name')).toBeFocused();

  // Saving an empty form says what is missing, beside each field.
  await page.getByRole('button', { name: 'Register patient' }).click();
  await expect(page.getByText('Enter the given (first) name')).toBeVisible();
  await expect(page.getByText('Enter the date of birth')).toBeVisible();
  await expect(page.getByLabel('Given name')).toBeFocused();

  await fillRegistration(page, first);
  await page.getByLabel('National id').fill(`ID${first.phone}`);
  await page.getByRole('button', { name: 'Add allergy' }).click();
  const allergy = page.getByRole('group', { name: 'Allergy 1' });
  await expect(allergy.getByLabel('Substance')).toBeFocused();
  await allergy.getByLabel('Substance').fill('Peanuts');
  await allergy.getByLabel('Reaction').fill('Swelling of the lips');
  await allergy.getByLabel('Severity').selectOption({ label: 'Severe' });
  await page.getByRole('button', { name: 'Add allergy' }).click();
  const second_allergy = page.getByRole('group', { name: 'Allergy 2' });
  await second_allergy.getByLabel('Substance').fill('Latex');
  await second_allergy.getByLabel('Severity').selectOption({ label: 'Mild' });
  await page.getByLabel('Contact name').fill('Baraka Wekesa');
  await page.getByLabel('Relationship').fill('Brother');
  await page.getByLabel('Contact phone').fill('0722 555 444');
  await page.getByRole('button', { name: 'Register patient' }).click();

  // The new record: its MRN from the counter, the allergies in red, the emergency contact.
  const firstName = `Zawadi ${first.familyName}`;
  await expect(page.getByRole('heading', { level: 1, name: firstName })).toBeVisible();
  const mrn = patientBanner(page).getByTestId('patient-mrn');
  await expect(mrn).toHaveText(/^P-\d{6}$/);
  const firstMrn = (await mrn.textContent()) ?? '';
  const allergies = patientBanner(page).getByRole('region', { name: 'Allergies' });
  await expect(allergies).toContainText('Peanuts');
  await expect(allergies).toContainText('Latex');
  await expect(page.getByRole('region', { name: 'Demographics' })).toContainText('Baraka Wekesa (Brother)');
  await expect(page.getByRole('region', { name: 'Demographics' })).toContainText('0722 555 444');

  // A second registration that looks like the first: warned before anything is saved.
  await page.getByRole('link', { name: 'Patients' }).click();
  await page.getByRole('link', { name: 'Register patient' }).click();
  await fillRegistration(page, second);
  await page.getByRole('button', { name: 'Register patient' }).click();
  let dialog = page.getByRole('dialog', { name: 'Possible duplicate' });
  await expect(dialog).toBeVisible();
  const candidate = dialog.getByRole('listitem', { name: `${firstName}, ${firstMrn}` });
  await expect(candidate).toContainText('Similar name and the same date of birth');
  await candidate.getByRole('button', { name: /Open existing/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: firstName })).toBeVisible();
  await expect(patientBanner(page).getByTestId('patient-mrn')).toHaveText(firstMrn);

  // It really is someone else: register anyway.
  await page.getByRole('link', { name: 'Patients' }).click();
  await page.getByRole('link', { name: 'Register patient' }).click();
  await fillRegistration(page, second);
  await page.getByRole('button', { name: 'Register patient' }).click();
  dialog = page.getByRole('dialog', { name: 'Possible duplicate' });
  await expect(dialog.getByRole('listitem', { name: `${firstName}, ${firstMrn}` })).toBeVisible();
  await dialog.getByRole('button', { name: 'Register anyway' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Zawadi ${misspelt}` })).toBeVisible();
  await expect(patientBanner(page).getByTestId('patient-mrn')).toHaveText(/^P-\d{6}$/);
  await expect(patientBanner(page).getByTestId('patient-mrn')).not.toHaveText(firstMrn);
  await expect(patientBanner(page)).toContainText('No known allergies');
});
