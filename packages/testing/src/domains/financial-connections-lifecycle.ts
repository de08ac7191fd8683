// The institution's side of Financial Connections, which Stripe has no test helper for: the bank
// deactivates an account or schedules it, rotates or withdraws its account numbers, or ends the
// authorization the user gave it. Controls cause it; the emulator's clock carries the scheduled part
// out (`upcoming_*` a week before the date, then the deactivation or expiry itself). Every event is
// raised where its object changes, so a `financial_connections.*` webhook always carries the object
// as it now is.
import type { AccountOption } from '../controls.js'
import type { DomainKit } from '../domain.js'
import { invalidRequest, resourceMissing } from '../errors.js'
import type { Resources } from '../generated/resources.js'
import { newId } from '../ids.js'
import type { AccountStore } from '../store.js'

type Account = Resources['financial_connections.account']

/** How long before a scheduled deactivation or an account number's expiry `upcoming_*` is sent. */
export const UPCOMING_DAYS = 7
const DAY = 86_400

export type DeactivationCause = 'access_expired' | 'institution_requirement' | 'unspecified'
export type RelinkAction = 'none' | 'relink_required'

/** `financial_connections.authorization` as stripe@23.1.0 types it (no API route reads it: events carry it). */
export interface Authorization {
  id: string
  object: 'financial_connections.authorization'
  institution_name: string
  livemode: false
  status: 'active' | 'inactive'
  status_details: {
    active?: { action: RelinkAction; expected_deactivation_date: number }
    inactive?: { action: RelinkAction }
  }
}

export interface AccountNumber {
  expected_expiry_date: number | null
  identifier_type: 'account_number' | 'tokenized_account_number'
  status: 'deactivated' | 'expired' | 'pending' | 'transactable'
  supported_networks: 'ach'[]
}

/** The fields this module adds to an account (stripe@23.1.0; the spec's 2024-04-10 shape lacks them). */
interface LifecycleFields {
  account_numbers?: AccountNumber[] | null
  status_details?: { active?: { action: RelinkAction; cause: DeactivationCause; expected_deactivation_date: number } }
}

/** An account's emulator-only lifecycle data (plain JSON: snapshots carry it). */
interface AccountInternal {
  authorization?: string
  /** the scheduled deactivation date `upcoming_deactivation` was sent for */
  upcomingFor?: number
  /** expiry dates `upcoming_account_number_expiry` was sent for */
  expiriesAnnounced?: number[]
}

const fields = (account: Account) => account as Account & LifecycleFields

/** What a new linked account starts with: its account number, usable for ACH. */
export function initialAccountNumbers(): AccountNumber[] {
  return [{ expected_expiry_date: null, identifier_type: 'account_number', status: 'transactable', supported_networks: ['ach'] }]
}

/** The authorization a completed session's login gives, for every account it linked. */
export function createAuthorization(store: AccountStore, institution: string): Authorization {
  const authorization: Authorization = {
    id: newId('fcauthu'),
    object: 'financial_connections.authorization',
    institution_name: institution,
    livemode: false,
    status: 'active',
    status_details: {},
  }
  return store.insert(authorization)
}

function internalOf(store: AccountStore, id: string): AccountInternal {
  const record = store.record(id)
  if (!record) throw resourceMissing('financial connections account', id, 'id')
  return record.internal as AccountInternal
}

function getAccount(store: AccountStore, id: string): Account {
  const account = store.get('financial_connections.account', id)
  if (!account) throw resourceMissing('financial connections account', id, 'id')
  return account
}

function authorizationOf(store: AccountStore, account: Account): Authorization {
  const id = internalOf(store, account.id).authorization
  const authorization = id ? (store.get('financial_connections.authorization', id) as unknown as Authorization | undefined) : undefined
  if (!authorization) throw resourceMissing('financial connections authorization', String(id), 'authorization')
  return authorization
}

/** A date from `date` (unix seconds) or `days` from now; it must be in the future. */
function futureDate(input: { date?: unknown; days?: unknown }, now: number, param: string): number {
  const date = input.date !== undefined ? Number(input.date) : now + Number(input.days) * DAY
  if (!Number.isInteger(date)) throw invalidRequest(`${param} needs \`date\` (unix seconds) or \`days\` (from now).`, param)
  if (date <= now) throw invalidRequest(`${param} must be in the future (it is ${now} now).`, param)
  return date
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, param: string): T {
  if (value === undefined) return fallback
  if (!allowed.includes(value as T)) throw invalidRequest(`Invalid ${param}: must be one of ${allowed.join(', ')}.`, param)
  return value as T
}

/** `us_bank_account` needs an account number that can move money (a `transactable` one). */
function syncPaymentMethodTypes(kit: DomainKit, account: Account, options?: AccountOption): void {
  const current = account.supported_payment_method_types
  const usable = (fields(account).account_numbers ?? []).some((number) => number.status === 'transactable')
  const others = current.filter((type) => type !== 'us_bank_account')
  const wanted = (usable ? [...others, 'us_bank_account'] : others) as Account['supported_payment_method_types']
  if (wanted.length === current.length && wanted.every((type) => current.includes(type))) return
  account.supported_payment_method_types = wanted
  kit.raise('financial_connections.account.supported_payment_method_types_updated', account, options)
}

function deactivate(kit: DomainKit, account: Account, options?: AccountOption): void {
  account.status = 'inactive'
  delete fields(account).status_details
  kit.raise('financial_connections.account.deactivated', account, options)
}

/**
 * What the clock owes one account at `now`: `upcoming_deactivation` once a scheduled deactivation
 * is a week away, the deactivation on its date; `upcoming_account_number_expiry` once a number's
 * expiry is a week away, `expired` (and `account_numbers_updated`) on the date.
 */
function tickAccount(kit: DomainKit, store: AccountStore, account: Account, now: number, options?: AccountOption): void {
  if (account.status !== 'active') return
  const internal = internalOf(store, account.id)
  const numbers = fields(account).account_numbers ?? []
  const expiring = numbers.filter((number) => number.status === 'transactable' && number.expected_expiry_date !== null)
  const announced = internal.expiriesAnnounced ?? []
  const soon = expiring.filter((number) => now >= (number.expected_expiry_date as number) - UPCOMING_DAYS * DAY)
  const fresh = soon.filter((number) => !announced.includes(number.expected_expiry_date as number))
  if (fresh.length) {
    internal.expiriesAnnounced = [...announced, ...fresh.map((number) => number.expected_expiry_date as number)]
    kit.raise('financial_connections.account.upcoming_account_number_expiry', account, options)
  }
  const expired = expiring.filter((number) => now >= (number.expected_expiry_date as number))
  if (expired.length) {
    for (const number of expired) number.status = 'expired'
    kit.raise('financial_connections.account.account_numbers_updated', account, options)
    syncPaymentMethodTypes(kit, account, options)
  }
  const date = fields(account).status_details?.active?.expected_deactivation_date
  if (date === undefined) return
  if (now >= date - UPCOMING_DAYS * DAY && internal.upcomingFor !== date) {
    internal.upcomingFor = date
    kit.raise('financial_connections.account.upcoming_deactivation', account, options)
  }
  if (now >= date) deactivate(kit, account, options)
}

/** An authorization's schedule: `upcoming_deactivation` a week before, `inactive` on the date. */
function tickAuthorization(kit: DomainKit, store: AccountStore, authorization: Authorization, now: number, options?: AccountOption) {
  const date = authorization.status_details.active?.expected_deactivation_date
  if (authorization.status !== 'active' || date === undefined) return
  const record = store.record(authorization.id)
  const internal = (record?.internal ?? {}) as AccountInternal
  if (now >= date - UPCOMING_DAYS * DAY && internal.upcomingFor !== date) {
    internal.upcomingFor = date
    kit.raise('financial_connections.authorization.upcoming_deactivation', authorization, options)
  }
  if (now >= date) {
    authorization.status = 'inactive'
    authorization.status_details = { inactive: { action: authorization.status_details.active?.action ?? 'relink_required' } }
  }
}

/** After the clock moved: every account's and authorization's schedule, in every account store. */
export function financialConnectionsOnAdvance(kit: DomainKit): void {
  const now = kit.state.clock.now
  for (const store of kit.state.store.accounts()) {
    const options = { account: store.id }
    for (const authorization of store.list('financial_connections.authorization').reverse()) {
      tickAuthorization(kit, store, authorization as unknown as Authorization, now, options)
    }
    for (const account of store.list('financial_connections.account', (item) => item.status === 'active').reverse()) {
      tickAccount(kit, store, account, now, options)
    }
  }
}

/**
 * When `financialConnectionsOnAdvance` next has something to do, in any account: the earliest
 * unannounced week-before warning, scheduled deactivation or account-number expiry (what a real
 * clock's timer waits for).
 */
export function financialConnectionsNextDue(kit: DomainKit): number | undefined {
  let next: number | undefined
  const at = (time: number) => {
    if (next === undefined || time < next) next = time
  }
  const schedule = (date: number | undefined, internal: AccountInternal) => {
    if (date === undefined) return
    at(internal.upcomingFor === date ? date : date - UPCOMING_DAYS * DAY)
  }
  for (const store of kit.state.store.accounts()) {
    // whole-kind lists, as the tick reads them (statuses move both ways here without a reindex)
    for (const item of store.list('financial_connections.authorization', (item) => item.status === 'active')) {
      const authorization = item as unknown as Authorization // the store's objects of this kind
      const internal = (store.record(authorization.id)?.internal ?? {}) as AccountInternal
      schedule(authorization.status_details.active?.expected_deactivation_date, internal)
    }
    for (const account of store.list('financial_connections.account', (item) => item.status === 'active')) {
      const internal = internalOf(store, account.id)
      schedule(fields(account).status_details?.active?.expected_deactivation_date, internal)
      const announced = internal.expiriesAnnounced ?? []
      for (const number of fields(account).account_numbers ?? []) {
        const expiry = number.expected_expiry_date
        if (number.status !== 'transactable' || expiry === null || expiry === undefined) continue
        at(announced.includes(expiry) ? expiry : expiry - UPCOMING_DAYS * DAY)
      }
    }
  }
  return next
}

export interface AccountNumbersInput {
  /** `rotate` (default): a new number replaces the transactable ones; `deactivate`: none is usable any more */
  action?: 'rotate' | 'deactivate'
  identifier_type?: AccountNumber['identifier_type']
  /** when the new number expires: unix seconds, or `expires_in_days` from now; default never */
  expected_expiry_date?: number | null
  expires_in_days?: number
}

export interface DeactivationInput {
  /** unix seconds, or `days` from now */
  date?: number
  days?: number
  cause?: DeactivationCause
  action?: RelinkAction
}

/** The controls (merged onto `emulator.control`; their HTTP routes are in financial-connections.ts). */
export interface FinancialConnectionsLifecycleControl {
  /** The institution deactivates an active account now: `inactive`, `financial_connections.account.deactivated`. */
  deactivateFinancialConnectionsAccount(id: string, options?: AccountOption): Account
  /** The user relinks an inactive account: `active` again, `financial_connections.account.reactivated` (its authorization too). */
  reactivateFinancialConnectionsAccount(id: string, options?: AccountOption): Account
  /**
   * The institution schedules the account's deactivation: `status_details.active` with the date,
   * `financial_connections.account.expected_deactivation_date_updated`; the clock then sends
   * `upcoming_deactivation` a week before and deactivates it on the date.
   */
  scheduleFinancialConnectionsAccountDeactivation(id: string, input: DeactivationInput & AccountOption): Account
  /**
   * The institution issues a new account number (e.g. a tokenized one that expires) or withdraws
   * them: `account_numbers` changes, `financial_connections.account.account_numbers_updated`, and
   * `supported_payment_method_types_updated` when `us_bank_account` comes or goes with them.
   */
  updateFinancialConnectionsAccountNumbers(id: string, input?: AccountNumbersInput & AccountOption): Account
  /** The authorization behind an account (the login its session made). */
  financialConnectionsAuthorization(accountId: string, options?: AccountOption): Authorization
  /**
   * The institution schedules the end of the authorization behind an account:
   * `financial_connections.authorization.expected_deactivation_date_updated`, and each of its active
   * accounts is scheduled with it (`cause: access_expired`); the clock sends
   * `authorization.upcoming_deactivation` a week before and ends it on the date.
   */
  scheduleFinancialConnectionsAuthorizationDeactivation(accountId: string, input: DeactivationInput & AccountOption): Authorization
}

export function financialConnectionsLifecycleControl(kit: DomainKit): FinancialConnectionsLifecycleControl {
  const now = () => kit.state.clock.now
  const scheduleAccount = (
    store: AccountStore,
    account: Account,
    date: number,
    cause: DeactivationCause,
    action: RelinkAction,
    options?: AccountOption,
  ) => {
    if (account.status !== 'active') {
      throw invalidRequest(`Account ${account.id} is ${account.status}: only an active account can be scheduled for deactivation.`, 'id')
    }
    const previous = fields(account).status_details?.active?.expected_deactivation_date
    fields(account).status_details = { active: { action, cause, expected_deactivation_date: date } }
    if (previous !== date) kit.raise('financial_connections.account.expected_deactivation_date_updated', account, options)
    tickAccount(kit, store, account, now(), options)
  }
  return {
    deactivateFinancialConnectionsAccount(id, options) {
      const account = getAccount(kit.store(options), id)
      if (account.status !== 'active')
        throw invalidRequest(`Account ${id} is ${account.status}: only an active account can be deactivated.`, 'id')
      deactivate(kit, account, options)
      return structuredClone(account)
    },
    reactivateFinancialConnectionsAccount(id, options) {
      const store = kit.store(options)
      const account = getAccount(store, id)
      if (account.status !== 'inactive')
        throw invalidRequest(`Account ${id} is ${account.status}: only an inactive account can be reactivated.`, 'id')
      const authorization = authorizationOf(store, account)
      if (authorization.status === 'inactive') {
        authorization.status = 'active'
        authorization.status_details = {}
      }
      account.status = 'active'
      delete fields(account).status_details
      kit.raise('financial_connections.account.reactivated', account, options)
      return structuredClone(account)
    },
    scheduleFinancialConnectionsAccountDeactivation(id, input) {
      const store = kit.store(input)
      const account = getAccount(store, id)
      const date = futureDate(input, now(), 'date')
      const cause = oneOf(input.cause, ['access_expired', 'institution_requirement', 'unspecified'] as const, 'unspecified', 'cause')
      const action = oneOf(input.action, ['none', 'relink_required'] as const, 'relink_required', 'action')
      scheduleAccount(store, account, date, cause, action, input)
      return structuredClone(account)
    },
    updateFinancialConnectionsAccountNumbers(id, input = {}) {
      const store = kit.store(input)
      const account = getAccount(store, id)
      if (account.status !== 'active') throw invalidRequest(`Account ${id} is ${account.status}: its account numbers do not change.`, 'id')
      const action = oneOf(input.action, ['rotate', 'deactivate'] as const, 'rotate', 'action')
      const numbers = (fields(account).account_numbers ?? []).map((number) =>
        number.status === 'transactable' ? { ...number, status: 'deactivated' as const } : number,
      )
      if (action === 'rotate') {
        const type = oneOf(
          input.identifier_type,
          ['account_number', 'tokenized_account_number'] as const,
          'tokenized_account_number',
          'identifier_type',
        )
        const expiry =
          input.expires_in_days !== undefined
            ? futureDate({ days: input.expires_in_days }, now(), 'expires_in_days')
            : input.expected_expiry_date == null
              ? null
              : futureDate({ date: input.expected_expiry_date }, now(), 'expected_expiry_date')
        numbers.push({ expected_expiry_date: expiry, identifier_type: type, status: 'transactable', supported_networks: ['ach'] })
      }
      fields(account).account_numbers = numbers
      kit.raise('financial_connections.account.account_numbers_updated', account, input)
      syncPaymentMethodTypes(kit, account, input)
      tickAccount(kit, store, account, now(), input)
      return structuredClone(account)
    },
    financialConnectionsAuthorization(accountId, options) {
      const store = kit.store(options)
      return structuredClone(authorizationOf(store, getAccount(store, accountId)))
    },
    scheduleFinancialConnectionsAuthorizationDeactivation(accountId, input) {
      const store = kit.store(input)
      const authorization = authorizationOf(store, getAccount(store, accountId))
      if (authorization.status !== 'active') throw invalidRequest(`Authorization ${authorization.id} is inactive.`, 'id')
      const date = futureDate(input, now(), 'date')
      const action = oneOf(input.action, ['none', 'relink_required'] as const, 'relink_required', 'action')
      const previous = authorization.status_details.active?.expected_deactivation_date
      authorization.status_details = { active: { action, expected_deactivation_date: date } }
      if (previous !== date) kit.raise('financial_connections.authorization.expected_deactivation_date_updated', authorization, input)
      const linked = store.list('financial_connections.account', (account) => account.status === 'active').reverse()
      for (const account of linked) {
        if (internalOf(store, account.id).authorization === authorization.id)
          scheduleAccount(store, account, date, 'access_expired', action, input)
      }
      tickAuthorization(kit, store, authorization, now(), input)
      return structuredClone(authorization)
    },
  }
}
