import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmulatorServer, startEmulatorServer } from '../../../scripts/emulator-server.js'

let server: EmulatorServer
let stripe: Stripe

beforeAll(async () => {
  server = await startEmulatorServer({ accounts: 'shared', port: 0, reportRunDelay: 10 })
  stripe = new Stripe('sk_test_123', { host: '127.0.0.1', port: server.port, protocol: 'http', maxNetworkRetries: 0 })
})

afterAll(async () => {
  await server.close()
})

describe('official stripe SDK against the emulator server', () => {
  it('creates, retrieves and updates a source', async () => {
    const source = await stripe.sources.create({ type: 'ach_credit_transfer', currency: 'usd', owner: { email: 'a@b.co' } })
    expect(source.id).toMatch(/^src_/)
    expect(source.status).toBe('pending')
    const again = await stripe.sources.retrieve(source.id)
    expect(again.client_secret).toBe(source.client_secret)
    const updated = await stripe.sources.update(source.id, { metadata: { order: '42' } })
    expect(updated.metadata).toEqual({ order: '42' })
    expect(updated.lastResponse.requestId).toMatch(/^req_/)
  })

  it('moves money through treasury and keeps the ledger consistent', async () => {
    const fa = await stripe.treasury.financialAccounts.create({
      supported_currencies: ['usd'],
      features: { outbound_payments: { ach: { requested: true } } },
    })
    const credit = await stripe.testHelpers.treasury.receivedCredits.create({
      financial_account: fa.id,
      amount: 10_000,
      currency: 'usd',
      network: 'ach',
    })
    expect(credit.status).toBe('succeeded')
    const payment = await stripe.treasury.outboundPayments.create({
      financial_account: fa.id,
      amount: 2_500,
      currency: 'usd',
      destination_payment_method_data: {
        type: 'us_bank_account',
        us_bank_account: { routing_number: '110000000', account_number: '000123456789' },
      },
    })
    expect(payment.status).toBe('processing')
    const posted = await stripe.testHelpers.treasury.outboundPayments.post(payment.id)
    expect(posted.status).toBe('posted')
    const transactions = await stripe.treasury.transactions.list({ financial_account: fa.id })
    expect(transactions.data.map((tx) => tx.flow_type).sort()).toEqual(['outbound_payment', 'received_credit'])
    const entries = await stripe.treasury.transactionEntries.list({ financial_account: fa.id, limit: 100 })
    const cash = entries.data.reduce((sum, entry) => sum + entry.balance_impact.cash, 0)
    const outbound = entries.data.reduce((sum, entry) => sum + entry.balance_impact.outbound_pending, 0)
    const account = await stripe.treasury.financialAccounts.retrieve(fa.id)
    expect(account.balance.cash.usd).toBe(7_500)
    expect(cash).toBe(account.balance.cash.usd)
    expect(outbound).toBe(account.balance.outbound_pending.usd)
  })

  it('replays an idempotent create and rejects a mismatched reuse', async () => {
    server.emulator.control.clearRequests()
    const first = await stripe.sources.create({ type: 'card' }, { idempotencyKey: 'sdk-key-1' })
    const second = await stripe.sources.create({ type: 'card' }, { idempotencyKey: 'sdk-key-1' })
    expect(second.id).toBe(first.id)
    const log = server.emulator.control.requests().filter((entry) => entry.idempotencyKey === 'sdk-key-1')
    expect(log.filter((entry) => entry.created)).toHaveLength(1)
    expect(log.filter((entry) => entry.replayed)).toHaveLength(1)
    const mismatch = stripe.sources.create({ type: 'ach_credit_transfer' }, { idempotencyKey: 'sdk-key-1' })
    await expect(mismatch).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError)
  })

  it('paginates over more than one page', async () => {
    const fa = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'] })
    for (let i = 0; i < 7; i++) {
      await stripe.testHelpers.treasury.receivedCredits.create({
        financial_account: fa.id,
        amount: 100 + i,
        currency: 'usd',
        network: 'ach',
      })
    }
    const all = await stripe.treasury.receivedCredits.list({ financial_account: fa.id, limit: 3 }).autoPagingToArray({ limit: 100 })
    expect(all).toHaveLength(7)
    expect(new Set(all.map((credit) => credit.id)).size).toBe(7)
    expect(all.map((credit) => credit.amount)).toEqual([106, 105, 104, 103, 102, 101, 100])
  })

  it('runs a report to success and downloads its CSV', async () => {
    server.emulator.control.advance(3600)
    const type = await stripe.reporting.reportTypes.retrieve('balance_change_from_activity.itemized.3')
    const run = await stripe.reporting.reportRuns.create({
      report_type: type.id,
      parameters: { interval_start: type.data_available_start, interval_end: type.data_available_end },
    })
    expect(run.status).toBe('pending')
    server.emulator.control.advance(10)
    const done = await stripe.reporting.reportRuns.retrieve(run.id)
    expect(done.status).toBe('succeeded')
    const url = done.result?.url as string
    expect(url.startsWith(server.url)).toBe(true)
    const response = await fetch(url, { headers: { Authorization: 'Bearer sk_test_123' } })
    expect(response.headers.get('content-type')).toContain('text/csv')
    const csv = await response.text()
    expect(csv.split('\n')[0]).toContain('balance_transaction_id')
    expect(csv).toContain('received_credit')
  })

  it('surfaces validation errors naming the bad param', async () => {
    const error = await stripe.sources
      .create({ type: 'card', owner: { address: { town: 'x' } } } as unknown as Stripe.SourceCreateParams)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError)
    expect((error as Stripe.errors.StripeError).param).toBe('owner[address][town]')
    expect((error as Stripe.errors.StripeError).statusCode).toBe(400)
  })

  it('serves controls over HTTP', async () => {
    const now = await (await fetch(`${server.url}/_emulator/now`)).json()
    expect(now.now).toBe(server.emulator.control.now())
  })
})
