import { expect, test } from '@playwright/test';
import { apiSession, callOk, idOf, nairobi, signIn } from './helpers.js';

test('the administrator gives a doctor Saturday hours, the board then offers them, and a shorter Saturday asks before leaving a booking outside', async ({
  page,
}) => {
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Schedules', exact: true }).click();
  await page.getByRole('combobox', { name: 'Doctor' }).click();
  await page.getByRole('option', { name: /Dr\. Sara Kimani/ }).click();
  const hours = page.getByRole('table', { name: 'Working hours by weekday' });
  await expect(hours.getByRole('group', { name: 'Monday block 1' })).toBeVisible();
  await expect(hours.getByRole('group', { name: 'Saturday block 1' })).toHaveCount(0);

  // A block that ends before it starts is refused in words, next to the block.
  await page.getByRole('button', { name: 'Add a block on Saturday' }).click();
  await page.getByLabel('Saturday block 1 from').fill('12:00');
  await page.getByLabel('Saturday block 1 to').fill('09:00');
  await page.getByRole('button', { name: 'Save hours' }).click();
  await expect(hours.getByRole('group', { name: 'Saturday block 1' }).getByText(/end after it starts|after the start/i)).toBeVisible();
  await page.getByLabel('Saturday block 1 from').fill('09:00');
  await page.getByLabel('Saturday block 1 to').fill('12:00');
  await page.getByRole('button', { name: 'Save hours' }).click();
  await expect(page.getByText('Working hours saved')).toBeVisible();

  // Saturday 7 March on the board: Dr. Kimani's column now has free slots from 09:00.
  await page.getByRole('link', { name: 'Appointments', exact: true }).click();
  await page.getByLabel('Go to a day').fill('2026-03-07');
  const grid = page.getByRole('grid');
  await expect(grid.getByRole('gridcell', { name: /^Dr\. Sara Kimani, 09:00, free/ })).toBeVisible();
  await expect(grid.getByRole('gridcell', { name: /^Dr\. Sara Kimani, 11:40, free/ })).toBeVisible();
  // The administrator reads the board but does not book on it.
  await expect(grid.getByRole('gridcell', { name: /^Dr\. Sara Kimani, 09:00, free, press Enter to book/ })).toHaveCount(0);

  // The front desk books Saturday 11:40; a shorter Saturday would leave it outside the hours.
  const desk = await apiSession('frontdesk');
  await callOk(desk, 'appointments.book', {
    patientId: await idOf(desk, 'patient', 'Grace Njeri'),
    doctorId: await idOf(desk, 'doctor', 'Kimani'),
    startAt: nairobi('2026-03-07', '11:40'),
    reason: 'Review',
    notes: '',
  });
  await page.getByRole('link', { name: 'Schedules', exact: true }).click();
  await page.getByRole('combobox', { name: 'Doctor' }).click();
  await page.getByRole('option', { name: /Dr\. Sara Kimani/ }).click();
  await page.getByLabel('Saturday block 1 to').fill('11:00');
  await page.getByRole('button', { name: 'Save hours' }).click();
  const warning = page.getByRole('alert').filter({ hasText: 'Booked appointments fall outside these hours' });
  await expect(warning).toContainText('1 booked appointment falls outside Dr. Sara Kimani’s new hours (Sat 7 Mar 2026 11:40, Grace Njeri)');
  // Nothing is saved until it is confirmed.
  await expect(page.getByRole('button', { name: 'Save hours', exact: true })).toBeDisabled();
  // The question takes the focus, so Enter confirms it.
  await expect(warning.getByRole('button', { name: 'Save hours anyway' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Move the appointments left outside from the day board.')).toBeVisible();
  await expect(warning).toHaveCount(0);
  const saturday = await callOk<{ hours: { weekday: number; start: string; end: string }[] }>(desk, 'schedules.get', {
    doctorId: await idOf(desk, 'doctor', 'Kimani'),
  });
  expect(saturday.hours.filter((block) => block.weekday === 6)).toEqual([{ weekday: 6, start: '09:00', end: '11:00' }]);
  // The booking is still there, on the board, for the front desk to move.
  await page.getByRole('link', { name: 'Appointments', exact: true }).click();
  await page.getByLabel('Go to a day').fill('2026-03-07');
  await expect(page.getByRole('grid').getByRole('gridcell', { name: /^Dr\. Sara Kimani, 11:40.*Grace Njeri/ })).toBeVisible();
});
