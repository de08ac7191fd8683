// The memory store (the default): objects in maps, one ordered index per kind (and per field value,
// built on first use). A transaction keeps an undo journal of inserts, removals, moves between
// field indexes and side-table writes, replayed backwards when it throws. In-place edits of the
// objects handed out are not journaled: handlers check everything before they change anything.
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

/* @__NO_SIDE_EFFECTS__ */
export function createMemoryStore(): EmulatorStore {
  const accounts = new Map<string, MemoryAccountStore>()
  const tx: Transaction = { journal: undefined }
  return {
    name: 'memory',
    transaction(fn) {
      if (tx.journal) return fn()
      const journal: (() => void)[] = []
      tx.journal = journal
      try {
        return fn()
      } catch (error) {
        tx.journal = undefined
        for (let index = journal.length - 1; index >= 0; index--) (journal[index] as () => void)()
        throw error
      } finally {
        tx.journal = undefined
      }
    },
    account(id) {
      let store = accounts.get(id)
      if (!store) {
        store = new MemoryAccountStore(id, tx)
        accounts.set(id, store)
      }
      return store
    },
    find: (id) => accounts.get(id),
    accounts: () => accounts.values(),
  }
}

// --- Internal helpers ---

interface Transaction {
  /** undo steps of the open transaction; undefined outside one */
  journal: (() => void)[] | undefined
}

/**
 * Records of one kind (or of one kind with one field value) ordered by (`created`, `seq`), oldest
 * first. Objects are created in clock order, so inserting is an append; a seeded `created` in the
 * past is placed by binary search.
 */
class OrderedIndex {
  readonly records: StoredRecord[] = []

  insert(record: StoredRecord): void {
    const records = this.records
    const last = records[records.length - 1]
    if (!last || compare(last, record) < 0) records.push(record)
    else records.splice(this.position(createdOf(record), record.seq), 0, record)
  }

  remove(record: StoredRecord): void {
    const at = this.position(createdOf(record), record.seq)
    if (this.records[at] === record) this.records.splice(at, 1)
  }

  /** index of the first record at or after (`created`, `seq`): O(log n) */
  position(created: number, seq: number): number {
    let low = 0
    let high = this.records.length
    while (low < high) {
      const mid = (low + high) >>> 1
      const record = this.records[mid] as StoredRecord
      const byCreated = createdOf(record) - created
      if (byCreated < 0 || (byCreated === 0 && record.seq < seq)) low = mid + 1
      else high = mid
    }
    return low
  }
}

const EMPTY = /* @__PURE__ */ new OrderedIndex()

const createdOf = (record: StoredRecord): number => Number(record.object.created ?? 0)

function compare(a: StoredRecord, b: StoredRecord): number {
  return createdOf(a) - createdOf(b) || a.seq - b.seq
}

/** A Map whose writes inside a transaction are undone if it throws. */
class JournaledMap<Value> implements KeyMap<Value> {
  private readonly map = new Map<string, Value>()
  constructor(private readonly tx: Transaction) {}
  get(key: string) {
    return this.map.get(key)
  }
  set(key: string, value: Value) {
    const had = this.map.has(key)
    const previous = this.map.get(key)
    this.tx.journal?.push(() => (had ? this.map.set(key, previous as Value) : this.map.delete(key)))
    this.map.set(key, value)
  }
  delete(key: string) {
    if (!this.map.has(key)) return false
    const previous = this.map.get(key) as Value
    // undone at the back: insertion order may change on rollback, not the contents
    this.tx.journal?.push(() => this.map.set(key, previous))
    return this.map.delete(key)
  }
  get size() {
    return this.map.size
  }
  [Symbol.iterator]() {
    return this.map[Symbol.iterator]()
  }
}

class JournaledSet implements KeySet {
  private readonly set = new Set<string>()
  constructor(private readonly tx: Transaction) {}
  has(key: string) {
    return this.set.has(key)
  }
  add(key: string) {
    if (this.set.has(key)) return
    this.tx.journal?.push(() => this.set.delete(key))
    this.set.add(key)
  }
  [Symbol.iterator]() {
    return this.set[Symbol.iterator]()
  }
}

class MemoryAccountStore implements AccountStore {
  readonly id: string
  readonly customers: JournaledSet
  readonly fileContents: JournaledMap<{ type: string; body: string }>
  readonly idempotency: JournaledMap<IdempotencyEntry>
  insertCount = 0
  scanned = 0
  seq = 0
  private readonly records = new Map<string, StoredRecord>()
  private readonly kinds = new Map<string, OrderedIndex>()
  /** `kind|field` → field value → index, built on first use and kept up to date */
  private readonly fieldIndexes = new Map<string, Map<unknown, OrderedIndex>>()
  private readonly tx: Transaction

  constructor(id: string, tx: Transaction) {
    this.id = id
    this.tx = tx
    this.customers = new JournaledSet(tx)
    this.fileContents = new JournaledMap(tx)
    this.idempotency = new JournaledMap(tx)
  }

  insert<T extends Storable>(object: T, internal: Record<string, unknown> = {}): T {
    this.add({ object: object as unknown as StripeObject, seq: ++this.seq, internal })
    this.insertCount++
    return object
  }

  add(record: StoredRecord): void {
    const replaced = this.detach(record.object.id)
    this.attach(record)
    this.tx.journal?.push(() => {
      this.detach(record.object.id)
      if (replaced) this.attach(replaced)
    })
  }

  remove(id: string): StoredRecord | undefined {
    const record = this.detach(id)
    if (record) this.tx.journal?.push(() => this.attach(record))
    return record
  }

  record(id: string): StoredRecord | undefined {
    return this.records.get(id)
  }

  get<Kind extends string>(kind: Kind, id: string): ObjectOf<Kind> | undefined {
    const record = this.records.get(id)
    return record && record.object.object === kind ? (record.object as unknown as ObjectOf<Kind>) : undefined
  }

  reindex(object: Storable, field: string, previous: unknown): void {
    const buckets = this.fieldIndexes.get(`${object.object}|${field}`)
    const record = this.records.get(object.id)
    if (!buckets || !record) return
    const current = record.object[field]
    buckets.get(previous)?.remove(record)
    bucket(buckets, current).insert(record)
    this.tx.journal?.push(() => {
      buckets.get(current)?.remove(record)
      bucket(buckets, previous).insert(record)
    })
  }

  *scan(kind: string, options: ScanOptions = {}): Generator<StoredRecord> {
    const index = this.index(kind, options.by)
    const records = index.records
    let low = options.created?.gte === undefined ? 0 : index.position(options.created.gte, 0)
    let high = options.created?.lt === undefined ? records.length : index.position(options.created.lt, 0)
    const after = options.after
    if (options.from === 'oldest') {
      if (after) low = Math.max(low, index.position(after.created, after.seq + 1))
      for (let at = low; at < high; at++) {
        this.scanned++
        yield records[at] as StoredRecord
      }
      return
    }
    if (after) high = Math.min(high, index.position(after.created, after.seq))
    for (let at = high - 1; at >= low; at--) {
      this.scanned++
      yield records[at] as StoredRecord
    }
  }

  list<Kind extends string>(kind: Kind, predicate: (object: ObjectOf<Kind>) => boolean = () => true): ObjectOf<Kind>[] {
    const out: ObjectOf<Kind>[] = []
    const records = this.kindIndex(kind).records
    for (let index = records.length - 1; index >= 0; index--) {
      const object = (records[index] as StoredRecord).object as unknown as ObjectOf<Kind>
      if (predicate(object)) out.push(object)
    }
    return out
  }

  all(): StoredRecord[] {
    return [...this.records.values()].sort((a, b) => a.seq - b.seq)
  }

  get size(): number {
    return this.records.size
  }

  private attach(record: StoredRecord): void {
    this.records.set(record.object.id, record)
    this.kindIndex(record.object.object).insert(record)
    for (const [key, buckets] of this.fieldIndexes) {
      const [kind, field] = splitKey(key)
      if (kind === record.object.object) bucket(buckets, record.object[field]).insert(record)
    }
  }

  private detach(id: string): StoredRecord | undefined {
    const record = this.records.get(id)
    if (!record) return undefined
    this.records.delete(id)
    this.kindIndex(record.object.object).remove(record)
    for (const [key, buckets] of this.fieldIndexes) {
      const [kind, field] = splitKey(key)
      if (kind === record.object.object) buckets.get(record.object[field])?.remove(record)
    }
    return record
  }

  /** The ordered index of a kind, or of the objects of a kind whose `field` equals `value`. */
  private index(kind: string, by?: readonly [field: string, value: unknown]): OrderedIndex {
    if (!by) return this.kindIndex(kind)
    const key = `${kind}|${by[0]}`
    let buckets = this.fieldIndexes.get(key)
    if (!buckets) {
      buckets = new Map()
      for (const record of this.kindIndex(kind).records) bucket(buckets, record.object[by[0]]).insert(record)
      this.fieldIndexes.set(key, buckets)
    }
    return buckets.get(by[1]) ?? EMPTY
  }

  private kindIndex(kind: string): OrderedIndex {
    let index = this.kinds.get(kind)
    if (!index) {
      index = new OrderedIndex()
      this.kinds.set(kind, index)
    }
    return index
  }
}

function splitKey(key: string): [string, string] {
  const at = key.lastIndexOf('|')
  return [key.slice(0, at), key.slice(at + 1)]
}

function bucket(buckets: Map<unknown, OrderedIndex>, value: unknown): OrderedIndex {
  let index = buckets.get(value)
  if (!index) {
    index = new OrderedIndex()
    buckets.set(value, index)
  }
  return index
}
