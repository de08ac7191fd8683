import { newRequestId } from './ids.js'

/**
 * Largest request body the emulator reads, in bytes (1 MiB): above it the answer is a 413, and the
 * server stops reading the body. Stripe's API bodies are form-encoded params (metadata is capped at
 * 50 keys of 500 characters), far below it.
 */
export const MAX_BODY_BYTES = 1_048_576

export const CORS_ALLOW_HEADERS =
  'Authorization, Content-Type, Stripe-Version, Stripe-Account, Idempotency-Key, Stripe-Context, X-Stripe-Client-User-Agent'
export const CORS_EXPOSE_HEADERS =
  'Request-Id, Stripe-Version, Stripe-Account, Stripe-Should-Retry, Idempotency-Key, Idempotent-Replayed, Retry-After'

/** Headers every API response carries (CORS included: browser tests call the API cross-origin). */
export function baseHeaders(stripeVersion: string, requestId = newRequestId()): Headers {
  return new Headers({
    'Request-Id': requestId,
    'Stripe-Version': stripeVersion,
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': CORS_EXPOSE_HEADERS,
  })
}

export function jsonResponse(status: number, body: unknown, headers: Headers): Response {
  headers.set('Content-Type', 'application/json')
  return new Response(JSON.stringify(body, null, 2), { status, headers })
}

/** Answer to a CORS preflight. */
export function preflightResponse(request: Request, stripeVersion: string): Response {
  const headers = baseHeaders(stripeVersion)
  headers.set('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS')
  const requested = request.headers.get('Access-Control-Request-Headers')
  headers.set('Access-Control-Allow-Headers', requested ? `${CORS_ALLOW_HEADERS}, ${requested}` : CORS_ALLOW_HEADERS)
  headers.set('Access-Control-Max-Age', '600')
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
