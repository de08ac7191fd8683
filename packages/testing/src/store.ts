import type { ResourceName, Resources } from './generated/resources.js'

/** A Stripe API object as stored and returned. */
export type StripeObject = { id: string; object: string; [key: string]: unknown }

/** What the store holds: any object with an `id` and an `object` type. */
export type Storable = { id: string; object: string; created?: unknown }

export interface StoredRecord {
  object: StripeObject
  /** creation order within the account: deterministic tie-break for equal `created` */
  seq: number
  /** emulator-only data never sent to clients (JSON values only: snapshots carry it) */
  internal: Record<string, unknown>
}

export interface IdempotencyEntry {
  fingerprint: string
  expiresAt: number
  status: number
  /** `Request-Id` of the first execution (the other headers are rebuilt on replay) */
  requestId: string
  /** the response body as compact JSON (replayed pretty-printed, as first sent) */
  body: string
}

/** The object type of a kind: its generated resource type when the emulator knows it. */
export type ObjectOf<Kind extends string> = Kind extends ResourceName ? Resources[Kind] : StripeObject

/**
 * Records of one kind (or of one kind with one field value) ordered by (`created`, `seq`), oldest
 * first. Objects are created in clock order, so inserting is an append; a seeded `created` in the
 * past is placed by binary search.
 */
export class OrderedIndex {
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

const createdOf = (record: StoredRecord): number => Number(record.object.created ?? 0)

function compare(a: StoredRecord, b: StoredRecord): number {
  return createdOf(a) - createdOf(b) || a.seq - b.seq
}

/** All state of one account (the `Stripe-Account` scope). */
export class AccountStore {
  readonly id: string
  readonly customers: Set<string> = new Set()
  readonly fileContents: Map<string, { type: string; body: string }> = new Map()
  /** idempotency entries in insertion (= expiry) order: sweeping pops from the front */
  readonly idempotency: Map<string, IdempotencyEntry> = new Map()
  insertCount = 0
  /** records examined by list scans: what "O(page)" is measured by */
  scanned = 0
  seq = 0
  private readonly records = new Map<string, StoredRecord>()
  private readonly kinds = new Map<string, OrderedIndex>()
  /** `kind|field` → field value → index, built on first use and kept up to date */
  private readonly fieldIndexes = new Map<string, Map<unknown, OrderedIndex>>()

  constructor(id: string) {
    this.id = id
  }

  insert<T extends Storable>(object: T, internal: Record<string, unknown> = {}): T {
    this.add({ object: object as unknown as StripeObject, seq: ++this.seq, internal })
    this.insertCount++
    return object
  }

  /** Adds a record as it is (snapshot restore); one with the same id (a re-seed) is replaced. */
  add(record: StoredRecord): void {
    this.remove(record.object.id)
    this.records.set(record.object.id, record)
    this.kindIndex(record.object.object).insert(record)
    for (const [key, buckets] of this.fieldIndexes) {
      const [kind, field] = splitKey(key)
      if (kind === record.object.object) bucket(buckets, record.object[field]).insert(record)
    }
  }

  /** Removes an object (a deleted webhook endpoint) and its index entries; returns its record. */
  remove(id: string): StoredRecord | undefined {
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

  record(id: string): StoredRecord | undefined {
    return this.records.get(id)
  }

  /** The object with this id if it is of the given `object` type. */
  get<Kind extends string>(kind: Kind, id: string): ObjectOf<Kind> | undefined {
    const record = this.records.get(id)
    return record && record.object.object === kind ? (record.object as unknown as ObjectOf<Kind>) : undefined
  }

  /** The ordered index of a kind, or of the objects of a kind whose `field` equals `value`. */
  index(kind: string, by?: readonly [field: string, value: unknown]): OrderedIndex {
    if (!by) return this.kindIndex(kind)
    const key = `${kind}|${by[0]}`
    let buckets = this.fieldIndexes.get(key)
    if (!buckets) {
      buckets = new Map()
      for (const record of this.kindIndex(kind).records) bucket(buckets, record.object[by[0]]).insert(record)
      this.fieldIndexes.set(key, buckets)
    }
    return buckets.get(by[1]) ?? new OrderedIndex()
  }

  /** Call after changing an indexed field (`field`) of a stored object: moves it between buckets. */
  reindex(object: Storable, field: string, previous: unknown): void {
    const buckets = this.fieldIndexes.get(`${object.object}|${field}`)
    const record = this.records.get(object.id)
    if (!buckets || !record) return
    buckets.get(previous)?.remove(record)
    bucket(buckets, record.object[field]).insert(record)
  }

  /** Objects of a type, newest first (by `created`, then creation order): O(n), for controls and reports. */
  list<Kind extends string>(kind: Kind, predicate: (object: ObjectOf<Kind>) => boolean = () => true): ObjectOf<Kind>[] {
    const out: ObjectOf<Kind>[] = []
    const records = this.kindIndex(kind).records
    for (let index = records.length - 1; index >= 0; index--) {
      const object = (records[index] as StoredRecord).object as unknown as ObjectOf<Kind>
      if (predicate(object)) out.push(object)
    }
    return out
  }

  /** Every record, in creation order (snapshots). */
  allRecords(): StoredRecord[] {
    return [...this.records.values()].sort((a, b) => a.seq - b.seq)
  }

  get size(): number {
    return this.records.size
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
