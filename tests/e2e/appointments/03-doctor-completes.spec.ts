import { expect, test } from '@playwright/test';
import { apiSession, callOk, idOf, nairobi, signIn, TODAY } from './helpers.js';

test('the doctor sees today’s queue, writes the visit for a checked-in patient and completes the appointment', async ({ page }) => {
  test.setTimeout(90_000);
  const desk = await apiSession('frontdesk');
  const booked = await callOk<{ id: string; version: number }>(desk, 'appointments.book', {
    patientId: await idOf(desk, 'patient', 'Joseph Kamau'),
    doctorId: await idOf(desk, 'doctor', 'Mwangi'),
    startAt: nairobi(TODAY, '11:30'),
    reason: 'Knee pain',
    notes: '',
  });
  await callOk(desk, 'appointments.checkIn', { id: booked.id, version: booked.version });
  await desk.dispose();

  await signIn(page, 'doctor');
  await page.getByRole('link', { name: 'Today’s queue' }).click();
  const queue = page.getByRole('table', { name: 'Today’s appointments' });
  const row = queue.getByRole('row').filter({ hasText: 'Joseph Kamau' });
  await expect(row).toContainText('11:30–11:45');
  await expect(row).toContainText('Checked in');

  // Completing before the visit is written is refused with a way forward.
  await page.getByRole('button', { name: 'Complete: Joseph Kamau' }).click();
  await expect(page.getByText(/Write the visit for this appointment first/)).toBeVisible();

  await page.getByRole('link', { name: 'Write visit: Joseph Kamau' }).click();
  const visit = page.getByRole('dialog', { name: 'Visit for this appointment' });
  await expect(visit).toBeVisible();
  await visit.getByLabel('Presenting complaint').fill('Right knee pain on climbing stairs for a month');
  await visit.getByLabel('Findings').fill('Crepitus, no effusion, full range of movement');
  await visit.getByLabel('Diagnosis 1', { exact: true }).fill('Osteoarthritis of the knee');
  await visit.getByLabel('ICD-10 code 1', { exact: true }).fill('M17');
  await visit.getByLabel('Plan').fill('Paracetamol, quadriceps exercises, review in six weeks');
  await visit.getByRole('button', { name: 'Save encounter' }).click();
  await expect(visit).toBeHidden();

  await page.getByRole('link', { name: 'Today’s queue' }).click();
  await page.getByRole('button', { name: 'Complete: Joseph Kamau' }).click();
  await expect(queue.getByRole('row').filter({ hasText: 'Joseph Kamau' })).toContainText('Completed');
});
