import { accountStore, type EmulatorState, type RequestLogEntry } from './context.js'
import { invalidRequest } from './errors.js'
import {
  addEndpoint,
  type EmulatorEvent,
  type EventFilter,
  listEndpoints,
  listEvents,
  recordEvent,
  settleDeliveries,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEndpointInput,
} from './events.js'
import type { FaultRule } from './faults.js'
import { withFileUrl } from './files.js'
import { type FixtureName, fixtures } from './generated/fixtures.js'
import { newId } from './ids.js'
import { fromTemplate } from './objects.js'
import { failReportRun, settleAllReportRuns } from './reporting.js'
import { type ScheduledQueryRunSeed, seedScheduledQueryRun } from './sigma.js'
import { endSource, makeSourceChargeable, pushSourceFunds } from './sources.js'
import type { StripeObject } from './store.js'

export interface AccountOption {
  /** account to act on (default: the emulator's default account) */
  account?: string
}

/** Test-side controls of an emulator: clock, seeding, state transitions, faults, request log. */
export interface EmulatorControl {
  /** current emulator time (unix seconds) */
  now(): number
  /** moves the clock forward; returns the new time */
  advance(seconds: number): number
  /**
   * Adds an object: `customer` (just `{ id }`), `scheduled_query_run` (see ScheduledQueryRunSeed),
   * or any fixture resource name (`source`, `treasury.received_credit`, …) merged over its fixture.
   */
  seed(kind: string, object?: Record<string, unknown>, options?: AccountOption): StripeObject
  /** a pending source becomes `chargeable` (`source.chargeable`) */
  makeSourceChargeable(id: string, options?: AccountOption): StripeObject
  /**
   * funds arrive on a receiver source: a source_transaction, `amount_received` grows, chargeable
   * (`source.transaction.created`, then `source.chargeable` if it was pending)
   */
  pushSourceFunds(id: string, amount: number, options?: AccountOption): StripeObject
  /** a pending or chargeable source fails (`source.failed`) */
  failSource(id: string, options?: AccountOption): StripeObject
  /** a pending or chargeable source is canceled (`source.canceled`) */
  cancelSource(id: string, options?: AccountOption): StripeObject
  /** a pending report run fails with `error` (`reporting.report_run.failed`) */
  failReportRun(id: string, error?: string, options?: AccountOption): StripeObject
  /** recorded events, oldest first (snapshots; `pending_webhooks` counts undelivered endpoints) */
  events(filter?: EventFilter): EmulatorEvent[]
  clearEvents(): void
  /**
   * Registers an endpoint: each later event it wants is POSTed (JSON, `Stripe-Signature` signed
   * with `secret`) to `url` through fetch, or handed to `handler` in-process. Returns it with its secret.
   */
  addWebhookEndpoint(input: WebhookEndpointInput): WebhookEndpoint
  removeWebhookEndpoint(id: string): boolean
  webhookEndpoints(): WebhookEndpoint[]
  /** resolves when no delivery is in flight, with the deliveries finished since the previous call */
  deliverEvents(): Promise<WebhookDelivery[]>
  /** every delivery attempt so far, oldest first */
  webhookDeliveries(): WebhookDelivery[]
  /** the next `count` matching requests fail as described */
  injectFaults(rule: FaultRule): void
  clearFaults(): void
  /** handled requests, oldest first */
  requests(): RequestLogEntry[]
  clearRequests(): void
  /** stored objects of one type (`object` value), newest first */
  objects(kind: string, options?: AccountOption): StripeObject[]
}

/** The id prefix of a fixture resource (`src`, `fa`, `obp`, …). */
function prefixOf(kind: FixtureName): string {
  const id = String((fixtures[kind] as { id?: string }).id ?? 'obj_x')
  return id.slice(0, id.indexOf('_'))
}

export function createControl(state: EmulatorState): EmulatorControl {
  const store = (options?: AccountOption) => accountStore(state, options?.account)
  const raise = (type: string, object: StripeObject, options?: AccountOption) =>
    recordEvent(state.events, {
      type,
      object,
      account: store(options).id,
      defaultAccount: state.defaultAccount,
      now: state.clock.now,
    })
  /** Runs a source transition and raises `type` when the status became `status`. */
  const sourceChange = (id: string, options: AccountOption | undefined, type: string, change: () => StripeObject) => {
    const before = store(options).get('source', id)?.status
    const source = change()
    if (source.status !== before) raise(type, source, options)
    return structuredClone(source)
  }
  return {
    now: () => state.clock.now,
    advance(seconds) {
      if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('advance(seconds) needs a non-negative number')
      state.clock.now += Math.floor(seconds)
      settleAllReportRuns(state)
      return state.clock.now
    },
    seed(kind, object = {}, options) {
      const target = store(options)
      if (kind === 'customer') {
        const id = typeof object.id === 'string' ? object.id : newId('cus')
        target.customers.add(id)
        return { ...object, id, object: 'customer' }
      }
      if (kind === 'scheduled_query_run') {
        const run = seedScheduledQueryRun(target, state.clock.now, object as ScheduledQueryRunSeed)
        const copy = structuredClone(run)
        withFileUrl(copy.file, state.events.origin)
        raise('sigma.scheduled_query_run.created', copy, options)
        return structuredClone(run)
      }
      if (!(kind in fixtures)) throw invalidRequest(`Cannot seed objects of type ${kind}.`, 'kind')
      const name = kind as FixtureName
      const seeded = fromTemplate(name, { id: newId(prefixOf(name)), created: state.clock.now, ...object })
      return target.insert(seeded)
    },
    makeSourceChargeable: (id, options) => sourceChange(id, options, 'source.chargeable', () => makeSourceChargeable(store(options), id)),
    pushSourceFunds: (id, amount, options) =>
      sourceChange(id, options, 'source.chargeable', () => {
        const source = pushSourceFunds(store(options), id, amount, state.clock.now)
        const tx = store(options).list('source_transaction', (t) => t.source === id)[0]
        if (tx) raise('source.transaction.created', tx, options)
        return source
      }),
    failSource: (id, options) => sourceChange(id, options, 'source.failed', () => endSource(store(options), id, 'failed')),
    cancelSource: (id, options) => sourceChange(id, options, 'source.canceled', () => endSource(store(options), id, 'canceled')),
    failReportRun: (id, error, options) => failReportRun(state, store(options), id, error),
    events: (filter) => listEvents(state.events, filter),
    clearEvents: () => {
      state.events.log.length = 0
    },
    addWebhookEndpoint: (input) => addEndpoint(state.events, input),
    removeWebhookEndpoint: (id) => state.events.endpoints.delete(id),
    webhookEndpoints: () => listEndpoints(state.events),
    deliverEvents: () => settleDeliveries(state.events),
    webhookDeliveries: () => state.events.deliveries.map((delivery) => ({ ...delivery })),
    injectFaults: (rule) => state.faults.add(rule),
    clearFaults: () => state.faults.clear(),
    requests: () => state.log.map((entry) => ({ ...entry })),
    clearRequests: () => {
      state.log.length = 0
    },
    objects: (kind, options) =>
      store(options)
        .list(kind)
        .map((object) => structuredClone(object)),
  }
}
