import { _poll, type PollOptions, type RequestOptions, type StripeClient } from '@edgestripe/core'
import { retrieveSource } from './generated/functions.js'
import type { Source } from './generated/resources.js'

export interface PollSourceOptions extends PollOptions {
  /** Statuses to stop at. Default: `chargeable`, `failed`, `canceled`, `consumed`. */
  until?: readonly Source['status'][]
  /** Called with the source whenever its status changes (and once for the first status seen). */
  onStatus?: (source: Source) => void
  /** Overall time limit, ms. Default 300 000 (5 min). */
  timeout?: number
  /**
   * Every request option, passed to each retrieve (`stripeAccount`, `apiVersion`, `headers`,
   * per-request `timeout`, `maxRetries`, …). Its `signal` aborts the wait like the top-level one.
   */
  request?: RequestOptions
}

const TERMINAL: readonly string[] = ['failed', 'canceled', 'consumed']

/**
 * Polls a source until its status is in `until` or terminal (`failed`, `canceled`, `consumed`),
 * then resolves with it. Works with a publishable-key client and the source's `client_secret`
 * (e.g. in a browser after a redirect), or a secret key. Observe changes through `onStatus` (one
 * callback, not an iterator: the result is still one promise). Waits 1 s, ×1.5 per poll up to 5 s,
 * never under 500 ms. A `timeout` throws `StripeWaitTimeoutError` (with `last`, the source last
 * seen); `signal` aborts with its reason; request errors are the core's typed errors.
 */
export function pollSource(
  client: StripeClient,
  id: string,
  params: { client_secret?: string } = {},
  {
    until = ['chargeable', 'failed', 'canceled', 'consumed'],
    onStatus,
    timeout = 300_000,
    request,
    signal = request?.signal,
    ...poll
  }: PollSourceOptions = {},
): Promise<Source> {
  let seen: string | undefined
  return _poll(
    (signal) => retrieveSource(client, id, params, { ...request, signal }),
    (source) => {
      if (source.status !== seen) onStatus?.(source)
      seen = source.status
      return until.includes(source.status) || TERMINAL.includes(source.status)
    },
    (last, ms) => `Source ${id} is still ${last ? `"${last.status}"` : 'not retrieved'} after ${ms} ms (waiting for ${until.join(', ')}).`,
    { ...poll, timeout, signal },
  )
}
