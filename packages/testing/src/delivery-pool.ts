// How many webhook attempts run at once: a bound in all and a bound per endpoint, so a stuck
// endpoint costs one timeout for up to `perKey` of its events (not one per event) and holds at
// most `perKey` of the `limit` slots: other endpoints keep being served. Attempts start in the
// order they were queued (FIFO among those that may start), and one endpoint's attempts are SENT in
// that order too: each waits on `turn()` until the attempts queued before it for the same endpoint
// were sent (or ended), so an endpoint still receives its events in the order they happened, while
// their answers are awaited concurrently.

export interface DeliveryPool {
  /**
   * Runs `task` when a slot is free for `key` (an endpoint id); settles as it does. The task calls
   * `turn()` right before sending: it resolves once the earlier tasks of `key` have sent or ended.
   */
  run<T>(key: string, task: (turn: () => Promise<void>) => Promise<T>): Promise<T>
}

/** Default bound on attempts in flight at once, across endpoints. */
export const DEFAULT_WEBHOOK_CONCURRENCY = 20
/** Default bound on attempts in flight at once to one endpoint. */
export const DEFAULT_WEBHOOK_CONCURRENCY_PER_ENDPOINT = 10

interface Waiting {
  key: string
  start: () => void
}

/** A pool running at most `limit` tasks at once, at most `perKey` of them for one key. */
export function createDeliveryPool(
  limit: number = DEFAULT_WEBHOOK_CONCURRENCY,
  perKey: number = Math.min(limit, DEFAULT_WEBHOOK_CONCURRENCY_PER_ENDPOINT),
): DeliveryPool {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new TypeError(`webhookConcurrency must be a positive integer, not ${String(limit)}`)
  const waiting: Waiting[] = []
  const active = new Map<string, number>()
  /** per key, the promise the next task's `turn()` waits on (the previous task sent or ended) */
  const sent = new Map<string, Promise<void>>()
  let running = 0
  const pump = () => {
    for (let index = 0; index < waiting.length && running < limit; ) {
      const next = waiting[index] as Waiting
      if ((active.get(next.key) ?? 0) >= perKey) {
        index++
        continue
      }
      waiting.splice(index, 1)
      running++
      active.set(next.key, (active.get(next.key) ?? 0) + 1)
      next.start()
    }
  }
  const release = (key: string) => {
    running--
    const count = (active.get(key) ?? 1) - 1
    if (count) active.set(key, count)
    else active.delete(key)
    pump()
  }
  return {
    run(key, task) {
      // the order of sending is taken when queued (FIFO), whatever order the tasks start in
      const previous = sent.get(key) ?? Promise.resolve()
      let markSent = () => {}
      const mine = new Promise<void>((done) => {
        markSent = done
      })
      sent.set(key, mine)
      const turn = () => previous.then(() => markSent())
      return new Promise((resolve, reject) => {
        waiting.push({
          key,
          start: () => {
            let settled: Promise<unknown>
            try {
              settled = task(turn).then(resolve, reject)
            } catch (error) {
              settled = Promise.resolve()
              reject(error)
            }
            settled.then(() => {
              // ended without sending (refused, injected status): the next one need not wait; once
              // sent, `mine` is already resolved. Either way it resolves after `previous`.
              previous.then(() => markSent())
              if (sent.get(key) === mine) sent.delete(key)
              release(key)
            })
          },
        })
        pump()
      })
    },
  }
}
