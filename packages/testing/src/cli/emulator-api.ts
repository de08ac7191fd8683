// The CLI's one way to talk to a running emulator over HTTP: the API (`/v1/…`, Stripe form
// encoding) and the controls (`/_emulator/…`, JSON), with the key as `Authorization: Bearer`, a
// timeout on every request, and one-line errors (`CliError`) for an emulator that is not there or
// answers an error.
import { encodeForm } from '@edgestripe/core'
import { CliError, type CliIO } from './io.js'

/** Where `--api-base` points when not given: the port `edgestripe-emulator` listens on by default. */
export const DEFAULT_API_BASE = 'http://127.0.0.1:12180'
/** The key used when neither `--api-key` nor `STRIPE_API_KEY` gives one. */
export const DEFAULT_API_KEY = 'sk_test_emulator'
/** How long one request to the emulator may take (ms). */
export const REQUEST_TIMEOUT_MS = 15_000

export interface EmulatorTarget {
  apiBase: string
  apiKey: string
  /** `Stripe-Account` for API calls (a connected account) */
  stripeAccount?: string
}

export interface ApiAnswer {
  status: number
  body: unknown
}

export interface SendOptions {
  /** a form-encoded body or query string, already encoded (fixtures build their own) */
  form?: string
  /** a JSON body (controls) */
  json?: unknown
  idempotencyKey?: string
  headers?: Record<string, string>
  /** answer non-2xx statuses instead of throwing */
  allowError?: boolean
}

/** Parses and checks `--api-base`: an http(s) origin (a path prefix is kept), no credentials. */
export function parseApiBase(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new CliError(`Invalid --api-base: ${value} (an http:// URL such as ${DEFAULT_API_BASE})`, { usage: true })
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) {
    throw new CliError(`Invalid --api-base: ${value} (an http:// URL such as ${DEFAULT_API_BASE})`, { usage: true })
  }
  return url.href.replace(/\/+$/, '')
}

/** Stripe test keys the emulator accepts: `sk_test_…`, `rk_test_…` (and `pk_test_…`, read-only). */
export function checkApiKey(key: string): string {
  if (!/^(sk|rk|pk)_test_[A-Za-z0-9_]+$/.test(key)) {
    throw new CliError('Invalid --api-key: the emulator takes a test key (sk_test_…, rk_test_…), never a live one', { usage: true })
  }
  return key
}

/** A Stripe-shaped error message from an answer's body, when it has one. */
function errorMessage(body: unknown): string | undefined {
  const error = (body as { error?: { message?: unknown } } | null)?.error
  return typeof error?.message === 'string' ? error.message : undefined
}

/**
 * Sends one request to the emulator: `path` starts with `/v1/` (API) or `/_emulator/` (controls).
 * Throws a `CliError` naming the URL when the emulator cannot be reached or times out, and one
 * naming the request and the emulator's message for a non-2xx answer (unless `allowError`).
 */
export async function send(
  io: Pick<CliIO, 'fetch'>,
  target: EmulatorTarget,
  method: string,
  path: string,
  options: SendOptions = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${target.apiKey}`, ...options.headers }
  let url = `${target.apiBase}${path}`
  let body: string | undefined
  // a control acts on the connected account the API calls go to (`account` in its body or query)
  const account = path.startsWith('/_emulator/') ? target.stripeAccount : undefined
  if (account && method !== 'POST') url += `${path.includes('?') ? '&' : '?'}account=${encodeURIComponent(account)}`
  const json = account && method === 'POST' ? { account, ...(options.json as object | undefined) } : options.json
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(json)
  } else if (options.form !== undefined && options.form !== '') {
    if (method === 'GET' || method === 'DELETE') url += `${path.includes('?') ? '&' : '?'}${options.form}`
    else {
      headers['Content-Type'] = 'application/x-www-form-urlencoded'
      body = options.form
    }
  }
  if (path.startsWith('/v1/') && target.stripeAccount) headers['Stripe-Account'] = target.stripeAccount
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey
  let response: Response
  let text: string
  try {
    response = await io.fetch(url, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
    text = await response.text()
  } catch (error) {
    const timedOut = (error as Error)?.name === 'TimeoutError'
    throw new CliError(
      timedOut
        ? `the emulator at ${target.apiBase} did not answer ${method} ${path} within ${REQUEST_TIMEOUT_MS / 1000} s`
        : `cannot reach the emulator at ${target.apiBase} (start it with \`npx edgestripe-emulator\`, or pass --api-base URL)`,
    )
  }
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    // not JSON (a file's contents, or not the emulator): kept as text
  }
  if (!options.allowError && (response.status < 200 || response.status > 299)) {
    const message = errorMessage(parsed) ?? (typeof parsed === 'string' ? parsed.slice(0, 200) : '')
    throw new CliError(`${method} ${path.split('?')[0]} answered ${response.status}${message ? `: ${message}` : ''}`)
  }
  return { status: response.status, body: parsed }
}

/** An API call with params as objects (Stripe's bracket form encoding). */
export function callApi(
  io: Pick<CliIO, 'fetch'>,
  target: EmulatorTarget,
  method: string,
  path: string,
  params?: Record<string, unknown>,
): Promise<ApiAnswer> {
  return send(io, target, method, path, { form: params ? encodeForm(params) : undefined })
}
