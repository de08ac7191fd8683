// Logging as a plugin (`@edgestripe/core/logging`): nothing is logged, and no logging code is in a
// bundle, unless `logging()` is installed. It wraps each call (`client.wrap`) and keeps what a
// line needs (the attempt in flight, its start, its answer) in that call's closure:
// - info: one line per attempt: method, path, status, request id, attempt, duration, and for an
//   attempt about to be retried, the reason and the delay;
// - debug: the same, then the attempt's request and response bodies, secrets redacted, through
//   `logger.debug`;
// - warn / error: a call that failed for good (warn with a 4xx answer, error on a 5xx, 429, network
//   failure or timeout). A successful call logs nothing below info.
// At warn and error the wrapper follows no attempt, so a successful call costs one try/catch.
import { _fail, StripeConnectionError, StripeError } from './errors.js'
import { _redact, envLevel, LEVELS, type LogFields, type Logger, type LogLevel } from './log.js'
import { redact } from './redact.js'
import type { Plugin, RequestContext, StripeCall, StripeClient } from './types.js'

export type { LogFields, Logger, LogLevel } from './log.js'

export interface LoggingOptions {
  /** Console-like (`debug`/`info`/`warn`/`error`), called with the line and its fields. Default `console`. */
  logger?: Logger
  /** Default `'warn'`, or the `EDGESTRIPE_LOG` environment variable where there is one (read when the plugin is installed). */
  level?: LogLevel
}

/**
 * What a line is about: an attempt (its context and duration in ms, at info and debug) and its
 * answer's status, request id and body, when there was one.
 */
interface Facts {
  ctx?: RequestContext
  ms?: number
  status?: number | undefined
  requestId?: string | undefined
  body?: unknown
}

/**
 * `createStripe({ …, plugins: [logging({ logger, level })] })`: logs each call's attempts,
 * retries and failure with secrets redacted. See the file's header for what each level prints.
 */
/* @__NO_SIDE_EFFECTS__ */
export function logging({ logger = console, level: given }: LoggingOptions = {}): Plugin<void> {
  return (client: StripeClient) => {
    // A wrong level in code is a clear error; one in the environment must not break the app (warn).
    if (given !== undefined && !LEVELS.includes(given)) _fail(`logging level must be one of ${LEVELS.join(', ')}; got ${given}.`)
    // Any string: one that is not a level gives -1 (the default below).
    const index = LEVELS.indexOf((given ?? envLevel()?.trim().toLowerCase()) as LogLevel)
    const level = index < 0 ? 2 : index
    if (!level) return

    client.wrap(async (call, next) => {
      let current: Facts = {}
      let started = 0
      const write = (method: 'info' | 'warn' | 'error', facts: Facts, extra: Partial<LogFields>, tail: string) =>
        writeLine(logger, level, method, call, facts, extra, tail)
      if (level > 2) {
        call.hook('request:before', (ctx) => {
          started = Date.now()
          current = { ctx }
        })
        call.hook('response:after', (ctx, meta, body) => {
          // A duration runs up to the answer, not to when its outcome is known.
          current = { ctx, ms: Date.now() - started, status: meta.statusCode, requestId: meta.requestId, body }
          if (meta.statusCode < 300) write('info', current, {}, '')
        })
        call.hook('retry:before', ({ attempt, delayMs, reason }) => {
          write(
            'info',
            settled(current, started),
            { retry: { attempt, delayMs, reason } },
            ` → retry ${attempt} in ${delayMs}ms (${reason})`,
          )
        })
      }
      try {
        return await next()
      } catch (error) {
        const status = error instanceof StripeError ? error.statusCode : undefined
        // Nothing was sent (a hook's own error, the caller's abort): the caller has the error.
        if (error instanceof StripeError && (status !== undefined || error instanceof StripeConnectionError)) {
          const serious = !status || status > 499 || status === 429
          if (level > (serious ? 0 : 1)) {
            const message = _redact(error.message)
            const facts = level > 2 ? settled(current, started) : { status, requestId: error.requestId }
            write(serious ? 'error' : 'warn', facts, { error: { name: error.name, message } }, ` failed: ${error.name}: ${message}`)
          }
        }
        throw error
      }
    })
  }
}

/** The attempt a retry or failure is about: as answered, or (no answer) as it stands now. */
function settled(current: Facts, started: number): Facts {
  return current.status !== undefined || !current.ctx ? current : { ctx: current.ctx, ms: Date.now() - started }
}

function writeLine(
  logger: Logger,
  level: number,
  method: 'info' | 'warn' | 'error',
  call: StripeCall,
  { ctx, ms = 0, status, requestId, body }: Facts,
  extra: Partial<LogFields>,
  tail: string,
): void {
  const { operation } = call
  const path = ctx ? ctx.url.replace(/^\w+:\/\/[^/]+|\?.*/g, '') : operation.path
  const fields: LogFields = {
    callId: call.id,
    operationId: operation.operationId,
    method: operation.method,
    path,
    status,
    requestId,
    attempt: ctx?.attempt,
    durationMs: ctx ? ms : undefined,
    ...extra,
  }
  const head = `[edgestripe] ${operation.method} ${path} ${status ?? '-'}${requestId ? ` ${requestId}` : ''}`
  logger[method](redact(`${head}${ctx ? ` attempt ${ctx.attempt} ${ms}ms` : ''}${tail}`), fields)
  if (level < 4 || !ctx) return
  // debug: the attempt's bodies, on a line of their own.
  const sent = ctx.body ?? ctx.url.split('?')[1]
  const request = sent ? _redact(sent) : undefined
  const response = body === undefined ? undefined : _redact(body)
  if (request === undefined && response === undefined) return
  logger.debug(
    `${head} attempt ${ctx.attempt}${request === undefined ? '' : `\n  request: ${request}`}${response === undefined ? '' : `\n  response: ${response}`}`,
    { ...fields, request, response },
  )
}
