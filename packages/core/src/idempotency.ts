import { StripeValidationError } from './errors'

/** One key per logical POST: the caller's (1–255 characters) or a fresh UUID, reused by every retry. */
export function idempotencyKeyFor(method: string, given: string | undefined): string | undefined {
  if (given !== undefined) {
    if (typeof given !== 'string' || given.length < 1 || given.length > 255) {
      throw new StripeValidationError({
        message: 'idempotencyKey must be a string of 1 to 255 characters.',
        raw: { type: 'invalid_request_error', param: 'idempotencyKey' },
        issues: [{ path: 'idempotencyKey', message: 'must be 1 to 255 characters' }],
      })
    }
  }
  // Stripe ignores the header on GET and DELETE (idempotent already), so it is sent on POST only.
  return method === 'POST' ? (given ?? crypto.randomUUID()) : undefined
}
