import type { CallWrapper } from './call.js'
import type { Hooks } from './hook-registry.js'
import type { StripeHooks } from './hooks.js'

export type HttpMethod = 'GET' | 'POST' | 'DELETE'

/** What every call carries about its HTTP exchange, on the result's non-enumerable `lastResponse`. */
export interface ResponseMeta {
  /** `Request-Id` header, e.g. `req_123`. */
  requestId: string | undefined
  statusCode: number
  headers: Headers
  /** The `Stripe-Version` the request was sent with. */
  apiVersion: string
  /** The `Idempotency-Key` sent (POST only). */
  idempotencyKey: string | undefined
  /** 1 for a first-try success; 1 + retries otherwise. */
  attempts: number
}

/** A typed result that also exposes `lastResponse` (non-enumerable: JSON and deep-equality ignore it). */
export type WithResponse<T> = T & { readonly lastResponse: ResponseMeta }

/** Per-request options; each one overrides the client's value for this call only. */
export interface RequestOptions {
  /** 1–255 visible ASCII characters. POSTs get `crypto.randomUUID()` when omitted; kept across retries. */
  idempotencyKey?: string
  stripeAccount?: string
  apiVersion?: string
  /** Milliseconds for one attempt, response body included. */
  timeout?: number
  maxRetries?: number
  signal?: AbortSignal
  headers?: Record<string, string>
  /** `false`: send this call's params unchecked (the client's `validateParams` for every call). */
  validateParams?: boolean
  /** Accept (and report through `enum:unknown`) enum values the spec does not list. Default: the client's. */
  openEnums?: boolean
}

/**
 * `warn` / `strict`: the shallow check (top-level field types) reports / throws; `deep` /
 * `deep-strict`: with a `deepSchemas` plugin, every field at every depth; `off`.
 */
export type ResponseValidation = 'warn' | 'strict' | 'off' | 'deep' | 'deep-strict'

interface CommonOptions {
  /** Default `2024-04-10` (the spec's), sent as `Stripe-Version`. */
  apiVersion?: string
  /** Sent as `Stripe-Account` (Connect). */
  stripeAccount?: string
  /** Default `https://api.stripe.com`. */
  baseURL?: string
  /** Default `https://files.stripe.com`. */
  filesURL?: string
  /**
   * The transport: any WHATWG `fetch` (an emulator, a mock, a platform or proxy-aware fetch, an
   * ofetch instance through `ofetchTransport` from `@edgestripe/core/ofetch`). Default: the global
   * `fetch`, looked up at each call. Timeouts, retries and idempotency keys stay the core's.
   */
  fetch?: typeof globalThis.fetch
  /** Retries after the first attempt (0–10). Default 2. */
  maxRetries?: number
  /** Milliseconds for one attempt, body included. Default 80 000. */
  timeout?: number
  /** Backoff floor for retry 1, doubled per retry (ms). Default 500. */
  retryBaseDelay?: number
  /** Backoff cap before jitter (ms). Default 5 000. */
  retryMaxDelay?: number
  /** Cap on a server's `Retry-After` (ms). Default 60 000. */
  maxRetryAfter?: number
  /** Statuses never retried (unless Stripe answers `Stripe-Should-Retry: true`). Default `DO_NOT_RETRY`: 400, 401, 402, 403, 404. */
  doNotRetry?: readonly number[]
  /** Validate params before sending. Default true. Per request: `{ validateParams: false }`. */
  validateParams?: boolean
  /**
   * Accept param values outside the spec's enums (reported through the `enum:unknown` hook).
   * Default: true when `apiVersion` is newer than the spec's (2024-04-10), else false.
   */
  openEnums?: boolean
  /**
   * Response checking. `warn` (default): a mismatch calls the `response:invalid` hook and the
   * data is returned untouched; `strict`: it throws `StripeResponseValidationError`; `off`.
   * In every mode a 2xx body that is not the operation's kind of object (`object` missing or
   * another kind, `id` missing) is a `StripeAPIError` carrying the `idempotencyKey`.
   */
  validateResponses?: ResponseValidation
  /** Hooks to register at creation. */
  hooks?: Partial<StripeHooks>
  /**
   * Gone: logging is a plugin, `plugins: [logging({ logger, level })]` from
   * `@edgestripe/core/logging`. Passing it is a `StripeConfigurationError`.
   */
  logger?: never
  /** Gone: `logging({ level })` from `@edgestripe/core/logging`. Passing it is a `StripeConfigurationError`. */
  logLevel?: never
}

/** A secret or restricted key: every operation. */
export interface SecretKeyOptions extends CommonOptions {
  apiKey: string
  publishableKey?: never
  /** Allow a secret/restricted key where `window` or `document` exists. Default false. */
  dangerouslyAllowBrowser?: boolean
}

/** A publishable key: only operations marked publishable-safe (e.g. a source with its client_secret). */
export interface PublishableKeyOptions extends CommonOptions {
  publishableKey: string
  apiKey?: never
  dangerouslyAllowBrowser?: never
}

export type StripeOptions = SecretKeyOptions | PublishableKeyOptions

export interface ResolvedConfig {
  readonly keyKind: 'secret' | 'restricted' | 'publishable'
  /** The key redacted to prefix + last 4, e.g. `sk_test_…4242`. */
  readonly redactedKey: string
  readonly apiVersion: string
  readonly stripeAccount: string | undefined
  readonly baseURL: string
  readonly filesURL: string
  readonly maxRetries: number
  readonly timeout: number
  readonly retryBaseDelay: number
  readonly retryMaxDelay: number
  readonly maxRetryAfter: number
  readonly doNotRetry: readonly number[]
  readonly validateParams: boolean
  /** As given; undefined: open when the call's API version is newer than the spec's. */
  readonly openEnums: boolean | undefined
  readonly validateResponses: ResponseValidation
}

/** The plain object every function takes first. */
export interface StripeClient {
  readonly config: ResolvedConfig
  readonly hooks: Hooks<StripeHooks>
  /** The transport every attempt goes through: the `fetch` option, else the global `fetch`. */
  readonly fetch: typeof globalThis.fetch
  /** Returns the `Authorization` header value. Kept out of `config` so the key never prints. */
  readonly _authorization: () => string
  /**
   * Registers a plugin and returns the same client, typed with the plugin's API. A plugin already
   * registered on this client (the same function) is not run again.
   */
  use<A extends object | void>(plugin: Plugin<A>): this & PluginApi<Plugin<A>>
  /**
   * Wraps every call from now on (octokit's `hook.wrap`): `wrapper(call, next)` runs around the
   * whole call (every attempt and retry inside `next()`). Returns its remover.
   */
  wrap(wrapper: CallWrapper): () => void
  /** The wrappers, the first registered outermost. */
  readonly _wrappers: readonly CallWrapper[]
}

/** A plugin returns an object merged onto the client, or nothing (hooks only). */
export type Plugin<A extends object | void = object | void> = (client: StripeClient) => A

export type PluginApi<P> = P extends Plugin<infer A> ? (A extends object ? A : Record<never, never>) : Record<never, never>

export type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never
