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
const VAR = 'EDGESTRIPE_LOG'

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
    return deno
      ? deno.permissions.querySync?.({ name: 'env', variable: VAR }).state === 'granted'
        ? deno.env.get(VAR)
        : undefined
      : g.process?.env?.[VAR]
  } catch {
    return undefined
  }
}

/** Field names whose values never reach a log, wherever they are nested. */
const SECRET = 'client_secret|secret|password|token|cvc|cvv|number|account_number|id_number|personal_id_number|ssn_last_4'
/**
 * 1: a secret form field (`card[number]=…`, `client_secret=…`, brackets raw or encoded);
 * 2: a secret JSON field (`"client_secret":"…"`, or a number, null…); else a Stripe secret inside
 * any text: secret, restricted, ephemeral and webhook keys. Built in a pure-annotated function: a
 * bundler cannot prove `new RegExp(template)` free of side effects, and the core ships as one
 * module per entry, so a bare one would stay in every bundle that imports anything from core.
 */
const REDACT = /* @__PURE__ */ (() =>
  new RegExp(
    `((?:^|&)(?:[^&=]*(?:\\[|%5B))?(?:${SECRET})(?:\\]|%5D)?=)[^&]*|("(?:${SECRET})":)(?:"(?:[^"\\\\]|\\\\.)*"|[^,}\\]]*)|\\b(?:sk|rk|ek)_(?:test|live)_\\w+|\\bwhsec_\\w+`,
    'gi',
  ))()

/**
 * A form body, query string or response body (parsed JSON or text) as one redacted string of at
 * most 2 000 characters.
 */
export function _redact(body: unknown): string {
  const text = (typeof body === 'string' ? body : JSON.stringify(body)).replace(REDACT, (match, form?: string, json?: string) =>
    form ? `${form}[redacted]` : json ? (match.slice(json.length) === 'null' ? match : `${json}"[redacted]"`) : redactKey(match),
  )
  return text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} chars)` : text
}

/** An attempt as a log line needs it: its context, its duration (ms), the response body read. */
type Attempt = [ctx: RequestContext, ms: number, body?: unknown]

/** Registers the logging hooks the client's options ask for. */
export function _installLogger(client: StripeClient, { logger = console, logLevel }: { logger?: Logger; logLevel?: LogLevel }): void {
  // A wrong level in code is a clear error; one in the environment must not break the app (warn).
  if (logLevel && !LEVELS.includes(logLevel)) _fail(`logLevel must be one of ${LEVELS.join(', ')}; got ${logLevel}.`)
  const index = LEVELS.indexOf((logLevel ?? envLevel()?.trim().toLowerCase()) as LogLevel)
  const level = index < 0 ? 2 : index
  if (!level) return
  const { hooks } = client
  const started = new WeakMap<RequestContext, number>()
  // Attempts with a non-2xx answer, until retry:before or error tells what became of them (the
  // error holds the response's Headers object); per operation, its last attempt sent and not
  // answered (for a network failure or timeout).
  const answered = new WeakMap<Headers, Attempt>()
  const open = new Map<Operation, RequestContext>()
  const since = (ctx: RequestContext) => Date.now() - (started.get(ctx) ?? Date.now())

  const write = (
    method: keyof Logger,
    op: Operation,
    status: number | undefined,
    requestId: string | undefined,
    attempt?: Attempt,
    tail = '',
  ) => {
    const [ctx, ms, body] = attempt ?? []
    const sent = ctx && (ctx.body ?? ctx.url.split('?')[1])
    logger[method](
      `[edgestripe] ${op.method} ${ctx ? ctx.url.replace(/^\w+:\/\/[^/]+|\?.*/g, '') : op.path} ${status ?? '-'}${requestId ? ` ${requestId}` : ''}${
        ctx ? ` attempt ${ctx.attempt} ${ms}ms` : ''
      }${tail}${level > 3 && sent ? `\n  request: ${_redact(sent)}` : ''}${level > 3 && body !== undefined ? `\n  response: ${_redact(body)}` : ''}`,
    )
  }
  /** The attempt an error came from: the answered one (same headers), else its operation's open one. */
  const attemptOf = (error: StripeError, op: Operation): Attempt | undefined => {
    if (error.statusCode !== undefined) return error.headers && answered.get(error.headers)
    const ctx = open.get(op)
    open.delete(op)
    return ctx && [ctx, since(ctx)]
  }

  if (level > 2) {
    hooks.hook('request:before', (ctx) => {
      started.set(ctx, Date.now())
      open.set(ctx.operation, ctx)
    })
    hooks.hook('response:after', (ctx, meta, body?: unknown) => {
      if (open.get(ctx.operation) === ctx) open.delete(ctx.operation)
      // A duration runs up to the answer, not to when its outcome is known.
      const attempt: Attempt = [ctx, since(ctx), body]
      if (meta.statusCode > 299) answered.set(meta.headers, attempt)
      else write('info', ctx.operation, meta.statusCode, meta.requestId, attempt)
    })
    hooks.hook('retry:before', ({ operation, attempt, delayMs, reason, error }) =>
      write(
        'info',
        operation,
        error.statusCode,
        error.requestId,
        attemptOf(error, operation),
        ` → retry ${attempt} in ${delayMs}ms (${reason})`,
      ),
    )
  }
  hooks.hook('error', (error, { operation }) => {
    const status = error.statusCode
    // Nothing was sent (bad params, a key that may not call this): the caller has the error.
    if (status === undefined && !(error instanceof StripeConnectionError)) return
    const serious = !status || status > 499 || status === 429
    if (level > (serious ? 0 : 1))
      write(
        serious ? 'error' : 'warn',
        operation,
        status,
        error.requestId,
        level > 2 ? attemptOf(error, operation) : undefined,
        ` failed: ${error.name}: ${_redact(error.message)}`,
      )
  })
}
