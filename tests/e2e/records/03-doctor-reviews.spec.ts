import { expect, test } from '@playwright/test';
import { apiSession, callOk, openChart, patientIdByMrn, signIn, timelineEntries } from './helpers.js';

test('the doctor sees everything on the timeline, filters it by kind, and reads the vitals charts', async ({ page }) => {
  await signIn(page, 'doctor');
  const samuel = await patientIdByMrn(page, 'P-000002');
  await openChart(page, samuel);

  // Newest first: the nurse's result and file, her vitals, then the doctor's prescription, order and visit.
  const entries = timelineEntries(page);
  await expect(entries.filter({ hasText: 'Result: Haemoglobin' })).toHaveCount(1);
  const kinds = await entries.evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')));
  expect(new Set(kinds)).toEqual(new Set(['encounter', 'order', 'prescription', 'vitals', 'result', 'attachment']));
  expect(kinds.indexOf('result')).toBeLessThan(kinds.indexOf('prescription'));
  expect(kinds.indexOf('vitals')).toBeLessThan(kinds.indexOf('encounter'));

  // The low result is flagged where the doctor scans.
  const result = entries.filter({ hasText: 'Result: Haemoglobin' });
  await expect(result).toContainText('10.1 g/dL');
  await expect(result.getByText('Low', { exact: true })).toBeVisible();
  await expect(result).toHaveAttribute('data-flag', 'low');

  // Filters by kind, by keyboard.
  await page.getByRole('checkbox', { name: 'Results' }).press('Space');
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toHaveAttribute('data-kind', 'result');
  await page.getByRole('checkbox', { name: 'Visits' }).press('Space');
  await expect(entries).toHaveCount(2);
  await page.getByRole('checkbox', { name: 'Results' }).press('Space');
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText('Visit: Asthma exacerbation');
  await page.getByRole('button', { name: 'Show everything' }).click();
  await expect(entries).toHaveCount(6);

  // The vitals charts draw the nurse's reading.
  const bp = page.getByRole('region', { name: 'Blood pressure (mmHg)' });
  await expect(bp).toContainText('Latest 128/84');
  await expect(
    bp
      .getByRole('img', { name: /Blood pressure trend, 1 reading/ })
      .locator('svg')
      .first(),
  ).toBeVisible();
  for (const chart of ['Pulse (beats/min)', 'Temperature (°C)', 'SpO₂ (%)', 'Weight (kg)', 'BMI (kg/m²)']) {
    await expect(page.getByRole('region', { name: chart }).locator('svg.recharts-surface')).toBeVisible();
  }
  await expect(page.getByRole('region', { name: 'BMI (kg/m²)' })).toContainText('Latest 25.3');
});

test('a long chart comes a page at a time', async ({ page }) => {
  // Thirty sets of vitals for another patient, recorded the way a nurse's station would.
  const nurse = await apiSession('nurse');
  const found = await callOk<{ id: string; mrn: string }[]>(nurse, 'patients.search', { query: 'P-000003' });
  const patientId = found.find((patient) => patient.mrn === 'P-000003')?.id as string;
  const start = Date.now() - 40 * 86_400_000;
  for (let day = 0; day < 30; day += 1) {
    await callOk(nurse, 'vitals.record', {
      patientId,
      takenAt: new Date(start + day * 86_400_000).toISOString(),
      vitals: { systolic: 118 + (day % 7), diastolic: 76 + (day % 5), pulse: 70 + (day % 9), weightKg: 64 + day / 10 },
    });
  }
  await nurse.dispose();

  await signIn(page, 'doctor');
  await openChart(page, patientId);
  const entries = timelineEntries(page);
  await expect(entries).toHaveCount(25);
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(entries).toHaveCount(30);
  await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Weight (kg)' })).toContainText('30 readings');
});
