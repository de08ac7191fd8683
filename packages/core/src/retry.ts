import { StripeConnectionError, type StripeError, StripeTimeoutError } from './errors.js'
import type { ResolvedConfig } from './types.js'

/**
 * Statuses never retried unless Stripe itself answers `Stripe-Should-Retry: true`: the answer is
 * final (bad params, bad key, declined, forbidden, not found). Override per client with the
 * `doNotRetry` option (octokit's `doNotRetry` list).
 */
export const DO_NOT_RETRY: readonly number[] = [400, 401, 402, 403, 404]

/**
 * Whether a failed attempt may be retried, and why; one rule per line, first match wins
 * (stripe-node `RequestSender._shouldRetry`, plus the idempotency rule):
 */
export function retryReason(error: StripeError, doNotRetry: readonly number[] = DO_NOT_RETRY): string | undefined {
  // The key was used with other params: every replay gets the same error.
  if (error.type === 'idempotency_error') return undefined
  // Stripe's own word on this response decides, whatever the status (as stripe-node does).
  const should = error.headers?.get('stripe-should-retry')
  if (should === 'false') return undefined
  if (should === 'true') return 'stripe-should-retry'
  const status = error.statusCode ?? 0
  // A final answer.
  if (doNotRetry.includes(status)) return undefined
  // No usable answer: the same idempotency key makes resending a POST safe.
  if (error instanceof StripeConnectionError) return error instanceof StripeTimeoutError ? 'timeout' : 'network'
  // 409 lock timeout, rate limit, server error.
  if (status === 409 || status === 429 || status >= 500) return `status ${status}`
  return undefined
}

/**
 * Delay before retry `n` (1-based), in ms:
 *   d = min(base · 2^(n-1), cap) · (0.5 + random() / 2)   — jitter on every attempt
 *   then at least `Retry-After` (seconds, or an HTTP date), itself capped at `maxRetryAfter`.
 * stripe-node also jitters into [d/2, d] but then floors at the 0.5 s base, so its first retry
 * is always exactly 0.5 s; here the floor is d/2 and every attempt is spread out.
 */
export function retryDelay(n: number, config: ResolvedConfig, error: StripeError, random: () => number = Math.random): number {
  const backoff = Math.min(config.retryBaseDelay * 2 ** (n - 1), config.retryMaxDelay)
  let delay = backoff * (0.5 + random() / 2)
  const retryAfter = parseRetryAfter(error.headers?.get('retry-after'))
  if (retryAfter !== undefined) delay = Math.max(delay, Math.min(retryAfter, config.maxRetryAfter))
  return Math.round(delay)
}

export function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

/** Resolves after `ms`, or rejects with the signal's reason; leaves no timer or listener behind. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
