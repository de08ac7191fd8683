// The accounts of an emulator, one per key (`sk_test_X`, `rk_test_X`, `pk_test_X` → account `X`),
// created on first use, each a whole `EmulatorState` with its controls; reset and restore replace an
// account's state in place (its controls keep working), dropping its pending webhook deliveries.
import { type AccountsMode, platformAccountId } from './account-keys.js'
import { type ClockMode, createClock, wallSeconds } from './clock.js'
import { type CoreControl, createControl, createKit } from './controls.js'
import type { AnyEmulatorDomain, DomainKit } from './domain.js'
import { createEventHub, type EmulatorEvent, restoreHeld, saveHeld } from './events.js'
import { FaultQueue } from './faults.js'
import { API_VERSION } from './generated/routes.js'
import { createRequestBodyLog } from './request-log.js'
import { Ring } from './ring.js'
import { type EmulatorSnapshot, type RestoredState, restoreSnapshot, takeSnapshot } from './snapshot.js'
import { DEFAULT_LIMITS, type EmulatorOptions, type EmulatorState } from './state.js'
import { createMemoryStore } from './stores/memory.js'
import type { SqliteStore } from './stores/sqlite.js'

/** One key's account: its state and its controls. */
export interface KeyAccount {
  /** `X` of the account's keys; `''` for the default account (no key; every key with `accounts: 'shared'`) */
  readonly keyPart: string
  readonly state: EmulatorState
  readonly control: CoreControl
  /** what domain controls and `nextDue` work with */
  readonly kit: DomainKit
}

export interface ResetOptions {
  /** `'empty'` (default): as a new account; `'start'`: the state loaded at start (`state` option, `--state`) */
  to?: 'empty' | 'start'
  /** every account of the emulator (each back to empty, or to its start state) */
  all?: boolean
}

export interface SnapshotOptions {
  /** every account: the default one at the top, the others under `keys` (what `--state` saves) */
  all?: boolean
}

/** `GET /_emulator/health`. */
export interface EmulatorHealth {
  status: 'ok'
  /** the `@edgestripe/testing` version */
  version: string
  /** the Stripe API version it answers in */
  apiVersion: string
  /** seconds since the emulator was created */
  uptime: number
  accounts: AccountsMode
}

export interface KeyAccountsOptions extends EmulatorOptions {
  domains: readonly AnyEmulatorDomain[]
  /** the checked start snapshot (raw JSON), if any */
  start?: EmulatorSnapshot
  maxRequestBytes: number
}

export interface KeyAccounts {
  readonly mode: AccountsMode
  /** the account of a key part (`''`: the default account); created on first use */
  of(keyPart: string | undefined): KeyAccount
  /** the accounts created so far */
  all(): Iterable<KeyAccount>
  /** wall-clock ms at creation (uptime, and the `real` clock of accounts created later) */
  readonly createdAt: number
  /** the accounts' clock mode (`manual` unless `clock: 'real'`) */
  readonly clock: ClockMode
  /**
   * Calls `listener` with an account after anything that may add work waiting on its clock or move
   * its clock: a request answered, a control call, a webhook attempt held or released, its state
   * replaced (due-work.ts). Returns the unsubscribe.
   */
  subscribe(listener: (account: KeyAccount) => void): () => void
  /** tells the listeners that `account` changed (see `subscribe`) */
  changed(account: KeyAccount): void
}

/* @__NO_SIDE_EFFECTS__ */
export function createKeyAccounts(options: KeyAccountsOptions): KeyAccounts {
  const mode: AccountsMode = options.accounts ?? 'per-key'
  const createdAt = Date.now()
  const startNow = options.now ?? wallSeconds()
  const accounts = new Map<string, KeyAccount>()
  const listeners = new Set<(account: KeyAccount) => void>()
  const changed = (account: KeyAccount) => {
    for (const listener of listeners) listener(account)
  }

  /** Webhook retries and delayed deliveries wait on the account's clock; holding or releasing one is a change. */
  function wireClock(account: KeyAccount): void {
    const { state } = account
    state.events.now = () => state.clock.now
    const persist = state.events.heldChanged
    state.events.heldChanged = () => {
      persist?.()
      changed(account)
    }
  }

  /** The snapshot an account starts from (and `reset({ to: 'start' })` goes back to). */
  const startOf = (keyPart: string): EmulatorSnapshot | undefined =>
    keyPart === '' ? options.start : (options.start?.keys?.[keyPart] as EmulatorSnapshot | undefined)

  /**
   * A new state for an account: from `snapshot`, or empty with the clock where the emulator's is.
   * With `sqlite`, `initial` loads what the database holds for the account (if anything) instead.
   */
  function freshState(keyPart: string, snapshot: EmulatorSnapshot | undefined, initial = false): EmulatorState {
    // --- SQLite (`sqlite` option): the account's rows are its store; see stores/sqlite.ts ---
    const sqlite = options.sqlite?.store(keyPart)
    const makeStore = sqlite ? () => sqlite : (options.store ?? createMemoryStore)
    const saved = initial ? sqlite?.load(options.eventLogSize ?? DEFAULT_LIMITS.eventLogSize) : undefined
    let restored: RestoredState | undefined
    if (sqlite && !saved) {
      sqlite.beforeCommit = undefined
      sqlite.transaction(() => {
        sqlite.clear()
        restored = snapshot && restoreSnapshot(snapshot, '', makeStore)
      })
    } else if (!sqlite) restored = snapshot && restoreSnapshot(snapshot, '', makeStore)
    const from = restored ?? saved?.meta
    const elapsed = options.clock === 'real' ? Math.floor((Date.now() - createdAt) / 1000) : 0
    const store = restored?.store ?? makeStore()
    const state: EmulatorState = {
      clock: from ? createClock(from.clock.start, options.clock, from.clock.now) : createClock(startNow, options.clock, startNow + elapsed),
      reportRunDelay: from?.reportRunDelay ?? options.reportRunDelay ?? 5,
      defaultAccount: from?.defaultAccount ?? (keyPart === '' ? (options.defaultAccount ?? 'acct_emulator') : platformAccountId(keyPart)),
      store,
      faults: new FaultQueue(),
      log: new Ring(options.requestLogSize ?? DEFAULT_LIMITS.requestLogSize),
      requestBodies: createRequestBodyLog(options.requestLogSize ?? DEFAULT_LIMITS.requestLogSize),
      events: createEventHub({
        ...options,
        store,
        eventLogSize: options.eventLogSize ?? DEFAULT_LIMITS.eventLogSize,
        deliveryLogSize: options.deliveryLogSize ?? DEFAULT_LIMITS.deliveryLogSize,
      }),
      maxRequestBytes: options.maxRequestBytes,
    }
    if (restored) {
      for (const event of restored.events) state.events.log.push(event)
      for (const endpoint of restored.webhookEndpoints) state.events.endpoints.set(endpoint.id, endpoint)
    }
    if (saved) for (const event of saved.events) state.events.log.push(event as EmulatorEvent)
    // webhook retries and delayed deliveries that were waiting when the process or object went away
    if (saved?.meta.held) restoreHeld(state.events, saved.meta.held)
    if (sqlite) persistWith(sqlite, state, saved ? state.events.log.total : 0)
    return state
  }

  /** Replaces an account's state in place: closures holding `state` (controls, the hub's clock) keep working. */
  function replace(account: KeyAccount, next: EmulatorState): void {
    // an old hub's in-flight deliveries finish into the old (detached) hub; its held ones are dropped
    Object.assign(account.state, next)
    wireClock(account)
    changed(account)
  }

  function of(keyPart: string | undefined): KeyAccount {
    const id = mode === 'shared' ? '' : (keyPart ?? '')
    const account = accounts.get(id)
    if (account) return account
    const state = freshState(id, startOf(id), true)
    const kit = createKit(state)
    const created: KeyAccount = {
      keyPart: id,
      state,
      control: createControl(state, options.domains, kit, {
        reset: (resetOptions = {}) => {
          const targets = resetOptions.all ? [...accounts.values()] : [created]
          for (const target of targets) {
            replace(target, freshState(target.keyPart, resetOptions.to === 'start' ? startOf(target.keyPart) : undefined))
          }
        },
        restore: (snapshot, restoreOptions = {}) => {
          // checked whole before anything changes
          restoreSnapshot(snapshot)
          const checked = snapshot as EmulatorSnapshot
          if (!restoreOptions.all) return replace(created, freshState(created.keyPart, checked))
          // one account for every key: the other keys' accounts of the snapshot have nowhere to go
          const keys = mode === 'shared' ? {} : (checked.keys ?? {})
          for (const target of [...accounts.values()]) {
            const own = target.keyPart === '' ? checked : (keys[target.keyPart] as EmulatorSnapshot | undefined)
            replace(target, freshState(target.keyPart, own))
          }
          for (const keyPart of Object.keys(keys)) if (!accounts.has(keyPart)) replace(of(keyPart), freshState(keyPart, keys[keyPart]))
        },
        snapshot: (snapshotOptions = {}) => {
          const own = takeSnapshot(state)
          if (!snapshotOptions.all) return own
          const keys: Record<string, EmulatorSnapshot> = {}
          for (const other of accounts.values()) if (other.keyPart !== '') keys[other.keyPart] = takeSnapshot(other.state)
          const top = id === '' ? own : takeSnapshot(of('').state)
          return Object.keys(keys).length ? { ...top, keys } : top
        },
        changed: () => changed(created),
        health: () => ({
          status: 'ok',
          version: EMULATOR_VERSION,
          apiVersion: API_VERSION,
          uptime: Math.floor((Date.now() - createdAt) / 1000),
          accounts: mode,
        }),
      }),
      kit,
    }
    wireClock(created)
    accounts.set(id, created)
    return created
  }

  // accounts the database holds are there from the start (snapshots, `--state` saves)
  for (const keyPart of options.sqlite?.namespaces() ?? []) if (mode === 'per-key' || keyPart === '') of(keyPart)
  return {
    mode,
    of,
    all: () => accounts.values(),
    createdAt,
    clock: options.clock ?? 'manual',
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    changed,
  }
}

/**
 * Saves the account's clock and defaults, and the events logged since the last save, with every
 * transaction of its SQLite store (and once now, so a new or restored account is saved whole).
 */
function persistWith(sqlite: SqliteStore, state: EmulatorState, savedEvents: number): void {
  let saved = savedEvents
  sqlite.beforeCommit = () => {
    const held = saveHeld(state.events)
    sqlite.saveMeta({
      clock: { now: state.clock.now, start: state.clock.start },
      defaultAccount: state.defaultAccount,
      reportRunDelay: state.reportRunDelay,
      ...(held.length ? { held } : {}),
    })
    const log = state.events.log
    sqlite.appendEvents(log.since(saved), log.capacity)
    saved = log.total
  }
  // a retry held or released after the request's transaction (a delivery's answer came later): saved at once
  state.events.heldChanged = () => sqlite.transaction(() => {})
  sqlite.transaction(() => {})
}

/** The `@edgestripe/testing` version `GET /_emulator/health` reports (kept equal to package.json by a test). */
export const EMULATOR_VERSION = '0.1.0'
