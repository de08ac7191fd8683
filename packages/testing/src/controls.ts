import { MAX_EMULATOR_TIME } from './clock.js'
import type { AnyEmulatorDomain, DomainKit } from './domain.js'
import { invalidRequest } from './errors.js'
import {
  addEndpoint,
  createStoredEndpoint,
  type EmulatorEvent,
  type EventFilter,
  inScheduleOrder,
  listEndpoints,
  listEvents,
  listStoredEndpoints,
  recordEvent,
  releaseDeliveries,
  removeStoredEndpoint,
  type ScheduledDelivery,
  scheduledDeliveries,
  settleDeliveries,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEndpointInput,
} from './events.js'
import type { FaultRule } from './faults.js'
import { type FixtureName, fixtures } from './generated/fixtures.js'
import { sweepIdempotency } from './idempotency.js'
import { newId } from './ids.js'
import type { EmulatorHealth, ResetOptions, SnapshotOptions } from './key-accounts.js'
import { fromTemplate } from './objects.js'
import type { LoggedRequest } from './request-log.js'
import type { EmulatorSnapshot } from './snapshot.js'
import { accountStore, type EmulatorState, type RequestLogEntry } from './state.js'
import type { StripeObject } from './store.js'
import type { WebhookFaultRule } from './webhook-faults.js'
import { registrationRefusal } from './webhook-target.js'

export interface AccountOption {
  /** account to act on (default: the emulator's default account) */
  account?: string
}

/** Sizes of what an emulator holds (memory checks) and the work its lists did. */
export interface EmulatorStats {
  accounts: number
  objects: number
  idempotencyKeys: number
  requests: number
  events: number
  deliveries: number
  /** records examined by list calls so far: a list call reads its page, not the whole kind */
  recordsScanned: number
}

/** Controls every emulator has, whatever its domains: clock, seeding, events, webhooks, faults, logs, snapshots. */
export interface CoreControl {
  /** current emulator time (unix seconds) */
  now(): number
  /** moves the clock forward; returns the new time */
  advance(seconds: number): number
  /**
   * Adds an object: `customer` (just `{ id }`), a kind with a domain seeder (`scheduled_query_run`,
   * see ScheduledQueryRunSeed), or any fixture resource name (`source`, `treasury.received_credit`,
   * …) merged over its fixture.
   */
  seed(kind: string, object?: Record<string, unknown>, options?: AccountOption): StripeObject
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
  /** delivery attempts kept (the newest `deliveryLogSize`), oldest first */
  webhookDeliveries(): WebhookDelivery[]
  /** attempts waiting on the emulator clock (retries of failed deliveries, delayed ones), soonest first */
  scheduledDeliveries(): ScheduledDelivery[]
  /** the next `count` matching deliveries arrive twice, late, or fail (see WebhookFault) */
  injectWebhookFaults(rule: WebhookFaultRule): void
  clearWebhookFaults(): void
  /** the next `count` matching requests fail as described */
  injectFaults(rule: FaultRule): void
  clearFaults(): void
  /** handled requests kept (the newest `requestLogSize`), oldest first */
  requests(): RequestLogEntry[]
  /** the same requests with their bodies, secrets redacted, those after `after` (a `seq`) — request-log.ts */
  requestLog(after?: number): LoggedRequest[]
  clearRequests(): void
  /** stored objects of one type (`object` value), newest first */
  objects(kind: string, options?: AccountOption): StripeObject[]
  /**
   * This account's whole state as plain JSON, for `createEmulator({ state })` and `restore()`;
   * `{ all: true }`: every account (the default one at the top, the others under `keys`).
   */
  snapshot(options?: SnapshotOptions): EmulatorSnapshot
  /**
   * This account back to empty, as a new account (objects, events, webhook endpoints, pending
   * deliveries, faults, request log and clock); `{ to: 'start' }`: back to the state loaded at start;
   * `{ all: true }`: every account.
   */
  reset(options?: ResetOptions): void
  /**
   * Replaces this account's state with a snapshot taken by `snapshot()` (checked whole first: a
   * snapshot that is not valid is a TypeError and nothing changes); its pending deliveries are
   * dropped. `{ all: true }` with a `snapshot({ all: true })`: every account.
   */
  restore(snapshot: EmulatorSnapshot | unknown, options?: SnapshotOptions): void
  /** version, API version and uptime (`GET /_emulator/health`) */
  health(): EmulatorHealth
  /** what this account holds and how much its lists read */
  stats(): EmulatorStats
}

/** What an account's controls need from the emulator around it (see `key-accounts.ts`). */
export interface AccountService {
  reset(options?: ResetOptions): void
  restore(snapshot: unknown, options?: SnapshotOptions): void
  snapshot(options?: SnapshotOptions): EmulatorSnapshot
  health(): EmulatorHealth
  /** called after each control call: work may wait on the clock now, or the clock moved (due-work.ts) */
  changed?(): void
}

/** The kit domain controls and seeders work with. */
export function createKit(state: EmulatorState): DomainKit {
  const store = (options?: { account?: string }) => accountStore(state, options?.account)
  return {
    state,
    store,
    raise: (type, object, options) =>
      recordEvent(state.events, {
        type,
        object,
        account: store(options).id,
        defaultAccount: state.defaultAccount,
        now: state.clock.now,
      }),
  }
}

/** Controls that replace the store (reset, restore) or wait (deliverEvents): not run inside a transaction. */
const TRANSACTION_FREE = /* @__PURE__ */ new Set(['reset', 'restore', 'deliverEvents'])

/** The core controls plus every domain's, as one object. */
export function createControl(
  state: EmulatorState,
  domains: readonly AnyEmulatorDomain[],
  kit: DomainKit,
  service: AccountService,
): CoreControl {
  const seeders = new Map<string, NonNullable<AnyEmulatorDomain['seeders']>[string]>()
  for (const domain of domains) for (const [kind, seeder] of Object.entries(domain.seeders ?? {})) seeders.set(kind, seeder)
  const core: CoreControl = {
    now: () => state.clock.now,
    advance(seconds) {
      if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('advance(seconds) needs a non-negative number')
      if (state.clock.now + Math.floor(seconds) > MAX_EMULATOR_TIME)
        throw new RangeError(
          `advance(seconds): emulator time cannot pass ${MAX_EMULATOR_TIME} (9999-12-31T23:59:59Z); it is ${state.clock.now}, at most ${MAX_EMULATOR_TIME - state.clock.now} s more`,
        )
      const previous = state.clock.now
      state.clock.now += Math.floor(seconds)
      for (const store of state.store.accounts()) sweepIdempotency(store, state.clock.now)
      for (const domain of domains) domain.onAdvance?.(kit, previous)
      // retries and delayed webhook deliveries whose time came
      releaseDeliveries(state.events)
      return state.clock.now
    },
    seed(kind, object = {}, options) {
      const target = kit.store(options)
      if (kind === 'customer') {
        const id = typeof object.id === 'string' ? object.id : newId('cus')
        target.customers.add(id)
        return { ...object, id, object: 'customer' }
      }
      const seeder = seeders.get(kind)
      if (seeder) return seeder(kit, object, options)
      if (!Object.hasOwn(fixtures, kind)) throw invalidRequest(`Cannot seed objects of type ${kind}.`, 'kind')
      const name = kind as FixtureName
      const seeded: StripeObject = { ...fromTemplate(name, {}), id: newId(prefixOf(name)), created: state.clock.now, ...object }
      return target.insert(seeded)
    },
    events: (filter) => listEvents(state.events, filter),
    clearEvents: () => state.events.log.clear(),
    // A `url` endpoint is a webhook endpoint as the API creates it (default account, every account's
    // events, as control endpoints always had); an in-process `handler` cannot be stored: it stays in the hub.
    addWebhookEndpoint: (input) => {
      if (input.handler) return addEndpoint(state.events, input)
      if (!input.url) throw new TypeError('addWebhookEndpoint needs a `url` or a `handler`.')
      // emu-safety: the same target rule as the API (webhook-target.ts)
      const refused = registrationRefusal(input.url, state.events.allowPrivateWebhooks)
      if (refused) throw new TypeError(refused)
      const enabled_events = input.events?.length ? [...input.events] : ['*']
      const created = createStoredEndpoint(kit.store(), state.clock.now, {
        url: input.url,
        enabled_events,
        secret: input.secret,
        allAccounts: true,
      })
      return { id: created.id, object: 'webhook_endpoint', url: input.url, secret: created.secret, enabled_events }
    },
    removeWebhookEndpoint: (id) => state.events.endpoints.delete(id) || removeStoredEndpoint(state.events, id),
    webhookEndpoints: () => [...listEndpoints(state.events), ...listStoredEndpoints(state.events)],
    deliverEvents: () => settleDeliveries(state.events),
    webhookDeliveries: () => inScheduleOrder(state.events, state.events.deliveries.toArray()).map((delivery) => ({ ...delivery })),
    scheduledDeliveries: () => scheduledDeliveries(state.events),
    injectWebhookFaults: (rule) => state.events.faults.add(rule),
    clearWebhookFaults: () => state.events.faults.clear(),
    injectFaults: (rule) => state.faults.add(rule),
    clearFaults: () => state.faults.clear(),
    requests: () => state.log.toArray().map((entry) => ({ ...entry })),
    requestLog: (after) => state.requestBodies.read(after),
    clearRequests: () => {
      state.log.clear()
      state.requestBodies.clear()
    },
    objects: (kind, options) =>
      kit
        .store(options)
        .list(kind)
        .map((object) => structuredClone(object) as StripeObject),
    snapshot: (options) => service.snapshot(options),
    reset: (options) => service.reset(options),
    restore: (snapshot, options) => service.restore(snapshot, options),
    health: () => service.health(),
    stats() {
      const stores = [...state.store.accounts()]
      const sum = (of: (store: (typeof stores)[number]) => number) => stores.reduce((total, store) => total + of(store), 0)
      return {
        accounts: stores.length,
        objects: sum((store) => store.size),
        idempotencyKeys: sum((store) => store.idempotency.size),
        requests: state.log.length,
        events: state.events.log.length,
        deliveries: state.events.deliveries.length,
        recordsScanned: sum((store) => store.scanned),
      }
    },
  }
  const control: Record<string, unknown> = {}
  const add = (name: string, fn: unknown) => {
    if (name in control) throw new TypeError(`createEmulator: control ${name} is already defined`)
    if (typeof fn !== 'function') return void (control[name] = fn)
    // each control call is one transaction of the account's store, as each API request is
    const call = TRANSACTION_FREE.has(name) ? fn : (...args: unknown[]) => state.store.transaction(() => fn(...args))
    control[name] = (...args: unknown[]) => {
      try {
        return call(...args)
      } finally {
        service.changed?.()
      }
    }
  }
  for (const [name, fn] of Object.entries(core)) add(name, fn)
  for (const domain of domains) for (const [name, fn] of Object.entries(domain.controls?.(kit) ?? {})) add(name, fn)
  return control as unknown as CoreControl
}

/** The id prefix of a fixture resource (`src`, `fa`, `obp`, …). */
function prefixOf(kind: FixtureName): string {
  const id = String((fixtures[kind] as { id?: string }).id ?? 'obj_x')
  return id.slice(0, id.indexOf('_'))
}
