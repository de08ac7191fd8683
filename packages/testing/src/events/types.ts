// The shapes of the event log, webhook endpoints and deliveries (see the other files of events/).
import type { DeliveryPool } from '../delivery-pool.js'
import type { Ring } from '../ring.js'
import type { EmulatorStore, StripeObject } from '../store.js'
import type { WebhookFaultQueue } from '../webhook-faults.js'

/** A Stripe `event` as the emulator records and delivers it. */
export interface EmulatorEvent {
  id: string
  object: 'event'
  /** only for events of a connected account (a `Stripe-Account` other than the default one) */
  account?: string
  api_version: string
  created: number
  /** `previous_attributes`: for `*.updated` events, the changed attributes' values before the change */
  data: { object: StripeObject; previous_attributes?: Record<string, unknown> }
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

/** What the inspector shows of one attempt besides the delivery record (bounded: `ATTEMPT_BODY_BYTES`). */
export interface AttemptDetail {
  /** wall-clock ms when the attempt started */
  startedAt: number
  /** wall-clock ms the endpoint took to answer (body included); null when no request was sent */
  durationMs: number | null
  /** the endpoint's URL (null for an in-process handler) */
  url: string | null
  /** the `Stripe-Signature` header sent (null when nothing was sent) */
  signature: string | null
  /** the start of the endpoint's answer, as text (null when there was none) */
  responseBody: string | null
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
export interface Reached {
  done: boolean
}

/** One attempt to send one event to one endpoint. */
export interface Attempt {
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

export interface Held extends Attempt {
  dueAt: number
  /** ties on `dueAt` go in this order: the failed attempt's `scheduled` number, or one taken when a delay was set */
  rank: number
  reason: 'retry' | 'delay'
}

/** A held webhook attempt as saved: its event by id (its payload carries the event as sent). */
export interface SavedHeld {
  event: string
  payload: string
  endpoint: string
  attempt: number
  at: number
  dueAt: number
  rank: number
  reason: 'retry' | 'delay'
  fault?: string
  failWith?: number
  duplicate?: true
}

export interface EventFilter {
  type?: string
  account?: string
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
  /** the version the causing request was answered in (the event's `api_version`; default the spec's) */
  apiVersion?: string
  /** `data.previous_attributes` (for `*.updated` events) */
  previousAttributes?: Record<string, unknown>
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
  /** what the inspector shows of each kept attempt (gone with the delivery when the log drops it) */
  details: WeakMap<WebhookDelivery, AttemptDetail>
  /** the account's store: its `webhook_endpoint` objects receive deliveries too */
  store?: EmulatorStore
  /** attempts in flight, bounded in all and per endpoint (delivery-pool.ts) */
  pool: DeliveryPool
  /** deliver to private, link-local and metadata addresses too (webhook-target.ts) */
  allowPrivateWebhooks: boolean
  /** resolves a host name before a delivery, to refuse names pointing at private addresses */
  resolve?: (hostname: string) => Promise<readonly string[]>
  /**
   * Called when `held` changed (an attempt held or released): a persistent store saves the waiting
   * retries and delayed deliveries, so they outlive the process or the Durable Object.
   */
  heldChanged?: () => void
}

export interface EventHubOptions {
  store?: EmulatorStore
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
