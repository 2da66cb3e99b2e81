import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeTempDir, REPO_MIGRATIONS_DIR, TEST_PASSPHRASE } from '../../testing/harness.js';
import { systemClock } from '../clock.js';
import { KEY_FILE, Store } from '../store.js';
import { readKeyFile, unwrapWithSecret } from './keyfile.js';
import { openEncrypted } from './open.js';

/**
 * Kill -9 in the middle of commits: every transaction whose commit returned must be there after
 * the restart, and the database must pass its integrity check. Two data folders run side by side
 * to halve the wall time; each is killed and reopened ROUNDS times.
 */
const LANES = 2;
const ROUNDS = 11;
const MAX_DELAY_MS = 250;
const CHILD = fileURLToPath(new URL('../../testing/crash-child.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

afterAll(cleanupTempDirs);

interface Round {
  acked: string[];
  delayMs: number;
  output: string;
}

/** Starts the child, waits until it has the store open, lets it commit for delayMs, then SIGKILLs it. */
function runAndKill(dataDir: string, round: string, delayMs: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        CRASH_DATA_DIR: dataDir,
        CRASH_PASSPHRASE: TEST_PASSPHRASE,
        CRASH_MIGRATIONS_DIR: REPO_MIGRATIONS_DIR,
        CRASH_ROUND: round,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      if (timer === undefined && output.startsWith('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr?.on('data', (chunk: string) => {
      errors += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`round ${round}: the child exited by itself (code ${code}, signal ${signal}): ${errors || output}`));
        return;
      }
      // Only whole lines count: a line is printed after its commit returned.
      const lines = output.split('\n');
      lines.pop();
      resolve({ acked: lines.filter((line) => line !== 'ready'), delayMs, output });
    });
  });
}

async function lane(lane: number): Promise<{ rounds: number; acked: number }> {
  const dataDir = makeTempDir(`asclepia-crash-${lane}`);
  const store = new Store({ dataDir, protection: { kind: 'passphrase', passphrase: TEST_PASSPHRASE }, migrationsDir: REPO_MIGRATIONS_DIR, clock: systemClock });
  await store.create(async () => {});
  store.close();
  const key = await unwrapWithSecret(readKeyFile(join(dataDir, KEY_FILE)), 'passphrase', TEST_PASSPHRASE);
  const allAcked = new Set<string>();
  for (let round = 0; round < ROUNDS; round++) {
    // A few kills land right after start-up, the rest anywhere in the first quarter second.
    const delayMs = round % 4 === 0 ? Math.floor(Math.random() * 5) : Math.floor(Math.random() * MAX_DELAY_MS);
    const { acked } = await runAndKill(dataDir, `${lane}.${round}`, delayMs);
    for (const id of acked) allAcked.add(id);

    const sqlite = openEncrypted({ path: join(dataDir, 'asclepia.db'), key, create: false });
    try {
      expect(sqlite.pragma('integrity_check', { simple: true }), `lane ${lane} round ${round} (killed after ${delayMs} ms)`).toBe('ok');
      expect(sqlite.pragma('foreign_key_check')).toEqual([]);
      const settingsIds = new Set(sqlite.prepare(`SELECT id FROM settings WHERE key LIKE 'crash.%'`).pluck().all() as string[]);
      const auditIds = new Set(sqlite.prepare(`SELECT entity_id FROM audit_log WHERE procedure = 'crash.commit'`).pluck().all() as string[]);
      const lost = [...allAcked].filter((id) => !settingsIds.has(id) || !auditIds.has(id));
      expect(lost, `lane ${lane} round ${round}: acknowledged commits missing after kill at ${delayMs} ms`).toEqual([]);
      // Each transaction wrote two rows: both or neither survive.
      expect([...settingsIds].sort()).toEqual([...auditIds].sort());
      // At most one transaction of this round can have committed without being printed: the one in flight.
      const thisRound = [...settingsIds].filter((id) => id.startsWith(`r${lane}.${round}-`) && !allAcked.has(id));
      expect(thisRound.length, `lane ${lane} round ${round}: committed but never acknowledged`).toBeLessThanOrEqual(1);
    } finally {
      sqlite.close();
    }
  }
  return { rounds: ROUNDS, acked: allAcked.size };
}

describe('crash safety', () => {
  it(`keeps every acknowledged commit through ${LANES * ROUNDS} SIGKILLs`, async () => {
    const results = await Promise.all(Array.from({ length: LANES }, (_, index) => lane(index)));
    // The kills must have interrupted real work, not only start-up.
    expect(results.reduce((sum, result) => sum + result.acked, 0)).toBeGreaterThan(50);
  }, 120_000);
});
