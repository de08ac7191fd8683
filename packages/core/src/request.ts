import {
  _fail,
  errorFromResponse,
  StripeConnectionError,
  StripeError,
  StripeResponseValidationError,
  StripeTimeoutError,
} from './errors.js'
import { encodeForm } from './form.js'
import type { RequestContext } from './hooks.js'
import { idempotencyKeyFor } from './idempotency.js'
import { _acceptUnknownEnums, _enumsOpen } from './open-enums.js'
import type { Operation, PathParamNames } from './operation.js'
import { _checkLimits, retryDelay, retryReason, sleep } from './retry.js'
import type { RequestOptions, ResponseMeta, StripeClient, WithResponse } from './types.js'
import { _invalid, check } from './validate.js'

/** Path params by their spec names (only when the path has any), then the query/body params. */
export type RequestInput<P extends string, I> = ([PathParamNames<P>] extends [never]
  ? { path?: Record<string, never> }
  : { path: Record<PathParamNames<P>, string> }) &
  ({} extends I ? { params?: I } : { params: I })

/**
 * The one request path: checks the key against the operation, validates path params and params
 * (nothing is sent when they are wrong), encodes them, sends with retries and timeouts, maps
 * errors, and checks the response. The result carries `lastResponse` (non-enumerable).
 */
export async function request<P extends string, I, O>(
  client: StripeClient,
  operation: Operation<P, I, O>,
  input: RequestInput<P, I>,
  options: RequestOptions = {},
): Promise<WithResponse<O>> {
  try {
    const { config } = client
    const params = (input as { params?: unknown }).params
    checkAuth(client, operation, params)
    const path = _fillPath(operation, (input as { path?: Record<string, unknown> }).path)
    if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
      throw _invalid(operation, 'params', [{ path: '', message: 'params must be an object' }])
    }
    if (config.validateParams && options.validateParams !== false) {
      const issues = check(operation.params, params ?? {})
      // fidelity: with open enums (a newer apiVersion, or `openEnums`), a string outside an enum passes (open-enums.ts).
      const rest = issues && _enumsOpen(client, options) ? await _acceptUnknownEnums(client, operation, issues) : issues
      if (rest) throw _invalid(operation, 'params', rest)
    }
    const form = encodeForm(params)
    const isPost = operation.method === 'POST'
    const base = operation.host === 'files' ? config.filesURL : config.baseURL
    const url = `${base.replace(/\/$/, '')}${path}${!isPost && form ? `?${form}` : ''}`
    const { data, meta } = await _send(client, operation, {
      url,
      body: isPost ? form : undefined,
      options,
      read: readJson,
    })
    const mode = config.validateResponses
    if (mode !== 'off') {
      const checked = { operation, data, issues: check(operation.response, data) ?? [] }
      // fidelity: 'deep'/'deep-strict': deepSchemas plugins (@edgestripe/<domain>/deep, core deep.ts) check every depth.
      if (mode[0] === 'd') await client.hooks.callHook('response:deep', checked)
      const { issues } = checked
      if (issues.length) {
        if (mode.endsWith('strict')) throw _invalid(operation, 'response', issues, meta, StripeResponseValidationError)
        await client.hooks.callHook('response:invalid', { operation, issues, data })
      }
    }
    Object.defineProperty(data, 'lastResponse', { value: meta, enumerable: false, configurable: true })
    return data as WithResponse<O>
  } catch (error) {
    if (error instanceof StripeError) await client.hooks.callHook('error', error, { operation })
    throw error
  }
}

export interface SendInput<T> {
  url: string
  body: string | undefined
  options: RequestOptions
  /**
   * Reads the body of a 2xx response while the attempt's timeout still runs. A reader that hands
   * the body on unread (a stream) calls `claim()` to keep the timeout running past `_send`: it gets
   * the attempt's signal (aborted on timeout or by the caller) and must call `release()` once.
   */
  read: (response: Response, claim: () => AttemptClaim) => Promise<T>
}

/** What `claim()` hands a streaming reader: the attempt's signal and its cleanup. */
export interface AttemptClaim {
  signal: AbortSignal
  release: () => void
}

/**
 * Sends one logical request: attempts, timeouts (headers and body), retries with backoff, hooks.
 * Every POST gets one idempotency key shared by all its attempts.
 */
export async function _send<T>(
  client: StripeClient,
  operation: Operation,
  { url, body, options, read }: SendInput<T>,
): Promise<{ data: T; meta: ResponseMeta }> {
  const { config, hooks } = client
  const method = operation.method
  const apiVersion = options.apiVersion ?? config.apiVersion
  const idempotencyKey = idempotencyKeyFor(operation, options.idempotencyKey)
  const maxRetries = options.maxRetries ?? config.maxRetries
  const timeout = options.timeout ?? config.timeout
  _checkLimits(maxRetries, timeout)
  const stripeAccount = options.stripeAccount ?? config.stripeAccount
  const { signal } = options

  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted()
    const headers = new Headers(options.headers)
    headers.set('Accept', 'application/json')
    headers.set('Stripe-Version', apiVersion)
    if (stripeAccount) headers.set('Stripe-Account', stripeAccount)
    if (idempotencyKey) headers.set('Idempotency-Key', idempotencyKey)
    if (body !== undefined) headers.set('Content-Type', 'application/x-www-form-urlencoded')
    const ctx: RequestContext = { operation, method, url, headers, body, attempt }
    await hooks.callHook('request:before', ctx)
    // The key goes on a copy: what hooks hold (ctx, now and later) never carries it.
    const sent = new Headers(ctx.headers)
    sent.set('Authorization', client._authorization())

    const controller = new AbortController()
    const attemptSignal = controller.signal
    const timer = setTimeout(
      () => controller.abort(new StripeTimeoutError({ message: `Request timed out after ${timeout} ms (${method} ${operation.path}).` })),
      timeout,
    )
    const onAbort = () => controller.abort(signal?.reason)
    signal?.addEventListener('abort', onAbort, { once: true })
    const release = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
    // Body reads race this: a body that stalls without honouring the signal cannot hang the call.
    const aborted = new Promise<never>((_, reject) => attemptSignal.addEventListener('abort', () => reject(attemptSignal.reason)))
    aborted.catch(() => {})
    let claimed = false
    let meta: ResponseMeta | undefined
    let result: { data: T; meta: ResponseMeta } | undefined
    let error: StripeError | undefined
    try {
      // `url` and `body` as validated, whatever a hook did to ctx: the key goes to Stripe's host only.
      const response = await client.fetch.raw(url, {
        method,
        headers: sent,
        body,
        signal: attemptSignal,
        retry: false,
        timeout: undefined,
        ignoreResponseError: true,
        responseType: 'stream',
      })
      meta = {
        requestId: response.headers.get('request-id') ?? undefined,
        statusCode: response.status,
        headers: response.headers,
        apiVersion,
        idempotencyKey,
        attempts: attempt,
      }
      if (response.ok) {
        const data = await Promise.race([
          read(response, () => {
            claimed = true
            return { signal: attemptSignal, release }
          }),
          aborted,
        ])
        result = { data, meta }
      } else {
        const text = await Promise.race([response.text(), aborted])
        error = errorFromResponse(response.status, parseJson(text), response.headers)
      }
    } catch (cause) {
      if (signal?.aborted) throw signal.reason
      const reason = attemptSignal.reason
      // ofetch wraps transport failures in a FetchError whose `options` hold the sent headers
      // (the key): keep only what it wraps.
      const root = (cause as Error)?.name === 'FetchError' ? (cause as Error).cause : cause
      error =
        root instanceof StripeError
          ? root
          : reason instanceof StripeTimeoutError
            ? reason
            : new StripeConnectionError({
                message: `Could not reach Stripe (${method} ${operation.path}): ${root instanceof Error ? root.message : String(root)}`,
                cause: root,
              })
    } finally {
      if (!(result && claimed)) release()
    }
    // Hooks run outside the transport's try: a hook's own error is thrown as it is, never retried.
    try {
      if (meta) await hooks.callHook('response:after', ctx, meta)
    } catch (hookError) {
      if (result && claimed) release()
      throw hookError
    }
    if (result) return result
    const failure = error as StripeError
    const reason = attempt <= maxRetries ? retryReason(failure) : undefined
    if (!reason) {
      if (idempotencyKey) {
        // A POST that failed without a clear answer may still have been processed: the same key
        // (on the error) makes a retry safe, whoever generated it.
        ;(failure as { idempotencyKey?: string }).idempotencyKey = idempotencyKey
        if (failure instanceof StripeConnectionError)
          failure.message += ` It may have been processed: retry with idempotencyKey ${idempotencyKey}.`
      }
      throw failure
    }
    const delayMs = retryDelay(attempt, config, failure)
    await hooks.callHook('retry:before', { operation, attempt: attempt + 1, delayMs, reason, error: failure })
    await sleep(delayMs, signal)
  }
}

/** Reads a JSON object body; anything else (truncated, not JSON) is a connection error, so it is retried. */
async function readJson(response: Response): Promise<object> {
  const text = await response.text()
  const data = parseJson(text)
  if (data && typeof data === 'object') return data
  throw new StripeConnectionError({
    message: `Malformed response body (${text.length} bytes), status ${response.status}.`,
    raw: { type: 'api_error' },
    statusCode: response.status,
    requestId: response.headers.get('request-id') ?? undefined,
    headers: response.headers,
  })
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
    if (!(params as { client_secret?: unknown } | undefined)?.client_secret) {
      _fail(`${operationId} with a publishable key (${config.redactedKey}) needs the object's client_secret.`)
    }
  }
}

/** The operation's path with its params validated (non-empty, not `.` or `..`) and URL-encoded. */
export function _fillPath(operation: Operation, values: Record<string, unknown> | undefined): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values?.[name]
    // `.` and `..` would be resolved away as URL segments and reach another endpoint.
    if (typeof value !== 'string' || value === '' || value === '.' || value === '..') {
      throw _invalid(operation, 'path', [{ path: name, message: 'required, a non-empty string other than . or ..' }])
    }
    return encodeURIComponent(value)
  })
}
