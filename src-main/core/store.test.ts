import { copyFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanupTempDirs,
  codeOf,
  demoDataCopy,
  errorOf,
  expectOk,
  FakeClock,
  filesContaining,
  filesWithPlaintextHeader,
  hashFiles,
  listFiles,
  makeTempDir,
  openDemoClinic,
  passphraseProtection,
  REPO_MIGRATIONS_DIR,
  signedOut,
  TEST_PASSPHRASE,
} from '../testing/harness.js';
import { createCore } from './app.js';
import { DB_FILE, KEY_FILE, type KeyProtection, Store, StoreOpenError, WrongSecretError } from './store.js';

afterAll(cleanupTempDirs);

function storeFor(dataDir: string, protection: KeyProtection = passphraseProtection()): Store {
  return new Store({ dataDir, protection, migrationsDir: REPO_MIGRATIONS_DIR, clock: new FakeClock() });
}

function openCore(dataDir: string, protection: KeyProtection = passphraseProtection()) {
  return createCore({ dataDir, protection, migrationsDir: REPO_MIGRATIONS_DIR, clock: new FakeClock() });
}

/** Runs an opening attempt that must fail, and checks it left every file exactly as it was. */
async function expectRefusedUnchanged(dataDir: string, attempt: () => Promise<unknown>, errorType: abstract new (...args: never[]) => Error, message: RegExp) {
  const before = hashFiles(dataDir);
  const error = await attempt().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(errorType);
  expect((error as Error).message).toMatch(message);
  expect(hashFiles(dataDir)).toEqual(before);
}

describe('the files in the data folder', () => {
  it('never begin with the plaintext SQLite header, open or closed', async () => {
    const clinic = await openDemoClinic();
    const admin = await clinic.signInAs('admin');
    expectOk(await clinic.call('settings.update', { clinicName: 'Header Check Clinic', timeZone: 'UTC', currency: 'EUR', version: 1 }, admin));
    expect(listFiles(clinic.dataDir)).toEqual([DB_FILE, `${DB_FILE}-shm`, `${DB_FILE}-wal`, KEY_FILE]);
    expect(filesWithPlaintextHeader(clinic.dataDir)).toEqual([]);
    clinic.core.store.checkpoint();
    expect(filesWithPlaintextHeader(clinic.dataDir)).toEqual([]);
    clinic.core.close();
    expect(listFiles(clinic.dataDir)).toEqual([DB_FILE, KEY_FILE]);
    expect(filesWithPlaintextHeader(clinic.dataDir)).toEqual([]);
  });

  it('hold a written marker nowhere in clear: not in the log before the checkpoint, not in the database after it', async () => {
    const clinic = await openDemoClinic();
    const admin = await clinic.signInAs('admin');
    const marker = `Marker Clinic ${Math.random().toString(36).slice(2, 12)}`;
    expectOk(await clinic.call('settings.update', { clinicName: marker, timeZone: 'Africa/Nairobi', currency: 'KES', version: 1 }, admin));
    // The marker is really stored, and (before the checkpoint) only in the write-ahead log.
    expect(clinic.core.store.sqlite.prepare(`SELECT value FROM settings WHERE key = 'clinic'`).pluck().get()).toContain(marker);
    const wal = hashFiles(clinic.dataDir)[`${DB_FILE}-wal`];
    expect(wal).toBeDefined();
    expect(filesContaining(clinic.dataDir, marker)).toEqual([]);

    clinic.core.store.checkpoint();
    expect(filesContaining(clinic.dataDir, marker)).toEqual([]);

    clinic.core.close();
    expect(filesContaining(clinic.dataDir, marker)).toEqual([]);
    // Nor any of the seeded demo data.
    expect(filesContaining(clinic.dataDir, 'Asclepia Demo Clinic')).toEqual([]);
    expect(filesContaining(clinic.dataDir, 'Amina Okafor')).toEqual([]);

    const reopened = await openCore(clinic.dataDir);
    expect((expectOk(await reopened.call('setup.status', {}, signedOut)) as { clinicName: string }).clinicName).toBe(marker);
    reopened.close();
  });

  it('survive a clean close as exactly the database and its key file', async () => {
    const { dataDir } = await demoDataCopy();
    expect(listFiles(dataDir)).toEqual([DB_FILE, KEY_FILE]);
  });
});

describe('opening the store', () => {
  it('runs with the required pragmas', async () => {
    const clinic = await openDemoClinic();
    const { sqlite } = clinic.core.store;
    expect(sqlite.pragma('cipher', { simple: true })).toBe('sqlcipher');
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(2);
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    clinic.dispose();
  });

  it('refuses a wrong passphrase with a clear error and leaves every file unchanged', async () => {
    const { dataDir } = await demoDataCopy();
    await expectRefusedUnchanged(dataDir, () => openCore(dataDir, passphraseProtection('not the passphrase')), WrongSecretError, /passphrase is not correct/);
  });

  it('refuses a key that does not open the database (a key file from another clinic) and leaves every file unchanged', async () => {
    const { dataDir } = await demoDataCopy();
    const other = makeTempDir('asclepia-other');
    const otherStore = storeFor(other);
    await otherStore.create(async () => {});
    otherStore.close();
    copyFileSync(join(other, KEY_FILE), join(dataDir, KEY_FILE));
    await expectRefusedUnchanged(dataDir, () => openCore(dataDir), StoreOpenError, /does not open this database/);
    expect(listFiles(dataDir)).toEqual([DB_FILE, KEY_FILE]);
  });

  it('answers a wrong passphrase typed at the unlock screen with VALIDATION, and nothing changes', async () => {
    const { dataDir, recoveryKey } = await demoDataCopy();
    const core = await openCore(dataDir, { kind: 'ask' });
    expect(core.store.state()).toBe('locked');
    const before = hashFiles(dataDir);
    const wrong = await core.call('setup.unlock', { method: 'passphrase', secret: 'not the passphrase' }, signedOut);
    expect(errorOf(wrong)).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/passphrase is not correct/) });
    const wrongRecovery = await core.call('setup.unlock', { method: 'recovery_key', secret: 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA' }, signedOut);
    expect(errorOf(wrongRecovery)).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/recovery key is not correct/) });
    expect(hashFiles(dataDir)).toEqual(before);
    expect(core.store.state()).toBe('locked');
    // While locked, everything but the public setup procedures waits.
    expect(codeOf(await core.call('auth.signIn', { username: 'admin', password: 'asclepia-demo' }, signedOut))).toBe('UNAUTHENTICATED');

    expectOk(await core.call('setup.unlock', { method: 'passphrase', secret: TEST_PASSPHRASE }, signedOut));
    expect(core.store.state()).toBe('ready');
    expect(expectOk(await core.call('setup.status', {}, signedOut))).toMatchObject({ state: 'ready', clinicName: 'Asclepia Demo Clinic' });
    core.close();
    expect(recoveryKey).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
  });

  it('refuses a plaintext SQLite file at the database path and leaves it unchanged', async () => {
    const { dataDir } = await demoDataCopy();
    rmSync(join(dataDir, DB_FILE));
    const plain = new Database(join(dataDir, DB_FILE));
    plain.exec(`CREATE TABLE patients (name TEXT); INSERT INTO patients VALUES ('Ada Lovelace')`);
    plain.close();
    await expectRefusedUnchanged(dataDir, () => openCore(dataDir), StoreOpenError, /unencrypted SQLite file/);
    expect(listFiles(dataDir)).toEqual([DB_FILE, KEY_FILE]);
  });

  it('refuses a key file without its database, says so, and creates nothing', async () => {
    const { dataDir } = await demoDataCopy();
    rmSync(join(dataDir, DB_FILE));
    await expectRefusedUnchanged(dataDir, () => openCore(dataDir), StoreOpenError, /key file .* is here but the database asclepia\.db is missing/);
    expect(() => storeFor(dataDir).state()).toThrow(/will not create a new one/);
    await expectRefusedUnchanged(dataDir, () => storeFor(dataDir).create(async () => {}), StoreOpenError, /database asclepia\.db is missing/);
    expect(listFiles(dataDir)).toEqual([KEY_FILE]);
  });

  it('refuses a database without its key file, says so, and creates nothing', async () => {
    const { dataDir } = await demoDataCopy();
    rmSync(join(dataDir, KEY_FILE));
    await expectRefusedUnchanged(dataDir, () => openCore(dataDir), StoreOpenError, /its key file asclepia\.key is missing/);
    await expectRefusedUnchanged(dataDir, () => storeFor(dataDir).create(async () => {}), StoreOpenError, /key file asclepia\.key is missing/);
    expect(listFiles(dataDir)).toEqual([DB_FILE]);
  });

  it('refuses a second clinic over an existing one', async () => {
    const clinic = await openDemoClinic();
    await expect(clinic.core.store.create(async () => {})).rejects.toThrow(/already has a clinic database/);
    expect(
      errorOf(
        await clinic.call('setup.createClinic', {
          clinic: { clinicName: 'Second', timeZone: 'UTC', currency: 'EUR' },
          admin: { username: 'boss', displayName: 'Boss', password: 'long enough password' },
        }),
      ),
    ).toMatchObject({ code: 'CONFLICT' });
    clinic.dispose();
  });

  it('treats a database left by an interrupted setup as no clinic yet', async () => {
    const { dataDir } = await demoDataCopy();
    renameSync(join(dataDir, KEY_FILE), join(dataDir, `${KEY_FILE}.pending`));
    expect(storeFor(dataDir).state()).toBe('needs_setup');
    expect(listFiles(dataDir)).toEqual([]);
  });

  it('leaves nothing behind when the first-run seed fails', async () => {
    const dataDir = makeTempDir('asclepia-empty');
    const store = storeFor(dataDir);
    await expect(
      store.create(async () => {
        throw new Error('seed failed');
      }),
    ).rejects.toThrow('seed failed');
    expect(listFiles(dataDir)).toEqual([]);
    expect(store.state()).toBe('needs_setup');
  });
});

describe('the recovery key', () => {
  it('unlocks the database as typed from paper, replaces a forgotten passphrase, and the old passphrase then fails', async () => {
    const { dataDir, recoveryKey } = await demoDataCopy();
    const store = storeFor(dataDir, { kind: 'ask' });
    expect(store.state()).toBe('locked');
    await expect(store.unlock('recovery_key', 'ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ')).rejects.toThrow(WrongSecretError);
    // Lower case, spaces instead of dashes: what a person types from the printed sheet.
    await store.unlock('recovery_key', recoveryKey.toLowerCase().replaceAll('-', ' '));
    expect(store.state()).toBe('ready');
    await store.resetPassphrase('recovery_key', recoveryKey, 'a brand new passphrase');
    store.close();

    await expectRefusedUnchanged(dataDir, () => openCore(dataDir, passphraseProtection(TEST_PASSPHRASE)), WrongSecretError, /passphrase is not correct/);
    const core = await openCore(dataDir, passphraseProtection('a brand new passphrase'));
    expect(expectOk(await core.call('setup.status', {}, signedOut))).toMatchObject({ state: 'ready', clinicName: 'Asclepia Demo Clinic' });
    core.close();

    // The recovery key still opens the same database.
    const again = storeFor(dataDir, { kind: 'ask' });
    await again.unlock('recovery_key', recoveryKey);
    expect(again.sqlite.prepare('SELECT count(*) FROM users').pluck().get()).toBe(7);
    again.close();
  });

  it('cannot reset the passphrase without a correct secret', async () => {
    const { dataDir } = await demoDataCopy();
    const before = hashFiles(dataDir);
    await expect(storeFor(dataDir).resetPassphrase('recovery_key', 'ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ', 'whatever passphrase')).rejects.toThrow(
      /recovery key is not correct/,
    );
    await expect(storeFor(dataDir).resetPassphrase('passphrase', 'wrong passphrase', 'whatever passphrase')).rejects.toThrow(/passphrase is not correct/);
    expect(hashFiles(dataDir)).toEqual(before);
  });
});
