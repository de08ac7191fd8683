// What waits on an emulator's clock (report runs finishing, webhook retries and delayed deliveries),
// when it is next due, and the clock tick that runs it: each account's `control.advance(0)`, the
// same tick a Durable Object's alarm runs (worker.ts) and a timer runs in Node (scheduler.ts).
import type { AnyEmulatorDomain } from './domain.js'
import type { KeyAccount, KeyAccounts } from './key-accounts.js'

/** An emulator's clock-driven work, across its accounts. */
export interface DueWork {
  /** the accounts' clocks follow the wall clock (`clock: 'real'`); with `manual`, only `advance` makes work due */
  readonly realClock: boolean
  /** emulator seconds until something is due in any account (0: due now); undefined when nothing waits */
  nextDueIn(): number | undefined
  /** runs what is due in every account (each account's clock tick); throws the first error, after trying every account */
  runDue(): void
  /** calls `listener` after anything that may add work or move a clock; returns the unsubscribe */
  subscribe(listener: () => void): () => void
}

/** The emulator time something is next due in one account (a held attempt, a domain's `nextDue`), or undefined. */
export function accountNextDue(account: KeyAccount, domains: readonly AnyEmulatorDomain[]): number | undefined {
  let due = account.state.events.held[0]?.dueAt
  for (const domain of domains) {
    const at = domain.nextDue?.(account.kit)
    if (at !== undefined && (due === undefined || at < due)) due = at
  }
  return due
}

/** The clock tick of one account: what a request that moves the clock runs (report runs settle, held attempts start). */
export function runAccountDue(account: KeyAccount): void {
  account.control.advance(0)
}

export function createDueWork(accounts: KeyAccounts, domains: readonly AnyEmulatorDomain[]): DueWork {
  // each account's next due time, looked up again only after it changed (a request, a control, a held
  // attempt): a request to one account costs the next look-up that account's, not every account's
  const known = new Map<KeyAccount, number | undefined>()
  accounts.subscribe((account) => known.delete(account))
  return {
    realClock: accounts.clock === 'real',
    nextDueIn() {
      let next: number | undefined
      for (const account of accounts.all()) {
        if (!known.has(account)) known.set(account, accountNextDue(account, domains))
        const due = known.get(account)
        if (due === undefined) continue
        const wait = Math.max(0, due - account.state.clock.now)
        if (next === undefined || wait < next) next = wait
      }
      return next
    },
    runDue() {
      let failure: { error: unknown } | undefined
      for (const account of [...accounts.all()]) {
        try {
          runAccountDue(account)
        } catch (error) {
          failure ??= { error }
        }
      }
      if (failure) throw failure.error
    },
    subscribe: (listener) => accounts.subscribe(() => listener()),
  }
}

/** The due work of emulators made by `createEmulator` (not enumerable on the emulator object). */
const registry = /* @__PURE__ */ new WeakMap<object, DueWork>()

export function registerDueWork(emulator: object, work: DueWork): void {
  registry.set(emulator, work)
}

/** The clock-driven work of an emulator made by `createEmulator` (undefined for any other object). */
export function dueWorkOf(emulator: object): DueWork | undefined {
  return registry.get(emulator)
}
