import { expect, test } from '@playwright/test';
import { apiSession, callOk, idOf, nairobi, signIn, TODAY } from './helpers.js';

test('the front desk books on the grid by keyboard; a second desk’s booking of the same slot is refused; then reschedules and checks in', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  await signIn(page, 'frontdesk');
  await page.getByRole('link', { name: 'Appointments', exact: true }).click();
  const grid = page.getByRole('grid');
  await expect(grid).toBeVisible();

  // Keyboard: focus 10:00, step down and back up with the arrows, Enter books.
  await grid.getByRole('gridcell', { name: /^Dr\. Daniel Mwangi, 10:00, free/ }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(grid.getByRole('gridcell', { name: /^Dr\. Daniel Mwangi, 10:15, free/ })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  const booking = page.getByRole('dialog', { name: /Book Dr\. Daniel Mwangi/ });
  await expect(booking).toBeVisible();
  await booking.getByRole('button', { name: 'Book', exact: true }).click();
  await expect(booking.getByText(/Choose the patient|Choose a patient/).first()).toBeVisible();
  await booking.getByLabel('Patient').fill('Samuel');
  await expect(page.getByRole('option').first()).toBeVisible();
  await page.keyboard.press('Enter');
  await booking.getByLabel('Reason').fill('Blood pressure review');
  await booking.getByRole('button', { name: 'Book', exact: true }).click();
  await expect(booking).toBeHidden();
  const samuel = grid.getByRole('gridcell', { name: /^Dr\. Daniel Mwangi, 10:00–10:15, Samuel Otieno, .*Booked/ });
  await expect(samuel).toBeVisible();

  // Two desks race for 10:30: the second desk's dialog is open when the first one books it.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, 'frontdesk');
  await otherPage.getByRole('link', { name: 'Appointments', exact: true }).click();
  await otherPage
    .getByRole('grid')
    .getByRole('gridcell', { name: /^Dr\. Daniel Mwangi, 10:30, free/ })
    .click();
  const late = otherPage.getByRole('dialog', { name: /Book Dr\. Daniel Mwangi/ });
  await late.getByLabel('Patient').fill('Halima');
  await expect(otherPage.getByRole('option').first()).toBeVisible();
  await otherPage.keyboard.press('Enter');
  await late.getByLabel('Reason').fill('Diabetes review');

  await grid.getByRole('gridcell', { name: /^Dr\. Daniel Mwangi, 10:30, free/ }).click();
  await booking.getByLabel('Patient').fill('Brian');
  await expect(page.getByRole('option').first()).toBeVisible();
  await page.keyboard.press('Enter');
  await booking.getByLabel('Reason').fill('Sports injury');
  await booking.getByRole('button', { name: 'Book', exact: true }).click();
  await expect(booking).toBeHidden();

  await late.getByRole('button', { name: 'Book', exact: true }).click();
  await expect(late.getByText('This slot is no longer free')).toBeVisible();
  await expect(late.getByText('Dr. Daniel Mwangi already has an appointment from 10:30 to 10:45. Choose another time.')).toBeVisible();
  await other.close();

  // Reschedule Samuel to 11:00, with the old time kept in the history.
  await samuel.click();
  const detail = page.getByTestId('appointment-detail');
  await expect(detail).toBeVisible();
  await page.getByRole('button', { name: 'Reschedule' }).click();
  await page.getByRole('combobox', { name: 'Free time' }).click();
  await page.getByRole('option', { name: '11:00' }).click();
  await page.getByLabel('Reason for the change').fill('Patient asked for later');
  await page.getByRole('button', { name: 'Move appointment' }).click();
  await expect(detail.getByText('11:00–11:15')).toBeVisible();
  await expect(detail.getByText('Rescheduled')).toBeVisible();
  await expect(detail.getByText(/Was Monday 2 Mar 2026 at 10:00/)).toBeVisible();

  // The patient arrives.
  await page.getByRole('button', { name: 'Check in' }).click();
  await expect(detail.getByText('Checked in').first()).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(grid.getByRole('gridcell', { name: /^Dr\. Daniel Mwangi, 11:00–11:15, Samuel Otieno, .*Checked in/ })).toBeVisible();

  // What the server holds agrees with the screen.
  const api = await apiSession('frontdesk');
  const list = await callOk<{ patient: { name: string }; startAt: string; status: string }[]>(api, 'appointments.list', {
    filter: { from: TODAY, to: TODAY, doctorId: await idOf(api, 'doctor', 'Mwangi') },
  });
  expect(list.map((entry) => [entry.patient.name, entry.startAt, entry.status])).toEqual([
    ['Brian Mutua', nairobi(TODAY, '10:30'), 'booked'],
    ['Samuel Otieno', nairobi(TODAY, '11:00'), 'checked_in'],
  ]);
  await api.dispose();
});
