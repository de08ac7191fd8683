/** A Stripe API object as stored and returned. */
export type StripeObject = { id: string; object: string; [key: string]: unknown }

export interface StoredRecord {
  object: StripeObject
  /** creation order within the account: deterministic tie-break for equal `created` */
  seq: number
  /** emulator-only data never sent to clients */
  internal: Record<string, unknown>
}

export interface IdempotencyEntry {
  fingerprint: string
  expiresAt: number
  status: number
  headers: [string, string][]
  body: string
}

/** All state of one account (the `Stripe-Account` scope). */
export class AccountStore {
  readonly id: string
  readonly customers = new Set<string>()
  readonly fileContents = new Map<string, { type: string; body: string }>()
  readonly idempotency = new Map<string, IdempotencyEntry>()
  insertCount = 0
  private readonly records = new Map<string, StoredRecord>()
  private seq = 0

  constructor(id: string) {
    this.id = id
  }

  insert<T extends StripeObject>(object: T, internal: Record<string, unknown> = {}): T {
    this.records.set(object.id, { object, seq: ++this.seq, internal })
    this.insertCount++
    return object
  }

  record(id: string): StoredRecord | undefined {
    return this.records.get(id)
  }

  /** The object with this id if it is of the given `object` type. */
  get(kind: string, id: string): StripeObject | undefined {
    const record = this.records.get(id)
    return record && record.object.object === kind ? record.object : undefined
  }

  /** Objects of a type, newest first (by `created`, then creation order). */
  list(kind: string, predicate: (object: StripeObject) => boolean = () => true): StripeObject[] {
    const matches = [...this.records.values()].filter((record) => record.object.object === kind && predicate(record.object))
    matches.sort((a, b) => {
      const byCreated = Number(b.object.created ?? 0) - Number(a.object.created ?? 0)
      return byCreated !== 0 ? byCreated : b.seq - a.seq
    })
    return matches.map((record) => record.object)
  }
}
