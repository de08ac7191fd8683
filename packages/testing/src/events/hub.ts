// One account's event hub: its event log, in-process endpoints and delivery state, made empty.
import { createDeliveryPool } from '../delivery-pool.js'
import { Ring } from '../ring.js'
import { deliveryTimeout, retrySchedule, WebhookFaultQueue } from '../webhook-faults.js'
import type { EventHub, EventHubOptions } from './types.js'

export function createEventHub(options: EventHubOptions = {}): EventHub {
  return {
    log: new Ring(options.eventLogSize ?? 1000),
    endpoints: new Map(),
    deliveries: new Ring(options.deliveryLogSize ?? 1000),
    cursor: 0,
    pending: new Set(),
    origin: 'https://files.stripe.com',
    timestamp: options.webhookTimestamp ?? (() => Math.floor(Date.now() / 1000)),
    fetch: (request) => (options.webhookFetch ?? globalThis.fetch)(request),
    now: () => Math.floor(Date.now() / 1000),
    retries: retrySchedule(options.webhookRetries),
    timeoutMs: deliveryTimeout(options.webhookTimeoutMs),
    faults: new WebhookFaultQueue(),
    held: [],
    scheduled: 0,
    order: new WeakMap(),
    details: new WeakMap(),
    store: options.store,
    pool: createDeliveryPool(options.webhookConcurrency),
    allowPrivateWebhooks: options.allowPrivateWebhooks === true,
    resolve: options.webhookResolve,
  }
}
