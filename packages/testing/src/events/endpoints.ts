// Endpoint storage: API endpoints live in the account store (`webhook_endpoint` objects, their secret
// beside them); in-process `handler` endpoints of the controls live in the hub.
import { newId, randomToken } from '../ids.js'
import type { AccountStore, StripeObject } from '../store.js'
import type {
  EventHub,
  RecordEventInput,
  StoredEndpointInput,
  StoredEndpointInternal,
  WebhookEndpoint,
  WebhookEndpointInput,
} from './types.js'

export function wants(endpoint: WebhookEndpoint, type: string): boolean {
  if (endpoint.status === 'disabled') return false
  return endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(type)
}

/**
 * The stored (API) endpoints that receive an event of `account`: enabled ones wanting its type,
 * of the same account; a Connect endpoint of the platform (default account) also gets its
 * connected accounts' events; endpoints registered through the controls get every account's.
 */
export function storedTargets(hub: EventHub, input: RecordEventInput): WebhookEndpoint[] {
  const out: WebhookEndpoint[] = []
  // Only two stores can hold a receiver: the event's account and the platform (default) account,
  // where Connect endpoints and the controls' endpoints live. O(their endpoints), not O(accounts).
  for (const id of new Set([input.account, input.defaultAccount])) {
    const store = hub.store?.find(id)
    if (!store) continue
    for (const object of store.list('webhook_endpoint')) {
      const internal = store.record(object.id)?.internal as StoredEndpointInternal | undefined
      if (!internal) continue
      const endpoint: WebhookEndpoint = {
        id: object.id,
        object: 'webhook_endpoint',
        url: object.url,
        secret: internal.secret,
        enabled_events: object.enabled_events,
        status: object.status === 'disabled' ? 'disabled' : 'enabled',
      }
      const reaches =
        internal.allAccounts ||
        store.id === input.account ||
        (internal.connect && store.id === input.defaultAccount && input.account !== input.defaultAccount)
      if (reaches && wants(endpoint, input.type)) out.push(endpoint)
    }
  }
  return out
}

/** Creates a webhook endpoint in an account store; returns the API object with its secret (the create answer). */
export function createStoredEndpoint(store: AccountStore, now: number, input: StoredEndpointInput): StripeObject & { secret: string } {
  let url: URL
  try {
    url = new URL(input.url)
  } catch {
    throw new TypeError(`Invalid URL: ${input.url}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`Invalid URL: ${input.url} (http or https only)`)
  const secret = input.secret ?? `whsec_${randomToken(32)}`
  const endpoint = {
    id: newId('we'),
    object: 'webhook_endpoint' as const,
    api_version: input.api_version ?? null,
    application: null,
    created: now,
    description: input.description ?? null,
    enabled_events: [...input.enabled_events],
    livemode: false,
    metadata: { ...input.metadata },
    status: 'enabled',
    url: input.url,
  }
  const internal: StoredEndpointInternal = { secret, connect: input.connect === true, allAccounts: input.allAccounts === true }
  store.insert(endpoint, { ...internal })
  return { ...structuredClone(endpoint), secret }
}

/** A stored (API) endpoint as it is now, by id; undefined when it was deleted or is disabled. */
export function storedEndpoint(hub: EventHub, id: string): WebhookEndpoint | undefined {
  for (const store of hub.store?.accounts() ?? []) {
    const object = store.get('webhook_endpoint', id)
    if (!object) continue
    const internal = store.record(id)?.internal as StoredEndpointInternal | undefined
    if (!internal || object.status === 'disabled') return undefined
    return { id, object: 'webhook_endpoint', url: object.url, secret: internal.secret, enabled_events: object.enabled_events }
  }
  return undefined
}

/** The endpoints of every account store, as the controls show them (with their secrets). */
export function listStoredEndpoints(hub: EventHub): WebhookEndpoint[] {
  const out: WebhookEndpoint[] = []
  for (const store of hub.store?.accounts() ?? []) {
    for (const object of store.list('webhook_endpoint').reverse()) {
      const internal = store.record(object.id)?.internal as StoredEndpointInternal | undefined
      if (!internal) continue
      out.push({
        id: object.id,
        object: 'webhook_endpoint',
        url: object.url,
        secret: internal.secret,
        enabled_events: [...object.enabled_events],
        // as control endpoints always were: `status` only when it is not the default
        ...(object.status === 'disabled' ? { status: 'disabled' as const } : {}),
      })
    }
  }
  return out
}

/** Removes a stored endpoint from whichever account holds it. */
export function removeStoredEndpoint(hub: EventHub, id: string): boolean {
  for (const store of hub.store?.accounts() ?? []) {
    if (store.get('webhook_endpoint', id)) return store.remove(id) !== undefined
  }
  return false
}

export function addEndpoint(hub: EventHub, input: WebhookEndpointInput): WebhookEndpoint {
  if (!input.url && !input.handler) throw new TypeError('addWebhookEndpoint needs a `url` or a `handler`.')
  if (input.url) new URL(input.url) // throws a TypeError for an invalid URL
  const endpoint = {
    id: newId('we'),
    object: 'webhook_endpoint' as const,
    url: input.url ?? null,
    secret: input.secret ?? `whsec_${randomToken(32)}`,
    enabled_events: input.events?.length ? [...input.events] : ['*'],
  }
  hub.endpoints.set(endpoint.id, input.handler ? { ...endpoint, handler: input.handler } : endpoint)
  return { ...endpoint, enabled_events: [...endpoint.enabled_events] }
}

export function listEndpoints(hub: EventHub): WebhookEndpoint[] {
  return [...hub.endpoints.values()].map(({ handler: _handler, ...endpoint }) => ({
    ...endpoint,
    enabled_events: [...endpoint.enabled_events],
  }))
}
