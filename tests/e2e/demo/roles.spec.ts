import { expect, test } from '@playwright/test';

/** Each demo user signs in and lands on the home of their own role. */
const HOMES = [
  { username: 'admin', heading: 'Administration', role: 'Administrator' },
  { username: 'frontdesk', heading: 'Front desk', role: 'Front desk' },
  { username: 'doctor', heading: 'Doctor', role: 'Doctor' },
  { username: 'nurse', heading: 'Nurse station', role: 'Nurse' },
  { username: 'pharmacist', heading: 'Pharmacy', role: 'Pharmacist' },
  { username: 'patient', heading: 'My health record', role: 'Patient' },
] as const;

for (const home of HOMES) {
  test(`${home.username} signs in and lands on the ${home.heading} home`, async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Username').fill(home.username);
    await page.getByLabel('Password').fill('asclepia-demo');
    await page.getByLabel('Password').press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: home.heading })).toBeVisible();
    await expect(page.getByText(home.role, { exact: true }).first()).toBeVisible();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  });
}

test('a wrong password is refused with a plain sentence and no hint which part was wrong', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('That username and password do not match an active account.');
});

test('only the administrator sees clinic settings, and can change them by keyboard', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Username').fill('nurse');
  await page.getByLabel('Password').fill('asclepia-demo');
  await page.getByLabel('Password').press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Nurse station' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Clinic settings' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign out' }).click();

  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('asclepia-demo');
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('link', { name: 'Clinic settings' }).click();
  const name = page.getByLabel('Clinic name');
  await expect(name).toHaveValue('Asclepia Demo Clinic');
  await name.fill('Riverside Community Clinic');
  await name.press('Enter');
  await expect(page.getByText('Riverside Community Clinic').first()).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Clinic name')).toHaveValue('Riverside Community Clinic');
});
