import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import type { ErrorBody, ErrorCode } from '../../src-shared/errors.js';
import type { RoleName } from '../../src-shared/permissions.js';
import { DEMO_PASSWORD, DEMO_USERNAMES, seedDemoClinic } from '../cli/demo-data.js';
import { type Core, createCore } from '../core/app.js';
import type { Clock } from '../core/clock.js';
import { REPO_MIGRATIONS_DIR } from '../core/paths.js';
import type { CallerContext, CallResult } from '../core/router.js';
import type { KeyProtection } from '../core/store.js';

/**
 * The test harness: real cores on real encrypted databases in temp folders. Nothing here is a
 * mock; it only saves time (one seeded database per test process, copied for each test) and
 * typing (sign in as a role, read the envelope).
 */

export const TEST_PASSPHRASE = 'test passphrase, not a secret';
export const WORKSTATION = 'test-workstation';
/** A Monday morning; the fake clocks start here unless a test says otherwise. */
export const TEST_START = '2026-03-02T08:00:00.000Z';

export const signedOut: CallerContext = { sessionToken: null, workstation: WORKSTATION };

export function passphraseProtection(passphrase = TEST_PASSPHRASE): KeyProtection {
  return { kind: 'passphrase', passphrase };
}

/** A clock that moves only when the test moves it. */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: string | Date = TEST_START) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  iso(): string {
    return this.now().toISOString();
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(instant: string | Date): void {
    this.current = new Date(instant).getTime();
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

// ---------------------------------------------------------------------------------------------
// Temp folders

const tempDirs = new Set<string>();
let exitHookInstalled = false;

/** A fresh folder under the OS temp folder, removed by cleanupTempDirs() or when the process exits. */
export function makeTempDir(label = 'asclepia-test'): string {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', cleanupTempDirs);
  }
  const dir = mkdtempSync(join(tmpdir(), `${label}-`));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

export function cleanupTempDirs(): void {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
  template = null;
}

// ---------------------------------------------------------------------------------------------
// Files in a data folder

/** Every file under dir (relative paths, sorted). */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

/** Relative path -> SHA-256 of the content, for "byte-for-byte unchanged" checks. */
export function hashFiles(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir).map((file) => [
      file,
      createHash('sha256')
        .update(readFileSync(join(dir, file)))
        .digest('hex'),
    ]),
  );
}

/** The files under dir that begin like an unencrypted SQLite database. */
export function filesWithPlaintextHeader(dir: string): string[] {
  const header = Buffer.from('SQLite format 3');
  return listFiles(dir).filter((file) => readFileSync(join(dir, file)).subarray(0, header.length).equals(header));
}

/** The files under dir whose bytes contain the text, in UTF-8 or UTF-16 (either byte order). */
export function filesContaining(dir: string, text: string): string[] {
  const needles = [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le'), Buffer.from(text, 'utf16le').swap16()];
  return listFiles(dir).filter((file) => {
    const content = readFileSync(join(dir, file));
    return needles.some((needle) => content.includes(needle));
  });
}

// ---------------------------------------------------------------------------------------------
// Database contents

export type TableSnapshot = Record<string, string[]>;

/** Every row of every table in sqlite_master, as sorted JSON lines per table. */
export function snapshotTables(sqlite: Database.Database): TableSnapshot {
  const tables = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[];
  const snapshot: TableSnapshot = {};
  for (const table of tables) {
    const rows = sqlite.prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"`).all();
    snapshot[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return snapshot;
}

/** The schema as SQLite stores it, for comparing two databases' structure. */
export function schemaOf(sqlite: Database.Database): Array<{ type: string; name: string; tbl_name: string; sql: string | null }> {
  return sqlite.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all() as Array<{
    type: string;
    name: string;
    tbl_name: string;
    sql: string | null;
  }>;
}

// ---------------------------------------------------------------------------------------------
// Envelopes

export function expectOk(result: CallResult): unknown {
  if (!result.envelope.ok) throw new Error(`expected ok, got ${result.envelope.error.code}: ${result.envelope.error.message}`);
  return result.envelope.value;
}

export function errorOf(result: CallResult): ErrorBody {
  if (result.envelope.ok) throw new Error(`expected an error, got ok: ${JSON.stringify(result.envelope.value)}`);
  return result.envelope.error;
}

export function codeOf(result: CallResult): ErrorCode | 'OK' {
  return result.envelope.ok ? 'OK' : result.envelope.error.code;
}

// ---------------------------------------------------------------------------------------------
// The demo clinic

interface Template {
  dir: string;
  recoveryKey: string;
}

let template: Promise<Template> | null = null;

/** Seeds the demo clinic once per test process and closes it, so each test can copy the folder. */
function demoTemplate(): Promise<Template> {
  template ??= (async () => {
    const dir = makeTempDir('asclepia-template');
    const clock = new FakeClock(TEST_START);
    const core = await createCore({ dataDir: dir, protection: passphraseProtection(), migrationsDir: REPO_MIGRATIONS_DIR, clock });
    try {
      const { recoveryKey } = await core.store.create(seedDemoClinic(clock.iso(), WORKSTATION));
      core.store.checkpoint();
      return { dir, recoveryKey };
    } finally {
      core.close();
    }
  })();
  return template;
}

export interface DemoClinic {
  core: Core;
  dataDir: string;
  clock: FakeClock;
  /** The recovery key printed when the demo clinic was created. */
  recoveryKey: string;
  call(name: string, input: unknown, caller?: CallerContext): Promise<CallResult>;
  /** Signs the role's demo user in and returns a caller holding the new session token. */
  signInAs(role: RoleName, workstation?: string): Promise<CallerContext>;
  dispose(): void;
}

export interface DemoClinicOptions {
  clock?: FakeClock;
  protection?: KeyProtection;
}

/** A copy of the seeded demo clinic in a folder of its own. Open unless protection is 'ask'. */
export async function openDemoClinic(options: DemoClinicOptions = {}): Promise<DemoClinic> {
  const { dir: templateDir, recoveryKey } = await demoTemplate();
  const dataDir = copyDemoData(templateDir);
  const clock = options.clock ?? new FakeClock(TEST_START);
  const core = await createCore({ dataDir, protection: options.protection ?? passphraseProtection(), migrationsDir: REPO_MIGRATIONS_DIR, clock });
  const call = (name: string, input: unknown, caller: CallerContext = signedOut) => core.call(name, input, caller);
  return {
    core,
    dataDir,
    clock,
    recoveryKey,
    call,
    signInAs: async (role, workstation = WORKSTATION) => {
      const result = await call('auth.signIn', { username: DEMO_USERNAMES[role], password: DEMO_PASSWORD }, { sessionToken: null, workstation });
      expectOk(result);
      if (result.session?.kind !== 'started') throw new Error(`signing in as ${role} started no session`);
      return { sessionToken: result.session.token, workstation };
    },
    dispose: () => {
      core.close();
      removeTempDir(dataDir);
    },
  };
}

/** A closed copy of the demo clinic's data folder (asclepia.db + asclepia.key), not opened. */
export async function demoDataCopy(): Promise<{ dataDir: string; recoveryKey: string }> {
  const { dir, recoveryKey } = await demoTemplate();
  return { dataDir: copyDemoData(dir), recoveryKey };
}

function copyDemoData(templateDir: string): string {
  const dataDir = makeTempDir('asclepia-clinic');
  cpSync(templateDir, dataDir, { recursive: true });
  return dataDir;
}

export { DEMO_PASSWORD, DEMO_USERNAMES, REPO_MIGRATIONS_DIR };
