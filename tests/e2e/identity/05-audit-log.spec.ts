import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, type Page, test } from '@playwright/test';
import { e2eDataDir } from '../../../playwright.config.js';
import { readKeyFile, unwrapWithSecret } from '../../../src-main/core/db/keyfile.js';
import { openEncrypted } from '../../../src-main/core/db/open.js';
import { apiSession, callApi, callOk, signIn, uniqueUsername } from './helpers.js';

/** This project's host (see playwright.config.ts) and the passphrase of the demo clinic. */
const DATA_DIR = e2eDataDir(5493);
const PASSPHRASE = 'asclepia-demo';

/** Runs the real command-line check against the host's database, as an administrator would. */
async function verifyAuditCli(): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node_modules/.bin/tsx', ['src-main/cli/verify-audit.ts', '--data-dir', DATA_DIR], {
      env: { ...process.env, ASCLEPIA_PASSPHRASE: PASSPHRASE },
      timeout: 60_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/**
 * What an attacker with the key could do: remove the guard that forbids updates to audit rows,
 * change one row, and put the guard back so nothing looks amiss.
 */
async function tamperWithAuditRow(seq: number): Promise<void> {
  const key = await unwrapWithSecret(readKeyFile(join(DATA_DIR, 'asclepia.key')), 'passphrase', PASSPHRASE);
  const db = openEncrypted({ path: join(DATA_DIR, 'asclepia.db'), key, create: false });
  try {
    const trigger = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_log_no_update'").get() as { sql: string } | undefined;
    expect(trigger?.sql).toBeTruthy();
    db.exec('DROP TRIGGER audit_log_no_update');
    const changed = db.prepare(`UPDATE audit_log SET details = '{"tampered":true}' WHERE seq = ?`).run(seq);
    expect(changed.changes).toBe(1);
    db.exec(trigger?.sql ?? '');
  } finally {
    db.close();
  }
}

async function filterByAction(page: Page, action: string): Promise<void> {
  const field = page.getByRole('combobox', { name: 'Action' });
  await field.fill(action);
  await field.press('Escape');
}

test('the audit viewer shows the journey, checks the chain, exports CSV, and finds a tampered entry', async ({ page }) => {
  test.setTimeout(120_000);
  // The journey to find: a user created, their password reset, a failed sign-in to their account.
  const username = uniqueUsername('audited');
  const admin = await apiSession('admin');
  const roles = await callOk<{ id: string; name: string }[]>(admin, 'roles.list');
  const created = await callOk<{ user: { id: string; version: number } }>(admin, 'users.create', {
    username,
    displayName: 'Audrey Audited',
    roleId: roles.find((role) => role.name === 'nurse')?.id,
  });
  await callOk(admin, 'users.resetPassword', { id: created.user.id, version: created.user.version });
  await admin.dispose();
  const stranger = await apiSession();
  const refused = await callApi(stranger, 'auth.signIn', { username, password: 'a guess that is wrong' });
  expect(refused.ok).toBe(false);
  await stranger.dispose();

  await page.goto('/');
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  const entries = page.getByRole('table', { name: 'Audit log entries' });
  const rowsAbout = () => entries.getByRole('row').filter({ hasText: `user ${username}` });

  await filterByAction(page, 'users.create');
  await expect(rowsAbout()).toHaveCount(1);
  await expect(rowsAbout().first()).toContainText('admin');
  await expect(rowsAbout().first()).toContainText('role: Nurse');

  await filterByAction(page, 'users.resetPassword');
  await expect(rowsAbout()).toHaveCount(1);
  const resetRow = rowsAbout().first();
  await expect(resetRow).toContainText('OK');
  const resetSeq = Number(((await resetRow.getByRole('cell').first().textContent()) ?? '').replace('#', ''));
  expect(resetSeq).toBeGreaterThan(0);

  await filterByAction(page, 'auth.signIn');
  await page.getByRole('combobox', { name: 'Outcome' }).click();
  await page.getByRole('option', { name: 'Denied' }).click();
  await expect(rowsAbout()).toHaveCount(1);
  await expect(rowsAbout().first()).toContainText('Denied');

  // Export what the filters show.
  const downloadStarted = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloadStarted;
  expect(download.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  expect(csv.startsWith('\uFEFF')).toBe(true);
  expect(csv).toContain('auth.signIn');
  expect(csv).toContain('denied');
  expect(csv).not.toContain('users.resetPassword');

  // The chain is intact, in the app and from the command line.
  await page.getByRole('button', { name: 'Check integrity' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The audit log is intact' })).toContainText(/The audit log is intact \(\d+ entries checked\)/);
  const before = await verifyAuditCli();
  expect(before.output).toContain('The audit log is intact');
  expect(before.code).toBe(0);

  // Someone with the key rewrites the password-reset entry.
  await tamperWithAuditRow(resetSeq);

  await page.getByRole('button', { name: 'Check integrity' }).click();
  const verdict = page.getByRole('alert').filter({ hasText: 'The audit log was altered' });
  await expect(verdict).toContainText(`The audit log was altered at entry #${resetSeq} (`);
  const after = await verifyAuditCli();
  expect(after.output).toContain(`altered at entry #${resetSeq}`);
  expect(after.code).toBe(1);
});
