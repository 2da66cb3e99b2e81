import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, filesContaining, filesWithPlaintextHeader, hashFiles, listFiles, makeTempDir } from '../../testing/harness.js';
import { openEncrypted, StoreOpenError } from './open.js';

afterAll(cleanupTempDirs);

const WRONG_KEY = /does not open this database/;

/** A fresh encrypted database with one table and one row, closed again. */
function makeDatabase(): { dir: string; path: string; key: Buffer } {
  const dir = makeTempDir('asclepia-open');
  const path = join(dir, 'asclepia.db');
  const key = randomBytes(32);
  const sqlite = openEncrypted({ path, key, create: true });
  sqlite.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  sqlite.prepare('INSERT INTO notes (body) VALUES (?)').run('hello');
  sqlite.close();
  return { dir, path, key };
}

describe('openEncrypted', () => {
  it('runs with the SQLCipher cipher, WAL, synchronous=FULL, foreign keys and a busy timeout, read back from the connection', () => {
    const { path, key } = makeDatabase();
    const sqlite = openEncrypted({ path, key, create: false });
    try {
      expect(sqlite.pragma('cipher', { simple: true })).toBe('sqlcipher');
      expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(sqlite.pragma('synchronous', { simple: true })).toBe(2);
      expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(sqlite.prepare('SELECT body FROM notes').pluck().get()).toBe('hello');
    } finally {
      sqlite.close();
    }
  });

  it('enforces foreign keys', () => {
    const { path, key } = makeDatabase();
    const sqlite = openEncrypted({ path, key, create: false });
    try {
      sqlite.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (parent_id INTEGER NOT NULL REFERENCES parent (id))');
      expect(() => sqlite.prepare('INSERT INTO child (parent_id) VALUES (42)').run()).toThrow(/FOREIGN KEY/);
    } finally {
      sqlite.close();
    }
  });

  it('writes no plaintext header', () => {
    const { dir } = makeDatabase();
    expect(listFiles(dir)).toEqual(['asclepia.db']);
    expect(filesWithPlaintextHeader(dir)).toEqual([]);
  });

  it('refuses a wrong key with a clear error, leaving the folder byte-for-byte unchanged', () => {
    const { dir, path } = makeDatabase();
    const before = hashFiles(dir);
    let thrown: unknown;
    try {
      openEncrypted({ path, key: randomBytes(32), create: false });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StoreOpenError);
    expect((thrown as Error).message).toMatch(WRONG_KEY);
    expect(hashFiles(dir)).toEqual(before);
  });

  it('refuses a wrong key even when told it may create, and creates nothing in its place', () => {
    const { dir, path } = makeDatabase();
    const before = hashFiles(dir);
    expect(() => openEncrypted({ path, key: randomBytes(32), create: true })).toThrow(WRONG_KEY);
    expect(hashFiles(dir)).toEqual(before);
  });

  it('refuses a wrong key while another connection has the database open, touching neither the database nor its log', () => {
    const { dir, path, key } = makeDatabase();
    const owner = openEncrypted({ path, key, create: false });
    try {
      owner.prepare('INSERT INTO notes (body) VALUES (?)').run('in the log');
      // The -shm file is SQLite's shared-memory index of the log, not stored data: a reader that
      // fails on the first page still takes a read mark in it, so only the other two are compared.
      const stored = (hashes: Record<string, string>) => ({ db: hashes['asclepia.db'], wal: hashes['asclepia.db-wal'] });
      const before = hashFiles(dir);
      expect(Object.keys(before)).toEqual(['asclepia.db', 'asclepia.db-shm', 'asclepia.db-wal']);
      expect(() => openEncrypted({ path, key: randomBytes(32), create: false })).toThrow(WRONG_KEY);
      const after = hashFiles(dir);
      expect(Object.keys(after)).toEqual(Object.keys(before));
      expect(stored(after)).toEqual(stored(before));
      expect(owner.prepare('SELECT count(*) FROM notes').pluck().get()).toBe(2);
    } finally {
      owner.close();
    }
  });

  it('refuses a plaintext SQLite file and leaves it unchanged', () => {
    const dir = makeTempDir('asclepia-open');
    const path = join(dir, 'asclepia.db');
    const plain = new Database(path);
    plain.exec(`CREATE TABLE patients (name TEXT); INSERT INTO patients VALUES ('Ada')`);
    plain.close();
    // The helpers that guard the other tests see a plaintext file for what it is.
    expect(filesWithPlaintextHeader(dir)).toEqual(['asclepia.db']);
    expect(filesContaining(dir, 'Ada')).toEqual(['asclepia.db']);
    const before = hashFiles(dir);
    expect(() => openEncrypted({ path, key: randomBytes(32), create: false })).toThrow(StoreOpenError);
    expect(() => openEncrypted({ path, key: randomBytes(32), create: true })).toThrow(/unencrypted SQLite file/);
    expect(hashFiles(dir)).toEqual(before);
  });

  it('refuses a file of random bytes and leaves it unchanged', () => {
    const dir = makeTempDir('asclepia-open');
    const path = join(dir, 'asclepia.db');
    writeFileSync(path, randomBytes(8192));
    const before = hashFiles(dir);
    expect(() => openEncrypted({ path, key: randomBytes(32), create: false })).toThrow(WRONG_KEY);
    expect(hashFiles(dir)).toEqual(before);
  });

  it('creates nothing when the database is missing and creating was not asked for', () => {
    const dir = makeTempDir('asclepia-open');
    expect(() => openEncrypted({ path: join(dir, 'asclepia.db'), key: randomBytes(32), create: false })).toThrow(/No database at/);
    expect(listFiles(dir)).toEqual([]);
  });

  it('refuses a key that is not 256 bits', () => {
    const dir = makeTempDir('asclepia-open');
    expect(() => openEncrypted({ path: join(dir, 'asclepia.db'), key: randomBytes(16), create: true })).toThrow(/256 bits/);
    expect(listFiles(dir)).toEqual([]);
  });
});
