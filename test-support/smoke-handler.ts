// The smoke server's logic as a plain fetch handler (Request → Response), with no Node imports, so
// the same contract runs behind a 127.0.0.1 Node server (smoke-server.ts), Deno.serve, or in
// process as a client's `fetch` (workerd). Every check is made here, by the server, and answered
// with a Stripe-shaped error so a broken client fails loudly in every runtime.

export const SMOKE_SECRET_KEY = 'sk_test_smoke0000000000000000000000'
export const SMOKE_PUBLISHABLE_KEY = 'pk_test_smoke0000000000000000000000'

/** What the client must send for `smokeCreate` (bracket encoding of a nested param and an array). */
export const SMOKE_EXPECTED_FORM: readonly (readonly [string, string])[] = [
  ['amount', '1099'],
  ['owner[address][city]', 'Zürich & Co'],
  ['owner[name]', 'Jenny Rosen'],
  ['expand[0]', 'customer'],
  ['expand[1]', 'owner.address'],
  ['metadata[order_id]', '42'],
]

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Request-Id, Idempotency-Key, Stripe-Should-Retry, Retry-After',
}

let requestCounter = 0
let preflights = 0
/** Attempts seen per run id (one run = one logical create request). */
const runs = new Map<string, string[]>()

function json(status: number, body: unknown, extra: Record<string, string> = {}): Response {
  requestCounter += 1
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Request-Id': `req_smoke_${status}_${requestCounter}`, ...CORS, ...extra },
  })
}

function stripeError(status: number, type: string, message: string, extra: Record<string, unknown> = {}): Response {
  return json(status, { error: { type, message, ...extra } })
}

function bearer(request: Request): string | undefined {
  return /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1]
}

export async function smokeHandler(request: Request): Promise<Response> {
  const url = new URL(request.url)
  if (request.method === 'OPTIONS') {
    preflights += 1
    // CORS preflight (Chromium → 127.0.0.1:<port> is cross-origin).
    return new Response(null, {
      status: 204,
      headers: {
        ...CORS,
        'Access-Control-Allow-Methods': 'GET, POST, DELETE',
        'Access-Control-Allow-Headers': request.headers.get('access-control-request-headers') ?? '*',
        'Access-Control-Max-Age': '600',
      },
    })
  }
  // Diagnostics for the tests themselves: how many CORS preflights this server answered.
  if (url.pathname === '/__smoke/preflights') return json(200, { preflights })
  const key = bearer(request)
  const version = request.headers.get('stripe-version')
  if (!version) return stripeError(400, 'invalid_request_error', 'Stripe-Version header missing')

  // GET /v1/smoke_public/{id}?client_secret=… — callable with the publishable key.
  const publicMatch = /^\/v1\/smoke_public\/([^/]+)$/.exec(url.pathname)
  if (publicMatch && request.method === 'GET') {
    if (key !== SMOKE_PUBLISHABLE_KEY && key !== SMOKE_SECRET_KEY) {
      return stripeError(401, 'invalid_request_error', `Invalid API key: ${key ? `${key.slice(0, 8)}…` : 'none'}`)
    }
    const clientSecret = url.searchParams.get('client_secret')
    if (clientSecret !== 'src_smoke_secret_1')
      return stripeError(400, 'invalid_request_error', 'client_secret missing', { param: 'client_secret' })
    return json(200, {
      id: decodeURIComponent(publicMatch[1]!),
      object: 'smoke',
      livemode: false,
      key_kind: key.slice(0, 2),
      new_field: 'kept',
    })
  }

  if (key !== SMOKE_SECRET_KEY) {
    return stripeError(401, 'invalid_request_error', `Invalid API key: ${key ? `${key.slice(0, 8)}…` : 'none'}`)
  }

  // POST /v1/smoke/{run}: checks the form body, answers 503 to the first attempt of a run, then 200.
  const runMatch = /^\/v1\/smoke\/([^/]+)$/.exec(url.pathname)
  if (runMatch && request.method === 'POST') {
    const run = decodeURIComponent(runMatch[1]!)
    const contentType = request.headers.get('content-type') ?? ''
    if (!contentType.startsWith('application/x-www-form-urlencoded')) {
      return stripeError(400, 'invalid_request_error', `Expected a form body, got ${contentType || 'no content type'}`)
    }
    const form = [...new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()))]
    const got = JSON.stringify([...form].sort())
    const want = JSON.stringify([...SMOKE_EXPECTED_FORM].map((pair) => [...pair]).sort())
    if (got !== want) return stripeError(400, 'invalid_request_error', `Form mismatch: got ${got}, want ${want}`)
    const idempotencyKey = request.headers.get('idempotency-key')
    if (!idempotencyKey) return stripeError(400, 'invalid_request_error', 'Idempotency-Key header missing')
    const attempts = runs.get(run) ?? []
    attempts.push(idempotencyKey)
    runs.set(run, attempts)
    if (attempts.length === 1) return stripeError(503, 'api_error', 'Injected fault: try again')
    return json(200, {
      id: `smoke_${run}`,
      object: 'smoke',
      amount: 1099,
      attempts: attempts.length,
      idempotency_keys: attempts,
      form: Object.fromEntries(form),
      stripe_version: version,
    })
  }

  // POST /v1/smoke_cards: always declines.
  if (url.pathname === '/v1/smoke_cards' && request.method === 'POST') {
    return stripeError(402, 'card_error', 'Your card was declined.', {
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      param: 'card',
    })
  }

  return stripeError(404, 'invalid_request_error', `Unrecognized request URL (${request.method}: ${url.pathname})`)
}
