import { accountStore, type EmulatorState, type RequestLogEntry } from './context.js'
import { invalidRequest } from './errors.js'
import type { FaultRule } from './faults.js'
import { type FixtureName, fixtures } from './generated/fixtures.js'
import { newId } from './ids.js'
import { fromTemplate } from './objects.js'
import { type ScheduledQueryRunSeed, seedScheduledQueryRun } from './sigma.js'
import { makeSourceChargeable, pushSourceFunds } from './sources.js'
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
  /** a pending source becomes `chargeable` */
  makeSourceChargeable(id: string, options?: AccountOption): StripeObject
  /** funds arrive on a receiver source: a source_transaction, `amount_received` grows, chargeable */
  pushSourceFunds(id: string, amount: number, options?: AccountOption): StripeObject
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
  return {
    now: () => state.clock.now,
    advance(seconds) {
      if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('advance(seconds) needs a non-negative number')
      state.clock.now += Math.floor(seconds)
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
        return seedScheduledQueryRun(target, state.clock.now, object as ScheduledQueryRunSeed)
      }
      if (!(kind in fixtures)) throw invalidRequest(`Cannot seed objects of type ${kind}.`, 'kind')
      const name = kind as FixtureName
      const seeded = fromTemplate(name, { id: newId(prefixOf(name)), created: state.clock.now, ...object })
      return target.insert(seeded)
    },
    makeSourceChargeable: (id, options) => makeSourceChargeable(store(options), id),
    pushSourceFunds: (id, amount, options) => pushSourceFunds(store(options), id, amount, state.clock.now),
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
