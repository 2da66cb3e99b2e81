import Database from 'better-sqlite3-multiple-ciphers';
import { expect, it } from 'vitest';
import { withStatementCache } from './statements.js';

it('reuses a statement by its SQL, but never one that is still being iterated', () => {
  const sqlite = new Database(':memory:');
  sqlite.exec('CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3);');
  const db = withStatementCache(sqlite, 2);
  const sql = 'SELECT n FROM t ORDER BY n';
  const first = db.prepare(sql);
  expect(db.prepare(sql)).toBe(first);
  const rows: number[] = [];
  for (const row of first.iterate([]) as Iterable<{ n: number }>) {
    // A query with the same text while the first is mid-iteration gets a statement of its own.
    const inner = db.prepare(sql);
    expect(inner).not.toBe(first);
    rows.push(row.n, (inner.all([]) as { n: number }[]).length);
  }
  expect(rows).toEqual([1, 3, 2, 3, 3, 3]);
  db.prepare('SELECT 1');
  db.prepare('SELECT 2'); // over the bound: the cache starts afresh
  expect(db.prepare(sql)).not.toBe(first);
  db.close();
  expect(sqlite.open).toBe(false);
});
