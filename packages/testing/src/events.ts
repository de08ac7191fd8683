import { signWebhookPayload } from '@edgestripe/core'
import type { HandlerContext, RaisedEvent } from './domain.js'
import { API_VERSION } from './generated/routes.js'
import { newId, randomToken } from './ids.js'
import { Ring } from './ring.js'
import type { AccountStore, StripeObject } from './store.js'

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
  chains: Map<string, Promise<void>>
  /** last API origin seen: used for file URLs in events raised by controls */
  origin: string
  timestamp: () => number
  fetch: (request: Request) => Promise<Response>
  /** the emulator's account stores: their `webhook_endpoint` objects receive deliveries too */
  accounts?: Map<string, AccountStore>
}

export interface EventHubOptions {
  accounts?: Map<string, AccountStore>
  webhookTimestamp?: () => number
  webhookFetch?: typeof fetch
  eventLogSize?: number
  deliveryLogSize?: number
}

export function createEventHub(options: EventHubOptions = {}): EventHub {
  return {
    log: new Ring(options.eventLogSize ?? 1000),
    endpoints: new Map(),
    deliveries: new Ring(options.deliveryLogSize ?? 1000),
    cursor: 0,
    pending: new Set(),
    chains: new Map(),
    origin: 'https://files.stripe.com',
    timestamp: options.webhookTimestamp ?? (() => Math.floor(Date.now() / 1000)),
    fetch: (request) => (options.webhookFetch ?? globalThis.fetch)(request),
    accounts: options.accounts,
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
}

/** Records an event (a snapshot of `object`) and starts its deliveries to matching endpoints. */
export function recordEvent(hub: EventHub, input: RecordEventInput): EmulatorEvent {
  const targets = [...[...hub.endpoints.values()].filter((endpoint) => wants(endpoint, input.type)), ...storedTargets(hub, input)]
  const event: EmulatorEvent = {
    id: newId('evt'),
    object: 'event',
    ...(input.account !== input.defaultAccount ? { account: input.account } : {}),
    api_version: API_VERSION,
    created: input.now,
    data: { object: structuredClone(input.object) as StripeObject },
    livemode: false,
    pending_webhooks: targets.length,
    request: input.request ?? { id: null, idempotency_key: null },
    type: input.type,
  }
  hub.log.push(event)
  if (targets.length) {
    const payload = JSON.stringify(event, null, 2)
    for (const endpoint of targets) schedule(hub, event, payload, endpoint)
  }
  return event
}

function schedule(hub: EventHub, event: EmulatorEvent, payload: string, endpoint: WebhookEndpoint & { handler?: WebhookHandler }): void {
  // One chain per endpoint: an endpoint receives events in the order they happened.
  const previous = hub.chains.get(endpoint.id) ?? Promise.resolve()
  const next = previous.then(() => deliver(hub, event, payload, endpoint)).catch(() => undefined)
  hub.chains.set(endpoint.id, next)
  hub.pending.add(next)
  next.then(() => {
    hub.pending.delete(next)
    if (hub.chains.get(endpoint.id) === next) hub.chains.delete(endpoint.id)
  })
}

async function deliver(
  hub: EventHub,
  event: EmulatorEvent,
  payload: string,
  endpoint: WebhookEndpoint & { handler?: WebhookHandler },
): Promise<void> {
  const timestamp = hub.timestamp()
  const delivery: WebhookDelivery = {
    id: newId('whdel'),
    event: event.id,
    type: event.type,
    endpoint: endpoint.id,
    status: null,
    ok: false,
    timestamp,
  }
  try {
    const signature = await signWebhookPayload(payload, endpoint.secret, { timestamp })
    const request = new Request(endpoint.url ?? 'http://webhook.emulator.local/', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Stripe-Signature': signature,
        'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      },
      body: payload,
    })
    const response = endpoint.handler ? await endpoint.handler(request) : await hub.fetch(request)
    delivery.status = response ? response.status : 200
    delivery.ok = delivery.status >= 200 && delivery.status < 300
    if (response) await response.text().catch(() => undefined)
    if (!delivery.ok) delivery.error = `endpoint answered ${delivery.status}`
  } catch (error) {
    delivery.error = error instanceof Error ? error.message : String(error)
  }
  if (delivery.ok) event.pending_webhooks = Math.max(0, event.pending_webhooks - 1)
  hub.deliveries.push(delivery)
}

/** Waits until no delivery is in flight (deliveries may raise new events: loops until quiet). */
export async function settleDeliveries(hub: EventHub): Promise<WebhookDelivery[]> {
  while (hub.pending.size) await Promise.all([...hub.pending])
  const done = hub.deliveries.since(hub.cursor)
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
  for (const [type, object] of raise(result as StripeObject, ctx as never)) {
    recordEvent(ctx.state.events, {
      type,
      object,
      account: ctx.store.id,
      defaultAccount: ctx.state.defaultAccount,
      now: ctx.now,
      request,
    })
  }
}
