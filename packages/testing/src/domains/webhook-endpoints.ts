import { defineEmulatorDomain, type EmulatorDomain, type HandlerContext } from '../domain.js'
import { invalidRequest, resourceMissing } from '../errors.js'
import { createStoredEndpoint } from '../events.js'
import type { Resources } from '../generated/resources.js'
import { API_VERSIONS, WEBHOOK_EVENT_TYPES } from '../generated/webhook-lists.js'
import { applyMetadata } from '../objects.js'
import { paginate } from '../pagination.js'
import { registrationRefusal } from '../webhook-target.js'

type WebhookEndpoint = Resources['webhook_endpoint']

function getEndpoint(ctx: HandlerContext<unknown, { webhook_endpoint: string }>): WebhookEndpoint {
  const id = ctx.pathParams.webhook_endpoint
  const endpoint = ctx.store.get('webhook_endpoint', id)
  if (!endpoint) throw resourceMissing('webhook endpoint', id, 'webhook_endpoint')
  return endpoint
}

/**
 * An http(s) URL whose host may receive deliveries (loopback or public; private, link-local and
 * metadata addresses only with `allowPrivateWebhooks`), else Stripe's 400 naming `url`.
 */
function checkedUrl(url: string, ctx: HandlerContext): string {
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {}
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw invalidRequest(`Invalid URL: ${url}. URLs must be valid http(s) URLs.`, 'url', 'url_invalid')
  }
  const refused = registrationRefusal(url, ctx.state.events.allowPrivateWebhooks)
  if (refused) throw invalidRequest(refused, 'url', 'url_invalid')
  return url
}

/** `Invalid enabled_events[0]: must be one of *, account.application.authorized, …`, as Stripe answers a value off its list. */
function oneOf(param: string, value: string, list: readonly string[]): void {
  if (list.includes(value)) return
  const options = list.length > 1 ? `${list.slice(0, -1).join(', ')}, or ${list.at(-1)}` : list[0]
  throw invalidRequest(`Invalid ${param}: must be one of ${options}`, param)
}

/** Each event type on Stripe's list (`enabled_events[i]` named in the error). */
function checkedEvents(events: readonly string[]): string[] {
  for (const [index, type] of events.entries()) oneOf(`enabled_events[${index}]`, type, WEBHOOK_EVENT_TYPES)
  return [...events]
}

/** An API version Stripe knows (stripe@23.1.0's list: 2011-01-01 … 2026-10-28.endive). */
function checkedVersion(version: string | undefined): string | null {
  if (!version) return null
  oneOf('api_version', version, API_VERSIONS)
  return version
}

/**
 * Webhook endpoints served for real: an endpoint created through `POST /v1/webhook_endpoints`
 * receives the emulator's signed deliveries for its `enabled_events` (or `*`), signed with the
 * secret that create returned (and only create: the secret is kept beside the object, never in
 * it). Endpoints belong to the `Stripe-Account` that created them and receive its events; a
 * `connect: true` endpoint of the platform also receives its connected accounts' events. `disabled`
 * endpoints and deleted ones receive nothing. The `/_emulator/webhook-endpoints` controls create
 * the same objects (see `control.addWebhookEndpoint`).
 */
export const webhookEndpoints: EmulatorDomain<'webhook-endpoints'> = /* @__PURE__ */ defineEmulatorDomain({
  name: 'webhook-endpoints',
  prefixes: ['/v1/webhook_endpoints'],
  handlers: {
    PostWebhookEndpoints: (ctx) => {
      const p = ctx.params
      const metadata: Record<string, unknown> = {}
      applyMetadata(metadata, p.metadata)
      return createStoredEndpoint(ctx.store, ctx.now, {
        url: checkedUrl(p.url, ctx),
        enabled_events: checkedEvents(p.enabled_events),
        description: p.description || null,
        metadata: (metadata.metadata as Record<string, string> | undefined) ?? {},
        api_version: checkedVersion(p.api_version),
        connect: p.connect === true,
      })
    },
    GetWebhookEndpointsWebhookEndpoint: (ctx) => getEndpoint(ctx),
    PostWebhookEndpointsWebhookEndpoint: (ctx) => {
      const endpoint = getEndpoint(ctx)
      const p = ctx.params
      if (p.url !== undefined) endpoint.url = checkedUrl(p.url, ctx)
      if (p.enabled_events !== undefined) endpoint.enabled_events = checkedEvents(p.enabled_events || [])
      if (p.description !== undefined) endpoint.description = p.description || null
      if (p.disabled !== undefined && p.disabled !== '') endpoint.status = p.disabled ? 'disabled' : 'enabled'
      applyMetadata(endpoint as unknown as Record<string, unknown>, p.metadata)
      return endpoint
    },
    GetWebhookEndpoints: (ctx) => paginate(ctx.store, { kind: 'webhook_endpoint', params: ctx.params, url: '/v1/webhook_endpoints' }),
    DeleteWebhookEndpointsWebhookEndpoint: (ctx) => {
      const endpoint = getEndpoint(ctx)
      ctx.store.remove(endpoint.id)
      return { id: endpoint.id, object: 'webhook_endpoint', deleted: true }
    },
  },
  fixtures: [
    {
      list: 'GetWebhookEndpoints',
      async create(api) {
        api.control.advance(1)
        const res = await api.call('POST', '/v1/webhook_endpoints', { url: 'https://example.com/hook', enabled_events: ['*'] })
        return res.body.id as string
      },
    },
  ],
})
