import { expect, test } from '@playwright/test';
import { apiSession, callOk, signIn } from './helpers.js';

test('the administrator adds a test with a price in the clinic currency, then retires it', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Test catalog' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Test catalog' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Tests and procedures' });
  await expect(table.getByRole('row').filter({ hasText: 'Haemoglobin' })).toContainText('KES 500.00');

  await page.getByRole('button', { name: 'Add test' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a test or procedure' });
  await dialog.getByLabel('Code').fill('crp');
  await dialog.getByLabel('Name').fill('C-reactive protein');
  await dialog.getByLabel('Price (KES)').fill('12.345');
  await dialog.getByRole('button', { name: 'Add to catalog' }).click();
  await expect(dialog.getByText('Enter the price in KES, e.g. 1250 or 1250.50')).toBeVisible();
  await dialog.getByLabel('Price (KES)').fill('1,250.50');
  await dialog.getByLabel('Unit').fill('mg/L');
  await dialog.getByLabel('Reference low').fill('0');
  await dialog.getByLabel('Reference high').fill('5');
  await dialog.getByLabel('Reference high').press('Enter');
  await expect(dialog).toBeHidden();
  const row = table.getByRole('row').filter({ hasText: 'C-reactive protein' });
  await expect(row).toContainText('CRP');
  await expect(row).toContainText('KES 1,250.50');
  await expect(row).toContainText('0–5 mg/L');
  const saved = (await callOk<{ code: string; priceMinor: number }[]>(page.request, 'catalog.tests', { includeInactive: true })).find(
    (test) => test.code === 'CRP',
  );
  expect(saved?.priceMinor).toBe(125050);

  await row.getByRole('button', { name: 'Edit CRP' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit C-reactive protein' });
  await expect(edit.getByLabel('Price (KES)')).toHaveValue('1250.50');
  await edit.getByRole('switch', { name: 'Offered (doctors can order it)' }).uncheck();
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toBeHidden();
  await expect(row).toContainText('Inactive');

  // A retired test is no longer offered to doctors.
  const doctor = await apiSession('doctor');
  const offered = await callOk<{ code: string }[]>(doctor, 'catalog.tests', {});
  expect(offered.map((test) => test.code)).not.toContain('CRP');
  await doctor.dispose();
});
