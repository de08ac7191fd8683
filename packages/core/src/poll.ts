import { _fail, StripeError, type StripeErrorInit } from './errors.js'
import { sleep } from './retry.js'

/** Options every wait-for-a-status helper takes. */
export interface PollOptions {
  /** First wait between polls, ms; grows ×1.5 per poll up to `maxInterval`. Never below 500. */
  interval?: number
  /** Longest wait between polls, ms. Never below 500. */
  maxInterval?: number
  /** Overall time limit, ms, requests included; `Infinity` for none. */
  timeout?: number
  signal?: AbortSignal
}

/** A wait gave up after its overall `timeout`; `last` is the object as last seen (if any). */
export class StripeWaitTimeoutError<T = unknown> extends StripeError {
  override get name(): string {
    return 'StripeWaitTimeoutError'
  }
  declare readonly last: T | undefined
  constructor(init: StripeErrorInit & { last: T | undefined }) {
    super(init)
    this.last = init.last
  }
}

const FLOOR = 500

/**
 * Polls `get` until `done`, waiting `interval` ×1.5 per poll up to `maxInterval` (500 ms floor).
 * One deadline covers requests and waits; the caller's `signal` aborts both. Leaves no timer or
 * listener behind. On timeout throws `StripeWaitTimeoutError` with `describe(last)` as message.
 */
export async function _poll<T>(
  get: (signal: AbortSignal) => Promise<T>,
  done: (value: T) => boolean,
  describe: (last: T | undefined, ms: number) => string,
  { interval = 1000, maxInterval = 5000, timeout, signal }: PollOptions & { timeout: number },
): Promise<T> {
  for (const [name, value] of [
    ['interval', interval],
    ['maxInterval', maxInterval],
    ['timeout', timeout],
  ] as const) {
    if (!(value > 0) || (name !== 'timeout' && value === Number.POSITIVE_INFINITY))
      _fail(`${name} must be a positive number of milliseconds, got ${value}.`)
  }
  signal?.throwIfAborted()
  const controller = new AbortController()
  const timedOut = {}
  const onAbort = () => controller.abort(signal?.reason)
  signal?.addEventListener('abort', onAbort, { once: true })
  // No deadline for Infinity; a longer one than a timer holds (~24.8 days) is clamped to it.
  const timer =
    timeout === Number.POSITIVE_INFINITY ? undefined : setTimeout(() => controller.abort(timedOut), Math.min(timeout, 2_147_483_647))
  const most = Math.max(FLOOR, maxInterval)
  let last: T | undefined
  try {
    for (let wait = Math.min(Math.max(FLOOR, interval), most); ; wait = Math.min(wait * 1.5, most)) {
      last = await _abortable(get(controller.signal), controller.signal)
      if (done(last)) return last
      await sleep(wait, controller.signal)
    }
  } catch (error) {
    if (controller.signal.reason !== timedOut) throw error
    throw new StripeWaitTimeoutError({ message: describe(last, timeout), raw: { type: 'api_error', code: 'wait_timeout' }, last })
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  }
}

/**
 * `promise`, or a rejection with the signal's reason as soon as it aborts: a step that ignores the
 * signal it was given cannot hold the wait past its deadline.
 */
export function _abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
