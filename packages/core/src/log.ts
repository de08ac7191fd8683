// Logging, installed on each client through its hooks (`createStripe({ logger, logLevel })`):
// - info: one line per attempt: method, path, status, request id, attempt, duration, and for an
//   attempt about to be retried, the reason and the delay;
// - debug: the same plus the request and response bodies, secrets redacted;
// - warn / error: a call that failed for good (warn with a 4xx answer, error on a 5xx, 429, network
//   failure or timeout). A successful call logs nothing below info.
// At warn and error only the `error` hook is registered, so a successful call costs nothing.
import { redactKey } from './auth.js'
import { _fail, StripeConnectionError, type StripeError } from './errors.js'
import type { RequestContext } from './hooks.js'
import type { Operation } from './operation.js'
import type { StripeClient } from './types.js'

export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug'

/** Anything console-like. */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

const LEVELS: readonly LogLevel[] = ['off', 'error', 'warn', 'info', 'debug']

/**
 * `EDGESTRIPE_LOG` where the runtime has an environment: Deno (only when env access is already
 * granted: never a permission prompt), else `process.env` (Node, Bun, workerd with nodejs_compat).
 */
function envLevel(): string | undefined {
  const g = globalThis as {
    Deno?: { env: { get(name: string): string }; permissions: { querySync?(d: object): { state: string } } }
    process?: { env?: Record<string, string> }
  }
  try {
    const deno = g.Deno
    if (!deno) return g.process?.env?.EDGESTRIPE_LOG
    if (deno.permissions.querySync?.({ name: 'env', variable: 'EDGESTRIPE_LOG' }).state === 'granted') return deno.env.get('EDGESTRIPE_LOG')
  } catch {}
  return undefined
}

/** Field names whose values never reach a log, wherever they are nested. */
const SECRET = 'client_secret|secret|password|token|cvc|cvv|number|account_number|id_number|personal_id_number|ssn_last_4'
const SECRET_KEY = new RegExp(`^(${SECRET})$`)
/** The same fields in a form body or query string (`card[number]=…`, `client_secret=…`). */
const SECRET_FIELD = new RegExp(`((?:^|&)(?:[^&=]*(?:\\[|%5B))?(?:${SECRET})(?:\\]|%5D)?)=[^&]*`, 'gi')
/** Stripe secrets that may sit inside any string: secret, restricted, ephemeral and webhook keys. */
const KEY_IN_TEXT = /\b(?:sk|rk|ek)_(?:test|live)_\w+|\bwhsec_\w+/g

const redactText = (text: string): string => text.replace(KEY_IN_TEXT, redactKey)

/** A form body or query string with secret fields redacted, and any key in it. */
export const _redactForm = (form: string): string => redactText(form.replace(SECRET_FIELD, '$1=[redacted]'))

/** A response body (parsed JSON or text) as one redacted string of at most 2 000 characters. */
export function _redactBody(body: unknown): string {
  const text = redactText(
    typeof body === 'string' ? body : JSON.stringify(body, (key, value) => (SECRET_KEY.test(key) && value ? '[redacted]' : value)),
  )
  return text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} chars)` : text
}

/** Registers the logging hooks the client's options ask for. */
export function _installLogger(client: StripeClient, { logger = console, logLevel }: { logger?: Logger; logLevel?: LogLevel }): void {
  // A wrong level in code is a clear error; one in the environment must not break the app (warn).
  if (logLevel && !LEVELS.includes(logLevel)) _fail(`logLevel must be one of ${LEVELS.join(', ')}; got ${logLevel}.`)
  const index = LEVELS.indexOf((logLevel ?? envLevel()?.trim().toLowerCase()) as LogLevel)
  const level = index < 0 ? 2 : index
  if (!level) return
  const { hooks } = client
  // Per attempt: when it started, then (once answered) how long it took.
  const started = new WeakMap<RequestContext, number>()
  const took = new WeakMap<RequestContext, number>()
  // Attempts with a non-2xx answer, until retry:before or error tells what became of them (the
  // error holds the response's Headers object); per operation, its last attempt sent but not
  // answered (a network failure or timeout).
  const answered = new WeakMap<Headers, [RequestContext, unknown]>()
  const open = new Map<Operation, RequestContext>()

  const write = (
    method: 'debug' | 'info' | 'warn' | 'error',
    op: Operation,
    error: StripeError | undefined,
    ctx?: RequestContext,
    status = error?.statusCode,
    requestId = error?.requestId,
    tail = '',
    body?: unknown,
  ) => {
    const at = ctx?.url.indexOf('?') ?? -1
    const sent = ctx && (ctx.body ?? (at < 0 ? '' : ctx.url.slice(at + 1)))
    logger[method](
      `[edgestripe] ${op.method} ${ctx ? ctx.url.replace(/^\w+:\/\/[^/]+|\?.*/g, '') : op.path} ${status ?? '-'}${requestId ? ` ${requestId}` : ''}${
        ctx ? ` attempt ${ctx.attempt} ${took.get(ctx) ?? Date.now() - (started.get(ctx) ?? Date.now())}ms` : ''
      }${tail}${level > 3 && sent ? `\n  request: ${_redactForm(sent)}` : ''}${level > 3 && body !== undefined ? `\n  response: ${_redactBody(body)}` : ''}`,
    )
  }
  /** The attempt an error came from: the answered one (same headers), else its operation's open one. */
  const attemptOf = (error: StripeError, op: Operation): [RequestContext?, unknown?] => {
    const found = error.headers && answered.get(error.headers)
    if (found || error.statusCode !== undefined) return found || []
    const ctx = open.get(op)
    open.delete(op)
    return [ctx]
  }

  if (level > 2) {
    hooks.hook('request:before', (ctx) => {
      started.set(ctx, Date.now())
      open.set(ctx.operation, ctx)
    })
    hooks.hook('response:after', (ctx, meta, body?: unknown) => {
      if (open.get(ctx.operation) === ctx) open.delete(ctx.operation)
      // A duration runs up to the answer, not to when its outcome is known.
      took.set(ctx, Date.now() - (started.get(ctx) ?? Date.now()))
      if (meta.statusCode > 299) answered.set(meta.headers, [ctx, body])
      else write('info', ctx.operation, undefined, ctx, meta.statusCode, meta.requestId, '', body)
    })
    hooks.hook('retry:before', ({ operation, attempt, delayMs, reason, error }) => {
      const [ctx, body] = attemptOf(error, operation)
      write('info', operation, error, ctx, undefined, undefined, ` → retry ${attempt} in ${delayMs}ms (${reason})`, body)
    })
  }
  hooks.hook('error', (error, { operation }) => {
    const status = error.statusCode
    // Nothing was sent (bad params, a key that may not call this): the caller has the error.
    if (status === undefined && !(error instanceof StripeConnectionError)) return
    const serious = !status || status > 499 || status === 429
    if (level < (serious ? 1 : 2)) return
    const [ctx, body] = level > 2 ? attemptOf(error, operation) : []
    write(
      serious ? 'error' : 'warn',
      operation,
      error,
      ctx,
      status,
      error.requestId,
      ` failed: ${error.name}: ${redactText(error.message)}`,
      body,
    )
  })
}
