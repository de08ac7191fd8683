// Every domain's flows, driven by the official `stripe` package (stripe@23) against an emulator at
// any base URL: in-process (startEmulatorServer), `edgestripe-emulator --persist DIR` and the Worker
// in Miniflare run the same flows (official-flows*.test.ts). Each flow has two halves: `before`
// moves objects through their states and checks statuses, balances, the ledger and lists; `after`
// runs on the same target, possibly after a restart of the process or of Miniflare, checks that
// every state survived and carries the flow on (a transfer posted, a report downloaded, an event
// delivered to an endpoint created before the restart, signed with its secret).
//
// Each flow uses a key of its own (`sk_test_flows_<name>`), so each is an account of its own (a
// Durable Object of its own on the Worker): lists hold only the flow's objects.
import type { Server } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import Stripe from 'stripe'
import { afterAll, beforeAll, expect, it } from 'vitest'

/** Where the flows run: an emulator's base URL (http://127.0.0.1:PORT). */
export interface FlowTarget {
  url: string
}

/** What a flow is handed: the official SDK on its key, the controls and the webhook receiver. */
export interface FlowContext {
  key: string
  url: string
  stripe: Stripe
  /** the official SDK with the publishable key of the same account */
  publishable: Stripe
  /** `/_emulator/*` on the flow's account (JSON in, JSON out; throws on a non-2xx) */
  control<T = any>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T>
  /** downloads a file URL with the secret key */
  download(fileUrl: string): Promise<{ status: number; type: string | null; body: string }>
  hooks: WebhookReceiver
}

export interface Flow<State = any> {
  name: string
  /** the types of the events the first half raises, oldest first */
  events: readonly string[]
  before(ctx: FlowContext): Promise<State>
  after(ctx: FlowContext, state: State): Promise<void>
}

const defineFlow = <State>(flow: Flow<State>): Flow<State> => flow

/** The SDK, the controls and a download helper on one key against one target. */
export function flowContext(target: FlowTarget, name: string, hooks: WebhookReceiver): FlowContext {
  const key = `sk_test_flows_${name}`
  const url = new URL(target.url)
  const options = { host: url.hostname, port: Number(url.port), protocol: 'http' as const, maxNetworkRetries: 0 }
  return {
    key,
    url: target.url,
    stripe: new Stripe(key, options),
    publishable: new Stripe(key.replace('sk_', 'pk_'), options),
    async control(method, path, body) {
      const res = await fetch(`${target.url}/_emulator${path}`, {
        method,
        headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await res.text()
      if (!res.ok) throw new Error(`${method} /_emulator${path}: ${res.status} ${text}`)
      return text ? JSON.parse(text) : undefined
    },
    async download(fileUrl) {
      const res = await fetch(fileUrl, { headers: { Authorization: `Bearer ${key}` } })
      return { status: res.status, type: res.headers.get('content-type'), body: await res.text() }
    },
    hooks,
  }
}

// --- The webhook receiver (a loopback server the emulator posts to) ---

export interface ReceivedHook {
  path: string
  signature: string
  body: string
}

export interface WebhookReceiver {
  /** the URL of a path on the receiver */
  url(path: string): string
  /** what reached `path`, oldest first */
  received(path: string): ReceivedHook[]
  /** waits (up to `ms`) until `path` received `count` deliveries */
  waitFor(path: string, count: number, ms?: number): Promise<ReceivedHook[]>
  /** the receiver answers `path` with these statuses in turn, then 200 */
  answer(path: string, statuses: number[]): void
  close(): Promise<void>
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = []
  const answers = new Map<string, number[]>()
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      const path = req.url ?? '/'
      received.push({ path, signature: String(req.headers['stripe-signature'] ?? ''), body })
      res.statusCode = answers.get(path)?.shift() ?? 200
      res.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const of = (path: string) => received.filter((hook) => hook.path === path)
  return {
    url: (path) => `${base}${path}`,
    received: of,
    async waitFor(path, count, ms = 10_000) {
      const end = Date.now() + ms
      while (of(path).length < count && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 25))
      return of(path)
    },
    answer: (path, statuses) => answers.set(path, [...statuses]),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

// --- Helpers the flows share ---

type Balance = { cash: number; inbound_pending: number; outbound_pending: number }

/** The ledger invariant: each balance of the account = Σ its transaction entries' impact. */
async function expectLedger(stripe: Stripe, fa: string): Promise<Balance> {
  const account = await stripe.treasury.financialAccounts.retrieve(fa)
  const entries = await stripe.treasury.transactionEntries.list({ financial_account: fa, limit: 10 }).autoPagingToArray({ limit: 1000 })
  const sum: Balance = { cash: 0, inbound_pending: 0, outbound_pending: 0 }
  for (const entry of entries) {
    sum.cash += entry.balance_impact.cash
    sum.inbound_pending += entry.balance_impact.inbound_pending
    sum.outbound_pending += entry.balance_impact.outbound_pending
  }
  const balance: Balance = {
    cash: account.balance.cash.usd ?? 0,
    inbound_pending: account.balance.inbound_pending.usd ?? 0,
    outbound_pending: account.balance.outbound_pending.usd ?? 0,
  }
  expect(sum).toEqual(balance)
  // and each transaction's entries sum to its own balance impact
  const transactions = await stripe.treasury.transactions.list({ financial_account: fa, limit: 100 }).autoPagingToArray({ limit: 1000 })
  for (const tx of transactions) {
    const own = entries.filter((entry) => (typeof entry.transaction === 'string' ? entry.transaction : entry.transaction.id) === tx.id)
    expect(own.reduce((total, entry) => total + entry.balance_impact.cash, 0)).toBe(tx.balance_impact.cash)
  }
  return balance
}

const bank = { type: 'us_bank_account' as const, us_bank_account: { routing_number: '110000000', account_number: '000123456789' } }

// --- The flows ---

const sources = defineFlow({
  name: 'sources',
  events: [
    'source.transaction.created',
    'source.chargeable',
    'source.transaction.created',
    'source.chargeable',
    'source.chargeable',
    'source.failed',
    'customer.source.created',
  ],
  async before({ stripe, publishable, control }) {
    // a receiver source: pending, funds pushed to it make it chargeable and list as source transactions
    const receiver = await stripe.sources.create({ type: 'ach_credit_transfer', currency: 'usd', owner: { email: 'jenny@example.com' } })
    expect(receiver).toMatchObject({ object: 'source', status: 'pending', flow: 'receiver', type: 'ach_credit_transfer' })
    expect(receiver.client_secret).toMatch(new RegExp(`^${receiver.id}_src_client_secret_|^${receiver.id}_secret_|^src_client_secret_`))
    // a publishable key sees it only with its client_secret
    const seen = await publishable.sources.retrieve(receiver.id, { client_secret: receiver.client_secret })
    expect(seen.id).toBe(receiver.id)
    await expect(publishable.sources.retrieve(receiver.id)).rejects.toMatchObject({ statusCode: 404 })
    const updated = await stripe.sources.update(receiver.id, { metadata: { order: '42' }, owner: { name: 'Jenny Rosen' } })
    expect(updated.metadata).toEqual({ order: '42' })
    expect(updated.owner?.name).toBe('Jenny Rosen')
    await control('POST', `/sources/${receiver.id}/funds`, { amount: 1_500 })
    await control('POST', `/sources/${receiver.id}/funds`, { amount: 700 })
    const funded = await stripe.sources.retrieve(receiver.id)
    expect(funded.status).toBe('chargeable')
    expect(funded.receiver?.amount_received).toBe(2_200)
    const transactions = await stripe.sources.listSourceTransactions(receiver.id)
    expect(transactions.data.map((tx) => tx.amount).sort()).toEqual([1_500, 700].sort())

    // a code-verification source: verify makes it chargeable
    const code = await stripe.sources.create({ type: 'sepa_credit_transfer', currency: 'eur' })
    expect(code.flow).toBe('code_verification')
    expect(code.code_verification?.status).toBe('pending')
    const verified = await stripe.sources.verify(code.id, { values: ['32', '45'] })
    expect(verified.status).toBe('chargeable')
    expect(verified.code_verification?.status).toBe('succeeded')
    await expect(stripe.sources.verify(code.id, { values: ['32', '45'] })).rejects.toMatchObject({ statusCode: 400 })

    // a redirect source: chargeable by the emulator's authorization transition; another fails
    const redirect = await stripe.sources.create({
      type: 'ideal',
      amount: 1_000,
      currency: 'eur',
      redirect: { return_url: 'https://example.com/r' },
    })
    expect(redirect.redirect?.status).toBe('pending')
    await control('POST', `/sources/${redirect.id}/chargeable`)
    const failing = await stripe.sources.create({
      type: 'ideal',
      amount: 500,
      currency: 'eur',
      redirect: { return_url: 'https://example.com/r' },
    })
    await control('POST', `/sources/${failing.id}/fail`)
    expect((await stripe.sources.retrieve(failing.id)).status).toBe('failed')

    // attached to a customer, listed on it
    const customer = (await control('POST', '/seed', { kind: 'customer', object: { id: 'cus_flows' } })) as { id: string }
    await stripe.customers.createSource(customer.id, { source: receiver.id })
    const listed = await stripe.customers.listSources(customer.id, { object: 'source' } as Stripe.CustomerListSourcesParams)
    expect(listed.data.map((source) => source.id)).toEqual([receiver.id])
    const events = (await control('GET', '/events?type=source.chargeable')).data as { data: { object: { id: string } } }[]
    expect(events.map((event) => event.data.object.id).sort()).toEqual([receiver.id, code.id, redirect.id].sort())
    return {
      receiver: receiver.id,
      secret: receiver.client_secret,
      code: code.id,
      redirect: redirect.id,
      failing: failing.id,
      customer: customer.id,
    }
  },
  async after({ stripe, publishable, control }, s) {
    const receiver = await publishable.sources.retrieve(s.receiver, { client_secret: s.secret })
    expect(receiver).toMatchObject({ status: 'chargeable', customer: s.customer, metadata: { order: '42' } })
    expect(receiver.receiver?.amount_received).toBe(2_200)
    expect((await stripe.sources.listSourceTransactions(s.receiver)).data).toHaveLength(2)
    expect((await stripe.sources.retrieve(s.code)).status).toBe('chargeable')
    expect((await stripe.sources.retrieve(s.redirect)).redirect?.status).toBe('succeeded')
    expect((await stripe.sources.retrieve(s.failing)).status).toBe('failed')
    // updated while attached (customer.source.updated), then detached: consumed, gone from the customer's list
    await stripe.customers.updateSource(s.customer, s.receiver, { metadata: { step: 'after' } })
    const detached = (await stripe.customers.deleteSource(s.customer, s.receiver)) as Stripe.Source
    expect(detached.status).toBe('consumed')
    expect((await stripe.customers.listSources(s.customer, { object: 'source' } as Stripe.CustomerListSourcesParams)).data).toEqual([])
    // the update and the detach raised their customer.source.* events
    const updated = (await control('GET', '/events?type=customer.source.updated')).data as { data: Record<string, unknown> }[]
    expect(updated.map((event) => event.data.previous_attributes)).toEqual([{ metadata: { step: null } }])
    const deleted = (await control('GET', '/events?type=customer.source.deleted')).data as { data: { object: { id: string } } }[]
    expect(deleted.map((event) => event.data.object)).toEqual([detached])
  },
})

const treasury = defineFlow({
  name: 'treasury',
  events: [
    'treasury.financial_account.created',
    'treasury.financial_account.features_status_updated',
    'treasury.received_credit.created',
    'treasury.received_debit.created',
    'treasury.inbound_transfer.created',
    'treasury.inbound_transfer.succeeded',
    'treasury.received_debit.created',
    'treasury.inbound_transfer.created',
    'treasury.inbound_transfer.failed',
    'treasury.outbound_payment.created',
    'treasury.outbound_payment.posted',
    'treasury.outbound_payment.created',
    'treasury.outbound_payment.failed',
    'treasury.outbound_payment.created',
    'treasury.outbound_payment.posted',
    'treasury.outbound_payment.returned',
    'treasury.outbound_payment.created',
    'treasury.outbound_payment.canceled',
    'treasury.financial_account.created',
    'treasury.outbound_transfer.created',
    'treasury.outbound_transfer.posted',
    'treasury.received_credit.created',
    'treasury.outbound_transfer.created',
    'treasury.received_credit.created',
    'treasury.credit_reversal.created',
    'treasury.credit_reversal.posted',
    'treasury.debit_reversal.created',
    'treasury.debit_reversal.initial_credit_granted',
    'treasury.inbound_transfer.created',
    'treasury.inbound_transfer.canceled',
    'treasury.outbound_payment.created',
    'treasury.outbound_payment.tracking_details_updated',
    'treasury.outbound_payment.posted',
    'treasury.received_credit.created',
  ],
  async before({ stripe }) {
    const fa = await stripe.treasury.financialAccounts.create({
      supported_currencies: ['usd'],
      features: {
        inbound_transfers: { ach: { requested: true } },
        outbound_payments: { ach: { requested: true } },
        outbound_transfers: { ach: { requested: true } },
        intra_stripe_flows: { requested: true },
      },
    })
    expect(fa.status).toBe('open')
    const features = await stripe.treasury.financialAccounts.retrieveFeatures(fa.id)
    expect(features.outbound_payments?.ach?.requested).toBe(true)
    const more = await stripe.treasury.financialAccounts.updateFeatures(fa.id, { financial_addresses: { aba: { requested: true } } })
    expect(more.financial_addresses?.aba?.requested).toBe(true)
    expect((await stripe.treasury.financialAccounts.retrieve(fa.id)).active_features).toContain('financial_addresses.aba')

    // money in: a received credit and a received debit
    const credit = await stripe.testHelpers.treasury.receivedCredits.create({
      financial_account: fa.id,
      amount: 50_000,
      currency: 'usd',
      network: 'ach',
    })
    expect(credit.status).toBe('succeeded')
    const debit = await stripe.testHelpers.treasury.receivedDebits.create({
      financial_account: fa.id,
      amount: 2_000,
      currency: 'usd',
      network: 'ach',
    })
    expect(debit.status).toBe('succeeded')

    // inbound transfers: one succeeds (and is then returned), one fails
    const pm = 'pm_usBankAccount'
    const inbound = await stripe.treasury.inboundTransfers.create({
      financial_account: fa.id,
      amount: 3_000,
      currency: 'usd',
      origin_payment_method: pm,
    })
    expect(inbound.status).toBe('processing')
    const succeeded = await stripe.testHelpers.treasury.inboundTransfers.succeed(inbound.id)
    expect(succeeded.status).toBe('succeeded')
    const returned = await stripe.testHelpers.treasury.inboundTransfers.returnInboundTransfer(inbound.id)
    expect(returned.returned).toBe(true)
    const inboundFail = await stripe.treasury.inboundTransfers.create({
      financial_account: fa.id,
      amount: 1_000,
      currency: 'usd',
      origin_payment_method: pm,
    })
    const failedIn = await stripe.testHelpers.treasury.inboundTransfers.fail(inboundFail.id, {
      failure_details: { code: 'insufficient_funds' },
    })
    expect(failedIn).toMatchObject({ status: 'failed', failure_details: { code: 'insufficient_funds' } })

    // outbound payments: posted, failed, posted then returned
    const pay = (amount: number) =>
      stripe.treasury.outboundPayments.create({ financial_account: fa.id, amount, currency: 'usd', destination_payment_method_data: bank })
    const posted = await stripe.testHelpers.treasury.outboundPayments.post((await pay(4_000)).id)
    expect(posted.status).toBe('posted')
    const failed = await stripe.testHelpers.treasury.outboundPayments.fail((await pay(1_100)).id)
    expect(failed.status).toBe('failed')
    const toReturn = await pay(900)
    await stripe.testHelpers.treasury.outboundPayments.post(toReturn.id)
    const returnedOut = await stripe.testHelpers.treasury.outboundPayments.returnOutboundPayment(toReturn.id, {
      returned_details: { code: 'account_closed' },
    })
    expect(returnedOut.status).toBe('returned')
    const canceled = await stripe.treasury.outboundPayments.cancel((await pay(300)).id)
    expect(canceled.status).toBe('canceled')

    // outbound transfers: one posted now, one left processing for after the restart
    const fa2 = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'], features: {} })
    const transfer = (amount: number) =>
      stripe.treasury.outboundTransfers.create({
        financial_account: fa.id,
        amount,
        currency: 'usd',
        destination_payment_method_data: { type: 'financial_account', financial_account: fa2.id },
      })
    const ot = await transfer(2_500)
    expect(ot.status).toBe('processing')
    expect((await stripe.testHelpers.treasury.outboundTransfers.post(ot.id)).status).toBe('posted')
    const pending = await transfer(1_000)

    // reversals: a received credit sent back, a received debit disputed
    const small = await stripe.testHelpers.treasury.receivedCredits.create({
      financial_account: fa.id,
      amount: 600,
      currency: 'usd',
      network: 'ach',
    })
    const creditReversal = await stripe.treasury.creditReversals.create({ received_credit: small.id })
    expect(creditReversal).toMatchObject({ status: 'posted', amount: 600, received_credit: small.id })
    await expect(stripe.treasury.creditReversals.create({ received_credit: small.id })).rejects.toMatchObject({ statusCode: 400 })
    expect((await stripe.treasury.receivedCredits.retrieve(small.id)).linked_flows.credit_reversal).toBe(creditReversal.id)
    const debitReversal = await stripe.treasury.debitReversals.create({ received_debit: debit.id })
    expect(debitReversal).toMatchObject({ amount: 2_000, received_debit: debit.id })
    expect((await stripe.treasury.debitReversals.list({ financial_account: fa.id })).data.map((r) => r.id)).toEqual([debitReversal.id])

    // a canceled inbound transfer, and an outbound payment's tracking details
    const inboundCancel = await stripe.treasury.inboundTransfers.create({
      financial_account: fa.id,
      amount: 700,
      currency: 'usd',
      origin_payment_method: pm,
    })
    expect((await stripe.treasury.inboundTransfers.cancel(inboundCancel.id)).status).toBe('canceled')
    const tracked = await pay(100)
    const withTracking = await stripe.testHelpers.treasury.outboundPayments.update(tracked.id, {
      tracking_details: { type: 'ach', ach: { trace_id: 'trace_123' } },
    })
    expect(withTracking.tracking_details?.ach?.trace_id).toBe('trace_123')
    await stripe.testHelpers.treasury.outboundPayments.post(tracked.id)

    // an idempotent create answered once, replayed after the restart
    const once = await stripe.testHelpers.treasury.receivedCredits.create(
      { financial_account: fa.id, amount: 5, currency: 'usd', network: 'ach' },
      { idempotencyKey: 'flows-treasury-credit' },
    )

    // FA-to-FA: the posted transfer arrived in fa2 as a received credit over the `stripe` network
    const arrived = await stripe.treasury.receivedCredits.list({ financial_account: fa2.id })
    expect(arrived.data.map((rc) => [rc.amount, rc.network])).toEqual([[2_500, 'stripe']])

    // 50,000 − 2,000 + 3,000 − 3,000 (returned) − 4,000 − 900 + 900 (returned) − 2,500 − 1,000 (pending)
    // + 600 − 600 (reversed) + 2,000 (debit reversed) − 100 (tracked) + 5
    const balance = await expectLedger(stripe, fa.id)
    expect(balance).toEqual({ cash: 42_405, inbound_pending: 0, outbound_pending: 1_000 })
    // a transaction with its flow expanded, an entry with its transaction expanded
    const [latest] = (await stripe.treasury.transactions.list({ financial_account: fa.id, limit: 1, expand: ['data.flow_details'] })).data
    expect(latest?.flow_details?.type).toBe(latest?.flow_type)
    const entry = (await stripe.treasury.transactionEntries.list({ financial_account: fa.id, limit: 1, expand: ['data.transaction'] }))
      .data[0]
    expect(typeof entry?.transaction === 'object' && entry.transaction.object).toBe('treasury.transaction')
    expect(await expectLedger(stripe, fa2.id)).toEqual({ cash: 2_500, inbound_pending: 0, outbound_pending: 0 })
    const flows = (await stripe.treasury.transactions.list({ financial_account: fa.id, limit: 100 })).data.map((tx) => tx.flow_type)
    for (const type of ['received_credit', 'received_debit', 'inbound_transfer', 'outbound_payment', 'outbound_transfer']) {
      expect(flows).toContain(type)
    }
    return { fa: fa.id, fa2: fa2.id, pending: pending.id, transactions: flows.length, once: once.id }
  },
  async after({ stripe }, s) {
    expect(await expectLedger(stripe, s.fa)).toEqual({ cash: 42_405, inbound_pending: 0, outbound_pending: 1_000 })
    const replayed = await stripe.testHelpers.treasury.receivedCredits.create(
      { financial_account: s.fa, amount: 5, currency: 'usd', network: 'ach' },
      { idempotencyKey: 'flows-treasury-credit' },
    )
    expect(replayed.id).toBe(s.once)
    expect((await stripe.treasury.transactions.list({ financial_account: s.fa, limit: 100 })).data).toHaveLength(s.transactions)
    // the transfer left processing goes on after the restart
    expect((await stripe.treasury.outboundTransfers.retrieve(s.pending)).status).toBe('processing')
    expect((await stripe.testHelpers.treasury.outboundTransfers.post(s.pending)).status).toBe('posted')
    // concurrent money in: 12 credits at once, 4 of them one idempotent request sent 4 times
    const credit = (amount: number, idempotencyKey?: string) =>
      stripe.testHelpers.treasury.receivedCredits.create(
        { financial_account: s.fa, amount, currency: 'usd', network: 'ach' },
        idempotencyKey ? { idempotencyKey } : {},
      )
    const burst = await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => credit(10 + i)),
      ...Array.from({ length: 4 }, () => credit(1_000, 'flows-treasury-burst')),
    ])
    expect(new Set(burst.slice(8).map((rc) => rc.id)).size).toBe(1)
    expect(new Set(burst.map((rc) => rc.id)).size).toBe(9)
    // 10 + … + 17 = 108, and 1,000 once
    expect(await expectLedger(stripe, s.fa)).toEqual({ cash: 42_405 + 108 + 1_000, inbound_pending: 0, outbound_pending: 0 })
    // paged two at a time: every credit once, newest first
    const paged = await stripe.treasury.receivedCredits.list({ financial_account: s.fa, limit: 2 }).autoPagingToArray({ limit: 100 })
    expect(paged.map((rc) => rc.id)).toEqual(
      (await stripe.treasury.receivedCredits.list({ financial_account: s.fa, limit: 100 })).data.map((rc) => rc.id),
    )
    expect(paged).toHaveLength(3 + 9)
    for (let i = 1; i < paged.length; i++)
      expect((paged[i - 1] as Stripe.Treasury.ReceivedCredit).created).toBeGreaterThanOrEqual(
        (paged[i] as Stripe.Treasury.ReceivedCredit).created,
      )
    expect(await expectLedger(stripe, s.fa2)).toEqual({ cash: 3_500, inbound_pending: 0, outbound_pending: 0 })
    const accounts = await stripe.treasury.financialAccounts.list()
    expect(accounts.data.map((fa) => fa.id).sort()).toEqual([s.fa, s.fa2].sort())
    // an empty account closes; one holding money does not
    const empty = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'], nickname: 'spare' })
    expect((await stripe.treasury.financialAccounts.update(empty.id, { metadata: { purpose: 'spare' } })).metadata).toEqual({
      purpose: 'spare',
    })
    expect((await stripe.treasury.financialAccounts.close(empty.id)).status).toBe('closed')
    await expect(stripe.treasury.financialAccounts.close(s.fa)).rejects.toMatchObject({ statusCode: 400 })
  },
})

const financialConnections = defineFlow({
  name: 'financial_connections',
  events: [
    'financial_connections.account.created',
    'financial_connections.account.created',
    'financial_connections.account.refreshed_balance',
    'financial_connections.account.refreshed_ownership',
    'financial_connections.account.refreshed_transactions',
    'financial_connections.account.disconnected',
  ],
  async before({ stripe, control }) {
    const holder = { type: 'customer' as const, customer: 'cus_fc_flows' }
    const session = await stripe.financialConnections.sessions.create({
      account_holder: holder,
      permissions: ['balances', 'ownership', 'transactions'],
    })
    expect(session.accounts.data).toEqual([])
    await control('POST', `/financial-connections/sessions/${session.id}/complete`, { accounts: 2 })
    const done = await stripe.financialConnections.sessions.retrieve(session.id)
    expect(done.accounts.data).toHaveLength(2)
    const listed = await stripe.financialConnections.accounts.list({ session: session.id })
    expect(listed.data.map((a) => a.id).sort()).toEqual(done.accounts.data.map((a) => a.id).sort())
    const [first, second] = listed.data as [Stripe.FinancialConnections.Account, Stripe.FinancialConnections.Account]
    expect(first).toMatchObject({ status: 'active', permissions: ['balances', 'ownership', 'transactions'] })

    // a refresh is pending until the bank answers (the emulator's transition)
    const refreshing = await stripe.financialConnections.accounts.refresh(first.id, { features: ['balance'] })
    expect(refreshing.balance_refresh?.status).toBe('pending')
    await control('POST', `/financial-connections/accounts/${first.id}/refresh`, { feature: 'balance' })
    const refreshed = await stripe.financialConnections.accounts.retrieve(first.id)
    expect(refreshed.balance_refresh?.status).toBe('succeeded')
    expect(refreshed.balance?.current).toBeDefined()

    await stripe.financialConnections.accounts.refresh(first.id, { features: ['ownership'] })
    await control('POST', `/financial-connections/accounts/${first.id}/refresh`, { feature: 'ownership' })
    const ownership = (await stripe.financialConnections.accounts.retrieve(first.id)).ownership as string
    const owners = await stripe.financialConnections.accounts.listOwners(first.id, { ownership })
    expect(owners.data).toHaveLength(1)

    const subscribed = await stripe.financialConnections.accounts.subscribe(first.id, { features: ['transactions'] })
    expect(subscribed.subscriptions).toEqual(['transactions'])
    await stripe.financialConnections.accounts.refresh(first.id, { features: ['transactions'] })
    await control('POST', `/financial-connections/accounts/${first.id}/refresh`, { feature: 'transactions' })
    const transactions = await stripe.financialConnections.transactions.list({ account: first.id })
    expect(transactions.data).toHaveLength(2)
    expect(transactions.data.every((tx) => tx.account === first.id && tx.status === 'posted')).toBe(true)
    const unsubscribed = await stripe.financialConnections.accounts.unsubscribe(first.id, { features: ['transactions'] })
    expect(unsubscribed.subscriptions).toEqual([])

    const disconnected = await stripe.financialConnections.accounts.disconnect(second.id)
    expect(disconnected.status).toBe('disconnected')
    await expect(stripe.financialConnections.accounts.refresh(second.id, { features: ['balance'] })).rejects.toMatchObject({
      statusCode: 400,
    })
    return { session: session.id, first: first.id, second: second.id, ownership, transactions: transactions.data.map((tx) => tx.id) }
  },
  async after({ stripe }, s) {
    const first = await stripe.financialConnections.accounts.retrieve(s.first)
    expect(first).toMatchObject({ status: 'active', subscriptions: [], ownership: s.ownership })
    expect(first.balance_refresh?.status).toBe('succeeded')
    expect((await stripe.financialConnections.accounts.retrieve(s.second)).status).toBe('disconnected')
    expect((await stripe.financialConnections.transactions.list({ account: s.first })).data.map((tx) => tx.id)).toEqual(s.transactions)
    expect((await stripe.financialConnections.accounts.listOwners(s.first, { ownership: s.ownership })).data).toHaveLength(1)
    expect((await stripe.financialConnections.sessions.retrieve(s.session)).accounts.data).toHaveLength(2)
    const disconnected = await stripe.financialConnections.accounts.disconnect(s.first)
    expect(disconnected.status).toBe('disconnected')
  },
})

const identity = defineFlow({
  name: 'identity',
  events: [
    'identity.verification_session.created',
    'identity.verification_session.processing',
    'identity.verification_session.verified',
    'identity.verification_session.created',
    'identity.verification_session.processing',
    'identity.verification_session.requires_input',
    'identity.verification_session.created',
    'identity.verification_session.canceled',
  ],
  async before({ stripe, control }) {
    const session = await stripe.identity.verificationSessions.create({ type: 'document', metadata: { user: 'u_1' } })
    expect(session).toMatchObject({ status: 'requires_input', type: 'document' })
    expect(session.client_secret).toBeTruthy()
    const updated = await stripe.identity.verificationSessions.update(session.id, {
      options: { document: { require_matching_selfie: true } },
    })
    expect(updated.options?.document).toMatchObject({ require_matching_selfie: true })
    const verified = await control('POST', `/identity/verification-sessions/${session.id}/verify`)
    expect(verified.status).toBe('verified')
    const report = await stripe.identity.verificationReports.retrieve(verified.last_verification_report)
    expect(report.document?.status).toBe('verified')
    expect((await stripe.identity.verificationSessions.retrieve(session.id)).client_secret).toBeNull()

    const failing = await stripe.identity.verificationSessions.create({ type: 'id_number' })
    const failed = await control('POST', `/identity/verification-sessions/${failing.id}/fail`, { code: 'id_number_mismatch' })
    expect(failed).toMatchObject({ status: 'requires_input', last_error: { code: 'id_number_mismatch' } })
    const failedReport = await stripe.identity.verificationReports.retrieve(failed.last_verification_report)
    expect(failedReport.id_number?.status).toBe('unverified')

    const canceled = await stripe.identity.verificationSessions.cancel(
      (await stripe.identity.verificationSessions.create({ type: 'document' })).id,
    )
    expect(canceled.status).toBe('canceled')
    await expect(stripe.identity.verificationSessions.cancel(session.id)).rejects.toMatchObject({ statusCode: 400 })

    const reports = await stripe.identity.verificationReports.list({ limit: 100 })
    expect(reports.data.map((r) => r.id).sort()).toEqual([report.id, failedReport.id].sort())
    const sessions = await stripe.identity.verificationSessions.list({ status: 'verified' })
    expect(sessions.data.map((s) => s.id)).toEqual([session.id])
    return { verified: session.id, failing: failing.id, canceled: canceled.id, report: report.id }
  },
  async after({ stripe, control }, s) {
    expect((await stripe.identity.verificationSessions.retrieve(s.verified)).status).toBe('verified')
    expect((await stripe.identity.verificationSessions.retrieve(s.canceled)).status).toBe('canceled')
    // the failed one is tried again and passes
    const retried = await control('POST', `/identity/verification-sessions/${s.failing}/verify`)
    expect(retried).toMatchObject({ status: 'verified', last_error: null })
    const redacted = await stripe.identity.verificationSessions.redact(s.verified)
    expect(redacted.redaction?.status).toBe('redacted')
    expect((await stripe.identity.verificationSessions.retrieve(s.verified)).metadata).toEqual({})
    expect((await stripe.identity.verificationReports.list({ verification_session: s.failing })).data).toHaveLength(2)
  },
})

const reporting = defineFlow({
  name: 'reporting',
  events: [
    'treasury.financial_account.created',
    'treasury.received_credit.created',
    // the hour the clock moves on makes new data available: every report type says so
    'reporting.report_type.updated',
    'reporting.report_type.updated',
    'reporting.report_type.updated',
    'reporting.report_type.updated',
    'reporting.report_type.updated',
    'reporting.report_run.succeeded',
    'reporting.report_run.failed',
  ],
  async before({ stripe, control, download }) {
    // activity to report on, and time for the data to be available
    const fa = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'] })
    await stripe.testHelpers.treasury.receivedCredits.create({ financial_account: fa.id, amount: 1_234, currency: 'usd', network: 'ach' })
    // to a minute past the next hour: exactly one hour of new data, and the 10 s below cross no other
    const { now } = (await control('GET', '/now')) as { now: number }
    await control('POST', '/advance', { seconds: 3_660 - (now % 3_600) })
    const types = await stripe.reporting.reportTypes.list()
    expect(types.data.map((t) => t.id)).toContain('balance_change_from_activity.itemized.3')
    const type = await stripe.reporting.reportTypes.retrieve('balance_change_from_activity.itemized.3')
    const parameters = { interval_start: type.data_available_start, interval_end: type.data_available_end }
    const run = await stripe.reporting.reportRuns.create({ report_type: type.id, parameters })
    expect(run.status).toBe('pending')
    await control('POST', '/advance', { seconds: 10 })
    const done = await stripe.reporting.reportRuns.retrieve(run.id)
    expect(done.status).toBe('succeeded')
    const file = await download(done.result?.url as string)
    expect(file).toMatchObject({ status: 200 })
    expect(file.type).toContain('text/csv')
    expect(file.body.split('\n')[0]).toContain('balance_transaction_id')
    expect(file.body).toContain('received_credit')

    const failing = await stripe.reporting.reportRuns.create({ report_type: 'balance.summary.1', parameters })
    await control('POST', `/report-runs/${failing.id}/fail`, { error: 'The report could not be generated.' })
    // stripe-node throws on any answer whose body has a top-level `error`, even a 200 (a failed
    // run's `error` is a string, as on Stripe): the emulator's 200 comes back as the SDK's error
    await expect(stripe.reporting.reportRuns.retrieve(failing.id)).rejects.toMatchObject({
      statusCode: 200,
      requestId: expect.stringMatching(/^req_/),
    })
    const runs = await stripe.reporting.reportRuns.list()
    expect(runs.data.map((r) => [r.id, r.status, r.error])).toEqual([
      [failing.id, 'failed', 'The report could not be generated.'],
      [run.id, 'succeeded', null],
    ])
    expect(runs.data[0]?.result).toBeNull()
    return { run: run.id, failed: failing.id, csv: file.body, file: done.result?.id as string }
  },
  async after({ stripe, download }, s) {
    const done = await stripe.reporting.reportRuns.retrieve(s.run)
    expect(done.status).toBe('succeeded')
    expect(done.result?.id).toBe(s.file)
    expect((await download(done.result?.url as string)).body).toBe(s.csv)
    const file = await stripe.files.retrieve(s.file)
    expect(file).toMatchObject({ id: s.file, purpose: 'finance_report_run' })
    const failed = (await stripe.reporting.reportRuns.list()).data.find((run) => run.id === s.failed)
    expect(failed).toMatchObject({ status: 'failed', error: 'The report could not be generated.' })
  },
})

const sigma = defineFlow({
  name: 'sigma',
  events: ['sigma.scheduled_query_run.created', 'sigma.scheduled_query_run.created'],
  async before({ stripe, control, download }) {
    const csv = 'customer,total\ncus_1,1200\ncus_2,340\n'
    const seeded = await control('POST', '/seed', { kind: 'scheduled_query_run', object: { title: 'Totals', csv } })
    await control('POST', '/advance', { seconds: 1 })
    const failed = await control('POST', '/seed', { kind: 'scheduled_query_run', object: { status: 'failed', title: 'Broken' } })
    const runs = await stripe.sigma.scheduledQueryRuns.list()
    expect(runs.data.map((run) => [run.id, run.status])).toEqual([
      [failed.id, 'failed'],
      [seeded.id, 'completed'],
    ])
    const run = await stripe.sigma.scheduledQueryRuns.retrieve(seeded.id)
    expect(run.title).toBe('Totals')
    const file = await download(run.file?.url as string)
    expect(file).toMatchObject({ status: 200, body: csv })
    // (retrieved, a failed run is the SDK's error: stripe-node throws on a body with `error`, see reporting)
    await expect(stripe.sigma.scheduledQueryRuns.retrieve(failed.id)).rejects.toMatchObject({
      statusCode: 200,
      message: 'The query failed.',
    })
    expect(runs.data[0]).toMatchObject({ status: 'failed', file: null, error: { message: 'The query failed.' } })
    return { run: seeded.id, failed: failed.id, csv, file: run.file?.id as string }
  },
  async after({ stripe, download }, s) {
    const run = await stripe.sigma.scheduledQueryRuns.retrieve(s.run)
    expect(run.file?.id).toBe(s.file)
    expect((await download(run.file?.url as string)).body).toBe(s.csv)
    expect((await stripe.files.retrieve(s.file)).purpose).toBe('sigma_scheduled_query')
    expect((await stripe.sigma.scheduledQueryRuns.list()).data).toHaveLength(2)
  },
})

const webhookEndpoints = defineFlow({
  name: 'webhook_endpoints',
  events: ['treasury.financial_account.created', 'treasury.received_credit.created'],
  async before({ stripe, hooks, key }) {
    const path = `/${key}/a`
    const endpoint = await stripe.webhookEndpoints.create({
      url: hooks.url(path),
      enabled_events: ['treasury.financial_account.created', 'treasury.received_credit.created'],
      description: 'flows',
    })
    expect(endpoint.secret).toMatch(/^whsec_/)
    const read = await stripe.webhookEndpoints.retrieve(endpoint.id)
    expect(read.secret).toBeUndefined()
    expect(read.enabled_events).toEqual(endpoint.enabled_events)
    const updated = await stripe.webhookEndpoints.update(endpoint.id, { enabled_events: ['treasury.received_credit.created'] })
    expect(updated.enabled_events).toEqual(['treasury.received_credit.created'])
    const other = await stripe.webhookEndpoints.create({ url: hooks.url(`/${key}/b`), enabled_events: ['*'] })
    expect((await stripe.webhookEndpoints.list()).data.map((e) => e.id).sort()).toEqual([endpoint.id, other.id].sort())
    const disabled = await stripe.webhookEndpoints.create({ url: hooks.url(`/${key}/off`), enabled_events: ['*'] })
    expect((await stripe.webhookEndpoints.update(disabled.id, { disabled: true })).status).toBe('disabled')
    const deleted = await stripe.webhookEndpoints.del(other.id)
    expect(deleted.deleted).toBe(true)
    expect((await stripe.webhookEndpoints.list()).data.map((e) => e.id).sort()).toEqual([endpoint.id, disabled.id].sort())

    // a signed delivery: only the enabled event type arrives, verified with the endpoint's secret
    const fa = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'] })
    const credit = await stripe.testHelpers.treasury.receivedCredits.create({
      financial_account: fa.id,
      amount: 100,
      currency: 'usd',
      network: 'ach',
    })
    const [hook] = await hooks.waitFor(path, 1)
    expect(hook).toBeDefined()
    const event = stripe.webhooks.constructEvent(hook?.body as string, hook?.signature as string, endpoint.secret as string)
    expect(event.type).toBe('treasury.received_credit.created')
    expect((event.data.object as { id: string }).id).toBe(credit.id)
    expect(() => stripe.webhooks.constructEvent(hook?.body as string, hook?.signature as string, 'whsec_wrong')).toThrow()
    expect(hooks.received(`/${key}/off`)).toEqual([])
    return { endpoint: endpoint.id, secret: endpoint.secret as string, fa: fa.id, path, disabled: disabled.id }
  },
  async after({ stripe, hooks, key }, s) {
    const endpoint = await stripe.webhookEndpoints.retrieve(s.endpoint)
    expect(endpoint.enabled_events).toEqual(['treasury.received_credit.created'])
    // the endpoint and its secret survived: the next event reaches it, signed with the same secret
    const credit = await stripe.testHelpers.treasury.receivedCredits.create({
      financial_account: s.fa,
      amount: 200,
      currency: 'usd',
      network: 'ach',
    })
    const received = await hooks.waitFor(s.path, 2)
    expect(received).toHaveLength(2)
    const event = stripe.webhooks.constructEvent(received[1]?.body as string, received[1]?.signature as string, s.secret)
    expect((event.data.object as { id: string }).id).toBe(credit.id)
    expect(hooks.received(`/${key}/off`)).toEqual([])
    expect((await stripe.webhookEndpoints.retrieve(s.disabled)).status).toBe('disabled')
    expect((await stripe.webhookEndpoints.del(s.endpoint)).deleted).toBe(true)
    expect((await stripe.webhookEndpoints.list()).data.map((e) => e.id)).toEqual([s.disabled])
  },
})

/** Every domain's flows, in one list. */
export const officialFlows: readonly Flow[] = [sources, treasury, financialConnections, identity, reporting, sigma, webhookEndpoints]

/** How a test file runs the flows: start a target, maybe restart it between the halves, stop it. */
export interface FlowRun {
  start(): Promise<FlowTarget>
  /** stops the target and starts it again on the same data (omit: no restart) */
  restart?(): Promise<FlowTarget>
  stop(): Promise<void>
}

/**
 * Registers the flows as tests: every flow's first half, then the restart (when given), then every
 * flow's second half, in order (vitest runs a file's tests one after another).
 */
export function testOfficialFlows(run: FlowRun): void {
  let target: FlowTarget
  let hooks: WebhookReceiver
  const states = new Map<string, unknown>()
  beforeAll(async () => {
    hooks = await startWebhookReceiver()
    target = await run.start()
  }, 60_000)
  afterAll(async () => {
    await run.stop()
    await hooks?.close()
  })
  const kept = new Map<string, { now: number; events: string[] }>()
  for (const flow of officialFlows) {
    it(`${flow.name}`, async () => {
      const ctx = flowContext(target, flow.name, hooks)
      states.set(flow.name, await flow.before(ctx))
      const events = (await ctx.control('GET', '/events')).data as { id: string; type: string }[]
      // the events the first half raised, in order: the same on every target
      expect(events.map((event) => event.type)).toEqual(flow.events)
      kept.set(flow.name, { now: (await ctx.control('GET', '/now')).now, events: events.map((event) => event.id) })
    })
  }
  const restart = run.restart
  if (restart) {
    it('restarts on the same data', async () => {
      target = await restart()
    }, 60_000)
  }
  for (const flow of officialFlows) {
    it(`${flow.name}, continued${restart ? ' after the restart' : ''}`, async () => {
      if (!states.has(flow.name)) throw new Error(`${flow.name}'s first half did not finish`)
      const ctx = flowContext(target, flow.name, hooks)
      // the account's events and its clock (advanced by some flows) are as the first half left them
      const before = kept.get(flow.name) as { now: number; events: string[] }
      const events = (await ctx.control('GET', '/events')).data as { id: string }[]
      expect(events.map((event) => event.id)).toEqual(before.events)
      const now = (await ctx.control('GET', '/now')).now as number
      expect(now).toBeGreaterThanOrEqual(before.now)
      expect(now - before.now).toBeLessThan(120)
      await flow.after(ctx, states.get(flow.name))
    })
  }
}
