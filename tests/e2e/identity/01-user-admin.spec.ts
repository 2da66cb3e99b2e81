import { expect, test } from '@playwright/test';
import { signIn, signOut, uniqueUsername } from './helpers.js';

/**
 * The administrator creates a user and later resets the password; neither temporary password is
 * the user's final one: at sign-in the user must choose their own, and a common one is refused.
 */
test('admin creates a user and resets the password; the user must choose a new one', async ({ page, browser }) => {
  const username = uniqueUsername('amani');
  await page.goto('/');
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();

  // Create: the temporary password is shown once, with the instruction to hand it over.
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.getByLabel('Username').fill(username);
  await dialog.getByLabel('Display name').fill('Amani Otieno');
  await dialog.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'Nurse' }).click();
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog.getByText('must choose their own password')).toBeVisible();
  const firstTemporary = (await dialog.getByTestId('temporary-password').textContent())?.trim() ?? '';
  expect(firstTemporary).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  await expect(dialog.getByRole('button', { name: 'Copy temporary password' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();

  // Typing in the search box filters the list as you type.
  await page.getByLabel('Search users').fill(username);
  const row = page.getByRole('row').filter({ hasText: username });
  await expect(row).toHaveCount(1);
  await expect(page.getByRole('row').filter({ hasText: 'Amina Okafor' })).toHaveCount(0);
  await expect(row.getByText('Must change password')).toBeVisible();
  await expect(row.getByText('Nurse')).toBeVisible();

  // Reset: a second temporary password replaces the first.
  await page.getByRole('button', { name: `Actions for ${username}` }).click();
  await page.getByRole('menuitem', { name: 'Reset password' }).click();
  const reset = page.getByRole('dialog', { name: /Reset the password of Amani Otieno/ });
  await reset.getByRole('button', { name: 'Reset password' }).click();
  const secondTemporary = (await reset.getByTestId('temporary-password').textContent())?.trim() ?? '';
  expect(secondTemporary).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  expect(secondTemporary).not.toBe(firstTemporary);
  await reset.getByRole('button', { name: 'Done' }).click();
  await signOut(page);

  // The first temporary password no longer works.
  await signIn(page, username, firstTemporary);
  await expect(page.getByRole('alert')).toContainText('That username and password do not match an active account.');

  // The second one opens only the forced password change.
  await signIn(page, username, secondTemporary);
  await expect(page.getByRole('heading', { level: 1, name: 'Choose a new password' })).toBeVisible();
  await page.getByLabel('Current password').fill(secondTemporary);
  await page.getByLabel('New password').fill('password1234');
  await page.getByLabel('Confirm password').fill('password1234');
  await page.getByRole('button', { name: 'Save new password' }).click();
  await expect(page.getByText('one of the most commonly used').first()).toBeVisible();

  await page.getByLabel('New password').fill('kettle harbour violet 42');
  await page.getByLabel('Confirm password').fill('kettle harbour violet 42');
  await page.getByRole('button', { name: 'Save new password' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nurse station' })).toBeVisible();
  await signOut(page);

  // From now on only the password the user chose works. The user stays signed in at another desk...
  const desk = await browser.newContext();
  const userPage = await desk.newPage();
  await userPage.goto('/');
  await signIn(userPage, username, 'kettle harbour violet 42');
  await expect(userPage.getByRole('heading', { level: 1, name: 'Nurse station' })).toBeVisible();

  // ...while the administrator changes their role, then deactivates them.
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByLabel('Search users').fill(username);
  await page.getByRole('button', { name: `Actions for ${username}` }).click();
  await page.getByRole('menuitem', { name: 'Change role' }).click();
  const roleDialog = page.getByRole('dialog', { name: 'Change role of Amani Otieno' });
  await roleDialog.getByRole('combobox', { name: 'New role' }).click();
  await page.getByRole('option', { name: 'Front desk' }).click();
  await roleDialog.getByRole('button', { name: 'Change role' }).click();
  await expect(roleDialog).toBeHidden();
  await expect(row.getByText('Front desk')).toBeVisible();
  await expect(row.getByText('Must change password')).toHaveCount(0);

  await page.getByRole('button', { name: `Actions for ${username}` }).click();
  await page.getByRole('menuitem', { name: 'Deactivate' }).click();
  const deactivate = page.getByRole('dialog', { name: 'Deactivate Amani Otieno?' });
  await expect(deactivate).toContainText('signed out everywhere');
  await deactivate.getByRole('button', { name: 'Deactivate' }).click();
  await expect(deactivate).toBeHidden();
  // Gone from the active list; shown as inactive under "Inactive".
  await expect(page.getByRole('row').filter({ hasText: username })).toHaveCount(0);
  await page.getByRole('radio', { name: 'Active', exact: true }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radio', { name: 'Inactive' })).toBeChecked();
  await expect(page.getByRole('row').filter({ hasText: username }).getByText('Inactive')).toBeVisible();

  // The other desk's session ended at once: its open screen hears of it and shows the sign-in screen.
  await expect(userPage.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(userPage.getByRole('status')).toContainText('Your session has ended');
  await signIn(userPage, username, 'kettle harbour violet 42');
  await expect(userPage.getByRole('alert')).toContainText('That username and password do not match an active account.');
  await desk.close();
  await signOut(page);
});
