import { type EmulatorError, invalidRequest } from './errors.js'
import { newRequestId } from './ids.js'

export const CORS_ALLOW_HEADERS =
  'Authorization, Content-Type, Stripe-Version, Stripe-Account, Idempotency-Key, Stripe-Context, X-Stripe-Client-User-Agent'
export const CORS_EXPOSE_HEADERS =
  'Request-Id, Stripe-Version, Stripe-Account, Stripe-Should-Retry, Idempotency-Key, Idempotent-Replayed, Retry-After'

/**
 * Headers every API response carries. CORS headers are added only for a cross-origin request the
 * emulator answers (cors.ts): never `*`.
 */
export function baseHeaders(stripeVersion: string, requestId = newRequestId()): Headers {
  return new Headers({ 'Request-Id': requestId, 'Stripe-Version': stripeVersion })
}

export function jsonResponse(status: number, body: unknown, headers: Headers): Response {
  return textResponse(status, JSON.stringify(body, null, 2), headers)
}

/** A JSON response from its text (Stripe pretty-prints with 2 spaces). */
export function textResponse(status: number, text: string, headers: Headers): Response {
  headers.set('Content-Type', 'application/json')
  return new Response(text, { status, headers })
}

/**
 * Reads a request body as UTF-8 text, refusing more than `limit` bytes with Stripe's error shape
 * and status 413: a `Content-Length` over the limit is refused before reading; a body without one
 * is read chunk by chunk and abandoned as soon as it passes the limit.
 */
export async function readBody(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('Content-Length') ?? Number.NaN)
  if (declared > limit) throw tooLarge(limit)
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(limit)
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder().decode(bytes)
}

function tooLarge(limit: number): EmulatorError {
  return invalidRequest(`Request body too large: the emulator accepts at most ${limit} bytes (maxRequestBytes).`, undefined, undefined, 413)
}

/** Answer to a CORS preflight (its CORS headers are set by the caller: cors.ts). */
export function preflightResponse(stripeVersion: string): Response {
  const headers = baseHeaders(stripeVersion)
  headers.set('Content-Type', 'application/json')
  return new Response(null, { status: 204, headers })
}

/**
 * Headers of `/_emulator/*` control responses: no CORS, so a web page on another origin can neither
 * read the controls (webhook secrets, the request log) nor preflight a call to them.
 */
export function controlHeaders(stripeVersion: string): Headers {
  return new Headers({ 'Request-Id': newRequestId(), 'Stripe-Version': stripeVersion })
}
