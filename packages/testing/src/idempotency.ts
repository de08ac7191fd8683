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

/**
 * Drops expired entries. Entries are kept in insertion order and all live 24 h from a clock that
 * never goes back, so the expired ones are at the front: amortized O(1) per request.
 */
export function sweepIdempotency(store: AccountStore, now: number): void {
  for (const [key, entry] of store.idempotency) {
    if (entry.expiresAt > now) return
    store.idempotency.delete(key)
  }
}

/** The saved response for a key, or undefined; throws `idempotency_error` on a param mismatch. */
export function lookupIdempotent(store: AccountStore, key: string, fingerprint: string, now: number): IdempotencyEntry | undefined {
  sweepIdempotency(store, now)
  const entry = store.idempotency.get(key)
  if (!entry) return undefined
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
