import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readKeyFile, unwrapWithSecret } from '../core/db/keyfile.js';
import { openEncrypted } from '../core/db/open.js';
import { DB_FILE, KEY_FILE } from '../core/store.js';
import { cleanupTempDirs, demoDataCopy, hashFiles, TEST_PASSPHRASE } from '../testing/harness.js';

afterAll(cleanupTempDirs);

const ROOT = resolve(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = join(ROOT, 'src-main', 'cli', 'verify-audit.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((done, reject) => {
    const { ASCLEPIA_PASSPHRASE: _ignored, ASCLEPIA_DATA_DIR: _ignoredDir, ...inherited } = process.env;
    const child = spawn(TSX, [CLI, ...args], { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Opens the closed copy with its real key, as someone with the passphrase and a SQLite shell could; returns the log's rows after. */
async function tamper(dataDir: string, statements: string): Promise<{ seq: number; id: string }[]> {
  const key = await unwrapWithSecret(readKeyFile(join(dataDir, KEY_FILE)), 'passphrase', TEST_PASSPHRASE);
  const sqlite = openEncrypted({ path: join(dataDir, DB_FILE), key, create: false });
  try {
    sqlite.exec(statements);
    return sqlite.prepare('SELECT seq, id FROM audit_log ORDER BY seq').all() as { seq: number; id: string }[];
  } finally {
    sqlite.close();
  }
}

describe('verify-audit', () => {
  it('exits 0 and says intact for an untouched clinic', async () => {
    const { dataDir } = await demoDataCopy();
    const entries = (await tamper(dataDir, '')).length;
    expect(entries).toBeGreaterThan(0);
    const run = await runCli(['--data-dir', dataDir], { ASCLEPIA_PASSPHRASE: TEST_PASSPHRASE });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`The audit log is intact: ${entries} entries checked.`);
    expect(run.code).toBe(0);
  });

  it('exits 1 naming the entry whose content was changed', async () => {
    const { dataDir } = await demoDataCopy();
    const rows = await tamper(dataDir, `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET details = '{"role":"Nobody"}' WHERE seq = 3;`);
    const third = rows.find((row) => row.seq === 3);
    const run = await runCli(['--data-dir', dataDir], { ASCLEPIA_PASSPHRASE: TEST_PASSPHRASE });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('altered at entry #3');
    expect(run.stdout).toContain(`id ${third?.id}`);
    expect(run.stdout).toContain('its content was changed after it was written');
    expect(run.stdout).toContain('2 entries before it are intact');
  });

  it('exits 1 naming the entry after a removed one', async () => {
    const { dataDir } = await demoDataCopy();
    await tamper(dataDir, 'DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2;');
    const run = await runCli(['--data-dir', dataDir], { ASCLEPIA_PASSPHRASE: TEST_PASSPHRASE });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('altered at entry #3');
    expect(run.stdout).toContain('row 2 is missing');
  });

  it('refuses a wrong passphrase and a missing one, without claiming anything about the log', async () => {
    const { dataDir } = await demoDataCopy();
    const files = hashFiles(dataDir);
    const wrong = await runCli(['--data-dir', dataDir], { ASCLEPIA_PASSPHRASE: 'not the passphrase' });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).not.toMatch(/intact|altered/);
    expect(wrong.stderr).toMatch(/passphrase is not correct/);
    expect(hashFiles(dataDir)).toEqual(files);
    const missing = await runCli(['--data-dir', dataDir], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs the database passphrase/);
  });
});
