import { expect, test } from '@playwright/test';
import { apiSession, callOk, openChart, patientIdByMrn, signIn, timelineEntries, tinyPng } from './helpers.js';

test('the nurse records vitals, then enters the Haemoglobin result with an image from the worklist', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, 'nurse');
  const samuel = await patientIdByMrn(page, 'P-000002');

  // The doctor's journey ordered Haemoglobin; run alone, this journey orders it itself.
  const waiting = await callOk<{ patient: { id: string }; test: { code: string } }[]>(page.request, 'orders.worklist', { patientId: samuel });
  if (!waiting.some((order) => order.test.code === 'HB')) {
    const doctor = await apiSession('doctor');
    const tests = await callOk<{ id: string; code: string }[]>(doctor, 'catalog.tests', {});
    await callOk(doctor, 'orders.create', { patientId: samuel, testIds: [tests.find((test) => test.code === 'HB')?.id] });
    await doctor.dispose();
  }

  // Vitals, units in every label; a lone systolic is refused in words.
  await openChart(page, samuel);
  await expect(page.getByRole('button', { name: 'New encounter' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Record vitals' }).click();
  const vitals = page.getByRole('dialog', { name: 'Record vitals' });
  await expect(vitals.getByLabel('Systolic (mmHg)')).toBeFocused();
  await vitals.getByLabel('Systolic (mmHg)').fill('128');
  await vitals.getByRole('button', { name: 'Save vitals' }).click();
  await expect(vitals.getByText('Blood pressure needs both numbers (systolic and diastolic)')).toBeVisible();
  await vitals.getByLabel('Diastolic (mmHg)').fill('84');
  await vitals.getByLabel('Pulse (beats/min)').fill('92');
  await vitals.getByLabel('Temperature (°C)').fill('37.4');
  await vitals.getByLabel('SpO₂ (%)').fill('95');
  await vitals.getByLabel('Weight (kg)').fill('78.5');
  await vitals.getByLabel('Height (cm)').fill('176');
  await expect(vitals.getByText('BMI from this weight and height: 25.3')).toBeVisible();
  await vitals.getByLabel('Height (cm)').press('Enter');
  await expect(vitals).toBeHidden();
  await expect(timelineEntries(page).filter({ hasText: 'BP 128/84' })).toContainText('pulse 92, 37.4 °C, SpO₂ 95%, 78.5 kg');
  const bp = page.getByRole('region', { name: 'Blood pressure (mmHg)' });
  await expect(bp).toContainText('Latest 128/84');

  // The worklist: the waiting Haemoglobin, its result below the range, and a picture of the slide.
  await page.getByRole('link', { name: 'Worklist' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Worklist' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: 'Samuel Otieno' }).filter({ hasText: 'Haemoglobin (HB)' });
  await expect(row).toContainText('P-000002');
  await expect(row).toContainText('Dr. Daniel Mwangi');
  await row.getByRole('button', { name: 'Enter result: Haemoglobin for Samuel Otieno' }).click();

  const result = page.getByRole('dialog', { name: 'Result: Haemoglobin' });
  await expect(result.getByTestId('reference-range')).toContainText('12–17.5 g/dL');
  await expect(result.getByLabel('Unit')).toHaveValue('g/dL');
  await result.getByRole('button', { name: 'Save result' }).click();
  await expect(result.getByText('Enter a value, a text result or attach a file')).toBeVisible();
  await result.getByLabel('Value (g/dL)').fill('10.1');
  // A file that only claims to be a PNG is refused before anything is sent; the real one is kept.
  const chooser = page.waitForEvent('filechooser');
  await result.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles([
    { name: 'blood-film.png', mimeType: 'image/png', buffer: tinyPng() },
    { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('this is text, not an image') },
  ]);
  await expect(result.getByText('notes.png is not a JPEG, PNG or PDF file.')).toBeVisible();
  const files = result.getByRole('list', { name: 'Files to attach' });
  await expect(files.getByRole('listitem')).toHaveCount(1);
  await expect(files).toContainText('blood-film.png');
  await result.getByRole('button', { name: 'Save result' }).click();
  await expect(result.getByTestId('saved-result-value')).toHaveText('10.1 g/dL');
  await expect(result.getByText('Low', { exact: true })).toBeVisible();
  await result.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByText('No tests are waiting for results')).toBeVisible();

  // The image is stored with the result and shows in the chart.
  await openChart(page, samuel);
  await timelineEntries(page).filter({ hasText: 'Result: Haemoglobin' }).getByRole('button').click();
  const detail = page.getByRole('dialog', { name: /^Test order/ });
  await expect(detail.getByTestId('result-value')).toHaveText('10.1 g/dL');
  const image = detail.getByRole('img', { name: 'blood-film.png' });
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBe(24);
});
