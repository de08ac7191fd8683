// What logging needs besides its plugin (logging.ts): the levels, the `EDGESTRIPE_LOG` variable and
// the redaction every logged body and message goes through. Only the logging plugin imports this.
import { redact } from './redact.js'

export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug'

/**
 * Anything console-like. Each line comes with its structured fields as a second argument (a
 * logger that takes one argument ignores them).
 */
export interface Logger {
  debug(message: string, fields: LogFields): void
  info(message: string, fields: LogFields): void
  warn(message: string, fields: LogFields): void
  error(message: string, fields: LogFields): void
}

/** What a line says, as values: for a logger that ships JSON. Secrets redacted as in the line. */
export interface LogFields {
  /** The call's id (`StripeCall.id`): every line of one call has the same. */
  callId: string
  operationId: string
  method: string
  /** The path sent, without its query string (which may hold a `client_secret`). */
  path: string
  /** The HTTP status, undefined when no answer came (network failure, timeout). */
  status: number | undefined
  requestId: string | undefined
  /** The attempt the line is about (1-based); undefined at warn/error level, which follow no attempt. */
  attempt: number | undefined
  /** Milliseconds from the attempt's start to its answer (or its failure). */
  durationMs: number | undefined
  /** Set on a line about a retry: the attempt about to be made, after `delayMs`, and why. */
  retry?: { attempt: number; delayMs: number; reason: string }
  /** Set on a call's failure line. */
  error?: { name: string; message: string }
  /** Debug lines: the request body or query string, and the response body, redacted. */
  request?: string
  response?: string
}

export const LEVELS: readonly LogLevel[] = ['off', 'error', 'warn', 'info', 'debug']
const VAR = 'EDGESTRIPE_LOG'

/**
 * `EDGESTRIPE_LOG` where the runtime has an environment: Deno (only when env access is already
 * granted: never a permission prompt), else `process.env` (Node, Bun, workerd with nodejs_compat).
 */
export function envLevel(): string | undefined {
  // Globals only some runtimes define (a cast: where none is declared, TypeScript finds nothing in common to annotate with).
  const g = globalThis as {
    Deno?: { env: { get(name: string): string }; permissions: { querySync?(d: object): { state: string } } }
    process?: { env?: Record<string, string | undefined> }
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

/**
 * A form body, query string or response body (parsed JSON or text) as one redacted string of at
 * most 2 000 characters (`redact`: redact.ts, the same for every output).
 */
export function _redact(body: unknown): string {
  const text = redact(typeof body === 'string' ? body : JSON.stringify(body))
  return text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} chars)` : text
}
