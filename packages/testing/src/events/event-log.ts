// The event log: events recorded (a snapshot of the object), listed, and handed to delivery.
import { renderForVersion } from '../api-versions.js'
import type { HandlerContext, RaisedEvent } from '../domain.js'
import { API_VERSION } from '../generated/routes.js'
import { newId } from '../ids.js'
import type { StripeObject } from '../store.js'
import { describe, hold, releaseDeliveries, schedule } from './delivery.js'
import { storedTargets, wants } from './endpoints.js'
import type { Attempt, EmulatorEvent, EventFilter, EventHub, RecordEventInput } from './types.js'

/** Records an event (a snapshot of `object`) and starts its deliveries to matching endpoints. */
export function recordEvent(hub: EventHub, input: RecordEventInput): EmulatorEvent {
  const targets = [...[...hub.endpoints.values()].filter((endpoint) => wants(endpoint, input.type)), ...storedTargets(hub, input)]
  const event: EmulatorEvent = {
    id: newId('evt'),
    object: 'event',
    ...(input.account !== input.defaultAccount ? { account: input.account } : {}),
    api_version: input.apiVersion ?? API_VERSION,
    created: input.now,
    data: {
      object: renderForVersion(structuredClone(input.object), input.apiVersion ?? API_VERSION) as StripeObject,
      ...(input.previousAttributes ? { previous_attributes: structuredClone(input.previousAttributes) } : {}),
    },
    livemode: false,
    pending_webhooks: targets.length,
    request: input.request ?? { id: null, idempotency_key: null },
    type: input.type,
  }
  hub.log.push(event)
  // retries and delayed deliveries whose time came go first: they are older
  releaseDeliveries(hub)
  if (targets.length) {
    const payload = JSON.stringify(event, null, 2)
    for (const endpoint of targets) {
      const first: Attempt = { event, payload, endpoint: endpoint.id, attempt: 1, at: hub.now(), reached: { done: false } }
      const fault = hub.faults.take(event.type, endpoint.id)
      if (!fault) schedule(hub, first)
      else if ('duplicate' in fault) {
        schedule(hub, { ...first, fault: 'duplicate' })
        schedule(hub, { ...first, fault: 'duplicate', duplicate: true })
      } else if ('delaySeconds' in fault) {
        hold(hub, { ...first, fault: `delay ${fault.delaySeconds} s` }, hub.now() + fault.delaySeconds, 'delay', ++hub.scheduled)
      } else schedule(hub, { ...first, failWith: fault.status, fault: describe(fault) })
    }
  }
  return event
}

export function listEvents(hub: EventHub, filter: EventFilter = {}): EmulatorEvent[] {
  return hub.log
    .toArray()
    .filter((event) => (!filter.type || event.type === filter.type) && (!filter.account || (event.account ?? '') === filter.account))
    .map((event) => structuredClone(event))
}

/** Records the events a successful API call raises (none for reads and replays). */
export function recordRouteEvents(
  ctx: HandlerContext,
  raise: ((result: StripeObject, ctx: never) => readonly RaisedEvent[]) | undefined,
  result: unknown,
  request: { id: string | null; idempotency_key: string | null },
): void {
  if (!raise || !result || typeof result !== 'object') return
  for (const [type, object, account, previousAttributes] of raise(result as StripeObject, ctx as never)) {
    recordEvent(ctx.state.events, {
      type,
      object,
      account: account ?? ctx.store.id,
      defaultAccount: ctx.state.defaultAccount,
      now: ctx.now,
      request,
      apiVersion: ctx.apiVersion,
      ...(previousAttributes ? { previousAttributes } : {}),
    })
  }
}
