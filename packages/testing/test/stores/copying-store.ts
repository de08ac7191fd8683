// A second store backend, shaped like a SQL one, to hold the store interface to its word: rows are
// kept as JSON text (as SQLite or `ctx.storage.sql` would keep them), objects handed out are parsed
// copies, and the transaction writes back the copies whose JSON changed when it commits (an
// identity map: one copy per row per transaction). Outside a transaction writes commit at once and
// changes to copies are lost — a domain that bypassed the interface or changed an object outside a
// transaction fails its tests here. Scans parse and sort every row: for tests, not for speed.
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
} from '../../src/store.js'

interface Row {
  seq: number
  /** JSON of the object and of its internal data */
  object: string
  internal: string
}

interface Tables {
  rows: Map<string, Row>
  customers: Map<string, true>
  files: Map<string, string>
  idempotency: Map<string, string>
  seq: number
}

interface Copy {
  record: StoredRecord
  /** JSON as read: written back only when it changed */
  object: string
  internal: string
}

export function createCopyingStore(): EmulatorStore {
  const tables = new Map<string, Tables>()
  const accounts = new Map<string, CopyingAccount>()
  const tx: { copies: Map<string, Copy> | undefined } = { copies: undefined }
  return {
    name: 'copying',
    transaction(fn) {
      if (tx.copies) return fn()
      const backup = new Map([...tables].map(([id, t]) => [id, cloneTables(t)]))
      tx.copies = new Map()
      try {
        const result = fn()
        // commit: write back every copy that changed
        for (const [key, copy] of tx.copies) {
          const account = key.slice(0, key.indexOf('\u0000'))
          const row = tables.get(account)?.rows.get(copy.record.object.id)
          if (!row) continue
          const object = JSON.stringify(copy.record.object)
          const internal = JSON.stringify(copy.record.internal)
          if (object !== copy.object || internal !== copy.internal) row.object = object
          if (internal !== copy.internal) row.internal = internal
        }
        return result
      } catch (error) {
        tables.clear()
        for (const [id, t] of backup) tables.set(id, t)
        // accounts first used inside the transaction are back to empty
        for (const id of accounts.keys()) if (!tables.has(id)) tables.set(id, emptyTables())
        throw error
      } finally {
        tx.copies = undefined
      }
    },
    account(id) {
      let account = accounts.get(id)
      if (!account) {
        if (!tables.has(id)) tables.set(id, emptyTables())
        account = new CopyingAccount(id, () => tables.get(id) as Tables, tx)
        accounts.set(id, account)
      }
      return account
    },
    find: (id) => (accounts.has(id) ? accounts.get(id) : undefined),
    accounts: () => accounts.values(),
  }
}

function emptyTables(): Tables {
  return { rows: new Map(), customers: new Map(), files: new Map(), idempotency: new Map(), seq: 0 }
}

function cloneTables(t: Tables): Tables {
  return {
    rows: new Map([...t.rows].map(([id, row]) => [id, { ...row }])),
    customers: new Map(t.customers),
    files: new Map(t.files),
    idempotency: new Map(t.idempotency),
    seq: t.seq,
  }
}

class CopyingAccount implements AccountStore {
  insertCount = 0
  scanned = 0
  readonly customers: KeySet
  readonly fileContents: KeyMap<{ type: string; body: string }>
  readonly idempotency: KeyMap<IdempotencyEntry>

  constructor(
    readonly id: string,
    private readonly t: () => Tables,
    private readonly tx: { copies: Map<string, Copy> | undefined },
  ) {
    this.customers = {
      has: (key) => this.t().customers.has(key),
      add: (key) => void this.t().customers.set(key, true),
      [Symbol.iterator]: () => this.t().customers.keys(),
    }
    this.fileContents = jsonMap(() => this.t().files)
    this.idempotency = jsonMap(() => this.t().idempotency)
  }

  get seq() {
    return this.t().seq
  }
  set seq(value: number) {
    this.t().seq = value
  }
  get size() {
    return this.t().rows.size
  }

  insert<T extends Storable>(object: T, internal: Record<string, unknown> = {}): T {
    const seq = ++this.t().seq
    this.add({ seq, object: object as unknown as StripeObject, internal })
    this.insertCount++
    return object
  }

  add(record: StoredRecord): void {
    const row = { seq: record.seq, object: JSON.stringify(record.object), internal: JSON.stringify(record.internal) }
    this.t().rows.set(record.object.id, row)
    // inside a transaction the caller's object is the working copy: later changes to it are kept
    this.tx.copies?.set(this.key(record.object.id), { record, object: row.object, internal: row.internal })
  }

  record(id: string): StoredRecord | undefined {
    const row = this.t().rows.get(id)
    return row && this.copy(id, row)
  }

  get<Kind extends string>(kind: Kind, id: string): ObjectOf<Kind> | undefined {
    const record = this.record(id)
    return record && record.object.object === kind ? (record.object as unknown as ObjectOf<Kind>) : undefined
  }

  remove(id: string): StoredRecord | undefined {
    const record = this.record(id)
    if (!record) return undefined
    this.t().rows.delete(id)
    this.tx.copies?.delete(this.key(id))
    return record
  }

  reindex(): void {
    // nothing to keep: scans read the field's current value
  }

  *scan(kind: string, options: ScanOptions = {}): Generator<StoredRecord> {
    const records = [...this.t().rows]
      .map(([id, row]) => this.copy(id, row))
      .filter((record) => record.object.object === kind)
      .filter((record) => !options.by || record.object[options.by[0]] === options.by[1])
      .filter((record) => options.created?.gte === undefined || createdOf(record) >= options.created.gte)
      .filter((record) => options.created?.lt === undefined || createdOf(record) < options.created.lt)
      .sort((a, b) => createdOf(a) - createdOf(b) || a.seq - b.seq)
    if (options.from !== 'oldest') records.reverse()
    const after = options.after
    for (const record of records) {
      if (after) {
        const order = createdOf(record) - after.created || record.seq - after.seq
        if (options.from === 'oldest' ? order <= 0 : order >= 0) continue
      }
      this.scanned++
      yield record
    }
  }

  list<Kind extends string>(kind: Kind, predicate: (object: ObjectOf<Kind>) => boolean = () => true): ObjectOf<Kind>[] {
    const before = this.scanned
    const out = [...this.scan(kind)].map((record) => record.object as unknown as ObjectOf<Kind>).filter(predicate)
    this.scanned = before
    return out
  }

  all(): StoredRecord[] {
    return [...this.t().rows].map(([id, row]) => this.copy(id, row)).sort((a, b) => a.seq - b.seq)
  }

  private key(id: string) {
    return `${this.id}\u0000${id}`
  }

  /** The transaction's working copy of a row (a fresh copy outside a transaction). */
  private copy(id: string, row: Row): StoredRecord {
    const held = this.tx.copies?.get(this.key(id))
    if (held) return held.record
    const record = { seq: row.seq, object: JSON.parse(row.object), internal: JSON.parse(row.internal) }
    this.tx.copies?.set(this.key(id), { record, object: row.object, internal: row.internal })
    return record
  }
}

const createdOf = (record: StoredRecord) => Number(record.object.created ?? 0)

/** A KeyMap over JSON text: values read back are copies. */
function jsonMap<Value>(table: () => Map<string, string>): KeyMap<Value> {
  return {
    get: (key) => {
      const text = table().get(key)
      return text === undefined ? undefined : (JSON.parse(text) as Value)
    },
    set: (key, value) => void table().set(key, JSON.stringify(value)),
    delete: (key) => table().delete(key),
    get size() {
      return table().size
    },
    *[Symbol.iterator]() {
      for (const [key, text] of table()) yield [key, JSON.parse(text) as Value]
    },
  }
}
