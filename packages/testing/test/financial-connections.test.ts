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
import { createEmulator, DEFAULT_NOW } from '../src/index.js'
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
