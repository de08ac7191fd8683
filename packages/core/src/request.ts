import { _Call, _emit, _wrapCall } from './call.js'
import {
  _fail,
  _withResponse,
  errorFromResponse,
  StripeAPIError,
  StripeConnectionError,
  StripeError,
  StripeResponseValidationError,
  StripeTimeoutError,
} from './errors.js'
import { encodeForm } from './form.js'
import { _enumsOpen, _splitUnknownEnums } from './open-enums.js'
import type { HttpMethod, Operation, PathParamNames } from './operation.js'
import { _checkOptions } from './options.js'
import { _responseKindIssue } from './response-kind.js'
import { _attachResponse } from './response-meta.js'
import { retryDelay, retryReason, sleep } from './retry.js'
import type { CallResult, RequestContext, RequestOptions, ResponseMeta, StripeCall, StripeClient, WithResponse } from './types.js'
import { _invalid, check } from './validate.js'

/** Path params by their spec names (only when the path has any), then the query/body params. */
export type RequestInput<P extends string, I> = ([PathParamNames<P>] extends [never]
  ? { path?: Record<string, never> }
  : { path: Record<PathParamNames<P>, string> }) &
  ({} extends I ? { params?: I } : { params: I })

/** A request as it will be sent (the key aside), and the limits of sending it. Built by `buildRequest`. */
export interface BuiltRequest {
  readonly operation: Operation
  readonly method: HttpMethod
  readonly url: string
  /** Every header but `Authorization` (added per attempt, on a copy), names lower-cased. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
  readonly apiVersion: string
  /** The call's key (POST only: the caller's or a fresh UUID), the same on every attempt. */
  readonly idempotencyKey: string | undefined
  readonly timeout: number
  readonly maxRetries: number
  readonly signal: AbortSignal | undefined
  /** Param values outside the spec's enums let through by open enums (`request` reports them to `enum:unknown`). */
  readonly unknownEnums?: readonly { readonly path: string; readonly value: string }[]
}

/**
 * The one request path: makes the call (its id and idempotency key), builds the request (nothing
 * is sent when the key, path params, params or options are wrong), then, inside the client's
 * wrappers, sends it with retries and timeouts and checks that the 2xx body is the operation's
 * kind of object (every mode) and its schema (per `validateResponses`). The result carries
 * `lastResponse` (non-enumerable).
 */
export function request<P extends string, I, O>(
  client: StripeClient,
  operation: Operation<P, I, O>,
  input: RequestInput<P, I>,
  options: RequestOptions = {},
): Promise<WithResponse<O>> {
  const call = new _Call(operation, input, options)
  const build = () => buildWithKey(client, operation, input, options, call.idempotencyKey)
  return _call<BuiltRequest, O>(client, call, build, async (built) => {
    // Open enums: values outside the spec's enums that the build let through, reported before sending.
    for (const { path, value } of built.unknownEnums ?? []) {
      await _emit(client, call, 'enum:unknown', { call, operation, where: 'params', path, value })
    }
    const { data, meta } = await _send(client, call, built)
    const kind = _responseKindIssue(operation.response, data)
    if (kind) {
      throw finalError(
        new StripeAPIError({
          message: `${operation.operationId}: Stripe answered ${meta.statusCode} with ${kind}, not this operation's result.`,
          raw: { type: 'api_error', code: 'unexpected_response' },
          ...meta,
        }),
        meta.idempotencyKey,
      )
    }
    const mode = client.config.validateResponses
    if (mode !== 'off') {
      const checked = { call, operation, data, issues: check(operation.response, data) ?? [] }
      // fidelity: 'deep'/'deep-strict': deepSchemas plugins (@edgestripe/<domain>/deep, core deep.ts) check every depth.
      if (mode[0] === 'd') await _emit(client, call, 'response:deep', checked)
      const { issues } = checked
      if (issues.length && mode.endsWith('strict')) {
        const first = issues[0]! // issues.length, checked above
        throw Object.assign(
          new StripeResponseValidationError({
            message: `${operation.name ?? operation.operationId}: Stripe processed the request${meta.requestId ? ` (${meta.requestId})` : ''} but its response does not match the schema: ${first.path || '(root)'}: ${first.message}.${meta.idempotencyKey ? ` Resend only with idempotencyKey ${meta.idempotencyKey}.` : ''}`,
            raw: { type: 'api_error', code: 'response_validation', param: first.path },
            issues,
            ...meta,
          }),
          { idempotencyKey: meta.idempotencyKey, lastResponse: meta },
        )
      }
      if (issues.length) await _emit(client, call, 'response:invalid', { call, operation, issues, data })
    }
    return { data, meta }
  })
}

/**
 * What `request` and `downloadFile` both do with a call: build it (refusals throw here, before any
 * wrapper), run it inside the client's wrappers, put `lastResponse` on the result, and report a
 * failure (refusals included) to the `error` hook.
 */
export async function _call<B, T>(
  client: StripeClient,
  call: _Call,
  build: () => B,
  run: (built: B) => Promise<CallResult>,
): Promise<WithResponse<T>> {
  try {
    const built = build()
    const { data, meta } = await _wrapCall(client, call, () => run(built))
    _attachResponse(data as object, meta) // never over a field of the response (response-meta.ts)
    // `run` resolves to the caller's kind of result (checked by it), or a wrapper's stand-in for one.
    return data as WithResponse<T>
  } catch (error) {
    if (error instanceof StripeError) await _emit(client, call, 'error', error, { operation: call.operation, call })
    throw error
  }
}

/**
 * Pure (octokit's `endpoint.parse`): URL, headers and body from the operation, the input and the
 * options, the same for the same arguments. Checks the key kind, path params, params and options
 * first. The `Idempotency-Key` is `options.idempotencyKey` as given: `request` makes the key of a
 * POST without one where it makes the call.
 */
export function buildRequest(
  client: StripeClient,
  operation: Operation,
  input: { path?: Record<string, unknown>; params?: unknown },
  options: RequestOptions = {},
): BuiltRequest {
  return buildWithKey(client, operation, input, options, options.idempotencyKey)
}

function buildWithKey(
  client: StripeClient,
  operation: Operation,
  { path: pathParams, params }: { path?: Record<string, unknown>; params?: unknown },
  options: RequestOptions,
  idempotencyKey: string | undefined,
): BuiltRequest {
  const { config } = client
  checkAuth(client, operation, params)
  const path = _fillPath(operation, pathParams)
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
    throw _invalid(operation, 'params', [{ path: '', message: 'params must be an object' }])
  }
  let unknownEnums: BuiltRequest['unknownEnums']
  if (config.validateParams && options.validateParams !== false) {
    const issues = check(operation.params, params ?? {})
    if (issues) {
      // fidelity: with open enums (a newer apiVersion, or `openEnums`), a string outside an enum passes (open-enums.ts).
      const open = _enumsOpen(client, options) ? _splitUnknownEnums(issues) : undefined
      if (!open || open.rest.length) throw _invalid(operation, 'params', open?.rest ?? issues)
      unknownEnums = open.accepted
    }
  }
  const form = encodeForm(params)
  const isPost = operation.method === 'POST'
  const base = operation.host === 'files' ? config.filesURL : config.baseURL
  const url = `${base}${path}${!isPost && form ? `?${form}` : ''}`
  const built = _prepare(client, operation, url, isPost ? form : undefined, options, idempotencyKey)
  return unknownEnums ? { ...built, unknownEnums } : built
}

/** Headers and limits for sending `body` to `url`, the options checked and the client's defaults applied. */
export function _prepare(
  client: StripeClient,
  operation: Operation,
  url: string,
  body: string | undefined,
  options: RequestOptions,
  idempotencyKey: string | undefined,
): BuiltRequest {
  _checkOptions(options, 'request')
  const { config } = client
  const apiVersion = options.apiVersion ?? config.apiVersion
  const stripeAccount = options.stripeAccount ?? config.stripeAccount
  // A plain record (cheaper than `Headers` per call); lower-cased so no name is sent twice.
  const headers: Record<string, string> = {}
  for (const name in options.headers) headers[name.toLowerCase()] = options.headers[name]! // a key of headers
  headers.accept = 'application/json'
  headers['stripe-version'] = apiVersion
  if (stripeAccount) headers['stripe-account'] = stripeAccount
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey
  if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded'
  return {
    operation,
    method: operation.method,
    url,
    headers,
    body,
    apiVersion,
    idempotencyKey,
    timeout: options.timeout ?? config.timeout,
    maxRetries: options.maxRetries ?? config.maxRetries,
    signal: options.signal,
  }
}

/** What a streaming reader gets: the attempt's signal (aborted on timeout or by the caller) and its cleanup. */
export interface AttemptClaim {
  signal: AbortSignal
  release: () => void
}

/**
 * What hooks get for one attempt. `headers` becomes a `Headers` only when a hook reads it (a
 * class with a prototype getter: an object literal with accessors costs µs per call in V8).
 */
class AttemptContext implements RequestContext {
  readonly call: StripeCall
  readonly operation: Operation
  readonly method: string
  readonly url: string
  readonly body: string | undefined
  attempt: number
  #base: Readonly<Record<string, string>>
  #headers: Headers | undefined
  constructor(call: StripeCall, request: BuiltRequest, attempt: number) {
    this.call = call
    this.operation = request.operation
    this.method = request.method
    this.url = request.url
    this.body = request.body
    this.attempt = attempt
    this.#base = request.headers
  }
  get headers(): Headers {
    this.#headers ??= new Headers(this.#base)
    return this.#headers
  }
  set headers(headers: Headers) {
    this.#headers = headers
  }
  /** Whether a hook read or replaced `headers`. */
  get _touched(): boolean {
    return this.#headers !== undefined
  }
}

type Outcome = { data: unknown; meta: ResponseMeta; claim?: AttemptClaim } | { error: StripeError }

/**
 * Sends one logical request: attempts, then backoff and retry while `retryReason` allows. With
 * `stream`, a 2xx body is handed on unread (a `Response`) with the claim on its attempt's timer.
 */
export async function _send(
  client: StripeClient,
  call: _Call,
  request: BuiltRequest,
  stream = false,
): Promise<{ data: unknown; meta: ResponseMeta; claim?: AttemptClaim }> {
  const { operation, signal } = request
  for (let attempt = 1; ; attempt++) {
    const outcome = await sendAttempt(client, call, request, attempt, stream)
    if (!('error' in outcome)) return outcome
    const { error } = outcome
    const reason = attempt <= request.maxRetries ? retryReason(error, client.config.doNotRetry) : undefined
    if (!reason) throw finalError(error, request.idempotencyKey)
    const delayMs = retryDelay(attempt, client.config, error)
    await _emit(client, call, 'retry:before', { call, operation, attempt: attempt + 1, delayMs, reason, error })
    await sleep(delayMs, signal)
  }
}

/**
 * One attempt: one fetch and its body read, both raced against the attempt's timeout and the
 * caller's signal (whatever the transport does with the signal it is given), then the
 * `response:after` hook. Returns the data or the error to retry on; throws the caller's abort
 * reason and hook errors as they are.
 */
async function sendAttempt(client: StripeClient, call: _Call, request: BuiltRequest, attempt: number, stream: boolean): Promise<Outcome> {
  const { operation, method, url, body, signal, timeout } = request
  signal?.throwIfAborted()
  const ctx = new AttemptContext(call, request, attempt)
  const before = _emit(client, call, 'request:before', ctx)
  if (before) await before
  // The key goes on a copy: what hooks hold (ctx, now and later) never carries it.
  const sent: Record<string, string> = ctx._touched ? Object.fromEntries(ctx.headers) : { ...request.headers }
  sent.authorization = client._authorization()

  // One controller per attempt, never reused: a transport that follows the signal it is given
  // (Node's fetch, `new Request(url, { signal })`) adds a listener to it that only its own
  // garbage collection removes. A pooled one collected listeners from every call (issue 18).
  const controller = new AbortController()
  let stop: (reason: unknown) => void = () => {}
  const timer = setTimeout(
    () => stop(new StripeTimeoutError({ message: `Request timed out after ${timeout} ms (${method} ${operation.path}).` })),
    timeout,
  )
  const onAbort = () => stop(signal?.reason)
  signal?.addEventListener('abort', onAbort)
  const release = () => {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  }
  let response: Response | undefined
  let text: string | undefined
  let failure: unknown
  try {
    // The exchange settles, or the deadline (timeout or caller abort) ends it: never both, never neither.
    text = await new Promise<string | undefined>((resolve, reject) => {
      stop = (reason) => {
        reject(reason)
        controller.abort(reason)
      }
      const fetch = client.fetch // called detached: a platform fetch must not get the client as `this`
      fetch(url, { method, headers: sent, body, signal: controller.signal })
        .then((answer) => {
          response = answer
          return stream && answer.ok ? undefined : answer.text()
        })
        .then(resolve, reject)
    })
  } catch (cause) {
    if (signal?.aborted) {
      release()
      throw signal.reason
    }
    failure =
      cause instanceof StripeError
        ? cause
        : new StripeConnectionError({
            message: `Could not reach Stripe at ${/^\w+:\/\/([^/?#]+)/.exec(url)?.[1]} (${method} ${operation.path}): ${cause instanceof Error ? cause.message : String(cause)}`,
            cause,
          })
  }
  const meta = response && responseMeta(request, response, attempt)
  let data: unknown
  let outcome: Outcome
  // No response (so no meta) only when the exchange failed.
  if (failure || !response || !meta) outcome = { error: failure as StripeError }
  else if (text === undefined) outcome = { data: response, meta, claim: { signal: controller.signal, release } }
  else {
    data = parseJson(text)
    if (!response.ok) outcome = { error: errorFromResponse(response.status, data, response.headers) }
    else if (data && typeof data === 'object') outcome = { data, meta }
    // Truncated or not JSON: no usable answer, like a dropped connection (so it is retried).
    else
      outcome = {
        error: new StripeConnectionError({ message: `Malformed response body (${text.length} bytes), status ${response.status}.` }),
      }
  }
  if ('error' in outcome) _withResponse(outcome.error, response)
  if (!('claim' in outcome && outcome.claim)) release()
  // Hooks run outside the exchange: a hook's own error is thrown as it is, never retried.
  if (response) {
    try {
      const after = _emit(client, call, 'response:after', ctx, meta!, data) // made with the response
      if (after) await after
    } catch (hookError) {
      if ('claim' in outcome && outcome.claim) {
        release()
        response.body?.cancel().catch(() => {})
      }
      throw hookError
    }
  }
  return outcome
}

function responseMeta(request: BuiltRequest, response: Response, attempts: number): ResponseMeta {
  return {
    requestId: response.headers.get('request-id') ?? undefined,
    statusCode: response.status,
    headers: response.headers,
    apiVersion: request.apiVersion,
    idempotencyKey: request.idempotencyKey,
    attempts,
  }
}

/**
 * A failure that will not be retried. A POST that failed without a clear answer may still have
 * been processed: the same key (on the error) makes a retry safe, whoever generated it.
 */
function finalError<E extends StripeError>(failure: E, idempotencyKey: string | undefined): E {
  if (idempotencyKey) {
    // A readonly field for callers, set here, once.
    ;(failure as { idempotencyKey?: string }).idempotencyKey = idempotencyKey
    if (failure instanceof StripeConnectionError || failure.raw.code === 'unexpected_response')
      failure.message += ` It may have been processed: retry with idempotencyKey ${idempotencyKey}.`
  }
  return failure
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function checkAuth({ config }: StripeClient, { auth, operationId }: Operation, params: unknown): void {
  if (config.keyKind === 'publishable' && auth !== 'publishable') {
    if (auth !== 'client_secret') _fail(`${operationId} needs a secret or restricted key, not a publishable key (${config.redactedKey}).`)
    // Read before the params are checked: any value (no field reads undefined).
    if (!(params as { client_secret?: unknown } | undefined)?.client_secret) {
      _fail(`${operationId} with a publishable key (${config.redactedKey}) needs the object's client_secret.`)
    }
  }
}

/**
 * The operation's path with its params validated (non-empty, not `.` or `..`, well-formed
 * Unicode) and URL-encoded.
 */
export function _fillPath(operation: Operation, values: Record<string, unknown> | undefined): string {
  const { path } = operation
  let filled = ''
  let from = 0
  // A scan, not `replace(/\{…\}/g, fn)`: this runs on every call.
  for (let open = path.indexOf('{'); open !== -1; open = path.indexOf('{', from)) {
    const close = path.indexOf('}', open)
    const name = path.slice(open + 1, close)
    const value = values?.[name]
    // `.` and `..` would be resolved away as URL segments and reach another endpoint.
    if (typeof value !== 'string' || value === '' || value === '.' || value === '..') {
      throw _invalid(operation, 'path', [{ path: name, message: 'required, a non-empty string other than . or ..' }])
    }
    let encoded: string
    try {
      encoded = encodeURIComponent(value)
    } catch {
      // A lone surrogate (half of an emoji, cut by a slice) has no UTF-8 form.
      throw _invalid(operation, 'path', [{ path: name, message: 'must be well-formed Unicode (it holds a lone surrogate)' }])
    }
    filled += path.slice(from, open) + encoded
    from = close + 1
  }
  return filled + path.slice(from)
}
