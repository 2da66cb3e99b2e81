import { randomBytes } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3-multiple-ciphers';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, hashFiles, makeTempDir, passphraseProtection, REPO_MIGRATIONS_DIR, schemaOf, TEST_PASSPHRASE } from '../../testing/harness.js';
import { createCore } from '../app.js';
import { systemClock } from '../clock.js';
import { sha256Hex } from '../crypto.js';
import { DB_FILE, KEY_FILE, Store } from '../store.js';
import { readKeyFile, unwrapWithSecret } from './keyfile.js';
import { loadMigrations, type Migration, migrate, SchemaTooNewError } from './migrate.js';
import { openEncrypted } from './open.js';

afterAll(cleanupTempDirs);

const NOW = '2026-03-02T08:00:00.000Z';
const now = () => NOW;
const REPO = loadMigrations(REPO_MIGRATIONS_DIR);
const LATEST = REPO.length;

function migration(version: number, name: string, sql: string): Migration {
  return { version, name, sql, checksum: sha256Hex(sql) };
}

/** A later migration of the kind real ones will be: a new table, a new column, an index. */
const NEXT = migration(
  LATEST + 1,
  'test_next',
  `CREATE TABLE test_next (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;
  ALTER TABLE settings ADD COLUMN note TEXT;
  CREATE INDEX test_next_label ON test_next (label);`,
);

/** Half of it would work; the second statement fails. */
const BROKEN = migration(LATEST + 2, 'test_broken', `CREATE TABLE half_done (id TEXT PRIMARY KEY) STRICT; INSERT INTO no_such_table VALUES (1);`);

function freshDatabase(): Database.Database {
  const dir = makeTempDir('asclepia-migrate');
  return openEncrypted({ path: join(dir, DB_FILE), key: randomBytes(32), create: true });
}

function ledger(sqlite: Database.Database): Array<{ version: number; name: string; checksum: string }> {
  return sqlite.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as Array<{
    version: number;
    name: string;
    checksum: string;
  }>;
}

function schemaFromEmpty(migrations: readonly Migration[]) {
  const sqlite = freshDatabase();
  try {
    migrate(sqlite, migrations, now);
    return schemaOf(sqlite);
  } finally {
    sqlite.close();
  }
}

function withFailure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('the migrations folder', () => {
  it('holds migrations numbered 1, 2, 3… without gaps, each named NNNN_name.sql', () => {
    const files = readdirSync(REPO_MIGRATIONS_DIR).filter((file) => file.endsWith('.sql'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toMatch(/^\d{4}_[a-z0-9_]+\.sql$/);
    expect(REPO.map((entry) => entry.version)).toEqual(Array.from({ length: files.length }, (_, index) => index + 1));
  });

  it('is refused when a number is missing, repeated, or a file is misnamed', () => {
    const gap = makeTempDir('asclepia-migrations');
    writeFileSync(join(gap, '0001_one.sql'), 'SELECT 1;');
    writeFileSync(join(gap, '0003_three.sql'), 'SELECT 1;');
    expect(() => loadMigrations(gap)).toThrow(/without gaps; expected 2, found 3/);

    const repeated = makeTempDir('asclepia-migrations');
    writeFileSync(join(repeated, '0001_one.sql'), 'SELECT 1;');
    writeFileSync(join(repeated, '0001_again.sql'), 'SELECT 1;');
    expect(() => loadMigrations(repeated)).toThrow(/without gaps/);

    const misnamed = makeTempDir('asclepia-migrations');
    writeFileSync(join(misnamed, '1_one.sql'), 'SELECT 1;');
    expect(() => loadMigrations(misnamed)).toThrow(/not named NNNN_name\.sql/);
  });
});

describe('migrate', () => {
  it('builds the whole schema from an empty database and records each migration once', () => {
    const sqlite = freshDatabase();
    try {
      expect(migrate(sqlite, REPO, now)).toEqual(REPO.map((entry) => entry.version));
      expect(ledger(sqlite)).toEqual(REPO.map(({ version, name, checksum }) => ({ version, name, checksum })));
      // Running again changes nothing.
      const schema = schemaOf(sqlite);
      expect(migrate(sqlite, REPO, now)).toEqual([]);
      expect(schemaOf(sqlite)).toEqual(schema);
      expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(sqlite.pragma('foreign_key_check')).toEqual([]);
    } finally {
      sqlite.close();
    }
  });

  describe.each([
    ['the repository migrations', REPO],
    ['the repository migrations and a next one', [...REPO, NEXT]],
  ])('from every earlier version, with %s', (_label, migrations) => {
    const expected = schemaFromEmpty(migrations);
    it.each(Array.from({ length: migrations.length }, (_, k) => k))('from version %i reaches the same schema as from empty', (k) => {
      const sqlite = freshDatabase();
      try {
        migrate(sqlite, migrations.slice(0, k), now);
        expect(ledger(sqlite).map((row) => row.version)).toEqual(migrations.slice(0, k).map((entry) => entry.version));
        expect(migrate(sqlite, migrations, now)).toEqual(migrations.slice(k).map((entry) => entry.version));
        expect(schemaOf(sqlite)).toEqual(expected);
      } finally {
        sqlite.close();
      }
    });
  });

  it('refuses a database from a newer Asclepia with SchemaTooNewError and a readable message', () => {
    const sqlite = freshDatabase();
    try {
      migrate(sqlite, [...REPO, NEXT], now);
      const schema = schemaOf(sqlite);
      const error = withFailure(() => migrate(sqlite, REPO, now));
      expect(error).toBeInstanceOf(SchemaTooNewError);
      expect(error.message).toBe(
        `This database was written by a newer version of Asclepia (schema ${LATEST + 1}; this version knows up to ${LATEST}). Install the newer version to open it.`,
      );
      expect(schemaOf(sqlite)).toEqual(schema);
    } finally {
      sqlite.close();
    }
  });

  it('refuses, at start-up, to open a clinic whose schema is newer, and leaves its files unchanged', async () => {
    const dataDir = makeTempDir('asclepia-newer');
    const store = new Store({ dataDir, protection: passphraseProtection(), migrationsDir: REPO_MIGRATIONS_DIR, clock: systemClock });
    await store.create(async () => {});
    store.close();
    const key = await unwrapWithSecret(readKeyFile(join(dataDir, KEY_FILE)), 'passphrase', TEST_PASSPHRASE);
    const sqlite = openEncrypted({ path: join(dataDir, DB_FILE), key, create: false });
    migrate(sqlite, [...REPO, NEXT], now);
    sqlite.close();

    const before = hashFiles(dataDir);
    await expect(createCore({ dataDir, protection: passphraseProtection(), migrationsDir: REPO_MIGRATIONS_DIR })).rejects.toThrow(SchemaTooNewError);
    expect(hashFiles(dataDir)).toEqual(before);
  });

  it('refuses a database whose applied migration was since edited', () => {
    const sqlite = freshDatabase();
    try {
      migrate(sqlite, REPO, now);
      const [first, ...rest] = REPO as [Migration, ...Migration[]];
      const edited = migration(first.version, first.name, `${first.sql}\n-- a harmless-looking edit\n`);
      const error = withFailure(() => migrate(sqlite, [edited, ...rest], now));
      expect(error.message).toMatch(new RegExp(`Migration 1 \\(${first.name}\\) was changed after this database applied it`));
    } finally {
      sqlite.close();
    }
  });

  it('applies each migration in one transaction: a failing one leaves the previous version intact', () => {
    const sqlite = freshDatabase();
    try {
      migrate(sqlite, REPO, now);
      const schema = schemaOf(sqlite);
      const settingsBefore = sqlite.prepare('SELECT * FROM settings').all();
      expect(() => migrate(sqlite, [...REPO, NEXT, BROKEN], now)).toThrow(/no such table: no_such_table/);
      // NEXT committed on its own; BROKEN left nothing, not even its first statement.
      expect(ledger(sqlite).map((row) => row.version)).toEqual([...REPO, NEXT].map((entry) => entry.version));
      expect(schemaOf(sqlite)).toEqual(schemaFromEmpty([...REPO, NEXT]));
      expect(schemaOf(sqlite)).not.toEqual(schema);
      expect(sqlite.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'half_done'`).pluck().get()).toBe(0);
      expect(sqlite.prepare('SELECT id, key, value, version FROM settings').all()).toEqual(settingsBefore);
      expect(sqlite.inTransaction).toBe(false);
    } finally {
      sqlite.close();
    }
  });

  it('leaves an empty database empty when its first migration fails', () => {
    const sqlite = freshDatabase();
    try {
      const broken = migration(1, 'broken', BROKEN.sql);
      expect(() => migrate(sqlite, [broken], now)).toThrow(/no_such_table/);
      expect(ledger(sqlite)).toEqual([]);
      expect(schemaOf(sqlite).map((entry) => entry.name)).toEqual(['schema_migrations']);
    } finally {
      sqlite.close();
    }
  });
});

/**
 * Kysely's view of the tables, read from schema.ts by the TypeScript compiler: table name ->
 * column names (inherited ones included), so the test below needs no list kept by hand.
 */
function schemaTsColumns(): Record<string, string[]> {
  const file = fileURLToPath(new URL('./schema.ts', import.meta.url));
  const program = ts.createProgram([file], { noLib: true, noResolve: true, types: [] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const db = source?.statements.find((statement): statement is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(statement) && statement.name.text === 'DB');
  if (!db) throw new Error('schema.ts has no interface DB');
  return Object.fromEntries(
    checker
      .getTypeAtLocation(db)
      .getProperties()
      .map((table) => [
        table.name,
        checker
          .getTypeOfSymbolAtLocation(table, db)
          .getProperties()
          .map((column) => column.name),
      ]),
  );
}

const COMMON_COLUMNS = ['id', 'created_at', 'updated_at', 'created_by', 'version'];

describe('schema.ts', () => {
  it('names the same tables and columns as the migrated database, and every table carries the common columns', () => {
    const expected = schemaTsColumns();
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    const sqlite = freshDatabase();
    try {
      migrate(sqlite, REPO, now);
      // Full-text indexes are virtual tables with shadow tables of SQLite's own (name_data, name_idx…):
      // schema.ts names the virtual table, and the common columns do not apply to either.
      const virtual = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'`).pluck().all() as string[];
      const isIndexInternal = (name: string) => virtual.some((table) => name === table || name.startsWith(`${table}_`));
      for (const table of virtual) expect(Object.keys(expected)).toContain(table);
      const tables = (
        sqlite
          .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name`)
          .pluck()
          .all() as string[]
      ).filter((name) => !isIndexInternal(name));
      expect(tables).toEqual(
        Object.keys(expected)
          .filter((name) => !isIndexInternal(name))
          .sort(),
      );
      for (const table of tables) {
        const columns = (sqlite.pragma(`table_info(${table})`) as Array<{ name: string }>).map((column) => column.name).sort();
        expect(columns, table).toEqual([...(expected[table] ?? [])].sort());
        // Rows that triggers derive (appointment_units) or a migration fixes (grid_units) are not edited by anyone.
        if (!['appointment_units', 'grid_units'].includes(table)) expect(columns, table).toEqual(expect.arrayContaining(COMMON_COLUMNS));
      }
    } finally {
      sqlite.close();
    }
  });
});
