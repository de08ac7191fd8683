// The SQLite store: the store interface (types.ts) on tables of a synchronous SQLite connection —
// better-sqlite3 in Node (`--persist DIR`, see persist.ts) or a Durable Object's `ctx.storage.sql`.
// No Node built-ins here: the connection comes in as a `SqlConnection`.
//
// Rows hold JSON text. Objects handed out inside a transaction are working copies (one per row per
// transaction); the transaction writes back those whose JSON changed, then the account state the
// emulator keeps beside the store (clock, events: `beforeCommit`), then commits: one SQLite
// transaction per request. Outside a transaction each write commits at once. Scans read pages of
// rows in (`created`, `seq`) order from an index, lazily.
import type { SavedHeld } from '../events/types.js'
import type {
  AccountStore,
  EmulatorStore,
  IdempotencyEntry,
  KeyMap,
  KeySet,
  ObjectOf,
  ScanOptions,
  Storable,
  StoredRecord,
  StripeObject,
} from './types.js'

export type SqlValue = string | number | null

/** A synchronous SQLite connection: what better-sqlite3 and `ctx.storage.sql` both offer. */
export interface SqlConnection {
  /** the rows of a query (a statement with no result gives `[]`) */
  all(sql: string, params?: readonly SqlValue[]): Record<string, SqlValue>[]
  /** runs `fn` in one SQLite transaction: committed when it returns, rolled back when it throws */
  transaction<T>(fn: () => T): T
}

/** The account state kept beside the objects (clock, defaults), saved with each transaction. */
export interface SavedMeta {
  clock: { now: number; start: number }
  defaultAccount: string
  reportRunDelay: number
  /** webhook attempts waiting on the clock (retries, delayed deliveries), soonest first; absent when none */
  held?: SavedHeld[]
}

/** The store of one key's account in a SQLite database (its rows are under the key's namespace). */
export interface SqliteStore extends EmulatorStore {
  /** Deletes everything of this namespace (inside the caller's transaction). */
  clear(): void
  /** The saved account state and (the newest `keep`) events, or undefined when nothing was saved for this key. */
  load(keep?: number): { meta: SavedMeta; events: unknown[] } | undefined
  /** Saves the account state (inside a transaction, from `beforeCommit`). */
  saveMeta(meta: SavedMeta): void
  /** Appends events to the saved log, keeping the newest `keep`. */
  appendEvents(events: readonly unknown[], keep: number): void
  /** Called inside each transaction just before it commits (the emulator saves its clock and events). */
  beforeCommit: (() => void) | undefined
}

/** The stores of a SQLite database, one per key namespace (`''`: the default account). */
export interface SqliteStores {
  /** the store of a key's namespace (the same object each call) */
  store(namespace: string): SqliteStore
  /** the namespaces holding saved state */
  namespaces(): string[]
}

const SCHEMA = [
  'CREATE TABLE IF NOT EXISTS es_accounts (ns TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, ord INTEGER NOT NULL, PRIMARY KEY (ns, id))',
  `CREATE TABLE IF NOT EXISTS es_objects (ns TEXT NOT NULL, account TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL,
     created INTEGER NOT NULL, seq INTEGER NOT NULL, object TEXT NOT NULL, internal TEXT NOT NULL, PRIMARY KEY (ns, account, id))`,
  'CREATE INDEX IF NOT EXISTS es_objects_order ON es_objects (ns, account, kind, created, seq)',
  'CREATE TABLE IF NOT EXISTS es_customers (ns TEXT NOT NULL, account TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (ns, account, id))',
  `CREATE TABLE IF NOT EXISTS es_side (ns TEXT NOT NULL, account TEXT NOT NULL, tbl TEXT NOT NULL, key TEXT NOT NULL,
     ord INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (ns, account, tbl, key))`,
  'CREATE INDEX IF NOT EXISTS es_side_order ON es_side (ns, account, tbl, ord)',
  'CREATE TABLE IF NOT EXISTS es_meta (ns TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)',
  'CREATE TABLE IF NOT EXISTS es_events (ns TEXT NOT NULL, n INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (ns, n))',
]

/** rows a scan reads at a time */
const PAGE = 64

/** Creates the tables if needed; the stores of the database by namespace. */
/* @__NO_SIDE_EFFECTS__ */
export function createSqliteStores(sql: SqlConnection): SqliteStores {
  sql.transaction(() => {
    for (const statement of SCHEMA) sql.all(statement)
  })
  const stores = new Map<string, SqliteStore>()
  return {
    store(namespace) {
      let store = stores.get(namespace)
      if (!store) {
        store = createNamespaceStore(sql, namespace)
        stores.set(namespace, store)
      }
      return store
    },
    namespaces: () => sql.all('SELECT ns FROM es_meta ORDER BY ns').map((row) => String(row.ns)),
  }
}

interface Copy {
  record: StoredRecord
  account: string
  /** JSON and `created` as in the row: written back only when they changed */
  object: string
  internal: string
  created: number
  /** added in this transaction and not in the table yet: written (once, as it is then) at write-back */
  pending?: boolean
}

interface Tx {
  copies: Map<string, Copy> | undefined
  /** accounts' creation counters as the open transaction moved them (written once, at commit) */
  seqs: Map<string, number> | undefined
}

function createNamespaceStore(sql: SqlConnection, ns: string): SqliteStore {
  const tx: Tx = { copies: undefined, seqs: undefined }
  const accounts = new Map<string, SqliteAccount>()
  const handle = (id: string) => {
    let account = accounts.get(id)
    if (!account) {
      account = new SqliteAccount(sql, ns, id, tx)
      accounts.set(id, account)
    }
    return account
  }
  // accounts known to exist (forgotten when a transaction rolls back or the namespace is cleared)
  const known = new Set<string>()
  const exists = (id: string) => {
    if (known.has(id)) return true
    const found = sql.all('SELECT 1 AS one FROM es_accounts WHERE ns = ? AND id = ?', [ns, id]).length > 0
    if (found) known.add(id)
    return found
  }
  let eventCounter: number | undefined
  /** the meta JSON committed last, and the one written by the open transaction */
  let savedMeta: string | undefined
  let pendingMeta: string | undefined
  const store: SqliteStore = {
    name: 'sqlite',
    beforeCommit: undefined,
    transaction(fn) {
      if (tx.copies) return fn()
      tx.copies = new Map()
      tx.seqs = new Map()
      try {
        const result = sql.transaction(() => {
          const result = fn()
          for (const copy of (tx.copies as Map<string, Copy>).values()) writeBack(sql, ns, copy)
          for (const [id, seq] of tx.seqs as Map<string, number>)
            sql.all('UPDATE es_accounts SET seq = ? WHERE ns = ? AND id = ?', [seq, ns, id])
          store.beforeCommit?.()
          return result
        })
        if (pendingMeta !== undefined) savedMeta = pendingMeta
        return result
      } catch (error) {
        eventCounter = undefined
        known.clear()
        throw error
      } finally {
        tx.copies = undefined
        tx.seqs = undefined
        pendingMeta = undefined
      }
    },
    account(id) {
      if (!exists(id)) {
        const ord = Number(sql.all('SELECT coalesce(max(ord), 0) + 1 AS ord FROM es_accounts WHERE ns = ?', [ns])[0]?.ord ?? 1)
        sql.all('INSERT INTO es_accounts (ns, id, seq, ord) VALUES (?, ?, 0, ?)', [ns, id, ord])
      }
      return handle(id)
    },
    find: (id) => (exists(id) ? handle(id) : undefined),
    accounts: () => sql.all('SELECT id FROM es_accounts WHERE ns = ? ORDER BY ord', [ns]).map((row) => handle(String(row.id))),
    clear() {
      for (const table of ['es_accounts', 'es_meta', 'es_events', 'es_objects', 'es_customers', 'es_side'])
        sql.all(`DELETE FROM ${table} WHERE ns = ?`, [ns])
      tx.copies?.clear()
      tx.seqs?.clear()
      known.clear()
      eventCounter = 0
      savedMeta = undefined
    },
    load(keep = Number.POSITIVE_INFINITY) {
      const row = sql.all('SELECT value FROM es_meta WHERE ns = ?', [ns])[0]
      if (!row) return undefined
      savedMeta = String(row.value)
      const events = sql.all('SELECT value FROM es_events WHERE ns = ? ORDER BY n', [ns]).map((event) => JSON.parse(String(event.value)))
      return { meta: JSON.parse(savedMeta) as SavedMeta, events: events.slice(Math.max(0, events.length - keep)) }
    },
    saveMeta(meta) {
      const value = JSON.stringify(meta)
      // unchanged since the last commit (a manual clock): nothing to write
      if (value === savedMeta) return
      sql.all('INSERT INTO es_meta (ns, value) VALUES (?, ?) ON CONFLICT (ns) DO UPDATE SET value = excluded.value', [ns, value])
      pendingMeta = value
    },
    appendEvents(events, keep) {
      if (!events.length) return
      eventCounter ??= Number(sql.all('SELECT coalesce(max(n), 0) AS n FROM es_events WHERE ns = ?', [ns])[0]?.n ?? 0)
      for (const event of events)
        sql.all('INSERT INTO es_events (ns, n, value) VALUES (?, ?, ?)', [ns, ++eventCounter, JSON.stringify(event)])
      // trimmed every 64 events, not every one (at most `keep` + 64 rows; `load` keeps the newest `keep`)
      if (eventCounter % 64 < events.length || keep === 0)
        sql.all('DELETE FROM es_events WHERE ns = ? AND n <= ?', [ns, eventCounter - keep])
    },
  }
  return store
}

/** Writes a working copy to its row if it changed, or as a new row (the row then holds what the copy holds). */
function writeBack(sql: SqlConnection, ns: string, copy: Copy): void {
  const object = JSON.stringify(copy.record.object)
  const internal = JSON.stringify(copy.record.internal)
  const created = createdOf(copy.record.object)
  if (copy.pending) {
    upsert(sql, ns, copy.account, copy.record, object, internal)
    copy.pending = false
    Object.assign(copy, { object, internal, created })
    return
  }
  if (object === copy.object && internal === copy.internal) return
  const where = [ns, copy.account, copy.record.object.id]
  // `created` (in the order index) only when it changed: an unchanged index is not rewritten
  if (created === copy.created)
    sql.all('UPDATE es_objects SET object = ?, internal = ? WHERE ns = ? AND account = ? AND id = ?', [object, internal, ...where])
  else
    sql.all('UPDATE es_objects SET object = ?, internal = ?, created = ? WHERE ns = ? AND account = ? AND id = ?', [
      object,
      internal,
      created,
      ...where,
    ])
  copy.object = object
  copy.internal = internal
  copy.created = created
}

/** Inserts a record's row, or replaces the row with its id. */
function upsert(sql: SqlConnection, ns: string, account: string, record: StoredRecord, object: string, internal: string): void {
  sql.all(
    `INSERT INTO es_objects (ns, account, id, kind, created, seq, object, internal) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (ns, account, id) DO UPDATE SET kind = excluded.kind, created = excluded.created, seq = excluded.seq,
     object = excluded.object, internal = excluded.internal`,
    [ns, account, record.object.id, record.object.object, createdOf(record.object), record.seq, object, internal],
  )
}

const createdOf = (object: object): number => Number((object as { created?: unknown }).created ?? 0) || 0

class SqliteAccount implements AccountStore {
  insertCount = 0
  scanned = 0
  readonly customers: KeySet
  readonly fileContents: KeyMap<{ type: string; body: string }>
  readonly idempotency: KeyMap<IdempotencyEntry>
  private readonly where: SqlValue[]

  constructor(
    private readonly sql: SqlConnection,
    private readonly ns: string,
    readonly id: string,
    private readonly tx: Tx,
  ) {
    this.where = [ns, id]
    this.customers = {
      has: (key) => sql.all('SELECT 1 AS one FROM es_customers WHERE ns = ? AND account = ? AND id = ?', [ns, id, key]).length > 0,
      add: (key) => void sql.all('INSERT OR IGNORE INTO es_customers (ns, account, id) VALUES (?, ?, ?)', [ns, id, key]),
      [Symbol.iterator]: () =>
        sql
          .all('SELECT id FROM es_customers WHERE ns = ? AND account = ? ORDER BY rowid', [ns, id])
          .map((row) => String(row.id))
          [Symbol.iterator](),
    }
    this.fileContents = sideTable(sql, ns, id, 'file')
    this.idempotency = sideTable(sql, ns, id, 'idempotency')
  }

  get seq(): number {
    const held = this.tx.seqs?.get(this.id)
    if (held !== undefined) return held
    return Number(this.sql.all('SELECT seq FROM es_accounts WHERE ns = ? AND id = ?', this.where)[0]?.seq ?? 0)
  }

  set seq(value: number) {
    // inside a transaction: kept in memory, written once at commit
    if (this.tx.seqs) this.tx.seqs.set(this.id, value)
    else this.sql.all('UPDATE es_accounts SET seq = ? WHERE ns = ? AND id = ?', [value, ...this.where])
  }

  get size(): number {
    this.flushCopies()
    return Number(this.sql.all('SELECT count(*) AS n FROM es_objects WHERE ns = ? AND account = ?', this.where)[0]?.n ?? 0)
  }

  insert<T extends Storable>(object: T, internal: Record<string, unknown> = {}): T {
    const seq = this.seq + 1
    this.seq = seq
    this.add({ seq, object: object as unknown as StripeObject, internal })
    this.insertCount++
    return object
  }

  add(record: StoredRecord): void {
    // inside a transaction the caller's object is the working copy: its row is written at the
    // first scan of its kind or at commit, with the changes made to it by then
    const copies = this.tx.copies
    if (copies) {
      const created = createdOf(record.object)
      copies.set(this.key(record.object.id), { record, account: this.id, object: '', internal: '', created, pending: true })
      return
    }
    upsert(this.sql, this.ns, this.id, record, JSON.stringify(record.object), JSON.stringify(record.internal))
  }

  record(id: string): StoredRecord | undefined {
    const held = this.tx.copies?.get(this.key(id))
    if (held) return held.record
    const row = this.sql.all('SELECT seq, created, object, internal FROM es_objects WHERE ns = ? AND account = ? AND id = ?', [
      this.ns,
      this.id,
      id,
    ])[0]
    return row && this.copy(id, row)
  }

  get<Kind extends string>(kind: Kind, id: string): ObjectOf<Kind> | undefined {
    const record = this.record(id)
    return record && record.object.object === kind ? (record.object as unknown as ObjectOf<Kind>) : undefined
  }

  remove(id: string): StoredRecord | undefined {
    const record = this.record(id)
    if (!record) return undefined
    this.sql.all('DELETE FROM es_objects WHERE ns = ? AND account = ? AND id = ?', [this.ns, this.id, id])
    this.tx.copies?.delete(this.key(id))
    return record
  }

  reindex(): void {
    // nothing to keep: field scans read the field's current value (changed copies are written
    // back before a scan reads them: see `scan`)
  }

  *scan(kind: string, options: ScanOptions = {}): Generator<StoredRecord> {
    const newest = options.from !== 'oldest'
    const filters = ['ns = ?', 'account = ?', 'kind = ?']
    const params: SqlValue[] = [this.ns, this.id, kind]
    if (options.by) {
      const [field, value] = options.by
      const path = `$."${field.replace(/"/g, '""')}"`
      if (value === null || value === undefined) {
        filters.push('json_extract(object, ?) IS NULL')
        params.push(path)
      } else if (typeof value === 'boolean') {
        filters.push('json_type(object, ?) = ?')
        params.push(path, value ? 'true' : 'false')
      } else if (typeof value === 'number') {
        filters.push("json_type(object, ?) IN ('integer', 'real') AND json_extract(object, ?) = ?")
        params.push(path, path, value)
      } else {
        filters.push("json_type(object, ?) = 'text' AND json_extract(object, ?) = ?")
        params.push(path, path, String(value))
      }
    }
    if (options.created?.gte !== undefined) {
      filters.push('created >= ?')
      params.push(options.created.gte)
    }
    if (options.created?.lt !== undefined) {
      filters.push('created < ?')
      params.push(options.created.lt)
    }
    let after = options.after ? [options.after.created, options.after.seq] : undefined
    const order = newest ? 'created DESC, seq DESC' : 'created ASC, seq ASC'
    for (;;) {
      // the kind's new and changed working copies first reach the table: a scan by field sees the
      // current values (a scan without one reads only `created` from the rows, for the order)
      this.flushCopies(kind, !options.by)
      const page = this.sql.all(
        `SELECT id, seq, created, object, internal FROM es_objects WHERE ${filters.join(' AND ')}${
          after ? ` AND (created, seq) ${newest ? '<' : '>'} (?, ?)` : ''
        } ORDER BY ${order} LIMIT ${PAGE}`,
        after ? [...params, ...after] : params,
      )
      for (const row of page) {
        this.scanned++
        yield this.copy(String(row.id), row)
      }
      if (page.length < PAGE) return
      const last = page[page.length - 1] as Record<string, SqlValue>
      after = [Number(last.created), Number(last.seq)]
    }
  }

  list<Kind extends string>(kind: Kind, predicate: (object: ObjectOf<Kind>) => boolean = () => true): ObjectOf<Kind>[] {
    const before = this.scanned
    const out: ObjectOf<Kind>[] = []
    for (const record of this.scan(kind)) {
      const object = record.object as unknown as ObjectOf<Kind>
      if (predicate(object)) out.push(object)
    }
    this.scanned = before
    return out
  }

  all(): StoredRecord[] {
    this.flushCopies()
    return this.sql
      .all('SELECT id, seq, created, object, internal FROM es_objects WHERE ns = ? AND account = ? ORDER BY seq', this.where)
      .map((row) => this.copy(String(row.id), row))
  }

  private key(id: string): string {
    return `${this.id}\u0000${id}`
  }

  /**
   * Writes this account's new and changed working copies to the table (they stay the working
   * copies); with `kind`, the new ones and that kind's changed ones, and with `order`, of the
   * changed ones only those whose `created` changed.
   */
  private flushCopies(kind?: string, order = false): void {
    const copies = this.tx.copies
    if (!copies) return
    for (const copy of copies.values()) {
      if (copy.account !== this.id) continue
      // (every new one: one replacing a row of another kind must replace it before that kind is scanned)
      if (kind !== undefined && copy.record.object.object !== kind && !copy.pending) continue
      if (order && !copy.pending && createdOf(copy.record.object) === copy.created) continue
      writeBack(this.sql, this.ns, copy)
    }
  }

  /** The transaction's working copy of a row (a fresh copy outside a transaction). */
  private copy(id: string, row: Record<string, SqlValue>): StoredRecord {
    const held = this.tx.copies?.get(this.key(id))
    if (held) return held.record
    const object = String(row.object)
    const internal = String(row.internal)
    const record: StoredRecord = { seq: Number(row.seq), object: JSON.parse(object), internal: JSON.parse(internal) }
    this.tx.copies?.set(this.key(id), { record, account: this.id, object, internal, created: Number(row.created) })
    return record
  }
}

/** A KeyMap over JSON rows of `es_side`, in insertion order (a key set again keeps its place). */
function sideTable<Value>(sql: SqlConnection, ns: string, account: string, tbl: string): KeyMap<Value> {
  const where = [ns, account, tbl]
  return {
    get(key) {
      const row = sql.all('SELECT value FROM es_side WHERE ns = ? AND account = ? AND tbl = ? AND key = ?', [...where, key])[0]
      return row ? (JSON.parse(String(row.value)) as Value) : undefined
    },
    set(key, value) {
      sql.all(
        `INSERT INTO es_side (ns, account, tbl, key, ord, value)
         VALUES (?, ?, ?, ?, (SELECT coalesce(max(ord), 0) + 1 FROM es_side WHERE ns = ? AND account = ? AND tbl = ?), ?)
         ON CONFLICT (ns, account, tbl, key) DO UPDATE SET value = excluded.value`,
        [...where, key, ...where, JSON.stringify(value)],
      )
    },
    delete(key) {
      return (
        sql.all('DELETE FROM es_side WHERE ns = ? AND account = ? AND tbl = ? AND key = ? RETURNING 1 AS one', [...where, key]).length > 0
      )
    },
    get size() {
      return Number(sql.all('SELECT count(*) AS n FROM es_side WHERE ns = ? AND account = ? AND tbl = ?', where)[0]?.n ?? 0)
    },
    *[Symbol.iterator]() {
      // a page at a time: the idempotency sweep reads only the expired entries and one more
      // (a first page of 2: the sweep usually stops at the first entry, and values are whole responses)
      let after = 0
      for (let limit = 2; ; limit = PAGE) {
        const page = sql.all(
          'SELECT key, value, ord FROM es_side WHERE ns = ? AND account = ? AND tbl = ? AND ord > ? ORDER BY ord LIMIT ?',
          [...where, after, limit],
        )
        for (const row of page) yield [String(row.key), JSON.parse(String(row.value)) as Value] as [string, Value]
        if (page.length < limit) return
        after = Number(page[page.length - 1]?.ord)
      }
    },
  }
}
