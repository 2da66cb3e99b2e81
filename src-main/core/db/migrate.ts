import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { sha256Hex } from '../crypto.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads migrations/NNNN_name.sql in order; numbers must run 1, 2, 3… with no gap or repeat. */
export function loadMigrations(dir: string): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = FILE_NAME.exec(file);
      if (!match) throw new Error(`Migration file ${file} is not named NNNN_name.sql`);
      const sql = readFileSync(join(dir, file), 'utf8');
      return { version: Number(match[1]), name: match[2] as string, sql, checksum: sha256Hex(sql) };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`Migrations must be numbered without gaps; expected ${index + 1}, found ${migration.version}`);
  });
  return migrations;
}

export class SchemaTooNewError extends Error {}

interface LedgerRow {
  version: number;
  name: string;
  checksum: string;
}

/**
 * Applies what the database lacks, each migration and its ledger row in one transaction, so a
 * crash leaves the database at a whole version. Refuses a database from a newer Asclepia and one
 * whose applied migrations were since edited.
 */
export function migrate(sqlite: Database.Database, migrations: readonly Migration[], nowIso: () => string): number[] {
  sqlite.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = sqlite.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as LedgerRow[];
  const known = new Map(migrations.map((migration) => [migration.version, migration]));
  const newest = migrations.at(-1)?.version ?? 0;
  for (const row of applied) {
    const migration = known.get(row.version);
    if (!migration) {
      throw new SchemaTooNewError(
        `This database was written by a newer version of Asclepia (schema ${applied.at(-1)?.version}; this version knows up to ${newest}). Install the newer version to open it.`,
      );
    }
    if (migration.checksum !== row.checksum) {
      throw new Error(`Migration ${row.version} (${row.name}) was changed after this database applied it; landed migrations must never be edited.`);
    }
  }
  const done = new Set(applied.map((row) => row.version));
  const record = sqlite.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  const newlyApplied: number[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    sqlite.transaction(() => {
      sqlite.exec(migration.sql);
      record.run(migration.version, migration.name, migration.checksum, nowIso());
    })();
    newlyApplied.push(migration.version);
  }
  return newlyApplied;
}
