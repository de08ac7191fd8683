import type { Operation } from './operation.js'

/**
 * One key per logical POST: the caller's (checked with the other options) or a fresh UUID, reused
 * by every retry. Stripe ignores the header on GET and DELETE (idempotent already): none is sent.
 */
export function idempotencyKeyFor(operation: Operation, given: string | undefined): string | undefined {
  return operation.method === 'POST' ? (given ?? crypto.randomUUID()) : undefined
}
