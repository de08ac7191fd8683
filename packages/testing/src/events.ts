import { signWebhookPayload } from '@edgestripe/core'
import { renderForVersion } from './api-versions.js'
import { readBoundedBody } from './bounded-body.js'
import { createDeliveryPool, type DeliveryPool } from './delivery-pool.js'
import type { HandlerContext, RaisedEvent } from './domain.js'
import { API_VERSION } from './generated/routes.js'
import { newId, randomToken } from './ids.js'
import { Ring } from './ring.js'
import type { AccountStore, StripeObject } from './store.js'
import { deliveryTimeout, retrySchedule, type WebhookFault, WebhookFaultQueue } from './webhook-faults.js'
import { deliveryRefusal } from './webhook-target.js'

/** A Stripe `event` as the emulator records and delivers it. */
export interface EmulatorEvent {
  id: string
  object: 'event'
  /** only for events of a connected account (a `Stripe-Account` other than the default one) */
  account?: string
  api_version: string
  created: number
  data: { object: StripeObject }
  livemode: false
  pending_webhooks: number
  request: { id: string | null; idempotency_key: string | null }
  type: string
}

/** Receives a delivery in-process: a `POST` with the JSON event and a `Stripe-Signature` header. */
export type WebhookHandler = (request: Request) => Response | undefined | void | Promise<Response | undefined | void>

export interface WebhookEndpointInput {
  /** delivered with the global `fetch` (or the emulator's `webhookFetch` option) */
  url?: string
  /** called in-process instead of fetching `url` (workerd, browser and unit tests) */
  handler?: WebhookHandler
  /** signing secret; a `whsec_…` is generated when omitted */
  secret?: string
  /** event types to receive; omitted or `['*']` means all */
  events?: string[]
}

export interface WebhookEndpoint {
  id: string
  object: 'webhook_endpoint'
  url: string | null
  secret: string
  enabled_events: string[]
  /** `disabled` endpoints receive nothing (API endpoints: `disabled: true` on update); default enabled */
  status?: 'enabled' | 'disabled'
}

/**
 * What an endpoint created through `POST /v1/webhook_endpoints` (or the url form of
 * `control.addWebhookEndpoint`) keeps beside its API object in the account store: the signing
 * secret (never in the object, so retrieve and list cannot show it) and whose events it receives.
 */
export interface StoredEndpointInternal {
  secret: string
  /** Connect endpoint (`connect: true`): also the events of connected accounts */
  connect: boolean
  /** registered through the controls: the events of every account, as control endpoints always did */
  allAccounts: boolean
}

export interface WebhookDelivery {
  id: string
  event: string
  type: string
  endpoint: string
  /** HTTP status of the endpoint's answer (`null` when it threw or the fetch failed) */
  status: number | null
  ok: boolean
  error?: string
  /** the `t=` of the signature (wall-clock Unix seconds unless `webhookTimestamp` says otherwise) */
  timestamp: number
  /** 1 for the first attempt, then one more per retry */
  attempt: number
  /** emulator time of the attempt (when the event happened, or when its retry or delay was due) */
  at: number
  /** emulator time of the retry this failure scheduled; `null` when it succeeded or the retries are spent */
  nextRetryAt: number | null
  /** a second copy of the attempt (the `duplicate` webhook fault) */
  duplicate?: true
  /** the injected webhook fault that struck it (`status 500`, `delay 60 s`, `duplicate`) */
  fault?: string
}

/** A delivery attempt waiting for its time on the emulator clock (a retry, or a delayed delivery). */
export interface ScheduledDelivery {
  event: string
  type: string
  endpoint: string
  attempt: number
  /** emulator time it is sent at (on the `advance()` or `deliverEvents()` that reaches it) */
  dueAt: number
  reason: 'retry' | 'delay'
}

/** Whether an event reached an endpoint yet (shared by its retries and duplicates). */
interface Reached {
  done: boolean
}

/** One attempt to send one event to one endpoint. */
interface Attempt {
  event: EmulatorEvent
  payload: string
  endpoint: string
  attempt: number
  /** emulator time the attempt is made at (the event's time, or when its retry or delay was due): retries count from it */
  at: number
  reached: Reached
  duplicate?: true
  /** `status` fault: fail with it, without calling the endpoint */
  failWith?: number
  fault?: string
}

interface Held extends Attempt {
  dueAt: number
  /** ties on `dueAt` go in this order: the failed attempt's `scheduled` number, or one taken when a delay was set */
  rank: number
  reason: 'retry' | 'delay'
}

export interface EventFilter {
  type?: string
  account?: string
}

/** Events, webhook endpoints and in-flight deliveries of one emulator. */
export interface EventHub {
  /** recorded events, the newest `eventLogSize` kept */
  log: Ring<EmulatorEvent>
  endpoints: Map<string, WebhookEndpoint & { handler?: WebhookHandler }>
  /** finished delivery attempts, the newest `deliveryLogSize` kept */
  deliveries: Ring<WebhookDelivery>
  /** `deliveries.total` when `deliverEvents()` last returned: where its next result starts */
  cursor: number
  pending: Set<Promise<void>>
  /** last API origin seen: used for file URLs in events raised by controls */
  origin: string
  timestamp: () => number
  fetch: (request: Request) => Promise<Response>
  /** emulator time (set by `createEmulator` to its clock) */
  now: () => number
  /** seconds between a failed attempt and the next (`webhookRetries`) */
  retries: readonly number[]
  /** wall-time ms an endpoint has to answer (`webhookTimeoutMs`) */
  timeoutMs: number
  faults: WebhookFaultQueue
  /** attempts waiting for their time, by (dueAt, rank) */
  held: Held[]
  /** attempts scheduled so far: each takes the next number, and deliveries are read in that order */
  scheduled: number
  /** each recorded delivery's scheduling number */
  order: WeakMap<WebhookDelivery, number>
  /** the emulator's account stores: their `webhook_endpoint` objects receive deliveries too */
  accounts?: Map<string, AccountStore>
  /** emu-safety: attempts in flight, bounded in all and per endpoint (delivery-pool.ts) */
  pool: DeliveryPool
  /** emu-safety: deliver to private, link-local and metadata addresses too (webhook-target.ts) */
  allowPrivateWebhooks: boolean
  /** emu-safety: resolves a host name before a delivery, to refuse names pointing at private addresses */
  resolve?: (hostname: string) => Promise<readonly string[]>
}

export interface EventHubOptions {
  accounts?: Map<string, AccountStore>
  webhookTimestamp?: () => number
  webhookFetch?: typeof fetch
  eventLogSize?: number
  deliveryLogSize?: number
  webhookRetries?: readonly number[]
  webhookTimeoutMs?: number
  webhookConcurrency?: number
  allowPrivateWebhooks?: boolean
  webhookResolve?: (hostname: string) => Promise<readonly string[]>
}

export function createEventHub(options: EventHubOptions = {}): EventHub {
  return {
    log: new Ring(options.eventLogSize ?? 1000),
    endpoints: new Map(),
    deliveries: new Ring(options.deliveryLogSize ?? 1000),
    cursor: 0,
    pending: new Set(),
    origin: 'https://files.stripe.com',
    timestamp: options.webhookTimestamp ?? (() => Math.floor(Date.now() / 1000)),
    fetch: (request) => (options.webhookFetch ?? globalThis.fetch)(request),
    now: () => Math.floor(Date.now() / 1000),
    retries: retrySchedule(options.webhookRetries),
    timeoutMs: deliveryTimeout(options.webhookTimeoutMs),
    faults: new WebhookFaultQueue(),
    held: [],
    scheduled: 0,
    order: new WeakMap(),
    accounts: options.accounts,
    pool: createDeliveryPool(options.webhookConcurrency),
    allowPrivateWebhooks: options.allowPrivateWebhooks === true,
    resolve: options.webhookResolve,
  }
}

function wants(endpoint: WebhookEndpoint, type: string): boolean {
  if (endpoint.status === 'disabled') return false
  return endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(type)
}

/**
 * The stored (API) endpoints that receive an event of `account`: enabled ones wanting its type,
 * of the same account; a Connect endpoint of the platform (default account) also gets its
 * connected accounts' events; endpoints registered through the controls get every account's.
 */
function storedTargets(hub: EventHub, input: RecordEventInput): WebhookEndpoint[] {
  const out: WebhookEndpoint[] = []
  // Only two stores can hold a receiver: the event's account and the platform (default) account,
  // where Connect endpoints and the controls' endpoints live. O(their endpoints), not O(accounts).
  for (const id of new Set([input.account, input.defaultAccount])) {
    const store = hub.accounts?.get(id)
    if (!store) continue
    for (const object of store.list('webhook_endpoint')) {
      const internal = store.record(object.id)?.internal as StoredEndpointInternal | undefined
      if (!internal) continue
      const endpoint: WebhookEndpoint = {
        id: object.id,
        object: 'webhook_endpoint',
        url: object.url,
        secret: internal.secret,
        enabled_events: object.enabled_events,
        status: object.status === 'disabled' ? 'disabled' : 'enabled',
      }
      const reaches =
        internal.allAccounts ||
        store.id === input.account ||
        (internal.connect && store.id === input.defaultAccount && input.account !== input.defaultAccount)
      if (reaches && wants(endpoint, input.type)) out.push(endpoint)
    }
  }
  return out
}

export interface StoredEndpointInput {
  url: string
  enabled_events: string[]
  secret?: string
  description?: string | null
  metadata?: Record<string, string>
  api_version?: string | null
  connect?: boolean
  allAccounts?: boolean
}

/** Creates a webhook endpoint in an account store; returns the API object with its secret (the create answer). */
export function createStoredEndpoint(store: AccountStore, now: number, input: StoredEndpointInput): StripeObject & { secret: string } {
  let url: URL
  try {
    url = new URL(input.url)
  } catch {
    throw new TypeError(`Invalid URL: ${input.url}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`Invalid URL: ${input.url} (http or https only)`)
  const secret = input.secret ?? `whsec_${randomToken(32)}`
  const endpoint = {
    id: newId('we'),
    object: 'webhook_endpoint' as const,
    api_version: input.api_version ?? null,
    application: null,
    created: now,
    description: input.description ?? null,
    enabled_events: [...input.enabled_events],
    livemode: false,
    metadata: { ...input.metadata },
    status: 'enabled',
    url: input.url,
  }
  const internal: StoredEndpointInternal = { secret, connect: input.connect === true, allAccounts: input.allAccounts === true }
  store.insert(endpoint, { ...internal })
  return { ...structuredClone(endpoint), secret }
}

/** The endpoints of every account store, as the controls show them (with their secrets). */
export function listStoredEndpoints(hub: EventHub): WebhookEndpoint[] {
  const out: WebhookEndpoint[] = []
  for (const store of hub.accounts?.values() ?? []) {
    for (const object of store.list('webhook_endpoint').reverse()) {
      const internal = store.record(object.id)?.internal as StoredEndpointInternal | undefined
      if (!internal) continue
      out.push({
        id: object.id,
        object: 'webhook_endpoint',
        url: object.url,
        secret: internal.secret,
        enabled_events: [...object.enabled_events],
        // as control endpoints always were: `status` only when it is not the default
        ...(object.status === 'disabled' ? { status: 'disabled' as const } : {}),
      })
    }
  }
  return out
}

/** A stored (API) endpoint as it is now, by id; undefined when it was deleted or is disabled. */
function storedEndpoint(hub: EventHub, id: string): WebhookEndpoint | undefined {
  for (const store of hub.accounts?.values() ?? []) {
    const object = store.get('webhook_endpoint', id)
    if (!object) continue
    const internal = store.record(id)?.internal as StoredEndpointInternal | undefined
    if (!internal || object.status === 'disabled') return undefined
    return { id, object: 'webhook_endpoint', url: object.url, secret: internal.secret, enabled_events: object.enabled_events }
  }
  return undefined
}

/** Removes a stored endpoint from whichever account holds it. */
export function removeStoredEndpoint(hub: EventHub, id: string): boolean {
  for (const store of hub.accounts?.values() ?? []) {
    if (store.get('webhook_endpoint', id)) return store.remove(id) !== undefined
  }
  return false
}

export interface RecordEventInput {
  type: string
  object: { id: string; object: string }
  /** the account whose object changed */
  account: string
  defaultAccount: string
  now: number
  /** the API request that caused it; `null` ids for automatic changes (clock, controls) */
  request?: { id: string | null; idempotency_key: string | null }
  /** emu-safety: the version the causing request was answered in (the event's `api_version`; default the spec's) */
  apiVersion?: string
}

/** Records an event (a snapshot of `object`) and starts its deliveries to matching endpoints. */
export function recordEvent(hub: EventHub, input: RecordEventInput): EmulatorEvent {
  const targets = [...[...hub.endpoints.values()].filter((endpoint) => wants(endpoint, input.type)), ...storedTargets(hub, input)]
  const event: EmulatorEvent = {
    id: newId('evt'),
    object: 'event',
    ...(input.account !== input.defaultAccount ? { account: input.account } : {}),
    api_version: input.apiVersion ?? API_VERSION,
    created: input.now,
    data: { object: renderForVersion(structuredClone(input.object), input.apiVersion ?? API_VERSION) as StripeObject },
    livemode: false,
    pending_webhooks: targets.length,
    request: input.request ?? { id: null, idempotency_key: null },
    type: input.type,
  }
  hub.log.push(event)
  // retries and delayed deliveries whose time came go first: they are older
  releaseDeliveries(hub)
  if (targets.length) {
    const payload = JSON.stringify(event, null, 2)
    for (const endpoint of targets) {
      const first: Attempt = { event, payload, endpoint: endpoint.id, attempt: 1, at: hub.now(), reached: { done: false } }
      const fault = hub.faults.take(event.type, endpoint.id)
      if (!fault) schedule(hub, first)
      else if ('duplicate' in fault) {
        schedule(hub, { ...first, fault: 'duplicate' })
        schedule(hub, { ...first, fault: 'duplicate', duplicate: true })
      } else if ('delaySeconds' in fault) {
        hold(hub, { ...first, fault: `delay ${fault.delaySeconds} s` }, hub.now() + fault.delaySeconds, 'delay', ++hub.scheduled)
      } else schedule(hub, { ...first, failWith: fault.status, fault: describe(fault) })
    }
  }
  return event
}

function describe(fault: WebhookFault): string {
  return 'status' in fault ? `status ${fault.status}` : 'delaySeconds' in fault ? `delay ${fault.delaySeconds} s` : 'duplicate'
}

function schedule(hub: EventHub, attempt: Attempt): void {
  const seq = ++hub.scheduled
  // emu-safety: attempts start in the order they were scheduled and run concurrently within the
  // pool's bounds (delivery-pool.ts): a stuck endpoint costs one timeout, not one per event
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
function hold(hub: EventHub, attempt: Attempt, dueAt: number, reason: 'retry' | 'delay', rank: number): void {
  const held: Held = { ...attempt, dueAt, rank, reason }
  let index = hub.held.length
  const after = (other: Held) => other.dueAt > dueAt || (other.dueAt === dueAt && other.rank > rank)
  while (index > 0 && after(hub.held[index - 1] as Held)) index--
  hub.held.splice(index, 0, held)
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
  while (hub.held.length && (hub.held[0] as Held).dueAt <= now) {
    const { dueAt, rank: _rank, reason: _reason, ...attempt } = hub.held.shift() as Held
    // made at the time it was due, however far the clock jumped: the schedule stays exact
    schedule(hub, { ...attempt, at: dueAt })
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
async function deliver(hub: EventHub, attempt: Attempt, turn: () => Promise<void> = async () => {}): Promise<WebhookDelivery | undefined> {
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
  if (attempt.failWith !== undefined) {
    delivery.status = attempt.failWith
    delivery.error = `endpoint answered ${attempt.failWith} (injected webhook fault)`
    return delivery
  }
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    // emu-safety: no delivery to a private, link-local or metadata address, not even one packet
    const refused = endpoint.handler ? undefined : await deliveryRefusal(endpoint.url, hub)
    if (refused) {
      delivery.error = refused
      return delivery
    }
    const signature = await signWebhookPayload(payload, endpoint.secret, { timestamp })
    const request = new Request(endpoint.url ?? 'http://webhook.emulator.local/', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Stripe-Signature': signature,
        'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      },
      body: payload,
      signal: controller.signal,
      // emu-safety: a 3xx is a failed attempt, as on Stripe: never followed elsewhere
      redirect: 'manual',
    })
    // an endpoint receives its attempts in the order they were scheduled (delivery-pool.ts)
    await turn()
    const answer = async () => {
      const response = endpoint.handler ? await endpoint.handler(request) : await hub.fetch(request)
      // emu-safety: at most 64 KiB of the answer is read, then the stream is cancelled
      if (response) await readBoundedBody(response).catch(() => undefined)
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
  } finally {
    clearTimeout(timer)
  }
  return delivery
}

/** Records an attempt (scheduled `seq`-th); a failure of the original (not a duplicate) is retried on the schedule. */
function finish(hub: EventHub, attempt: Attempt, delivery: WebhookDelivery, seq: number): void {
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

export function addEndpoint(hub: EventHub, input: WebhookEndpointInput): WebhookEndpoint {
  if (!input.url && !input.handler) throw new TypeError('addWebhookEndpoint needs a `url` or a `handler`.')
  if (input.url) new URL(input.url) // throws a TypeError for an invalid URL
  const endpoint = {
    id: newId('we'),
    object: 'webhook_endpoint' as const,
    url: input.url ?? null,
    secret: input.secret ?? `whsec_${randomToken(32)}`,
    enabled_events: input.events?.length ? [...input.events] : ['*'],
  }
  hub.endpoints.set(endpoint.id, input.handler ? { ...endpoint, handler: input.handler } : endpoint)
  return { ...endpoint, enabled_events: [...endpoint.enabled_events] }
}

export function listEndpoints(hub: EventHub): WebhookEndpoint[] {
  return [...hub.endpoints.values()].map(({ handler: _handler, ...endpoint }) => ({
    ...endpoint,
    enabled_events: [...endpoint.enabled_events],
  }))
}

export function listEvents(hub: EventHub, filter: EventFilter = {}): EmulatorEvent[] {
  return hub.log
    .toArray()
    .filter((event) => (!filter.type || event.type === filter.type) && (!filter.account || (event.account ?? '') === filter.account))
    .map((event) => structuredClone(event))
}

/** Records the events a successful API call raises (none for reads and replays). */
export function recordRouteEvents(
  ctx: HandlerContext,
  raise: ((result: StripeObject, ctx: never) => readonly RaisedEvent[]) | undefined,
  result: unknown,
  request: { id: string | null; idempotency_key: string | null },
): void {
  if (!raise || !result || typeof result !== 'object') return
  for (const [type, object, account] of raise(result as StripeObject, ctx as never)) {
    recordEvent(ctx.state.events, {
      type,
      object,
      account: account ?? ctx.store.id,
      defaultAccount: ctx.state.defaultAccount,
      now: ctx.now,
      request,
      apiVersion: ctx.apiVersion,
    })
  }
}
