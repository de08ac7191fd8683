import type { EmulatorControl } from './controls.js'
import { EmulatorError } from './errors.js'
import type { Fault, FaultMatch } from './faults.js'
import { controlHeaders, jsonResponse } from './http.js'

/** `path` in JSON: a plain string, or `"/regex/flags"` for a RegExp. */
function toPathMatcher(path: unknown): string | RegExp | undefined {
  if (typeof path !== 'string') return undefined
  const regex = /^\/(.*)\/([gimsuy]*)$/.exec(path)
  if (regex && path.length > 1 && !path.startsWith('/v1/')) return new RegExp(regex[1] as string, regex[2])
  return path
}

/**
 * HTTP mirror of the controls under `/_emulator/*` (JSON bodies):
 * `GET now`, `POST advance {seconds}`, `POST seed {kind, object, account}`,
 * `POST sources/{id}/chargeable {account}`, `GET sources/{id}/authorize` (redirect-flow page),
 * `POST sources/{id}/funds {amount, account}`, `POST faults {count, match, fault}`, `DELETE faults`,
 * `GET requests`, `DELETE requests`, `POST sources/{id}/fail|cancel`, `POST report-runs/{id}/fail {error}`,
 * `GET events?type=&account=`, `DELETE events`, `POST events/deliver` (waits; answers the deliveries),
 * `POST webhook-endpoints {url, secret?, events?}`, `GET webhook-endpoints`,
 * `DELETE webhook-endpoints/{id}`, `GET webhook-deliveries`.
 *
 * Same-origin only: responses carry no CORS headers, a preflight (`OPTIONS`) is refused, and so is a
 * request whose `Origin` is another origin (a cross-site form or `no-cors` POST). Clients that send
 * no `Origin` (Node, the SDKs, curl) are served.
 */
export async function handleControlRequest(control: EmulatorControl, request: Request, stripeVersion: string): Promise<Response> {
  const url = new URL(request.url)
  const path = url.pathname.replace(/^\/_emulator/, '')
  const method = request.method.toUpperCase()
  const headers = controlHeaders(stripeVersion)
  const origin = request.headers.get('Origin')
  if (method === 'OPTIONS' || (origin !== null && origin !== url.origin)) {
    return jsonResponse(
      403,
      { error: { type: 'invalid_request_error', message: 'Emulator controls are not available cross-origin.' } },
      headers,
    )
  }
  let body: Record<string, unknown> = {}
  if (method === 'POST') {
    const text = await request.text()
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {}
    } catch {
      return jsonResponse(400, { error: { type: 'invalid_request_error', message: 'Control bodies must be JSON.' } }, headers)
    }
  }
  const account =
    typeof body.account === 'string'
      ? { account: body.account }
      : url.searchParams.get('account')
        ? { account: url.searchParams.get('account') as string }
        : undefined
  try {
    const sourceMatch = /^\/sources\/([^/]+)\/(chargeable|authorize|funds|fail|cancel)$/.exec(path)
    const reportMatch = /^\/report-runs\/([^/]+)\/fail$/.exec(path)
    const endpointMatch = /^\/webhook-endpoints\/([^/]+)$/.exec(path)
    if (method === 'GET' && path === '/now') return jsonResponse(200, { now: control.now() }, headers)
    if (method === 'POST' && path === '/advance') return jsonResponse(200, { now: control.advance(Number(body.seconds ?? 0)) }, headers)
    if (method === 'POST' && path === '/seed') {
      return jsonResponse(200, control.seed(String(body.kind), (body.object ?? {}) as Record<string, unknown>, account), headers)
    }
    if (sourceMatch && ((method === 'POST' && sourceMatch[2] === 'chargeable') || (method === 'GET' && sourceMatch[2] === 'authorize'))) {
      return jsonResponse(200, control.makeSourceChargeable(decodeURIComponent(sourceMatch[1] as string), account), headers)
    }
    if (sourceMatch && method === 'POST' && sourceMatch[2] === 'funds') {
      return jsonResponse(200, control.pushSourceFunds(decodeURIComponent(sourceMatch[1] as string), Number(body.amount), account), headers)
    }
    if (sourceMatch && method === 'POST' && (sourceMatch[2] === 'fail' || sourceMatch[2] === 'cancel')) {
      const id = decodeURIComponent(sourceMatch[1] as string)
      return jsonResponse(200, sourceMatch[2] === 'fail' ? control.failSource(id, account) : control.cancelSource(id, account), headers)
    }
    if (reportMatch && method === 'POST') {
      const error = typeof body.error === 'string' ? body.error : undefined
      return jsonResponse(200, control.failReportRun(decodeURIComponent(reportMatch[1] as string), error, account), headers)
    }
    if (path === '/events' && method === 'GET') {
      const type = url.searchParams.get('type') ?? undefined
      return jsonResponse(200, { data: control.events({ type, account: account?.account }) }, headers)
    }
    if (path === '/events' && method === 'DELETE') {
      control.clearEvents()
      return jsonResponse(200, { ok: true }, headers)
    }
    if (path === '/events/deliver' && method === 'POST') return jsonResponse(200, { data: await control.deliverEvents() }, headers)
    if (path === '/webhook-endpoints' && method === 'POST') {
      const endpoint = control.addWebhookEndpoint({
        url: typeof body.url === 'string' ? body.url : undefined,
        secret: typeof body.secret === 'string' ? body.secret : undefined,
        events: Array.isArray(body.events) ? body.events.map(String) : undefined,
      })
      return jsonResponse(200, endpoint, headers)
    }
    if (path === '/webhook-endpoints' && method === 'GET') {
      // as Stripe: the signing secret is only in the answer that creates the endpoint
      const data = control.webhookEndpoints().map(({ secret: _secret, ...endpoint }) => endpoint)
      return jsonResponse(200, { data }, headers)
    }
    if (endpointMatch && method === 'DELETE') {
      const id = decodeURIComponent(endpointMatch[1] as string)
      if (!control.removeWebhookEndpoint(id)) {
        return jsonResponse(
          404,
          { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such webhook endpoint: '${id}'` } },
          headers,
        )
      }
      return jsonResponse(200, { id, object: 'webhook_endpoint', deleted: true }, headers)
    }
    if (path === '/webhook-deliveries' && method === 'GET') return jsonResponse(200, { data: control.webhookDeliveries() }, headers)
    if (path === '/faults' && method === 'POST') {
      const match = (body.match ?? undefined) as (FaultMatch & { path?: unknown }) | undefined
      control.injectFaults({
        count: Number(body.count ?? 1),
        match: match ? { method: match.method, path: toPathMatcher(match.path) } : undefined,
        fault: body.fault as Fault,
      })
      return jsonResponse(200, { ok: true }, headers)
    }
    if (path === '/faults' && method === 'DELETE') {
      control.clearFaults()
      return jsonResponse(200, { ok: true }, headers)
    }
    if (path === '/requests' && method === 'GET') return jsonResponse(200, { data: control.requests() }, headers)
    if (path === '/requests' && method === 'DELETE') {
      control.clearRequests()
      return jsonResponse(200, { ok: true }, headers)
    }
  } catch (error) {
    if (error instanceof EmulatorError) return jsonResponse(error.status, { error: error.body }, headers)
    const message = error instanceof Error ? error.message : String(error)
    return jsonResponse(400, { error: { type: 'invalid_request_error', message } }, headers)
  }
  return jsonResponse(404, { error: { type: 'invalid_request_error', message: `Unknown control: ${method} ${url.pathname}` } }, headers)
}
