import type { Operation } from './operation.js'
import { _invalid } from './validate.js'

/** One key per logical POST: the caller's (1–255 characters) or a fresh UUID, reused by every retry. */
export function idempotencyKeyFor(operation: Operation, given: string | undefined): string | undefined {
  if (given !== undefined && (typeof given !== 'string' || given.length < 1 || given.length > 255)) {
    throw _invalid(operation, 'options', [{ path: 'idempotencyKey', message: 'must be a string of 1 to 255 characters' }])
  }
  // Stripe ignores the header on GET and DELETE (idempotent already), so it is sent on POST only.
  return operation.method === 'POST' ? (given ?? crypto.randomUUID()) : undefined
}
