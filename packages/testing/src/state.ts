import type { AccountsMode } from './account-keys.js'
import type { Clock, ClockMode } from './clock.js'
import type { EventHub } from './events.js'
import type { FaultQueue } from './faults.js'
import type { RequestBodyLog } from './request-log.js'
import type { Ring } from './ring.js'
import type { AccountStore, EmulatorStore } from './store.js'
import type { SqliteStores } from './stores/sqlite.js'

export interface EmulatorOptions {
  /** start time, unix seconds (default: the wall clock when the emulator is created) */
  now?: number
  /**
   * `manual` (default): emulator time moves only through `control.advance`. `real`: it also follows
   * the wall clock from creation, so report runs finish by themselves (`advance` still works).
   */
  clock?: ClockMode
  /** seconds of emulator time a report run stays `pending` (default 5) */
  reportRunDelay?: number
  /**
   * The platform account of requests without a `Stripe-Account` header when they carry no key (the
   * controls, in-process), or every request's with `accounts: 'shared'` (default `acct_emulator`).
   * A key's own account has an id derived from its key (see `platformAccountId`).
   */
  defaultAccount?: string
  /**
   * `'per-key'` (default): as on Stripe, `sk_test_X`, `rk_test_X` and `pk_test_X` are one account and
   * another `X` another one, with its own objects, events, webhooks, clock, faults and logs.
   * `'shared'`: one account for every key (the behaviour before accounts per key).
   */
  accounts?: AccountsMode
  /**
   * Makes the store of one key's account (called once per account, and again on reset or restore).
   * Default: `createMemoryStore`. The seam for other backends (see `stores/types.ts`).
   */
  store?: () => EmulatorStore
  /**
   * Keeps every account in a SQLite database instead (`--persist DIR`: `openPersistDir` of
   * `@edgestripe/testing/server`; the Worker: a Durable Object's storage). Accounts found there are
   * loaded as they were; `store` is then unused. Each request and control is one SQLite transaction,
   * committed before its response.
   */
  sqlite?: SqliteStores
  /** answer `/_emulator/*` control requests on `fetch` too (default true) */
  controlRoutes?: boolean
  /**
   * Unix seconds used as the `t=` of webhook signatures. Default: the wall clock, as Stripe signs
   * at delivery time (so `verifyWebhook`'s 300 s tolerance holds whatever the emulator clock says).
   */
  webhookTimestamp?: () => number
  /** transport for deliveries to endpoint `url`s (default: the global `fetch`, looked up per delivery) */
  webhookFetch?: typeof fetch
  /**
   * Seconds of emulator time between a failed webhook delivery and its next attempt, one per retry
   * (default `DEFAULT_WEBHOOK_RETRIES`: 5 min, 1 h, 3 h — three retries over a few hours, as in a
   * Stripe sandbox); `[]` never retries.
   */
  webhookRetries?: readonly number[]
  /**
   * Milliseconds of wall time an endpoint has to answer a delivery, body included (default
   * `DEFAULT_WEBHOOK_TIMEOUT_MS`, 10 s); past it the attempt fails as timed out (its request's
   * `signal` aborts) and is retried like any failure, so a stuck endpoint never hangs
   * `deliverEvents()`.
   */
  webhookTimeoutMs?: number
  /**
   * Webhook attempts in flight at once (default 20), at most 10 of them to one endpoint: a stuck
   * endpoint costs one timeout for up to ten events, and leaves other endpoints served. `1`
   * delivers one attempt at a time, in order.
   */
  webhookConcurrency?: number
  /** requests kept by `control.requests()`, newest kept (default 1000) */
  requestLogSize?: number
  /** events kept by `control.events()`, newest kept (default 1000) */
  eventLogSize?: number
  /** webhook deliveries kept by `control.webhookDeliveries()`, newest kept (default 1000) */
  deliveryLogSize?: number
  /** largest request body accepted, in bytes; larger ones get a 413 (default 1 MiB) */
  maxRequestBytes?: number
  /**
   * Origins whose web pages may call the API with any key (`http://localhost:5173`, or a RegExp on
   * the origin). Others get an answer only with a publishable key; a secret or restricted key from
   * another origin is refused with a 403 (cors.ts). `/_emulator/*` controls are never cross-origin.
   */
  corsOrigins?: readonly (string | RegExp)[]
  /**
   * Let webhook endpoints point at private, link-local, CGNAT, unspecified and cloud-metadata
   * addresses (10.0.0.0/8, 192.168.0.0/16, 169.254.169.254, fc00::/7, …). Default false: such
   * URLs are refused at registration (400 naming `url`) and again at delivery (webhook-target.ts).
   * Loopback and public hosts are always allowed.
   */
  allowPrivateWebhooks?: boolean
  /**
   * Resolves an endpoint's host name to its addresses before each delivery, so a name pointing at
   * a private address is refused too (the Node server passes one using `node:dns`). Without it,
   * only literal IPs and `localhost` names are checked.
   */
  webhookResolve?: (hostname: string) => Promise<readonly string[]>
}

/** Defaults of the bounded logs and the body limit (documented in the README). */
export const DEFAULT_LIMITS = {
  requestLogSize: 1000,
  eventLogSize: 1000,
  deliveryLogSize: 1000,
  maxRequestBytes: 1024 * 1024,
} as const

export interface RequestLogEntry {
  requestId: string
  method: string
  path: string
  status: number
  account: string
  idempotencyKey: string | null
  /** an object was created while handling this request */
  created: boolean
  replayed: boolean
  fault?: string
}

/**
 * The whole mutable state of one key's account (of the emulator, with `accounts: 'shared'`): its
 * platform account and connected accounts (`store`, by `Stripe-Account` id), clock, events and
 * webhooks, faults and request log.
 */
export interface EmulatorState {
  clock: Clock
  reportRunDelay: number
  defaultAccount: string
  /** its platform and connected accounts' objects (by `Stripe-Account` id) */
  store: EmulatorStore
  faults: FaultQueue
  log: Ring<RequestLogEntry>
  /** the same requests with their bodies (request-log.ts; `logs tail`) */
  requestBodies: RequestBodyLog
  events: EventHub
  maxRequestBytes: number
}

export function accountStore(state: EmulatorState, account: string = state.defaultAccount): AccountStore {
  return state.store.account(account)
}
