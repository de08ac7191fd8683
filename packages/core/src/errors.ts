import { redact } from './redact.js'

export interface ValidationIssue {
  /** Dotted path, e.g. `owner.address.city`. */
  path: string
  message: string
}

/** The `error` object of a Stripe error response. */
export interface StripeRawError {
  type?: string
  code?: string
  decline_code?: string
  param?: string
  message?: string
  doc_url?: string
  [key: string]: unknown
}

export interface StripeErrorInit {
  message: string
  raw?: StripeRawError
  statusCode?: number
  requestId?: string
  headers?: Headers
  cause?: unknown
}

/**
 * Base of every error this SDK throws. Fields mirror Stripe's error object; `statusCode`,
 * `requestId` and `headers` are set when a response was received.
 */
export class StripeError extends Error {
  declare readonly type: string
  declare readonly code: string | undefined
  declare readonly decline_code: string | undefined
  declare readonly param: string | undefined
  declare readonly doc_url: string | undefined
  declare readonly statusCode: number | undefined
  declare readonly requestId: string | undefined
  declare readonly headers: Headers | undefined
  declare readonly raw: StripeRawError
  /**
   * The `Idempotency-Key` a failed POST was sent with (yours or the generated one). Retrying with
   * it is safe: Stripe replays the first result instead of acting twice.
   */
  declare readonly idempotencyKey: string | undefined

  // A getter, not `this.name = new.target.name`: minifiers rename classes.
  override get name(): string {
    return 'StripeError'
  }

  constructor(init: StripeErrorInit) {
    // Every message redacted (redact.ts): a proxy's page or a transport error may echo the request.
    super(init.message && redact(init.message), init.cause === undefined ? undefined : init) // Error reads `cause` only
    const raw = init.raw ?? {}
    this.type = raw.type ?? 'api_error'
    this.code = raw.code
    this.decline_code = raw.decline_code
    this.param = raw.param
    this.doc_url = raw.doc_url
    this.statusCode = init.statusCode
    this.requestId = init.requestId
    this.headers = init.headers
    this.raw = raw
  }
}

/** 402, or `type: card_error`. */
export class StripeCardError extends StripeError {
  override get name(): string {
    return 'StripeCardError'
  }
}
/** 400 / 404, or `type: invalid_request_error`. */
export class StripeInvalidRequestError extends StripeError {
  override get name(): string {
    return 'StripeInvalidRequestError'
  }
}
/** 401. */
export class StripeAuthenticationError extends StripeError {
  override get name(): string {
    return 'StripeAuthenticationError'
  }
}
/** 403. */
export class StripePermissionError extends StripeError {
  override get name(): string {
    return 'StripePermissionError'
  }
}
/** 429. */
export class StripeRateLimitError extends StripeError {
  override get name(): string {
    return 'StripeRateLimitError'
  }
}
/** `type: idempotency_error`: the key was reused with other params. */
export class StripeIdempotencyError extends StripeError {
  override get name(): string {
    return 'StripeIdempotencyError'
  }
}
/** 5xx, or `type: api_error`. */
export class StripeAPIError extends StripeError {
  override get name(): string {
    return 'StripeAPIError'
  }
}
/** No usable response: network failure, reset, truncated body. */
export class StripeConnectionError extends StripeError {
  override get name(): string {
    return 'StripeConnectionError'
  }
}
/** One attempt exceeded its `timeout` (headers or body). */
export class StripeTimeoutError extends StripeConnectionError {
  override get name(): string {
    return 'StripeTimeoutError'
  }
}
/** Params or path params failed client-side validation: nothing was sent. */
export class StripeValidationError extends StripeError {
  override get name(): string {
    return 'StripeValidationError'
  }
  declare readonly issues: readonly ValidationIssue[]
  constructor(init: StripeErrorInit & { issues: readonly ValidationIssue[] }) {
    super(init)
    this.issues = init.issues
  }
}
/** The client was used in a way it cannot be (wrong key kind, browser guard): nothing was sent. */
export class StripeConfigurationError extends StripeError {
  override get name(): string {
    return 'StripeConfigurationError'
  }
}
/**
 * A 2xx response did not match its schema (only with `validateResponses: 'strict'`). The request
 * WAS processed: not a client-side `StripeValidationError`. It carries `idempotencyKey` (POST),
 * `requestId`, `statusCode` and `headers`: retrying with the same key replays the first result.
 */
export class StripeResponseValidationError extends StripeError {
  override get name(): string {
    return 'StripeResponseValidationError'
  }
  declare readonly issues: readonly ValidationIssue[]
  constructor(init: StripeErrorInit & { issues: readonly ValidationIssue[] }) {
    super(init)
    this.issues = init.issues
  }
}

/** Throws a `StripeConfigurationError` (nothing was sent). */
export function _fail(message: string): never {
  throw new StripeConfigurationError({ message })
}

/** Which check of a webhook signature failed. */
export type SignatureFailure =
  | 'no_header'
  | 'no_timestamp'
  | 'no_signature'
  | 'no_match'
  | 'too_old'
  | 'invalid_payload'
  | 'no_secret'
  | 'invalid_options'

/** A webhook payload failed verification (`reason` says which check): do not trust it. */
export class StripeSignatureVerificationError extends StripeError {
  override get name(): string {
    return 'StripeSignatureVerificationError'
  }
  declare readonly reason: SignatureFailure
  constructor(init: StripeErrorInit & { reason: SignatureFailure }) {
    super(init)
    this.reason = init.reason
  }
}

/**
 * Maps an HTTP error response to its class, one rule per line (stripe-node's `generateV1Error`
 * order): Stripe's `type` first where it is decisive, then the status.
 */
export function errorFromResponse(statusCode: number, body: unknown, headers: Headers): StripeError {
  const error = (body as { error?: unknown } | null | undefined)?.error // any body: no `error` reads undefined
  const raw: StripeRawError =
    error && typeof error === 'object'
      ? (error as StripeRawError) // Stripe's error object, its fields as Stripe sends them
      : // No Stripe error object (an HTML page, an empty body): the status says what kind it is.
        {
          type: statusCode >= 500 ? 'api_error' : 'invalid_request_error',
          message: typeof body === 'string' ? body.slice(0, 200) : undefined,
        }
  const init: StripeErrorInit = {
    message: raw.message ?? `Stripe answered ${statusCode}`,
    raw,
    statusCode,
    requestId: headers.get('request-id') ?? undefined,
    headers,
  }
  // The key was reused with other params: never retried, whatever the status.
  if (raw.type === 'idempotency_error') return new StripeIdempotencyError(init)
  if (raw.type === 'card_error' || statusCode === 402) return new StripeCardError(init)
  if (statusCode === 401) return new StripeAuthenticationError(init)
  if (statusCode === 403) return new StripePermissionError(init)
  if (statusCode === 429) return new StripeRateLimitError(init)
  if (statusCode >= 500 || raw.type === 'api_error') return new StripeAPIError(init)
  if (raw.type === 'invalid_request_error' || statusCode === 400 || statusCode === 404) return new StripeInvalidRequestError(init)
  return new StripeError(init)
}

/**
 * Gives an error the response's `statusCode`, `requestId` and `headers` when it has none (a body
 * that was truncated or stalled after the headers arrived).
 */
export function _withResponse<E extends StripeError>(error: E, response: { status: number; headers: Headers } | undefined): E {
  if (response && error.statusCode === undefined) {
    Object.assign(error, {
      statusCode: response.status,
      requestId: response.headers.get('request-id') ?? undefined,
      headers: response.headers,
    })
  }
  return error
}

/** Why `paginate` stopped: the server's page cannot be followed without looping or losing items. */
export type PaginationFailure = 'invalid_data' | 'invalid_has_more' | 'missing_cursor' | 'repeated_cursor'

/**
 * A list page `paginate` cannot follow: `data` not an array, `has_more` not a boolean, `has_more`
 * true but no last item `id` to continue from, or a cursor already followed (the walk would loop).
 * Names the operation and the cursor the page was requested with (`undefined` for the first).
 */
export class StripePaginationError extends StripeError {
  override get name(): string {
    return 'StripePaginationError'
  }
  declare readonly reason: PaginationFailure
  declare readonly operationId: string
  declare readonly cursor: string | undefined
  constructor(init: StripeErrorInit & { reason: PaginationFailure; operationId: string; cursor: string | undefined }) {
    super(init)
    this.reason = init.reason
    this.operationId = init.operationId
    this.cursor = init.cursor
  }
}
