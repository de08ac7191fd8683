// Delivery scheduling: attempts in a bounded pool (in scheduling order per endpoint), retries and delayed attempts held on the emulator
// clock, a timeout per attempt, the log read in scheduling order.
import { redact } from '@edgestripe/core'
import { readBoundedBody } from '../bounded-body.js'
import { newId } from '../ids.js'
import type { WebhookFault } from '../webhook-faults.js'
import { deliveryRefusal } from '../webhook-target.js'
import { storedEndpoint } from './endpoints.js'
import { signedDelivery } from './signing.js'
import type {
  Attempt,
  AttemptDetail,
  EmulatorEvent,
  EventHub,
  Held,
  Reached,
  SavedHeld,
  ScheduledDelivery,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookHandler,
} from './types.js'

export function describe(fault: WebhookFault): string {
  return 'status' in fault ? `status ${fault.status}` : 'delaySeconds' in fault ? `delay ${fault.delaySeconds} s` : 'duplicate'
}

export function schedule(hub: EventHub, attempt: Attempt): void {
  const seq = ++hub.scheduled
  // Attempts start in the order they were scheduled and run concurrently within the pool's bounds
  // (delivery-pool.ts): a stuck endpoint costs one timeout, not one per event.
  const next = hub.pool
    .run(attempt.endpoint, (turn) => deliver(hub, attempt, turn))
    .then((delivery) => delivery && finish(hub, attempt, delivery, seq))
    .catch(() => undefined)
  hub.pending.add(next)
  next.then(() => hub.pending.delete(next))
}

/**
 * Keeps an attempt until `dueAt` (emulator time). Ties go by `rank`, not by when the hold was made
 * (endpoints fail in any order), so attempts are released in the same order on every run.
 */
export function hold(hub: EventHub, attempt: Attempt, dueAt: number, reason: 'retry' | 'delay', rank: number): void {
  const held: Held = { ...attempt, dueAt, rank, reason }
  let index = hub.held.length
  const after = (other: Held) => other.dueAt > dueAt || (other.dueAt === dueAt && other.rank > rank)
  while (index > 0 && after(hub.held[index - 1] as Held)) index--
  hub.held.splice(index, 0, held)
  hub.heldChanged?.()
}

/**
 * Deliveries in the order their attempts were scheduled: endpoints answer concurrently and in any
 * order, yet `deliverEvents()` and the delivery log read the same on every run. Each is recorded
 * as soon as it finishes (a stuck endpoint holds back no other).
 */
export function inScheduleOrder(hub: EventHub, deliveries: WebhookDelivery[]): WebhookDelivery[] {
  return deliveries.sort((a, b) => (hub.order.get(a) ?? 0) - (hub.order.get(b) ?? 0))
}

/** Starts the held attempts whose time came (in time order); called when the clock may have moved. */
export function releaseDeliveries(hub: EventHub): void {
  const now = hub.now()
  const before = hub.held.length
  while (hub.held.length && (hub.held[0] as Held).dueAt <= now) {
    const { dueAt, rank: _rank, reason: _reason, ...attempt } = hub.held.shift() as Held
    // made at the time it was due, however far the clock jumped: the schedule stays exact
    schedule(hub, { ...attempt, at: dueAt })
  }
  if (hub.held.length !== before) hub.heldChanged?.()
}

/** The held attempts as a persistent store saves them (the event by id; its payload is the event as sent). */
export function saveHeld(hub: EventHub): SavedHeld[] {
  return hub.held.map(({ event, reached: _reached, ...held }) => ({ ...held, event: event.id }))
}

/**
 * Holds saved attempts again (after a restart): each event is the logged one when the log still has
 * it (its `pending_webhooks` goes down on success), else the payload's copy. Attempts of one event to
 * one endpoint share whether it was reached.
 */
export function restoreHeld(hub: EventHub, saved: readonly SavedHeld[]): void {
  const logged = new Map(hub.log.toArray().map((event) => [event.id, event]))
  const reached = new Map<string, Reached>()
  for (const { event: id, ...held } of saved) {
    const event = logged.get(id) ?? (JSON.parse(held.payload) as EmulatorEvent)
    const key = `${id} ${held.endpoint}`
    if (!reached.has(key)) reached.set(key, { done: false })
    hub.held.push({ ...held, event, reached: reached.get(key) as Reached })
    hub.scheduled = Math.max(hub.scheduled, held.rank)
  }
}

/** The attempts waiting on the clock, soonest first. */
export function scheduledDeliveries(hub: EventHub): ScheduledDelivery[] {
  return hub.held.map((held) => ({
    event: held.event.id,
    type: held.event.type,
    endpoint: held.endpoint,
    attempt: held.attempt,
    dueAt: held.dueAt,
    reason: held.reason,
  }))
}

/** Makes one attempt; returns what happened (recorded by `finish`), nothing when the endpoint is gone. */
export async function deliver(
  hub: EventHub,
  attempt: Attempt,
  turn: () => Promise<void> = async () => {},
): Promise<WebhookDelivery | undefined> {
  const { event, payload } = attempt
  // an endpoint removed (or a stored one disabled) meanwhile gets nothing more
  const endpoint: (WebhookEndpoint & { handler?: WebhookHandler }) | undefined =
    hub.endpoints.get(attempt.endpoint) ?? storedEndpoint(hub, attempt.endpoint)
  if (!endpoint) return
  const timestamp = hub.timestamp()
  const delivery: WebhookDelivery = {
    id: newId('whdel'),
    event: event.id,
    type: event.type,
    endpoint: endpoint.id,
    status: null,
    ok: false,
    timestamp,
    attempt: attempt.attempt,
    at: attempt.at,
    nextRetryAt: null,
    ...(attempt.duplicate ? { duplicate: true as const } : {}),
    ...(attempt.fault ? { fault: attempt.fault } : {}),
  }
  const detail: AttemptDetail = { startedAt: Date.now(), durationMs: null, url: endpoint.url, signature: null, responseBody: null }
  hub.details.set(delivery, detail)
  if (attempt.failWith !== undefined) {
    delivery.status = attempt.failWith
    delivery.error = `endpoint answered ${attempt.failWith} (injected webhook fault)`
    return delivery
  }
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    // no delivery to a private, link-local or metadata address, not even one packet
    const refused = endpoint.handler ? undefined : await deliveryRefusal(endpoint.url, hub)
    if (refused) {
      delivery.error = refused
      return delivery
    }
    const request = await signedDelivery(payload, endpoint, timestamp, controller.signal)
    // an endpoint receives its attempts in the order they were scheduled (delivery-pool.ts)
    await turn()
    detail.startedAt = Date.now()
    detail.signature = request.headers.get('Stripe-Signature')
    const answer = async () => {
      const response = endpoint.handler ? await endpoint.handler(request) : await hub.fetch(request)
      // at most 64 KiB of the answer is read, then the stream is cancelled; its start is kept
      const kept = { bytes: ATTEMPT_BODY_BYTES, chunks: [] as Uint8Array[] }
      if (response) await readBoundedBody(response, undefined, kept).catch(() => undefined)
      detail.durationMs = Date.now() - detail.startedAt
      if (response) detail.responseBody = redact(decodeKept(kept.chunks))
      return response ? response.status : 200
    }
    // the answer, body included, within the timeout: a stuck endpoint fails the attempt (and is retried)
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`timed out after ${hub.timeoutMs} ms`)
        controller.abort(error)
        reject(error)
      }, hub.timeoutMs)
    })
    const status = await Promise.race([answer(), timedOut])
    delivery.status = status
    delivery.ok = status >= 200 && status < 300
    if (!delivery.ok) delivery.error = `endpoint answered ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}`
  } catch (error) {
    delivery.error = error instanceof Error ? error.message : String(error)
    if (detail.signature !== null) detail.durationMs = Date.now() - detail.startedAt
  } finally {
    clearTimeout(timer)
  }
  return delivery
}

/** Bytes of an endpoint's answer the inspector keeps per attempt. */
export const ATTEMPT_BODY_BYTES = 2048

function decodeKept(chunks: Uint8Array[]): string {
  const size = chunks.reduce((total, chunk) => total + chunk.byteLength, 0)
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder().decode(bytes)
}

/** Records an attempt (scheduled `seq`-th); a failure of the original (not a duplicate) is retried on the schedule. */
export function finish(hub: EventHub, attempt: Attempt, delivery: WebhookDelivery, seq: number): void {
  if (delivery.ok) {
    if (!attempt.reached.done) attempt.event.pending_webhooks = Math.max(0, attempt.event.pending_webhooks - 1)
    attempt.reached.done = true
  } else if (!attempt.duplicate && !attempt.reached.done) {
    const delay = hub.retries[attempt.attempt - 1]
    if (delay !== undefined) {
      delivery.nextRetryAt = attempt.at + delay
      const { failWith: _failWith, fault: _fault, ...retry } = attempt
      hold(hub, { ...retry, attempt: attempt.attempt + 1 }, delivery.nextRetryAt, 'retry', seq)
    }
  }
  hub.order.set(delivery, seq)
  hub.deliveries.push(delivery)
}

/**
 * Waits until no delivery is in flight (deliveries may raise new events: loops until quiet), after
 * starting the held ones whose time came; those still waiting on the clock are not awaited.
 */
export async function settleDeliveries(hub: EventHub): Promise<WebhookDelivery[]> {
  releaseDeliveries(hub)
  while (hub.pending.size) {
    await Promise.all([...hub.pending])
    releaseDeliveries(hub)
  }
  const done = inScheduleOrder(hub, hub.deliveries.since(hub.cursor))
  hub.cursor = hub.deliveries.total
  return done.map((delivery) => ({ ...delivery }))
}
