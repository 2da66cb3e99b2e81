import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { apiSession, callOk, signIn, uniqueBirthDate, uniqueFamilyName } from './helpers.js';

async function countFound(query: string): Promise<number> {
  const desk = await apiSession('frontdesk');
  try {
    return (await callOk<unknown[]>(desk, 'patients.search', { query })).length;
  } finally {
    await desk.dispose();
  }
}

/**
 * CSV in and out: the list exports with its filters as a spreadsheet-ready file; an import is
 * checked first (every bad row listed with its spreadsheet row number, nothing written), and only
 * the confirmation writes the valid rows.
 */
test('front desk exports the filtered list and imports patients after a dry run', async ({ page }) => {
  await signIn(page, 'frontdesk');
  await page.getByRole('link', { name: 'Patients' }).click();

  // Export with a filter: a UTF-8 BOM, the header, and only the matching patients.
  await page.getByLabel('Filter by name, MRN or phone').fill('Njeri');
  await expect(page.getByRole('table', { name: 'Patients' }).getByRole('row')).toHaveCount(2);
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^patients-\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = await readFile((await download.path()) ?? '');
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
  expect(lines[0]).toBe(
    'MRN,Given name,Other names,Family name,Sex,Date of birth,Phone,Email,Address,National id,Blood group,Allergies,Status,Registered (UTC)',
  );
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('P-000001,Grace,,Njeri,female,1988-04-12');
  expect(lines[1]).toContain('Penicillin (severe)');

  // Import: three rows, the second without a family name and born in the future.
  const family = uniqueFamilyName('Odhiambo');
  const csv = [
    'First name,Surname,Gender,DOB,Mobile',
    `Asha,${family},F,${uniqueBirthDate()},0722 100 200`,
    `Baraka,,M,2099-01-01,0722 100 201`,
    `Imani,${family},female,${uniqueBirthDate()},`,
  ].join('\n');
  await page.getByRole('link', { name: 'Import CSV' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Import patients from CSV' })).toBeVisible();
  await page.getByLabel('CSV file').setInputFiles({ name: 'new-patients.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

  // Columns matched by their names.
  await expect(page.getByLabel('Given name')).toHaveValue('First name');
  await expect(page.getByLabel('Family name')).toHaveValue('Surname');
  await expect(page.getByLabel('Sex')).toHaveValue('Gender');
  await expect(page.getByLabel('Date of birth')).toHaveValue('DOB');
  await expect(page.getByLabel('Phone')).toHaveValue('Mobile');
  await expect(page.getByRole('button', { name: /^Import \d+ patients?$/ })).toHaveCount(0);

  await page.getByRole('button', { name: 'Check the file' }).click();
  await expect(page.getByTestId('import-counts')).toContainText('2 of 3 rows valid');
  const problems = page.getByRole('table', { name: 'Problems in the file' });
  await expect(problems.getByRole('row').filter({ hasText: 'Family name (column “Surname”)' })).toContainText(/^3\s*Family name.*Enter the family name$/);
  await expect(problems.getByRole('row').filter({ hasText: 'Date of birth' })).toContainText('3');
  await expect(problems.getByRole('row').filter({ hasText: 'Date of birth' })).toContainText('The date of birth must be in the past');
  expect(await countFound(family)).toBe(0);

  await page.getByRole('button', { name: 'Import 2 patients' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Import finished' })).toContainText('2 patients were registered; 1 row with problems was skipped.');
  expect(await countFound(family)).toBe(2);

  // The new patients are in the list.
  await page.getByRole('link', { name: 'Go to the patient list' }).click();
  await page.getByLabel('Filter by name, MRN or phone').fill(family);
  await expect(page.getByRole('table', { name: 'Patients' }).getByRole('row')).toHaveCount(3);
});
