import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { openChart, patientIdByMrn, signIn, timelineEntries } from './helpers.js';

test('the doctor writes an encounter with a diagnosis, orders a test, prescribes and prints, then amends the encounter', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, 'doctor');
  const samuel = await patientIdByMrn(page, 'P-000002');
  await openChart(page, samuel);
  await expect(page.getByRole('heading', { level: 1, name: 'Samuel Otieno' })).toBeVisible();
  await expect(page.getByTestId('chart-allergies')).toContainText('none recorded');

  // The encounter, with a malformed ICD-10 code refused in words first.
  await page.getByRole('button', { name: 'New encounter' }).click();
  const encounter = page.getByRole('dialog', { name: 'New encounter' });
  await expect(encounter.getByLabel('Presenting complaint')).toBeFocused();
  await encounter.getByLabel('Presenting complaint').fill('Wheezing and a dry cough for three days, worse at night');
  await encounter.getByLabel('Findings').fill('Bilateral expiratory wheeze. Afebrile. Speaking in full sentences.');
  await encounter.getByLabel('Diagnosis 1', { exact: true }).fill('Asthma exacerbation');
  await encounter.getByLabel('ICD-10 code 1', { exact: true }).fill('J4');
  await encounter.getByLabel('Plan').fill('Salbutamol inhaler and a short course of prednisolone; review in one week');
  await encounter.getByRole('button', { name: 'Save encounter' }).click();
  await expect(encounter.getByText('An ICD-10 code looks like J45 or J45.909')).toBeVisible();
  await encounter.getByLabel('ICD-10 code 1', { exact: true }).fill('j45');
  await encounter.getByLabel('ICD-10 code 1', { exact: true }).press('Enter');
  await expect(encounter).toBeHidden();
  await expect(timelineEntries(page).filter({ hasText: 'Visit: Asthma exacerbation' })).toHaveCount(1);

  // The order: the test is ticked from the catalog and linked to today's visit by default.
  await page.getByRole('button', { name: 'Order tests' }).click();
  const order = page.getByRole('dialog', { name: 'Order tests' });
  await order.getByRole('button', { name: 'Place order' }).click();
  await expect(order.getByText('Choose at least one test or procedure')).toBeVisible();
  await order.getByLabel('Find a test').fill('haem');
  await order.getByLabel('Find a test').press('Enter');
  await expect(order.getByRole('checkbox', { name: 'Haemoglobin (HB)' })).toBeChecked();
  await expect(order.getByLabel('For visit')).toHaveValue(/Asthma exacerbation/);
  await order.getByRole('button', { name: 'Place order' }).click();
  await expect(order).toBeHidden();
  await expect(timelineEntries(page).filter({ hasText: 'Ordered: Haemoglobin' })).toContainText('Awaiting result');

  // The prescription: two drugs, the second with another route.
  await page.getByRole('button', { name: 'Prescribe' }).click();
  const prescribe = page.getByRole('dialog', { name: 'Prescribe' });
  await prescribe.getByRole('button', { name: 'Save prescription' }).click();
  await expect(prescribe.getByText('Enter the drug')).toBeVisible();
  const first = prescribe.getByRole('group', { name: 'Drug 1' });
  await first.getByLabel('Drug', { exact: true }).fill('Prednisolone 5 mg tablets');
  await first.getByLabel('Dose', { exact: true }).fill('40 mg');
  await first.getByLabel('Frequency', { exact: true }).fill('Once daily');
  await first.getByLabel('Duration', { exact: true }).fill('5 days');
  await first.getByLabel('Quantity', { exact: true }).fill('40');
  await first.getByLabel('Instructions', { exact: true }).fill('With breakfast');
  await prescribe.getByRole('button', { name: 'Add drug' }).click();
  const second = prescribe.getByRole('group', { name: 'Drug 2' });
  await expect(second.getByLabel('Drug', { exact: true })).toBeFocused();
  await second.getByLabel('Drug', { exact: true }).fill('Salbutamol 100 mcg inhaler');
  await second.getByLabel('Dose', { exact: true }).fill('2 puffs');
  await second.getByLabel('Route', { exact: true }).click();
  await page.getByRole('option', { name: 'Inhaled' }).click();
  await second.getByLabel('Frequency', { exact: true }).fill('When needed');
  await second.getByLabel('Duration', { exact: true }).fill('30 days');
  await second.getByLabel('Quantity', { exact: true }).fill('1');
  await prescribe.getByRole('button', { name: 'Save prescription' }).click();

  const saved = page.getByRole('dialog', { name: 'Prescription saved' });
  const drugs = saved.getByRole('table', { name: 'Prescribed drugs' });
  await expect(drugs.getByRole('row')).toHaveCount(3);
  await expect(drugs).toContainText('Salbutamol 100 mcg inhaler 2 puffs');
  await expect(drugs).toContainText('Inhaled');

  // Print opens the PDF in the browser's viewer (a blob: URL); Download saves the same file.
  const pdfResponse = page.waitForResponse((response) => response.url().endsWith('/api/prescriptions.pdf'));
  const popupOpened = page.waitForEvent('popup');
  await saved.getByRole('button', { name: 'Print' }).click();
  const printed = (await (await pdfResponse).json()) as { ok: boolean; value: { fileName: string; pdfBase64: string } };
  expect(Buffer.from(printed.value.pdfBase64, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const popup = await popupOpened;
  expect(popup.url()).toMatch(/^blob:http:\/\/127\.0\.0\.1:5495\//);
  await popup.close();

  const downloading = page.waitForEvent('download');
  await saved.getByRole('button', { name: 'Download PDF' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^prescription-P-000002-\d{4}-\d{2}-\d{2}\.pdf$/);
  const bytes = await readFile((await download.path()) as string);
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await saved.getByRole('button', { name: 'Done' }).click();
  await expect(timelineEntries(page).filter({ hasText: 'Prescription' })).toContainText('Prednisolone 5 mg tablets 40 mg; Salbutamol 100 mcg inhaler 2 puffs');

  // The amendment: a reason is required, and the original stays readable in the history.
  await timelineEntries(page).filter({ hasText: 'Visit: Asthma exacerbation' }).getByRole('button').click();
  const visit = page.getByRole('dialog', { name: /^Visit/ });
  await expect(visit.getByText('J45', { exact: true })).toBeVisible();
  await visit.getByRole('button', { name: 'Amend' }).click();
  await visit.getByRole('button', { name: 'Save amendment' }).click();
  await expect(visit.getByText('Say why the encounter is being corrected (at least 5 characters)')).toBeVisible();
  await visit.getByLabel('Reason for the amendment').fill('Peak flow measured after the visit was written');
  await visit.getByLabel('Findings').fill('Bilateral expiratory wheeze. Afebrile. Peak flow 250 L/min (55% of predicted).');
  await visit.getByRole('button', { name: 'Save amendment' }).click();
  await expect(visit.getByText('Amended (1 time)')).toBeVisible();
  await expect(visit.getByRole('region', { name: 'Current version' })).toContainText('Peak flow 250 L/min (55% of predicted).');
  const history = visit.getByRole('region', { name: 'Revision history' });
  await expect(history.getByText('Reason: Peak flow measured after the visit was written')).toBeVisible();
  await history.getByRole('button', { name: /^Original/ }).click();
  await expect(history.getByText('Bilateral expiratory wheeze. Afebrile. Speaking in full sentences.')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(visit).toBeHidden();
  await expect(timelineEntries(page).filter({ hasText: 'Visit: Asthma exacerbation' })).toContainText('(amended)');
});
