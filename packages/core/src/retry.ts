import { _fail, StripeConnectionError, type StripeError, StripeTimeoutError } from './errors.js'
import type { ResolvedConfig } from './types.js'

const NEVER = [400, 401, 402, 403, 404]

/**
 * Whether a failed attempt may be retried, and why. Order:
 * 1. 400/401/402/403/404 and idempotency errors: never;
 * 2. `Stripe-Should-Retry: true|false` decides;
 * 3. network failures and timeouts, 409, 429, 5xx: retry.
 */
export function retryReason(error: StripeError): string | undefined {
  const status = error.statusCode ?? 0
  if (error.type === 'idempotency_error' || NEVER.includes(status)) return undefined
  const should = error.headers?.get('stripe-should-retry')
  if (should === 'false') return undefined
  if (should === 'true') return 'stripe-should-retry'
  if (error instanceof StripeConnectionError) return error instanceof StripeTimeoutError ? 'timeout' : 'network'
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

/**
 * Checks the limits that bound a call's total time: `maxRetries` an integer from 0 to 10, `timeout`
 * a positive number of milliseconds that a timer can hold. Used for client and per-request options.
 */
export function _checkLimits(maxRetries: number, timeout: number): void {
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10)
    _fail(`maxRetries must be an integer from 0 to 10, got ${maxRetries}.`)
  if (!(timeout > 0 && timeout <= 2_147_483_647)) _fail(`timeout must be a positive number of milliseconds, got ${timeout}.`)
}
