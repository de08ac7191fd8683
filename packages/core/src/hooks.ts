import type { StripeCall } from './call.js'
import type { StripeError } from './errors.js'
import type { Operation } from './operation.js'
import type { ResponseMeta } from './types.js'

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

export interface ValidationIssue {
  /** Dotted path, e.g. `owner.address.city`. */
  path: string
  message: string
}
