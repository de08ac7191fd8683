import type { EmulatorControl } from './controls.js'
import { EmulatorError } from './errors.js'
import type { Fault, FaultMatch } from './faults.js'
import { baseHeaders, jsonResponse } from './http.js'

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
 * `GET requests`, `DELETE requests`.
 */
export async function handleControlRequest(control: EmulatorControl, request: Request, stripeVersion: string): Promise<Response> {
  const url = new URL(request.url)
  const path = url.pathname.replace(/^\/_emulator/, '')
  const method = request.method.toUpperCase()
  const headers = baseHeaders(stripeVersion)
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
    const sourceMatch = /^\/sources\/([^/]+)\/(chargeable|authorize|funds)$/.exec(path)
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
