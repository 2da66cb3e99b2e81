import type Database from 'better-sqlite3-multiple-ciphers';
import type { SqliteDatabase } from 'kysely';

/**
 * Kysely asks for a prepared statement on every query, and preparing costs tens of microseconds:
 * a booking runs about fifteen queries. Statements are kept by their SQL text and reused, except
 * one that is still being iterated (a streamed export), for which a fresh one is prepared.
 */
export function withStatementCache(sqlite: Database.Database, limit = 1000): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (sql: string) => {
      const cached = cache.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      if (!cached) {
        // Generated SQL varies with list lengths (IN (?, ?, …)); a bound keeps that from growing forever.
        if (cache.size >= limit) cache.clear();
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
