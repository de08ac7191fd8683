// The controls every emulator answers under `/_emulator` (domains add theirs): the HTTP mirror of
// `emulator.control`, acting on the caller's account (the key in `Authorization`; the default
// account without one). Served by the control stage, `pipeline/control.ts`.
import type { CoreControl } from './controls.js'
import { type ControlRoute, controlRoute } from './domain.js'
import { invalidRequest } from './errors.js'
import { type Fault, type FaultMatch, toPathMatcher } from './faults.js'
import type { WebhookFaultRule } from './webhook-faults.js'

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
  // `?all=true`: every account (the default one at the top, the others under `keys`)
  { method: 'GET', path: '/snapshot', handle: ({ controls, url }) => controls.snapshot({ all: url.searchParams.get('all') === 'true' }) },
  {
    method: 'PUT',
    path: '/snapshot',
    handle: ({ controls, body, url }) => {
      controls.restore(body, { all: url.searchParams.get('all') === 'true' })
      return ok
    },
  },
  {
    method: 'POST',
    path: '/reset',
    handle: ({ controls, body }) => {
      if (body.to !== undefined && body.to !== 'empty' && body.to !== 'start') {
        throw invalidRequest(`Invalid to: ${JSON.stringify(body.to)} (empty or start)`, 'to')
      }
      if (body.all !== undefined && typeof body.all !== 'boolean') throw invalidRequest('Invalid all: must be a boolean', 'all')
      controls.reset({ to: body.to as 'empty' | 'start' | undefined, all: body.all as boolean | undefined })
      return ok
    },
  },
  { method: 'GET', path: '/health', handle: ({ controls }) => controls.health() },
  { method: 'GET', path: '/stats', handle: ({ controls }) => controls.stats() },
]
