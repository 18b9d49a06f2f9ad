/**
 * Prepared statements kept across queries on SQLite. Kysely's SQLite driver asks better-sqlite3
 * to prepare every statement it runs, and preparing (parsing and planning the SQL) cost about a
 * tenth of the user-service's main thread under a logout wave — more than running most of the
 * statements. The service sends a small, fixed set of SQL texts (values are bound parameters),
 * so the prepared statements are cached by text, bounded for the texts that vary with a list's
 * length (`in (?, ?, …)`).
 */
import type SqliteDatabase from 'better-sqlite3';
import { LRUCache } from 'lru-cache';

/** Most distinct SQL texts kept prepared. */
const MAX_STATEMENTS = 256;

/**
 * `database` with a `prepare` that returns the cached statement of an SQL text. Statements are
 * reusable in better-sqlite3 as long as none is iterated while another call uses it, and Kysely
 * only iterates for `stream()`, which the service never uses.
 */
export function withStatementCache(database: SqliteDatabase.Database): SqliteDatabase.Database {
  const statements = new LRUCache<string, SqliteDatabase.Statement>({ max: MAX_STATEMENTS });
  const prepare = (source: string): SqliteDatabase.Statement => {
    let statement = statements.get(source);
    if (statement === undefined) {
      statement = database.prepare(source);
      statements.set(source, statement);
    }
    return statement;
  };
  return new Proxy(database, {
    get(target, property) {
      if (property === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}
