import type { CoreControl } from './controls.js'
import { type ControlRoute, controlRoute } from './domain.js'
import { EmulatorError, invalidRequest } from './errors.js'
import { type Fault, type FaultMatch, toPathMatcher } from './faults.js'
import { parseJsonBody } from './form-decode.js'
import { controlHeaders, jsonResponse, readBody } from './http.js'
import { DEFAULT_LIMITS } from './state.js'
import type { WebhookFaultRule } from './webhook-faults.js'

/** The routes table a control object answers over HTTP (set by `createEmulator`). */
export const CONTROL_ROUTES: unique symbol = Symbol.for('edgestripe.emulator.controlRoutes')

interface CompiledControlRoute {
  route: ControlRoute
  pattern: RegExp
  names: string[]
}

const ok = { ok: true }

/** The controls every emulator answers under `/_emulator` (domains add theirs). */
export const coreControlRoutes: readonly ControlRoute<CoreControl>[] = [
  { method: 'GET', path: '/now', handle: ({ controls }) => ({ now: controls.now() }) },
  { method: 'POST', path: '/advance', handle: ({ controls, body }) => ({ now: controls.advance(Number(body.seconds ?? 0)) }) },
  {
    method: 'POST',
    path: '/seed',
    handle: ({ controls, body, account }) => controls.seed(String(body.kind), (body.object ?? {}) as Record<string, unknown>, account),
  },
  {
    method: 'GET',
    path: '/events',
    handle: ({ controls, url, account }) => ({
      data: controls.events({ type: url.searchParams.get('type') ?? undefined, account: account?.account }),
    }),
  },
  {
    method: 'DELETE',
    path: '/events',
    handle: ({ controls }) => {
      controls.clearEvents()
      return ok
    },
  },
  { method: 'POST', path: '/events/deliver', handle: async ({ controls }) => ({ data: await controls.deliverEvents() }) },
  {
    method: 'POST',
    path: '/webhook-endpoints',
    handle: ({ controls, body }) =>
      controls.addWebhookEndpoint({
        url: typeof body.url === 'string' ? body.url : undefined,
        secret: typeof body.secret === 'string' ? body.secret : undefined,
        events: Array.isArray(body.events) ? body.events.map(String) : undefined,
      }),
  },
  {
    method: 'GET',
    path: '/webhook-endpoints',
    // as Stripe: the signing secret is only in the answer that creates the endpoint
    handle: ({ controls }) => ({ data: controls.webhookEndpoints().map(({ secret: _secret, ...endpoint }) => endpoint) }),
  },
  controlRoute<CoreControl, '/webhook-endpoints/{id}'>('DELETE', '/webhook-endpoints/{id}', ({ controls, params }) => {
    if (!controls.removeWebhookEndpoint(params.id)) {
      throw invalidRequest(`No such webhook endpoint: '${params.id}'`, undefined, 'resource_missing', 404)
    }
    return { id: params.id, object: 'webhook_endpoint', deleted: true }
  }),
  { method: 'GET', path: '/webhook-deliveries', handle: ({ controls }) => ({ data: controls.webhookDeliveries() }) },
  { method: 'GET', path: '/webhook-deliveries/scheduled', handle: ({ controls }) => ({ data: controls.scheduledDeliveries() }) },
  {
    method: 'POST',
    path: '/webhook-faults',
    handle: ({ controls, body }) => {
      controls.injectWebhookFaults(body as unknown as WebhookFaultRule)
      return ok
    },
  },
  {
    method: 'DELETE',
    path: '/webhook-faults',
    handle: ({ controls }) => {
      controls.clearWebhookFaults()
      return ok
    },
  },
  {
    method: 'POST',
    path: '/faults',
    handle: ({ controls, body }) => {
      const match = (body.match ?? undefined) as (FaultMatch & { path?: unknown }) | undefined
      controls.injectFaults({
        count: Number(body.count ?? 1),
        match: match ? { method: match.method, path: toPathMatcher(match.path) } : undefined,
        fault: body.fault as Fault,
      })
      return ok
    },
  },
  {
    method: 'DELETE',
    path: '/faults',
    handle: ({ controls }) => {
      controls.clearFaults()
      return ok
    },
  },
  {
    method: 'GET',
    path: '/requests',
    // `?after=<seq>`: the log with bodies, redacted (request-log.ts; `edgestripe-emulator logs tail`)
    handle: ({ controls, url }) => {
      const after = url.searchParams.get('after')
      if (after === null) return { data: controls.requests() }
      if (!/^\d{1,15}$/.test(after)) throw invalidRequest(`Invalid after: ${after} (a seq from an earlier answer, or 0)`, 'after')
      return { data: controls.requestLog(Number(after)) }
    },
  },
  {
    method: 'DELETE',
    path: '/requests',
    handle: ({ controls }) => {
      controls.clearRequests()
      return ok
    },
  },
  { method: 'GET', path: '/snapshot', handle: ({ controls }) => controls.snapshot() },
  { method: 'GET', path: '/stats', handle: ({ controls }) => controls.stats() },
]

/** Compiles a control route table; two routes with the same method and path are an error. */
export function compileControlRoutes(routes: readonly ControlRoute[]): CompiledControlRoute[] {
  const seen = new Set<string>()
  return routes.map((route) => {
    const key = `${route.method} ${route.path.replace(/\{[^}]+\}/g, '{}')}`
    if (seen.has(key)) throw new TypeError(`createEmulator: two control routes for ${key}`)
    seen.add(key)
    const names = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string)
    const source = route.path
      .split(/\{[^}]+\}/)
      .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
      .join('([^/]+)')
    return { route, pattern: new RegExp(`^${source}$`), names }
  })
}

/**
 * HTTP mirror of the controls under `/_emulator/*` (JSON bodies): the core routes above plus each
 * domain's `controlRoutes` (see the README for the list).
 *
 * Same-origin only: responses carry no CORS headers, a preflight (`OPTIONS`) is refused, and so is a
 * request whose `Origin` is another origin (a cross-site form or `no-cors` POST). Clients that send
 * no `Origin` (Node, the SDKs, curl) are served.
 */
export async function handleControlRequest(
  control: CoreControl,
  request: Request,
  stripeVersion: string,
  maxRequestBytes: number = DEFAULT_LIMITS.maxRequestBytes,
): Promise<Response> {
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
  const compiled: CompiledControlRoute[] =
    (control as unknown as { [CONTROL_ROUTES]?: CompiledControlRoute[] })[CONTROL_ROUTES] ??
    compileControlRoutes(coreControlRoutes as never)
  try {
    let body: Record<string, unknown> = {}
    if (method === 'POST') {
      body = parseJsonBody(await readBody(request, maxRequestBytes))
    }
    const account =
      typeof body.account === 'string'
        ? { account: body.account }
        : url.searchParams.get('account')
          ? { account: url.searchParams.get('account') as string }
          : undefined
    for (const { route, pattern, names } of compiled) {
      if (route.method !== method) continue
      const match = pattern.exec(path)
      if (!match) continue
      const params: Record<string, string> = Object.create(null)
      names.forEach((name, index) => {
        params[name] = decodeURIComponent(match[index + 1] as string)
      })
      return jsonResponse(200, await route.handle({ controls: control, params, body, account, url }), headers)
    }
  } catch (error) {
    if (error instanceof EmulatorError) return jsonResponse(error.status, { error: error.body }, headers)
    const message = error instanceof Error ? error.message : String(error)
    return jsonResponse(400, { error: { type: 'invalid_request_error', message } }, headers)
  }
  return jsonResponse(404, { error: { type: 'invalid_request_error', message: `Unknown control: ${method} ${url.pathname}` } }, headers)
}
