// Financial Connections in the emulator: a session completed with N linked accounts, refreshes of
// balance / ownership / transactions, subscriptions, disconnection and their events; through the
// SDK (@edgestripe/financial-connections, strict response validation) and the official `stripe`
// package.
import { createStripe, narrowEvent } from '@edgestripe/core'
import {
  createSession,
  disconnectAccount,
  financialConnectionsEvents,
  listAccountOwners,
  listAccounts,
  listTransactions,
  refreshAccount,
  retrieveAccount,
  retrieveSession,
  retrieveTransaction,
  subscribeToAccount,
  unsubscribeFromAccount,
} from '@edgestripe/financial-connections'
import fc from 'fast-check'
import Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_NOW, type Emulator } from '../src/index.js'
import { call } from './helpers.js'

function setup() {
  const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
  const stripe = createStripe({ apiKey: 'sk_test_123', fetch: emulator.fetch, maxRetries: 0, validateResponses: 'strict' })
  return { emulator, stripe }
}

const holder = { type: 'customer', customer: 'cus_fc' } as const

describe('financial connections (SDK)', () => {
  it('a session completed with N accounts lists them, by session and by holder; each raised created', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10 }), async (n) => {
        const { emulator, stripe } = setup()
        const session = await createSession(stripe, { account_holder: holder, permissions: ['balances', 'transactions'] })
        expect(session.client_secret).toMatch(new RegExp(`^${session.id}_secret_`))
        expect(session.accounts.data).toEqual([])
        const done = emulator.control.completeFinancialConnectionsSession(session.id, { accounts: n })
        expect(done.accounts.data).toHaveLength(n)
        expect((await retrieveSession(stripe, session.id)).accounts.data.map((a) => a.id)).toEqual(done.accounts.data.map((a) => a.id))
        const bySession = await listAccounts(stripe, { session: session.id, limit: 100 })
        expect(bySession.data.map((a) => a.id).sort()).toEqual(done.accounts.data.map((a) => a.id).sort())
        for (const account of bySession.data) {
          expect(account).toMatchObject({ status: 'active', account_holder: holder, permissions: ['balances', 'transactions'] })
        }
        expect((await listAccounts(stripe, { account_holder: { customer: 'cus_fc' }, limit: 100 })).data).toHaveLength(n)
        expect((await listAccounts(stripe, { account_holder: { customer: 'cus_other' } })).data).toEqual([])
        expect(emulator.control.events().filter((e) => e.type === 'financial_connections.account.created')).toHaveLength(n)
        expect(() => emulator.control.completeFinancialConnectionsSession(session.id)).toThrow(/already complete/)
      }),
      { numRuns: 10 },
    )
  })

  it('refreshes: pending through the API, completed by the control with data and refreshed_* events', async () => {
    const { emulator, stripe } = setup()
    const session = await createSession(stripe, { account_holder: holder, permissions: ['balances', 'ownership', 'transactions'] })
    const [linked] = emulator.control.completeFinancialConnectionsSession(session.id).accounts.data
    const id = linked!.id
    const pending = await refreshAccount(stripe, id, { features: ['balance', 'transactions'] })
    expect(pending.balance_refresh?.status).toBe('pending')
    expect(pending.transaction_refresh?.status).toBe('pending')
    emulator.control.refreshFinancialConnectionsAccount(id, 'balance')
    const withBalance = await retrieveAccount(stripe, id)
    expect(withBalance.balance?.current).toEqual({ usd: 10_000 })
    expect(withBalance.balance_refresh?.status).toBe('succeeded')

    emulator.control.refreshFinancialConnectionsAccount(id, 'transactions')
    const txs = await listTransactions(stripe, { account: id })
    expect(txs.data).toHaveLength(2)
    expect((await retrieveTransaction(stripe, txs.data[0]!.id)).account).toBe(id)

    emulator.control.refreshFinancialConnectionsAccount(id, 'ownership')
    const owned = await retrieveAccount(stripe, id)
    const owners = await listAccountOwners(stripe, id, { ownership: owned.ownership as string })
    expect(owners.data).toHaveLength(1)
    expect(owners.data[0]!.ownership).toBe(owned.ownership)

    const types = emulator.control.events().map((e) => e.type)
    for (const type of ['refreshed_balance', 'refreshed_transactions', 'refreshed_ownership'])
      expect(types).toContain(`financial_connections.account.${type}`)
    for (const event of emulator.control.events()) {
      const typed = narrowEvent(event as never, financialConnectionsEvents)
      expect(typed?.data.object.object).toBe('financial_connections.account')
    }
  })

  it('refresh needs the permission; subscribe/unsubscribe; disconnect (API and control) ends refreshes', async () => {
    const { emulator, stripe } = setup()
    const session = await createSession(stripe, { account_holder: holder, permissions: ['payment_method'] })
    const [a, b] = emulator.control.completeFinancialConnectionsSession(session.id, { accounts: 2 }).accounts.data
    const refused = await call(emulator, 'POST', `/v1/financial_connections/accounts/${a!.id}/refresh`, { features: ['balance'] })
    expect(refused.status).toBe(400)
    expect(refused.body.error.param).toBe('features')
    expect((await subscribeToAccount(stripe, a!.id, { features: ['transactions'] })).subscriptions).toEqual(['transactions'])
    expect((await unsubscribeFromAccount(stripe, a!.id, { features: ['transactions'] })).subscriptions).toEqual([])
    expect((await disconnectAccount(stripe, a!.id)).status).toBe('disconnected')
    expect(emulator.control.disconnectFinancialConnectionsAccount(b!.id).status).toBe('disconnected')
    const again = await call(emulator, 'POST', `/v1/financial_connections/accounts/${a!.id}/refresh`, { features: ['balance'] })
    expect(again.status).toBe(400)
    expect(emulator.control.events().filter((e) => e.type === 'financial_connections.account.disconnected')).toHaveLength(2)
  })

  it('prefetch fills the accounts when the session completes', async () => {
    const { emulator, stripe } = setup()
    const session = await createSession(stripe, { account_holder: holder, permissions: ['balances'], prefetch: ['balances'] })
    const [account] = emulator.control.completeFinancialConnectionsSession(session.id).accounts.data
    expect((await retrieveAccount(stripe, account!.id)).balance_refresh?.status).toBe('succeeded')
  })
})

describe('financial connections through the official stripe package (in-process fetch)', () => {
  it('creates a session, lists linked accounts, refreshes and disconnects', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const stripe = new Stripe('sk_test_123', { httpClient: Stripe.createFetchHttpClient(emulator.fetch), maxNetworkRetries: 0 })
    const session = await stripe.financialConnections.sessions.create({
      account_holder: { type: 'customer', customer: 'cus_fc' },
      permissions: ['balances'],
    })
    emulator.control.completeFinancialConnectionsSession(session.id, { accounts: 2 })
    const accounts = await stripe.financialConnections.accounts.list({ session: session.id })
    expect(accounts.data).toHaveLength(2)
    const refreshed = await stripe.financialConnections.accounts.refresh(accounts.data[0]!.id, { features: ['balance'] })
    expect(refreshed.balance_refresh?.status).toBe('pending')
    expect((await stripe.financialConnections.accounts.disconnect(accounts.data[1]!.id)).status).toBe('disconnected')
  })
})

describe('financial connections: the institution’s side (controls) and the clock', () => {
  const DAY = 86_400

  async function linked(count = 1) {
    const { emulator, stripe } = setup()
    const session = await createSession(stripe, { account_holder: holder, permissions: ['payment_method', 'balances'] })
    const ids = emulator.control.completeFinancialConnectionsSession(session.id, { accounts: count }).accounts.data.map((a) => a.id)
    emulator.control.clearEvents()
    return { emulator, stripe, ids, id: ids[0] as string }
  }
  const seen = (emulator: Emulator, id?: string) =>
    emulator.control
      .events()
      .filter((event) => event.type.startsWith('financial_connections.') && (!id || event.data.object.id === id))
      .map((event) => event.type.replace(/^financial_connections\./, ''))

  it('a completed session gives one active authorization for its accounts, which carry a transactable account number', async () => {
    const { emulator, stripe, ids } = await linked(3)
    const authorizations = emulator.control.objects('financial_connections.authorization')
    expect(authorizations).toEqual([
      {
        id: expect.stringMatching(/^fcauthu_/),
        object: 'financial_connections.authorization',
        institution_name: 'StripeBank',
        livemode: false,
        status: 'active',
        status_details: {},
      },
    ])
    for (const id of ids) {
      expect(emulator.control.financialConnectionsAuthorization(id).id).toBe(authorizations[0]!.id)
      const account = await retrieveAccount(stripe, id) // strict response validation
      expect(account.account_numbers).toEqual([
        { expected_expiry_date: null, identifier_type: 'account_number', status: 'transactable', supported_networks: ['ach'] },
      ])
      expect(account.supported_payment_method_types).toEqual(['us_bank_account'])
    }
  })

  it('deactivated and reactivated by the institution / the user; wrong states are refused', async () => {
    const { emulator, stripe, id } = await linked()
    expect(emulator.control.deactivateFinancialConnectionsAccount(id).status).toBe('inactive')
    expect((await retrieveAccount(stripe, id)).status).toBe('inactive')
    expect(() => emulator.control.deactivateFinancialConnectionsAccount(id)).toThrow(/only an active account/)
    await expect(refreshAccount(stripe, id, { features: ['balance'] })).rejects.toThrow(/status is inactive/)
    expect(emulator.control.reactivateFinancialConnectionsAccount(id).status).toBe('active')
    expect(() => emulator.control.reactivateFinancialConnectionsAccount(id)).toThrow(/only an inactive account/)
    expect(seen(emulator)).toEqual(['account.deactivated', 'account.reactivated'])
    await disconnectAccount(stripe, id)
    expect(() => emulator.control.deactivateFinancialConnectionsAccount(id)).toThrow(/disconnected/)
  })

  it('a scheduled deactivation: the date once, upcoming_deactivation once a week before, deactivated on the date (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.integer({ min: 0, max: 6 * DAY }), { minLength: 1, maxLength: 15 }),
        async (days, steps) => {
          const { emulator, stripe, id } = await linked()
          const start = emulator.control.now()
          const date = start + days * DAY
          const scheduled = emulator.control.scheduleFinancialConnectionsAccountDeactivation(id, { days, cause: 'access_expired' })
          expect(scheduled.status_details).toEqual({
            active: { action: 'relink_required', cause: 'access_expired', expected_deactivation_date: date },
          })
          // the same date again changes nothing
          emulator.control.scheduleFinancialConnectionsAccountDeactivation(id, { date })
          for (const step of steps) {
            emulator.control.advance(step)
            const now = emulator.control.now()
            const expected = ['account.expected_deactivation_date_updated']
            if (now >= date - 7 * DAY) expected.push('account.upcoming_deactivation')
            if (now >= date) expected.push('account.deactivated')
            expect(seen(emulator)).toEqual(expected)
            const account = await retrieveAccount(stripe, id)
            expect(account.status).toBe(now >= date ? 'inactive' : 'active')
            if (now >= date) expect(account.status_details).toBeUndefined()
          }
        },
      ),
      { numRuns: 30 },
    )
  })

  it('account numbers: rotated to a tokenized number that expires (upcoming once, then expired), or withdrawn; us_bank_account follows', async () => {
    const { emulator, stripe, id } = await linked()
    const start = emulator.control.now()
    const rotated = emulator.control.updateFinancialConnectionsAccountNumbers(id, { expires_in_days: 10 })
    expect(rotated.account_numbers).toEqual([
      { expected_expiry_date: null, identifier_type: 'account_number', status: 'deactivated', supported_networks: ['ach'] },
      {
        expected_expiry_date: start + 10 * DAY,
        identifier_type: 'tokenized_account_number',
        status: 'transactable',
        supported_networks: ['ach'],
      },
    ])
    expect(seen(emulator)).toEqual(['account.account_numbers_updated'])
    emulator.control.advance(2 * DAY)
    expect(seen(emulator)).toHaveLength(1)
    emulator.control.advance(2 * DAY) // 6 days left
    emulator.control.advance(DAY)
    expect(seen(emulator)).toEqual(['account.account_numbers_updated', 'account.upcoming_account_number_expiry'])
    emulator.control.advance(5 * DAY)
    expect(seen(emulator)).toEqual([
      'account.account_numbers_updated',
      'account.upcoming_account_number_expiry',
      'account.account_numbers_updated',
      'account.supported_payment_method_types_updated',
    ])
    const expired = await retrieveAccount(stripe, id)
    expect(expired.account_numbers?.map((number) => number.status)).toEqual(['deactivated', 'expired'])
    expect(expired.supported_payment_method_types).toEqual([])

    // a new number brings us_bank_account back; withdrawing them takes it away again
    emulator.control.clearEvents()
    emulator.control.updateFinancialConnectionsAccountNumbers(id, { identifier_type: 'account_number' })
    expect((await retrieveAccount(stripe, id)).supported_payment_method_types).toEqual(['us_bank_account'])
    emulator.control.updateFinancialConnectionsAccountNumbers(id, { action: 'deactivate' })
    expect(seen(emulator)).toEqual([
      'account.account_numbers_updated',
      'account.supported_payment_method_types_updated',
      'account.account_numbers_updated',
      'account.supported_payment_method_types_updated',
    ])
    expect(() => emulator.control.updateFinancialConnectionsAccountNumbers(id, { expires_in_days: -1 })).toThrow(/future/)
    expect(() => emulator.control.updateFinancialConnectionsAccountNumbers(id, { action: 'shred' as 'rotate' })).toThrow(/action/)
  })

  it('the authorization’s end: its date, each account scheduled with it, upcoming a week before, then inactive; a relink reactivates both', async () => {
    const { emulator, ids } = await linked(2)
    const authorization = emulator.control.scheduleFinancialConnectionsAuthorizationDeactivation(ids[0]!, { days: 10 })
    const date = emulator.control.now() + 10 * DAY
    expect(authorization).toMatchObject({
      status: 'active',
      status_details: { active: { action: 'relink_required', expected_deactivation_date: date } },
    })
    expect(seen(emulator, authorization.id)).toEqual(['authorization.expected_deactivation_date_updated'])
    for (const id of ids) {
      expect(seen(emulator, id)).toEqual(['account.expected_deactivation_date_updated'])
      const account = emulator.control.objects('financial_connections.account').find((item) => item.id === id)
      expect(account?.status_details).toEqual({
        active: { action: 'relink_required', cause: 'access_expired', expected_deactivation_date: date },
      })
    }
    emulator.control.advance(4 * DAY)
    expect(seen(emulator, authorization.id)).toEqual([
      'authorization.expected_deactivation_date_updated',
      'authorization.upcoming_deactivation',
    ])
    for (const id of ids) expect(seen(emulator, id)).toContain('account.upcoming_deactivation')
    emulator.control.advance(6 * DAY)
    expect(emulator.control.financialConnectionsAuthorization(ids[0]!)).toMatchObject({
      status: 'inactive',
      status_details: { inactive: { action: 'relink_required' } },
    })
    for (const id of ids) expect(seen(emulator, id).at(-1)).toBe('account.deactivated')
    emulator.control.reactivateFinancialConnectionsAccount(ids[0]!)
    expect(emulator.control.financialConnectionsAuthorization(ids[0]!)).toMatchObject({ status: 'active', status_details: {} })
    expect(() => emulator.control.scheduleFinancialConnectionsAuthorizationDeactivation(ids[0]!, {})).toThrow(/date/)
  })

  it('the controls answer over HTTP under /_emulator/financial-connections/accounts/{id}/…', async () => {
    const { emulator, id } = await linked()
    const post = async (path: string, body: unknown = {}) => {
      const response = await emulator.fetch(
        new Request(`http://127.0.0.1:9/_emulator/financial-connections/accounts/${id}/${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        }),
      )
      return { status: response.status, body: (await response.json()) as any }
    }
    expect((await post('schedule-deactivation', { days: 3, cause: 'nope' })).status).toBe(400)
    expect((await post('schedule-deactivation', { days: 3 })).body.status_details.active.cause).toBe('unspecified')
    expect((await post('account-numbers', { expires_in_days: 20 })).body.account_numbers).toHaveLength(2)
    expect((await post('authorization/schedule-deactivation', { days: 2 })).body.object).toBe('financial_connections.authorization')
    const authorization = await emulator.fetch(
      new Request(`http://127.0.0.1:9/_emulator/financial-connections/accounts/${id}/authorization`),
    )
    expect(((await authorization.json()) as any).status_details.active.expected_deactivation_date).toBe(emulator.control.now() + 2 * DAY)
    expect((await post('deactivate')).body.status).toBe('inactive')
    expect((await post('reactivate')).body.status).toBe('active')
  })
})

describe('financial connections lifecycle in a snapshot', () => {
  it('a restored emulator keeps the authorization and the schedules, and the clock carries them out once', async () => {
    const { emulator, stripe } = setup()
    const session = await createSession(stripe, { account_holder: holder, permissions: ['payment_method'] })
    const id = emulator.control.completeFinancialConnectionsSession(session.id).accounts.data[0]!.id
    emulator.control.scheduleFinancialConnectionsAccountDeactivation(id, { days: 5 }) // already within the week: upcoming now
    emulator.control.updateFinancialConnectionsAccountNumbers(id, { expires_in_days: 20 })
    const restored = createEmulator({ accounts: 'shared', state: JSON.parse(JSON.stringify(emulator.control.snapshot())) })
    expect(restored.control.snapshot()).toEqual(emulator.control.snapshot())
    expect(restored.control.financialConnectionsAuthorization(id)).toEqual(emulator.control.financialConnectionsAuthorization(id))
    const count = (type: string) => restored.control.events({ type: `financial_connections.account.${type}` }).length
    expect(count('upcoming_deactivation')).toBe(1)
    restored.control.advance(5 * 86_400)
    expect(count('upcoming_deactivation')).toBe(1) // announced before the snapshot: not again
    expect(count('deactivated')).toBe(1)
    expect(restored.control.objects('financial_connections.account')[0]?.status).toBe('inactive')
  })
})
