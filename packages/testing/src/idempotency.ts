import { EmulatorError } from './errors.js'
import type { AccountStore, IdempotencyEntry } from './store.js'

/** How long Stripe keeps idempotency keys: 24 hours (of emulator time). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60

/** Stable fingerprint of a request: method, path and decoded params with sorted keys. */
export function requestFingerprint(method: string, path: string, params: unknown): string {
  return JSON.stringify([method, path, sortKeys(params)])
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    )
  }
  return value
}

/** Per idempotency table: the `now` of its last sweep that found nothing expired. */
const sweptAt = /* @__PURE__ */ new WeakMap<object, number>()

/**
 * Drops expired entries. Entries are kept in insertion order and all live 24 h from a clock that
 * never goes back, so the expired ones are at the front: amortized O(1) per request. A sweep at
 * the `now` of a sweep that found nothing is skipped (an entry saved since expires 24 h after it;
 * one that could be older, restored from a snapshot, is ignored by `lookupIdempotent`): a SQL
 * store reads no rows for it.
 */
export function sweepIdempotency(store: AccountStore, now: number): void {
  const table = store.idempotency
  if (sweptAt.get(table) === now) return
  let dropped = false
  for (const [key, entry] of table) {
    if (entry.expiresAt > now) break
    table.delete(key)
    dropped = true
  }
  // a drop is kept only if the transaction commits: then the next call sweeps again
  if (dropped) sweptAt.delete(table)
  else sweptAt.set(table, now)
}

/** The saved response for a key, or undefined; throws `idempotency_error` on a param mismatch. */
export function lookupIdempotent(store: AccountStore, key: string, fingerprint: string, now: number): IdempotencyEntry | undefined {
  sweepIdempotency(store, now)
  const entry = store.idempotency.get(key)
  if (!entry || entry.expiresAt <= now) return undefined
  if (entry.fingerprint !== fingerprint) {
    throw new EmulatorError(400, {
      type: 'idempotency_error',
      message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    })
  }
  return entry
}

export function saveIdempotent(store: AccountStore, key: string, entry: Omit<IdempotencyEntry, 'expiresAt'>, now: number): void {
  sweepIdempotency(store, now)
  store.idempotency.delete(key) // re-inserted at the back: insertion order stays expiry order
  store.idempotency.set(key, { ...entry, expiresAt: now + IDEMPOTENCY_TTL_SECONDS })
}
