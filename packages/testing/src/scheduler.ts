// The clock's hand for an emulator on the `real` clock outside a Worker (the Node server, or anyone
// serving `createEmulator({ clock: 'real' })`): one timer, set for the next due time across every
// account (a report run finishing, a webhook retry, a delayed delivery), which runs the accounts'
// clock tick (due-work.ts: `control.advance(0)`, as the Worker's alarm does) and is set again. It
// is set again whenever work may have been added (a request, a control call, a failed attempt held),
// never keeps a process alive (`unref`), and is cleared by `stop()`.
import { dueWorkOf } from './due-work.js'

export interface ClockSchedulerOptions {
  /** longest wait of the timer, ms, while something waits (default 60 000: a wall clock that jumped is caught within a minute) */
  maxWaitMs?: number
  /** told about an error of a clock tick (default: `console.error`, once per message); the timer goes on */
  onError?: (error: unknown) => void
}

export interface ClockScheduler {
  /** clears the timer and stops listening; nothing runs after it */
  stop(): void
  /** wall-clock ms the timer is set for, undefined when nothing waits (or stopped) */
  readonly wakeAt: number | undefined
}

/** ms past the due second: a timer may fire a millisecond early by the wall clock */
const MARGIN_MS = 20
/** the wait after a tick that failed (or left something due): no busy loop on a broken account */
const BACKOFF_MS = 1000

/**
 * Starts the timer of an emulator made by `createEmulator` on the `real` clock; undefined (nothing
 * started) for a `manual` clock, where time moves only through `advance`, or another object.
 */
export function startClockScheduler(emulator: object, options: ClockSchedulerOptions = {}): ClockScheduler | undefined {
  const work = dueWorkOf(emulator)
  if (!work?.realClock) return undefined
  const maxWaitMs = options.maxWaitMs ?? 60_000
  const seen = new Set<string>()
  const onError =
    options.onError ??
    ((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error)
      if (seen.has(message) || seen.size >= 100) return
      seen.add(message)
      console.error(`edgestripe emulator: clock tick failed: ${message}`)
    })
  const report = (error: unknown) => {
    try {
      onError(error)
    } catch {}
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  let wakeAt: number | undefined
  let stopped = false
  let queued = false
  let backoffUntil = 0

  const clear = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    wakeAt = undefined
  }
  const arm = () => {
    queued = false
    if (stopped) return
    clear()
    let wait: number | undefined
    try {
      wait = work.nextDueIn()
    } catch (error) {
      report(error)
      wait = 0
      backoffUntil = Date.now() + BACKOFF_MS
    }
    if (wait === undefined) return
    const ms = Math.min(maxWaitMs, Math.max(wait * 1000 + (wait > 0 ? MARGIN_MS : 0), backoffUntil - Date.now()))
    wakeAt = Date.now() + ms
    timer = setTimeout(tick, ms)
    // Node: never the reason a process stays alive (elsewhere timers have no unref)
    ;(timer as { unref?: () => void }).unref?.()
  }
  const tick = () => {
    timer = undefined
    wakeAt = undefined
    if (stopped) return
    try {
      work.runDue()
      // something still due right after its tick would be run again at once: wait instead
      if (work.nextDueIn() === 0) backoffUntil = Date.now() + BACKOFF_MS
    } catch (error) {
      report(error)
      backoffUntil = Date.now() + BACKOFF_MS
    }
    arm()
  }
  /** many changes in one turn (a burst of requests) set the timer once */
  const wake = () => {
    if (queued || stopped) return
    queued = true
    queueMicrotask(arm)
  }
  const unsubscribe = work.subscribe(wake)
  arm()
  return {
    stop() {
      stopped = true
      unsubscribe()
      clear()
    },
    get wakeAt() {
      return wakeAt
    },
  }
}
