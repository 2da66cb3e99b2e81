import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { apiSession, callOk, openChart, signIn, timelineEntries } from './helpers.js';

test('the patient sees their own chart, with their allergy, and none of the clinical actions', async ({ page }) => {
  // Something to see: a visit written for Grace Njeri (P-000001) by the doctor.
  const doctor = await apiSession('doctor');
  const found = await callOk<{ id: string; mrn: string }[]>(doctor, 'patients.search', { query: 'P-000001' });
  const grace = found.find((patient) => patient.mrn === 'P-000001')?.id as string;
  const samuel = (await callOk<{ id: string; mrn: string }[]>(doctor, 'patients.search', { query: 'P-000002' }))[0]?.id as string;
  await callOk(doctor, 'encounters.create', {
    patientId: grace,
    encounter: {
      complaint: 'Sore throat for two days',
      findings: 'Inflamed tonsils, no exudate',
      diagnoses: [{ text: 'Viral pharyngitis', icd10: 'J02.9' }],
      plan: 'Fluids, paracetamol; return if worse',
    },
  });
  await doctor.dispose();

  await signIn(page, 'patient');
  const me = await callOk<{ patientId: string }>(page.request, 'auth.me');
  expect(me.patientId).toBe(grace);
  await openChart(page, grace);
  await expect(page.getByTestId('chart-allergies')).toContainText('Penicillin');
  await expect(timelineEntries(page).filter({ hasText: 'Visit: Viral pharyngitis' })).toHaveCount(1);
  for (const action of ['New encounter', 'Record vitals', 'Order tests', 'Prescribe']) {
    await expect(page.getByRole('button', { name: action })).toHaveCount(0);
  }
  // Their whole record as a spreadsheet file.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export record (CSV)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^record-P-000001.*\.csv$/);
  expect(await readFile((await download.path()) as string, 'utf8')).toContain('Visit: Viral pharyngitis');

  // Reading the visit offers no amendment.
  await timelineEntries(page).filter({ hasText: 'Visit: Viral pharyngitis' }).getByRole('button').click();
  const visit = page.getByRole('dialog', { name: /^Visit/ });
  await expect(visit.getByText('J02.9', { exact: true })).toBeVisible();
  await expect(visit.getByRole('button', { name: 'Amend' })).toHaveCount(0);
  await page.keyboard.press('Escape');

  // Nobody else's chart, and no worklist.
  const refused = await page.request.post('/api/records.timeline', { data: { patientId: samuel }, headers: { Origin: 'http://127.0.0.1:5495' } });
  expect(((await refused.json()) as { ok: boolean; error: { code: string } }).error.code).toBe('FORBIDDEN');
  await page.goto('/#/worklist');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Worklist' })).toHaveCount(0);
});
