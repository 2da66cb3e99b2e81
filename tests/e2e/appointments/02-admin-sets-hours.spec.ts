import { expect, test } from '@playwright/test';
import { signIn } from './helpers.js';

test('the administrator gives a doctor Saturday hours, and the board then offers them', async ({ page }) => {
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
});
