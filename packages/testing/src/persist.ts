/// <reference types="node" />
// `--persist DIR` (Node only, from the server entry): the SQLite store (stores/sqlite.ts) on
// `DIR/emulator.sqlite` through better-sqlite3, loaded with a dynamic import so that nothing else
// in the package (and never the Worker entry) loads it. The database is held with
// `locking_mode=EXCLUSIVE` for the life of the process: a second process on the same DIR is refused
// with one line. `DIR/emulator.pid` names the holder, for that line.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createSqliteStores, type SqlConnection, type SqliteStores, type SqlValue } from './stores/sqlite.js'

/** A DIR that cannot be used (in use, not writable, not a database): one line. */
export class PersistError extends Error {
  override name = 'PersistError'
}

export interface PersistentStores {
  readonly dir: string
  readonly stores: SqliteStores
  /** closes the database and removes the pid file */
  close(): void
}

interface Statement {
  all(...params: SqlValue[]): Record<string, SqlValue>[]
  run(...params: SqlValue[]): unknown
  readonly reader: boolean
}

/** What `sqliteConnection` uses of a better-sqlite3 `Database`. */
export interface Database {
  prepare(sql: string): Statement
  pragma(sql: string): unknown
  exec(sql: string): void
  close(): void
  inTransaction: boolean
}

/** Opens (creating if needed) the emulator database in `dir` and locks it for this process. */
export async function openPersistDir(dir: string): Promise<PersistentStores> {
  let Sqlite: new (path: string, options?: { timeout?: number }) => Database
  try {
    // a variable specifier: bundlers leave it alone, and nothing but this entry ever loads it
    const specifier: string = 'better-sqlite3'
    Sqlite = ((await import(/* @vite-ignore */ specifier)) as { default: typeof Sqlite }).default
  } catch (error) {
    throw new PersistError(`--persist needs the better-sqlite3 package (${(error as Error).message.split('\n')[0]})`)
  }
  try {
    mkdirSync(dir, { recursive: true })
  } catch (error) {
    throw new PersistError(`cannot use ${dir}: ${(error as Error).message}`)
  }
  const pidFile = join(dir, 'emulator.pid')
  let db: Database
  try {
    db = new Sqlite(join(dir, 'emulator.sqlite'), { timeout: 0 })
  } catch (error) {
    throw new PersistError(`cannot open ${join(dir, 'emulator.sqlite')}: ${(error as Error).message}`)
  }
  try {
    // one process at a time: the exclusive lock is taken by the first write and kept until close
    db.pragma('locking_mode = EXCLUSIVE')
    // WAL + synchronous=NORMAL, not FULL: a commit is in the OS before the response is sent, so a
    // killed process loses nothing it answered (a power cut may lose the last commits, never half of one)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    // the WAL is copied into the database (and both fsynced) every 10,000 pages (~40 MB), not the
    // default 1,000: those fsyncs were most of a commit's time, and a page changed by many requests
    // is copied once. What a commit promises is unchanged (a crash replays the WAL on open).
    db.pragma('wal_autocheckpoint = 10000')
    db.exec('BEGIN EXCLUSIVE; COMMIT')
  } catch (error) {
    db.close()
    const code = (error as { code?: string }).code
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      let holder = ''
      try {
        holder = ` (pid ${readFileSync(pidFile, 'utf8').trim()})`
      } catch {}
      throw new PersistError(`${dir} is in use by another emulator process${holder}; stop it or pick another --persist DIR`)
    }
    throw new PersistError(`cannot use ${dir}: ${(error as Error).message}`)
  }
  writeFileSync(pidFile, `${process.pid}\n`)
  const connection = sqliteConnection(db)
  let stores: SqliteStores
  try {
    stores = createSqliteStores(connection)
  } catch (error) {
    db.close()
    throw new PersistError(`cannot use ${dir}: ${(error as Error).message}`)
  }
  let closed = false
  return {
    dir,
    stores,
    close() {
      if (closed) return
      closed = true
      db.close()
      rmSync(pidFile, { force: true })
    },
  }
}

/** A better-sqlite3 database as the store's `SqlConnection` (statements prepared once, cached). */
export function sqliteConnection(db: Database): SqlConnection {
  const cache = new Map<string, Statement>()
  const prepared = (sql: string) => {
    let statement = cache.get(sql)
    if (!statement) {
      statement = db.prepare(sql)
      cache.set(sql, statement)
    }
    return statement
  }
  return {
    all(sql, params = []) {
      const statement = prepared(sql)
      if (statement.reader) return statement.all(...params)
      statement.run(...params)
      return []
    },
    transaction(fn) {
      prepared('BEGIN IMMEDIATE').run()
      try {
        const result = fn()
        prepared('COMMIT').run()
        return result
      } catch (error) {
        if (db.inTransaction) prepared('ROLLBACK').run()
        throw error
      }
    },
  }
}
