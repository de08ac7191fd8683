import type { AuthInfo } from './auth.js'
import type { Clock, ClockMode } from './clock.js'
import type { RouteDigest } from './digest-types.js'
import type { EventHub } from './events.js'
import type { FaultQueue } from './faults.js'
import { AccountStore } from './store.js'
import type { Params } from './validate.js'

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
  /** account used without a `Stripe-Account` header (default `acct_emulator`) */
  defaultAccount?: string
  /** answer `/_emulator/*` control requests on `fetch` too (default true) */
  controlRoutes?: boolean
  /**
   * Unix seconds used as the `t=` of webhook signatures. Default: the wall clock, as Stripe signs
   * at delivery time (so `verifyWebhook`'s 300 s tolerance holds whatever the emulator clock says).
   */
  webhookTimestamp?: () => number
  /** transport for deliveries to endpoint `url`s (default: the global `fetch`, looked up per delivery) */
  webhookFetch?: typeof fetch
}

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

/** The whole mutable state of one emulator instance. */
export interface EmulatorState {
  clock: Clock
  reportRunDelay: number
  defaultAccount: string
  accounts: Map<string, AccountStore>
  faults: FaultQueue
  log: RequestLogEntry[]
  events: EventHub
}

export function accountStore(state: EmulatorState, account: string = state.defaultAccount): AccountStore {
  let store = state.accounts.get(account)
  if (!store) {
    store = new AccountStore(account)
    state.accounts.set(account, store)
  }
  return store
}

export interface HandlerContext {
  route: RouteDigest
  params: Params
  pathParams: Record<string, string>
  store: AccountStore
  state: EmulatorState
  auth: AuthInfo
  now: number
  /** origin of the request URL, used for file URLs */
  origin: string
  url: URL
}

/** One operation's implementation: returns the response body (200) or throws an EmulatorError. */
export type Handler = (ctx: HandlerContext) => unknown
