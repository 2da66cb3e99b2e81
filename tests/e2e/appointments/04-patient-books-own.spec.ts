import { expect, test } from '@playwright/test';
import { signIn } from './helpers.js';

test('a patient books an appointment for themself and cancels it', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, 'patient');
  await page.getByRole('link', { name: 'My appointments' }).click();
  await page.getByRole('button', { name: 'Book an appointment' }).click();
  const form = page.getByRole('dialog');
  await form.getByRole('combobox', { name: 'Department' }).click();
  await page.getByRole('option', { name: 'General Medicine' }).click();
  await form.getByRole('combobox', { name: 'Doctor' }).click();
  await page.getByRole('option', { name: /Dr\. Daniel Mwangi/ }).click();
  await form
    .getByRole('radiogroup', { name: /Day/ })
    .getByText(/Wed 4 Mar/)
    .click();
  await form
    .getByRole('radiogroup', { name: /Time on/ })
    .getByText('09:15', { exact: true })
    .click();
  await form.getByLabel('What is the appointment for?').fill('Sore throat and fever');
  await form.getByRole('button', { name: 'Book appointment' }).click();
  await expect(form).toBeHidden();

  const coming = page.getByRole('table', { name: 'Coming appointments' });
  await expect(coming.getByRole('row').filter({ hasText: 'Sore throat and fever' })).toContainText('Dr. Daniel Mwangi');

  await coming
    .getByRole('button', { name: /^Cancel the appointment on/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Cancel appointment' }).click();
  await expect(page.getByText(/Say why the appointment is cancelled|at least 3 characters/).first()).toBeVisible();
  await page.getByLabel('Why are you cancelling?').fill('Feeling better now');
  await page.getByRole('button', { name: 'Cancel appointment' }).click();
  await expect(coming.getByRole('row').filter({ hasText: 'Sore throat and fever' })).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Past appointments' }).getByRole('row').filter({ hasText: 'Sore throat and fever' })).toContainText('Cancelled');
});
