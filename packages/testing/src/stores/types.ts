// The store interface: everything the emulator keeps for one key's account (its platform account and
// connected accounts) goes through it, so a backend is one file (stores/memory.ts today; SQLite and
// Durable Objects' `ctx.storage.sql` next). It is synchronous on purpose: `node:sqlite`,
// better-sqlite3 and `ctx.storage.sql.exec` are synchronous, and the emulator runs each request as
// one `transaction(fn)`. test/store-contract.ts (`testStore`) is the suite every backend passes.
import type { ResourceName, Resources } from '../generated/resources.js'

/** A Stripe API object as stored and returned. */
export type StripeObject = { id: string; object: string; [key: string]: unknown }

/** What the store holds: any object with an `id` and an `object` type. */
export type Storable = { id: string; object: string; created?: unknown }

/** The object type of a kind: its generated resource type when the emulator knows it. */
export type ObjectOf<Kind extends string> = Kind extends ResourceName ? Resources[Kind] : StripeObject

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

/** Where a scan starts and which way it goes (see `AccountStore.scan`). */
export interface ScanOptions {
  /** only objects whose `field` equals `value` (`reindex` keeps this exact after a change) */
  by?: readonly [field: string, value: unknown]
  /** `'newest'` (default): from the newest down; `'oldest'`: from the oldest up */
  from?: 'newest' | 'oldest'
  /** start past this position (`created`, `seq`), exclusive, in the scan's direction */
  after?: { created: number; seq: number }
  /** only `created` ≥ `gte` and < `lt` */
  created?: { gte?: number; lt?: number }
}

/** A set of strings (customers known to an account). */
export interface KeySet extends Iterable<string> {
  has(key: string): boolean
  add(key: string): void
}

/** A map by string key, iterated in insertion order (files' contents, idempotency entries). */
export interface KeyMap<Value> extends Iterable<[string, Value]> {
  get(key: string): Value | undefined
  set(key: string, value: Value): void
  delete(key: string): boolean
  readonly size: number
}

/**
 * The objects and side tables of one account (a platform account, or a connected account chosen
 * by `Stripe-Account`). Objects are ordered by (`created`, `seq`): `seq` is the account's creation
 * counter. Objects handed out (`get`, `record`, `list`, `scan`) are the transaction's working
 * copies: a handler changes them in place and the store keeps the changes when the transaction
 * commits (a SQL store writes back those whose JSON changed).
 */
export interface AccountStore {
  /** the account id (`acct_…`) */
  readonly id: string
  /** Stores a new object with the next `seq`; returns it (the stored working copy). */
  insert<T extends Storable>(object: T, internal?: Record<string, unknown>): T
  /** Stores a record as it is, `seq` included (snapshot restore); one with the same id is replaced. */
  add(record: StoredRecord): void
  /** The object with this id if it is of the given `object` type. */
  get<Kind extends string>(kind: Kind, id: string): ObjectOf<Kind> | undefined
  /** The record (object, seq, internal data) with this id, whatever its kind. */
  record(id: string): StoredRecord | undefined
  /** Removes an object; returns its record. */
  remove(id: string): StoredRecord | undefined
  /** Call after changing a field that `scan({ by })` reads (`previous` = its old value). */
  reindex(object: Storable, field: string, previous: unknown): void
  /**
   * Records of a kind in (`created`, `seq`) order, lazily: a page reads its records, not the kind
   * (each record yielded counts in `scanned`).
   */
  scan(kind: string, options?: ScanOptions): Iterable<StoredRecord>
  /** Objects of a kind passing `predicate`, newest first: O(n), for controls and reports. */
  list<Kind extends string>(kind: Kind, predicate?: (object: ObjectOf<Kind>) => boolean): ObjectOf<Kind>[]
  /** Every record, in creation (`seq`) order: snapshots. */
  all(): StoredRecord[]
  /** number of objects */
  readonly size: number
  /** the creation counter: the last `seq` given (snapshots save and restore it) */
  seq: number
  /** objects inserted so far (a request that created something) */
  readonly insertCount: number
  /** records yielded by scans so far: what "O(page)" is measured by */
  readonly scanned: number
  /** customer ids seeded (`control.seed('customer')`) */
  readonly customers: KeySet
  /** file contents by file id */
  readonly fileContents: KeyMap<{ type: string; body: string }>
  /** idempotency entries by key, in insertion (= expiry) order */
  readonly idempotency: KeyMap<IdempotencyEntry>
}

/** The store of one key's account: its platform and connected accounts. */
export interface EmulatorStore {
  /** the backend's name (`memory`) */
  readonly name: string
  /**
   * Runs `fn` as one transaction and returns its result: its writes are kept together when it
   * returns, and dropped when it throws (then the error is rethrown). Transactions do not nest: a
   * call inside one runs as part of it.
   */
  transaction<T>(fn: () => T): T
  /** The account with this id, created empty on first use. */
  account(id: string): AccountStore
  /** The account with this id if it was used; never creates one. */
  find(id: string): AccountStore | undefined
  /** The accounts used so far, in order of first use. */
  accounts(): Iterable<AccountStore>
}
