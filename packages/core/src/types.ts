// The core's types, in one place: the modules with values import them, and nothing here imports
// a value module's types back but the two leaves, errors.ts and operation.ts.
import type { HookableCore } from 'hookable'
import type { StripeError, ValidationIssue } from './errors.js'
import type { Operation } from './operation.js'

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
  readonly hooks: HookableCore<StripeHooks>
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

/** One logical call: the same value for its every attempt, retry and hook. */
export interface StripeCall {
  /** Unique per call (a UUID), never sent to Stripe. */
  readonly id: string
  readonly operation: Operation
  /** The path params as given (`{ source: 'src_1' }`), or undefined. */
  readonly path: Readonly<Record<string, unknown>> | undefined
  /** The query/body params as given, or undefined. */
  readonly params: unknown
  /** The per-request options as given. */
  readonly options: Readonly<RequestOptions>
  /** POST: the caller's key or a fresh UUID, sent on every attempt; GET/DELETE: undefined. */
  readonly idempotencyKey: string | undefined
  /**
   * Registers a hook for this call only (it runs after the client's hooks of the same name) and
   * returns its remover: what a `client.wrap` wrapper uses to follow its call's attempts.
   */
  hook<N extends keyof StripeHooks>(name: N, fn: StripeHooks[N]): () => void
}

/** What a call resolves to before `lastResponse` is put on the data. */
export interface CallResult {
  data: unknown
  meta: ResponseMeta
}

/**
 * Wraps one whole call: `next()` runs it (every attempt, backoff and retry, the response checks)
 * and resolves to its result or rejects with its final error. A wrapper returns what `next()`
 * resolved to (or throws); the first wrapper registered is the outermost. Only calls that passed
 * their checks (key kind, path, params, options) are wrapped: a call refused before sending
 * reaches the `error` hook only.
 */
export type CallWrapper = (call: StripeCall, next: () => Promise<CallResult>) => Promise<CallResult>

/**
 * Context of one attempt. Hooks may change `headers` (never holding `Authorization`: the key goes
 * on a copy after the hooks); `url` and `body` are as validated and cannot be redirected.
 */
export interface RequestContext {
  /** The call this attempt belongs to: the same value for every attempt of the call. */
  readonly call: StripeCall
  readonly operation: Operation
  readonly method: string
  readonly url: string
  headers: Headers
  readonly body: string | undefined
  /** 1-based. */
  attempt: number
}

export interface RetryContext {
  /** The call being retried. */
  call: StripeCall
  operation: Operation
  /** The attempt about to be made (2 for the first retry). */
  attempt: number
  delayMs: number
  reason: string
  error: StripeError
}

/**
 * Lifecycle hooks. Augment with `declare module '@edgestripe/core' { interface StripeHooks { … } }`
 * to add your own.
 */
export interface StripeHooks {
  /** Before each attempt; may change `headers`. */
  'request:before': (ctx: RequestContext) => void | Promise<void>
  /**
   * After each attempt that got an HTTP response. `body` is the body as read: the parsed JSON for
   * a JSON body, else its text; `undefined` for a streamed download or a body that never arrived.
   */
  'response:after': (ctx: RequestContext, meta: ResponseMeta, body: unknown) => void | Promise<void>
  /** Before waiting to retry. */
  'retry:before': (ctx: RetryContext) => void | Promise<void>
  /** When a call fails for good (refused before sending included). */
  error: (error: StripeError, ctx: { operation: Operation; call: StripeCall }) => void | Promise<void>
  /**
   * An enum value the spec does not list, accepted: in params with open enums (a newer
   * `apiVersion`, or `openEnums: true`; it is sent), in responses with deep validation (kept).
   */
  'enum:unknown': (ctx: {
    call: StripeCall
    operation: Operation
    where: 'params' | 'response'
    /** params: bracket form (`platform_restrictions[inbound_flows]`); response: dotted, as in `response:invalid` */
    path: string
    value: string
  }) => void | Promise<void>
  /**
   * With `validateResponses: 'deep'`/`'deep-strict'`: a `deepSchemas` plugin (`@edgestripe/<domain>/deep`)
   * replaces `issues` (the shallow check's) with every issue its full-depth schema finds.
   */
  'response:deep': (ctx: { call: StripeCall; operation: Operation; data: unknown; issues: ValidationIssue[] }) => void | Promise<void>
  /** When a response does not match its schema (validateResponses: 'warn' or 'deep'). */
  'response:invalid': (ctx: {
    call: StripeCall
    operation: Operation
    issues: readonly ValidationIssue[]
    data: unknown
  }) => void | Promise<void>
}
