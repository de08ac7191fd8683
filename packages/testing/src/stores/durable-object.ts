// The SQLite store (stores/sqlite.ts) on a Durable Object's SQLite storage: `ctx.storage.sql.exec`
// is synchronous, as better-sqlite3 is, and `ctx.storage.transactionSync` runs one transaction. The
// Worker (worker.ts) keeps each account here; test/store-durable-object.workerd.test.ts runs the
// store and domain contract suites on it inside workerd. No dependency on @cloudflare/workers-types:
// the few Cloudflare types used are structural.
import { createSqliteStores, type SqlConnection, type SqliteStores, type SqlValue } from './sqlite.js'

/** What the store uses of `ctx.storage.sql` (`SqlStorage`). */
export interface SqlStorageLike {
  exec(query: string, ...bindings: SqlValue[]): Iterable<Record<string, SqlValue>>
}

/** What the store uses of `ctx.storage` (`DurableObjectStorage` with the SQLite backend). */
export interface DurableObjectStorageLike {
  sql: SqlStorageLike
  transactionSync<T>(fn: () => T): T
}

/** A Durable Object's SQLite storage as the store's `SqlConnection`. */
export function durableObjectConnection(storage: DurableObjectStorageLike): SqlConnection {
  const sql = storage.sql
  return {
    all: (query, params = []) => [...sql.exec(query, ...params)],
    transaction: (fn) => storage.transactionSync(fn),
  }
}

/** The stores (one per key namespace) of a Durable Object's SQLite storage; creates the tables if needed. */
/* @__NO_SIDE_EFFECTS__ */
export function createDurableObjectStores(storage: DurableObjectStorageLike): SqliteStores {
  return createSqliteStores(durableObjectConnection(storage))
}
