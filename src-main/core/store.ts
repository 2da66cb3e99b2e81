import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { Kysely, SqliteDialect } from 'kysely';
import type { StoreState } from '../../src-shared/contract/setup.js';
import { type Clock, isoNow } from './clock.js';
import {
  type KeyFile,
  newRecoveryKey,
  normalizeRecoveryKey,
  type OsKeyStore,
  readKeyFile,
  type SecretMethod,
  unwrapWithOs,
  unwrapWithSecret,
  WrongSecretError,
  wrapWithOs,
  wrapWithSecret,
  writeKeyFile,
} from './db/keyfile.js';
import { loadMigrations, migrate } from './db/migrate.js';
import { openEncrypted, StoreOpenError } from './db/open.js';
import type { DB } from './db/schema.js';
import { withStatementCache } from './db/statements.js';

/**
 * How the database key is protected on this workstation:
 * - os: the desktop app's safeStorage, so nobody types anything;
 * - passphrase: headless, the passphrase came from the environment or a file at start;
 * - ask: the desktop app without a usable key store; the setup and unlock screens ask for one.
 */
export type KeyProtection = { kind: 'os'; os: OsKeyStore } | { kind: 'passphrase'; passphrase: string } | { kind: 'ask' };

export interface StoreOptions {
  dataDir: string;
  protection: KeyProtection;
  migrationsDir: string;
  clock: Clock;
  nativeBinding?: string;
}

export const DB_FILE = 'asclepia.db';
export const KEY_FILE = 'asclepia.key';
/** Present only while first-run setup is under way; its survival means setup was interrupted. */
const PENDING_KEY_FILE = 'asclepia.key.pending';

export { StoreOpenError, WrongSecretError };

export class Store {
  readonly dbPath: string;
  readonly keyPath: string;
  private readonly pendingKeyPath: string;
  private handle: { sqlite: Database.Database; db: Kysely<DB> } | null = null;
  /** Set while create or unlock is under way: a second click must not race the first. */
  private opening = false;

  constructor(private readonly options: StoreOptions) {
    this.dbPath = join(options.dataDir, DB_FILE);
    this.keyPath = join(options.dataDir, KEY_FILE);
    this.pendingKeyPath = join(options.dataDir, PENDING_KEY_FILE);
  }

  get protection(): KeyProtection['kind'] {
    return this.options.protection.kind;
  }

  state(): StoreState {
    if (this.handle) return 'ready';
    this.checkFiles();
    return existsSync(this.keyPath) ? 'locked' : 'needs_setup';
  }

  get db(): Kysely<DB> {
    if (!this.handle) throw new StoreOpenError('The clinic database is not open.');
    return this.handle.db;
  }

  get sqlite(): Database.Database {
    if (!this.handle) throw new StoreOpenError('The clinic database is not open.');
    return this.handle.sqlite;
  }

  /** A database without its key file, or a key file without its database, is never "fixed" by making a new one. */
  private checkFiles(): void {
    const hasDb = existsSync(this.dbPath);
    const hasKey = existsSync(this.keyPath);
    if (hasDb && !hasKey) {
      if (existsSync(this.pendingKeyPath)) {
        // Setup was interrupted before it finished: the database holds nothing anyone entered.
        for (const suffix of ['', '-wal', '-shm']) rmSync(this.dbPath + suffix, { force: true });
        rmSync(this.pendingKeyPath, { force: true });
        return;
      }
      throw new StoreOpenError(
        `The database ${this.dbPath} is here but its key file ${KEY_FILE} is missing. Restore the key file from your backup; Asclepia will not create a new database in its place.`,
      );
    }
    if (hasKey && !hasDb) {
      throw new StoreOpenError(
        `The key file ${this.keyPath} is here but the database ${DB_FILE} is missing. Restore the database from your backup; Asclepia will not create a new one in its place.`,
      );
    }
  }

  /**
   * First run: a new random key, wrapped for this workstation and by a recovery key, then the
   * database, its schema and the seed in one transaction. The key file takes its final name last,
   * so a crash part-way leaves a state that the next start recognises as unfinished setup.
   */
  async create(seed: (db: Kysely<DB>) => Promise<void>, typedPassphrase?: string): Promise<{ recoveryKey: string }> {
    return this.exclusively(() => this.createOnce(seed, typedPassphrase));
  }

  private async exclusively<T>(work: () => Promise<T>): Promise<T> {
    if (this.opening) throw new StoreOpenError('The clinic database is being set up or opened already; wait a moment and try again.');
    this.opening = true;
    try {
      return await work();
    } finally {
      this.opening = false;
    }
  }

  private async createOnce(seed: (db: Kysely<DB>) => Promise<void>, typedPassphrase?: string): Promise<{ recoveryKey: string }> {
    if (this.state() !== 'needs_setup') throw new StoreOpenError('This workstation already has a clinic database.');
    const protection = this.options.protection;
    const passphrase = protection.kind === 'passphrase' ? protection.passphrase : typedPassphrase;
    if (protection.kind === 'ask' && !passphrase) throw new WrongSecretError('Choose a passphrase for the clinic database.');
    mkdirSync(this.options.dataDir, { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    const recoveryKey = newRecoveryKey();
    const keyFile: KeyFile = { format: 1, wraps: [await wrapWithSecret('recovery_key', recoveryKey, key)] };
    if (protection.kind === 'os') keyFile.wraps.push(wrapWithOs(protection.os, key));
    if (passphrase) keyFile.wraps.push(await wrapWithSecret('passphrase', passphrase, key));
    writeKeyFile(this.pendingKeyPath, keyFile);
    try {
      this.attach(key, true);
      await this.db.transaction().execute(seed);
    } catch (error) {
      this.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(this.dbPath + suffix, { force: true });
      rmSync(this.pendingKeyPath, { force: true });
      throw error;
    }
    writeKeyFile(this.keyPath, keyFile);
    rmSync(this.pendingKeyPath, { force: true });
    return { recoveryKey };
  }

  /** Opens without asking anyone, where this workstation can: returns false when a secret must be typed. */
  async unlockAutomatically(): Promise<boolean> {
    if (this.state() !== 'locked') return this.handle !== null;
    const protection = this.options.protection;
    if (protection.kind === 'passphrase') {
      await this.unlock('passphrase', protection.passphrase);
      return true;
    }
    if (protection.kind === 'os') {
      const key = this.tryOsUnwrap(readKeyFile(this.keyPath), protection.os);
      if (key) {
        this.attach(key, false);
        return true;
      }
    }
    return false;
  }

  async unlock(method: SecretMethod, secret: string): Promise<void> {
    return this.exclusively(() => this.unlockOnce(method, secret));
  }

  private async unlockOnce(method: SecretMethod, secret: string): Promise<void> {
    if (this.state() !== 'locked') throw new StoreOpenError('The clinic database is already open.');
    const keyFile = readKeyFile(this.keyPath);
    const typed = method === 'recovery_key' ? normalizeRecoveryKey(secret) : secret;
    const key = await unwrapWithSecret(keyFile, method, typed);
    this.attach(key, false);
    // A desktop that had to ask (no OS wrap yet, or one the keyring can no longer open) stores
    // the key for next time, so the question is asked once.
    const protection = this.options.protection;
    if (protection.kind === 'os' && !this.tryOsUnwrap(keyFile, protection.os)?.equals(key)) {
      const wraps = keyFile.wraps.filter((wrap) => wrap.method !== 'os_keystore');
      writeKeyFile(this.keyPath, { ...keyFile, wraps: [...wraps, wrapWithOs(protection.os, key)] });
    }
  }

  /** The keyring may have been reset or the profile copied: that is "ask the user", not a failure to start. */
  private tryOsUnwrap(keyFile: KeyFile, os: OsKeyStore): Buffer | null {
    try {
      return unwrapWithOs(keyFile, os);
    } catch {
      return null;
    }
  }

  /** After unlocking with the recovery key: a new passphrase replaces the forgotten one. */
  async resetPassphrase(method: SecretMethod, secret: string, newPassphrase: string): Promise<void> {
    const keyFile = readKeyFile(this.keyPath);
    const key = await unwrapWithSecret(keyFile, method, method === 'recovery_key' ? normalizeRecoveryKey(secret) : secret);
    const wraps = keyFile.wraps.filter((wrap) => wrap.method !== 'passphrase');
    wraps.push(await wrapWithSecret('passphrase', newPassphrase, key));
    writeKeyFile(this.keyPath, { ...keyFile, wraps });
  }

  private attach(key: Buffer, create: boolean): void {
    const sqlite = openEncrypted({ path: this.dbPath, key, create, nativeBinding: this.options.nativeBinding });
    try {
      migrate(sqlite, loadMigrations(this.options.migrationsDir), () => isoNow(this.options.clock));
    } catch (error) {
      sqlite.close();
      throw error;
    }
    this.handle = { sqlite, db: new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }) };
  }

  /** Folds the write-ahead log into the database file, e.g. before copying the folder. */
  checkpoint(): void {
    this.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  }

  close(): void {
    if (!this.handle) return;
    const { sqlite } = this.handle;
    this.handle = null;
    sqlite.close();
  }
}
