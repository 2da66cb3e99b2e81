import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';

export class StoreOpenError extends Error {}

const PLAINTEXT_HEADER = Buffer.from('SQLite format 3\0');

function startsWithPlaintextHeader(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(PLAINTEXT_HEADER.length);
    const read = readSync(fd, head, 0, head.length, 0);
    return read === head.length && head.equals(PLAINTEXT_HEADER);
  } finally {
    closeSync(fd);
  }
}

export interface OpenOptions {
  path: string;
  key: Buffer;
  create: boolean;
  /** The native module built for Electron's ABI, when running inside Electron. */
  nativeBinding?: string;
}

/** What every connection must run with; read back after setting, and the store refuses to run otherwise. */
const REQUIRED_PRAGMAS: ReadonlyArray<[string, string | number]> = [
  ['journal_mode', 'wal'],
  // The fork defaults to NORMAL, which can lose a committed transaction on power loss.
  ['synchronous', 2],
  ['foreign_keys', 1],
  ['busy_timeout', 5000],
];

/**
 * Opens the SQLCipher 4 database with a raw 256-bit key. A wrong key fails on the first read and
 * leaves the file untouched: nothing is written before the key is proven.
 */
export function openEncrypted({ path, key, create, nativeBinding }: OpenOptions): Database.Database {
  if (key.length !== 32) throw new StoreOpenError('The database key must be 256 bits.');
  const exists = existsSync(path);
  if (!exists && !create) throw new StoreOpenError(`No database at ${path}.`);
  if (exists && startsWithPlaintextHeader(path)) {
    throw new StoreOpenError(`${path} is an unencrypted SQLite file. Asclepia only opens encrypted databases; move that file away.`);
  }
  const sqlite = new Database(path, { fileMustExist: exists, nativeBinding });
  try {
    sqlite.pragma(`cipher='sqlcipher'`);
    sqlite.pragma('legacy=4');
    sqlite.pragma(`key="x'${key.toString('hex')}'"`);
    try {
      sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (cause) {
      if (/file is not a database|not an error/i.test((cause as Error).message)) {
        throw new StoreOpenError('The database key does not open this database: it was made with another key, or the file is damaged.');
      }
      throw cause;
    }
    for (const [name, value] of REQUIRED_PRAGMAS) sqlite.pragma(`${name}=${value}`);
    // Every page read from disk is decrypted; 64 MiB of decrypted pages keeps searches and
    // charts of a large clinic in memory (the default is 2 MiB).
    sqlite.pragma('cache_size=-65536');
    for (const [name, value] of [...REQUIRED_PRAGMAS, ['cipher', 'sqlcipher'] as const]) {
      const actual = sqlite.pragma(name, { simple: true });
      if (String(actual).toLowerCase() !== String(value)) {
        throw new StoreOpenError(`The database refused the setting ${name}=${value} (it reports ${String(actual)}); Asclepia will not run without it.`);
      }
    }
    const integrity = sqlite.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new StoreOpenError(`The database failed its integrity check (${String(integrity)}). Restore it from a backup.`);
    return sqlite;
  } catch (error) {
    sqlite.close();
    throw error;
  }
}
