// Money between financial accounts: FA-to-FA outbound payments and transfers carry
// `financial_account` destination details (the spec's shape), and posting one credits the
// destination (a ReceivedCredit over the `stripe` network, with its transaction and entry). The
// ledger invariant (balance = Σ entries) and a model of every balance are checked over generated
// sequences of money movements across accounts.
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_NOW, type Emulator } from '../src/index.js'
import { type EmulatorServer, startEmulatorServer } from '../src/server.js'

const AUTH = 'Bearer sk_test_123'

/** Stripe's form encoding (brackets for nested keys, indexes for arrays). */
function form(params: Record<string, unknown>, prefix = '', out = new URLSearchParams()): URLSearchParams {
  for (const [key, value] of Object.entries(params)) {
    const name = prefix ? `${prefix}[${key}]` : key
    if (value === undefined) continue
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) form({ [i]: item }, name, out)
    } else if (value && typeof value === 'object') form(value as Record<string, unknown>, name, out)
    else out.append(name, String(value))
  }
  return out
}

function api(emulator: Emulator) {
  const call = async (method: 'GET' | 'POST', path: string, params: Record<string, unknown> = {}, account?: string) => {
    const headers: Record<string, string> = { Authorization: AUTH }
    if (account) headers['Stripe-Account'] = account
    const query = method === 'GET' ? `?${form(params)}` : ''
    const res = await emulator.fetch(`http://emulator.local${path}${query}`, {
      method,
      headers: method === 'POST' ? { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' } : headers,
      body: method === 'POST' ? form(params).toString() : undefined,
    })
    return { status: res.status, body: (await res.json()) as any }
  }
  const ok = async (method: 'GET' | 'POST', path: string, params: Record<string, unknown> = {}, account?: string) => {
    const res = await call(method, path, params, account)
    if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`)
    return res.body
  }
  /** Every object of a list, paged with starting_after. */
  const all = async (path: string, params: Record<string, unknown>, account?: string) => {
    const items = []
    let after: string | undefined
    for (;;) {
      const page = await ok('GET', path, { ...params, limit: 100, ...(after ? { starting_after: after } : {}) }, account)
      items.push(...page.data)
      if (!page.has_more) return items
      after = page.data.at(-1).id
    }
  }
  const financialAccount = (account?: string) =>
    ok('POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] }, account) as Promise<{ id: string }>
  const credit = (fa: string, amount: number, account?: string) =>
    ok('POST', '/v1/test_helpers/treasury/received_credits', { financial_account: fa, amount, currency: 'usd', network: 'ach' }, account)
  return { call, ok, all, financialAccount, credit }
}

type Api = ReturnType<typeof api>

const BALANCE_KINDS = ['cash', 'inbound_pending', 'outbound_pending'] as const
type Balance = Record<(typeof BALANCE_KINDS)[number], number>

/** balance.<kind>.usd of a financial account, and Σ balance_impact.<kind> of its entries. */
async function ledger(client: Api, fa: string, account?: string): Promise<{ balance: Balance; entries: Balance }> {
  const object = await client.ok('GET', `/v1/treasury/financial_accounts/${fa}`, {}, account)
  const entries = await client.all('/v1/treasury/transaction_entries', { financial_account: fa }, account)
  const sum = { cash: 0, inbound_pending: 0, outbound_pending: 0 }
  for (const entry of entries) for (const kind of BALANCE_KINDS) sum[kind] += entry.balance_impact[kind]
  const balance = { cash: 0, inbound_pending: 0, outbound_pending: 0 }
  for (const kind of BALANCE_KINDS) balance[kind] = object.balance[kind].usd ?? 0
  return { balance, entries: sum }
}

const EMPTY_ADDRESS = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null }

describe('FA-to-FA outbound payments and transfers', () => {
  it('an outbound payment to a financial account carries financial_account details and credits it when posted', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const client = api(emulator)
    const a = await client.financialAccount()
    const b = await client.financialAccount()
    await client.credit(a.id, 10_000)
    const payment = await client.ok('POST', '/v1/treasury/outbound_payments', {
      financial_account: a.id,
      amount: 2500,
      currency: 'usd',
      destination_payment_method_data: { type: 'financial_account', financial_account: b.id },
      statement_descriptor: 'a long statement descriptor over the stripe network',
    })
    expect(payment.destination_payment_method_details).toEqual({
      billing_details: { address: EMPTY_ADDRESS, email: null, name: null },
      financial_account: { id: b.id, network: 'stripe' },
      type: 'financial_account',
    })
    expect(payment.destination_payment_method_details).not.toHaveProperty('us_bank_account')
    // nothing arrives before it posts
    expect(await client.all('/v1/treasury/received_credits', { financial_account: b.id })).toEqual([])
    expect((await ledger(client, b.id)).balance.cash).toBe(0)

    const posted = await client.ok('POST', `/v1/test_helpers/treasury/outbound_payments/${payment.id}/post`)
    expect(posted.status).toBe('posted')
    const [credit, ...more] = await client.all('/v1/treasury/received_credits', { financial_account: b.id })
    expect(more).toEqual([])
    expect(credit).toMatchObject({
      object: 'treasury.received_credit',
      amount: 2500,
      currency: 'usd',
      financial_account: b.id,
      network: 'stripe',
      status: 'succeeded',
      initiating_payment_method_details: { type: 'financial_account', financial_account: { id: a.id, network: 'stripe' } },
      linked_flows: { source_flow: payment.id, source_flow_type: 'outbound_payment' },
    })
    const transaction = await client.ok('GET', `/v1/treasury/transactions/${credit.transaction}`, { expand: ['entries'] })
    expect(transaction).toMatchObject({ flow: credit.id, flow_type: 'received_credit', status: 'posted', amount: 2500 })
    expect(transaction.entries.data.map((e: { type: string }) => e.type)).toEqual(['received_credit'])
    for (const fa of [a.id, b.id]) {
      const { balance, entries } = await ledger(client, fa)
      expect(balance).toEqual(entries)
    }
    expect((await ledger(client, a.id)).balance).toEqual({ cash: 7500, inbound_pending: 0, outbound_pending: 0 })
    expect((await ledger(client, b.id)).balance).toEqual({ cash: 2500, inbound_pending: 0, outbound_pending: 0 })
    // the destination's event
    expect(emulator.control.events({ type: 'treasury.received_credit.created' }).map((e) => e.data.object.id)).toContain(credit.id)
  })

  it('an outbound transfer between two financial accounts of the account does the same (source_flow_type outbound_transfer)', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const client = api(emulator)
    const a = await client.financialAccount()
    const b = await client.financialAccount()
    await client.credit(a.id, 1000)
    const transfer = await client.ok('POST', '/v1/treasury/outbound_transfers', {
      financial_account: a.id,
      amount: 400,
      currency: 'usd',
      destination_payment_method_data: { type: 'financial_account', financial_account: b.id },
    })
    expect(transfer.destination_payment_method_details).toMatchObject({
      type: 'financial_account',
      financial_account: { id: b.id, network: 'stripe' },
    })
    expect(transfer.destination_payment_method_details).not.toHaveProperty('us_bank_account')
    await client.ok('POST', `/v1/test_helpers/treasury/outbound_transfers/${transfer.id}/post`)
    const [credit] = await client.all('/v1/treasury/received_credits', { financial_account: b.id })
    expect(credit).toMatchObject({
      amount: 400,
      network: 'stripe',
      linked_flows: { source_flow: transfer.id, source_flow_type: 'outbound_transfer' },
    })
    // a credit over the stripe network cannot be reversed, and the transfer cannot be "returned" by a bank
    const reversal = await client.call('POST', '/v1/treasury/credit_reversals', { received_credit: credit.id })
    expect(reversal.status).toBe(400)
    expect(reversal.body.error.code).toBe('invalid_state')
    const returned = await client.call('POST', `/v1/test_helpers/treasury/outbound_transfers/${transfer.id}/return`)
    expect(returned.body.error).toMatchObject({ code: 'invalid_state', doc_url: 'https://stripe.com/docs/error-codes/invalid-state' })
  })

  it('a payment may go to another account’s financial account (its event is that account’s); a transfer may not', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const client = api(emulator)
    const a = await client.financialAccount()
    const other = await client.financialAccount('acct_other')
    await client.credit(a.id, 1000)
    const data = { type: 'financial_account', financial_account: other.id }
    const transfer = await client.call('POST', '/v1/treasury/outbound_transfers', {
      financial_account: a.id,
      amount: 100,
      currency: 'usd',
      destination_payment_method_data: data,
    })
    expect(transfer.status).toBe(404)
    expect(transfer.body.error.param).toBe('destination_payment_method_data[financial_account]')
    const payment = await client.ok('POST', '/v1/treasury/outbound_payments', {
      financial_account: a.id,
      amount: 100,
      currency: 'usd',
      destination_payment_method_data: data,
    })
    await client.ok('POST', `/v1/test_helpers/treasury/outbound_payments/${payment.id}/post`)
    const [credit] = await client.all('/v1/treasury/received_credits', { financial_account: other.id }, 'acct_other')
    expect(credit.amount).toBe(100)
    const event = emulator.control.events({ type: 'treasury.received_credit.created' }).find((e) => e.data.object.id === credit.id)
    expect(event?.account).toBe('acct_other')
    expect((await ledger(client, other.id, 'acct_other')).balance.cash).toBe(100)
  })

  it('refuses a bad destination with a 400/404 naming the param, before any money moves', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const client = api(emulator)
    const a = await client.financialAccount()
    const closed = await client.financialAccount()
    await client.ok('POST', `/v1/treasury/financial_accounts/${closed.id}/close`)
    await client.credit(a.id, 1000)
    const base = { financial_account: a.id, amount: 100, currency: 'usd' }
    const cases: [Record<string, unknown>, number, string][] = [
      [{ type: 'financial_account' }, 400, 'destination_payment_method_data[financial_account]'],
      [{ type: 'financial_account', financial_account: 'fa_nope' }, 404, 'destination_payment_method_data[financial_account]'],
      [{ type: 'financial_account', financial_account: a.id }, 400, 'destination_payment_method_data[financial_account]'],
      [{ type: 'financial_account', financial_account: closed.id }, 400, 'destination_payment_method_data[financial_account]'],
      [{ type: 'wire' }, 400, 'destination_payment_method_data[type]'],
    ]
    for (const [data, status, param] of cases) {
      const res = await client.call('POST', '/v1/treasury/outbound_payments', { ...base, destination_payment_method_data: data })
      expect([JSON.stringify(data), res.status, res.body.error.param]).toEqual([JSON.stringify(data), status, param])
    }
    expect((await ledger(client, a.id)).balance).toEqual({ cash: 1000, inbound_pending: 0, outbound_pending: 0 })
    expect(await client.all('/v1/treasury/transactions', { financial_account: a.id })).toHaveLength(1)
  })
})

// ---- the ledger over generated sequences ---------------------------------------------------

type Op =
  | { op: 'credit'; fa: number; amount: number }
  | { op: 'debit'; fa: number; amount: number }
  | { op: 'payment'; fa: number; to: number | 'bank'; amount: number }
  | { op: 'transfer'; fa: number; to: number | 'bank'; amount: number }
  | { op: 'inbound'; fa: number; amount: number }
  | { op: 'settle'; flow: number; outcome: 'post' | 'fail' | 'cancel' | 'succeed' | 'return' }
  | { op: 'reverse'; credit: number }

const FAS = 3 // fa 0 and 1 in the default account, fa 2 in acct_other (payments only reach it)
const amount = fc.integer({ min: 1, max: 5000 })
const fa = fc.integer({ min: 0, max: FAS - 1 })
const to = fc.oneof(fa, fc.constant('bank' as const))
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('payment' as const), fa, to, amount }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('transfer' as const), fa, to, amount }), weight: 2 },
  {
    arbitrary: fc.record({
      op: fc.constant('settle' as const),
      flow: fc.nat(40),
      outcome: fc.constantFrom('post' as const, 'post' as const, 'fail' as const, 'cancel' as const, 'succeed' as const, 'return' as const),
    }),
    weight: 5,
  },
  fc.record({ op: fc.constant('credit' as const), fa, amount }),
  fc.record({ op: fc.constant('debit' as const), fa, amount }),
  fc.record({ op: fc.constant('inbound' as const), fa, amount }),
  fc.record({ op: fc.constant('reverse' as const), credit: fc.nat(40) }),
)

interface Flow {
  id: string
  kind: 'outbound_payment' | 'outbound_transfer' | 'inbound_transfer'
  fa: number
  to: number | 'bank' | undefined
  amount: number
  status: string
}

describe('ledger invariant and balance model over generated money movements', () => {
  it('balance = Σ entries on every account, and every balance is what the movements say', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30 }), async (ops) => {
        const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
        const client = api(emulator)
        const accountOf = (i: number) => (i === 2 ? 'acct_other' : undefined)
        const ids: string[] = []
        for (let i = 0; i < FAS; i++) ids.push((await client.financialAccount(accountOf(i))).id)
        const model: Balance[] = ids.map(() => ({ cash: 0, inbound_pending: 0, outbound_pending: 0 }))
        const flows: Flow[] = []
        const credits: { id: string; fa: number; amount: number; network: string }[] = []
        for (let i = 0; i < FAS; i++) {
          const credit = await client.credit(ids[i]!, 8000, accountOf(i))
          credits.push({ id: credit.id, fa: i, amount: 8000, network: 'ach' })
          model[i]!.cash += 8000
        }
        for (const op of ops) {
          if (op.op === 'credit') {
            const credit = await client.credit(ids[op.fa]!, op.amount, accountOf(op.fa))
            credits.push({ id: credit.id, fa: op.fa, amount: op.amount, network: 'ach' })
            model[op.fa]!.cash += op.amount
          } else if (op.op === 'debit') {
            const debit = await client.ok(
              'POST',
              '/v1/test_helpers/treasury/received_debits',
              { financial_account: ids[op.fa], amount: op.amount, currency: 'usd', network: 'ach' },
              accountOf(op.fa),
            )
            if (debit.status === 'succeeded') model[op.fa]!.cash -= op.amount
            else expect(model[op.fa]!.cash).toBeLessThan(op.amount)
          } else if (op.op === 'payment' || op.op === 'transfer') {
            const kind = op.op === 'payment' ? 'outbound_payment' : 'outbound_transfer'
            const destination =
              op.to === 'bank'
                ? { destination_payment_method: 'pm_usBankAccount' }
                : { destination_payment_method_data: { type: 'financial_account', financial_account: ids[op.to] } }
            const res = await client.call(
              'POST',
              `/v1/treasury/${kind}s`,
              { financial_account: ids[op.fa], amount: op.amount, currency: 'usd', ...destination },
              accountOf(op.fa),
            )
            const crossAccount = op.to !== 'bank' && accountOf(op.to) !== accountOf(op.fa)
            const allowed = model[op.fa]!.cash >= op.amount && op.to !== op.fa && !(kind === 'outbound_transfer' && crossAccount)
            expect([op, res.status === 200]).toEqual([op, allowed])
            if (res.status === 200) {
              model[op.fa]!.cash -= op.amount
              model[op.fa]!.outbound_pending += op.amount
              flows.push({ id: res.body.id, kind, fa: op.fa, to: op.to, amount: op.amount, status: 'processing' })
            }
          } else if (op.op === 'inbound') {
            const flow = await client.ok(
              'POST',
              '/v1/treasury/inbound_transfers',
              { financial_account: ids[op.fa], amount: op.amount, currency: 'usd', origin_payment_method: 'pm_usBankAccount' },
              accountOf(op.fa),
            )
            model[op.fa]!.inbound_pending += op.amount
            flows.push({ id: flow.id, kind: 'inbound_transfer', fa: op.fa, to: undefined, amount: op.amount, status: 'processing' })
          } else if (op.op === 'settle') {
            // mostly a flow still in flight (the newest ones first), sometimes any
            const open = flows.filter((f) => f.status === 'processing' || f.status === 'succeeded' || f.status === 'posted')
            const pool = op.flow % 4 === 0 || open.length === 0 ? flows : open
            const flow = pool[pool.length - 1 - (op.flow % Math.max(pool.length, 1))]
            if (!flow) continue
            const m = model[flow.fa]!
            const inbound = flow.kind === 'inbound_transfer'
            const path = {
              post: inbound ? undefined : `/v1/test_helpers/treasury/${flow.kind}s/${flow.id}/post`,
              succeed: inbound ? `/v1/test_helpers/treasury/inbound_transfers/${flow.id}/succeed` : undefined,
              fail: `/v1/test_helpers/treasury/${flow.kind}s/${flow.id}/fail`,
              cancel: `/v1/treasury/${flow.kind}s/${flow.id}/cancel`,
              return: `/v1/test_helpers/treasury/${flow.kind}s/${flow.id}/return`,
            }[op.outcome]
            if (!path) continue
            const res = await client.call('POST', path, {}, accountOf(flow.fa))
            if (res.status !== 200) {
              expect(res.body.error.type).toBe('invalid_request_error')
              continue
            }
            const before = flow.status
            flow.status = res.body.status
            if (inbound) {
              expect(before).toBe(op.outcome === 'return' ? 'succeeded' : 'processing')
              if (op.outcome === 'return')
                m.cash -= flow.amount // the return is a received debit
              else {
                m.inbound_pending -= flow.amount
                if (op.outcome === 'succeed') m.cash += flow.amount
              }
            } else if (op.outcome === 'post') {
              m.outbound_pending -= flow.amount
              if (flow.to !== 'bank' && flow.to !== undefined) {
                model[flow.to]!.cash += flow.amount
                credits.push({ id: '', fa: flow.to, amount: flow.amount, network: 'stripe' })
              }
            } else if (op.outcome === 'return') {
              expect(flow.to).toBe('bank')
              m.cash += flow.amount
            } else {
              m.outbound_pending -= flow.amount
              m.cash += flow.amount
            }
          } else if (op.op === 'reverse') {
            const credit = credits[op.credit % Math.max(credits.length, 1)]
            if (!credit?.id) continue
            const res = await client.call('POST', '/v1/treasury/credit_reversals', { received_credit: credit.id }, accountOf(credit.fa))
            if (res.status === 200) {
              model[credit.fa]!.cash -= credit.amount
              credit.id = ''
            }
          }
        }
        for (let i = 0; i < FAS; i++) {
          const { balance, entries } = await ledger(client, ids[i]!, accountOf(i))
          expect(balance).toEqual(entries)
          expect(balance).toEqual(model[i])
          expect(balance.cash).toBeGreaterThanOrEqual(0)
        }
        // every posted FA-to-FA flow credited its destination exactly once, over the stripe network
        const posted = flows.filter((flow) => flow.status === 'posted' && flow.to !== 'bank' && flow.to !== undefined)
        for (let i = 0; i < FAS; i++) {
          const received = await client.all('/v1/treasury/received_credits', { financial_account: ids[i] }, accountOf(i))
          const sources = received
            .filter((c: { network: string }) => c.network === 'stripe')
            .map((c: { linked_flows: { source_flow: string } }) => c.linked_flows.source_flow)
          expect(sources.sort()).toEqual(
            posted
              .filter((flow) => flow.to === i)
              .map((flow) => flow.id)
              .sort(),
          )
        }
      }),
      { numRuns: 40 },
    )
  }, 120_000)
})

// ---- spec enums and required sub-fields -------------------------------------------------------

describe('values only as the spec has them', () => {
  it('failing an inbound transfer without a code uses a code of the spec’s enum', async () => {
    const spec = JSON.parse(readFileSync(new URL('../../../spec/spec.json', import.meta.url), 'utf8')) as {
      components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> }
    }
    const codes = spec.components.schemas.treasury_inbound_transfers_resource_failure_details?.properties.code?.enum ?? []
    expect(codes.length).toBeGreaterThan(0)
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const client = api(emulator)
    const a = await client.financialAccount()
    const flow = await client.ok('POST', '/v1/treasury/inbound_transfers', {
      financial_account: a.id,
      amount: 100,
      currency: 'usd',
      origin_payment_method: 'pm_usBankAccount',
    })
    const failed = await client.ok('POST', `/v1/test_helpers/treasury/inbound_transfers/${flow.id}/fail`)
    expect(codes).toContain(failed.failure_details.code)
    const bad = await client.call('POST', '/v1/treasury/inbound_transfers', {
      financial_account: a.id,
      amount: 100,
      currency: 'usd',
      origin_payment_method: 'pm_usBankAccount',
    })
    const refused = await client.call('POST', `/v1/test_helpers/treasury/inbound_transfers/${bad.body.id}/fail`, {
      failure_details: { code: 'could_not_process' },
    })
    expect(refused.status).toBe(400)
    expect(refused.body.error.param).toBe('failure_details[code]')
  })

  it('tracking details need their type’s required field (ach: trace_id, us_domestic_wire: imad)', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const client = api(emulator)
    const a = await client.financialAccount()
    await client.credit(a.id, 1000)
    for (const kind of ['outbound_payments', 'outbound_transfers']) {
      const flow = await client.ok('POST', `/v1/treasury/${kind}`, {
        financial_account: a.id,
        amount: 100,
        currency: 'usd',
        destination_payment_method: 'pm_usBankAccount',
      })
      const path = `/v1/test_helpers/treasury/${kind}/${flow.id}`
      const cases: [Record<string, unknown>, string][] = [
        [{ type: 'ach' }, 'tracking_details[ach][trace_id]'],
        [{ type: 'ach', ach: { trace_id: '' } }, 'tracking_details[ach][trace_id]'],
        [{ type: 'us_domestic_wire' }, 'tracking_details[us_domestic_wire][imad]'],
        [{ type: 'us_domestic_wire', us_domestic_wire: { omad: 'x' } }, 'tracking_details[us_domestic_wire][imad]'],
        [{ type: 'ach', ach: { trace_id: 't' }, us_domestic_wire: { imad: 'i' } }, 'tracking_details[us_domestic_wire]'],
        [{ type: 'sepa' }, 'tracking_details[type]'],
      ]
      for (const [tracking, param] of cases) {
        const res = await client.call('POST', path, { tracking_details: tracking })
        expect([JSON.stringify(tracking), res.status, res.body.error?.param]).toEqual([JSON.stringify(tracking), 400, param])
      }
      const ach = await client.ok('POST', path, { tracking_details: { type: 'ach', ach: { trace_id: 'trace_1' } } })
      expect(ach.tracking_details).toEqual({ type: 'ach', ach: { trace_id: 'trace_1' } })
      const wire = await client.ok('POST', path, { tracking_details: { type: 'us_domestic_wire', us_domestic_wire: { imad: 'imad_1' } } })
      expect(wire.tracking_details).toEqual({ type: 'us_domestic_wire', us_domestic_wire: { imad: 'imad_1', omad: null } })
    }
  })

  it('errors are written as Stripe writes them: unknown parameters by name, doc_url where a code is set', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const client = api(emulator)
    const unknown = await client.call('POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'], colour: 'red' })
    expect(unknown.body.error).toMatchObject({ message: 'Received unknown parameter: colour', param: 'colour' })
    const missing = await client.call('GET', '/v1/treasury/financial_accounts/fa_nope')
    expect(missing.body.error).toEqual({
      type: 'invalid_request_error',
      message: "No such financial account: 'fa_nope'",
      param: 'financial_account',
      code: 'resource_missing',
      doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
    })
    const noCode = await client.call('POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'], colour: 'red' })
    expect(noCode.body.error.code === undefined).toBe(noCode.body.error.doc_url === undefined)
  })
})

describe('expand[] of list-valued and nested expandable fields', () => {
  it('entries and flow_details on a transaction, through a flow, and on every item of a list', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const client = api(emulator)
    const a = await client.financialAccount()
    await client.credit(a.id, 1000)
    const payment = await client.ok('POST', '/v1/treasury/outbound_payments', {
      financial_account: a.id,
      amount: 100,
      currency: 'usd',
      destination_payment_method: 'pm_usBankAccount',
    })
    await client.ok('POST', `/v1/test_helpers/treasury/outbound_payments/${payment.id}/post`)
    // unexpanded: entries is null, flow_details null, transaction an id
    const plain = await client.ok('GET', `/v1/treasury/transactions/${payment.transaction}`)
    expect([plain.entries, plain.flow_details]).toEqual([null, null])
    const nested = await client.ok('GET', `/v1/treasury/outbound_payments/${payment.id}`, {
      expand: ['transaction.entries', 'transaction.flow_details'],
    })
    expect(nested.transaction.id).toBe(payment.transaction)
    expect(nested.transaction.entries).toMatchObject({
      object: 'list',
      has_more: false,
      url: `/v1/treasury/transaction_entries?transaction=${payment.transaction}`,
    })
    expect(nested.transaction.entries.data.map((e: { type: string }) => e.type).sort()).toEqual([
      'outbound_payment',
      'outbound_payment_posting',
    ])
    expect(nested.transaction.flow_details).toMatchObject({
      type: 'outbound_payment',
      outbound_payment: { id: payment.id, status: 'posted' },
    })
    const list = await client.ok('GET', '/v1/treasury/transactions', { financial_account: a.id, expand: ['data.entries'] })
    expect(list.data).toHaveLength(2)
    for (const transaction of list.data) {
      expect(transaction.entries.data.every((e: { transaction: string }) => e.transaction === transaction.id)).toBe(true)
      expect(transaction.entries.data.length).toBeGreaterThan(0)
    }
    const entries = await client.ok('GET', '/v1/treasury/transaction_entries', { financial_account: a.id, expand: ['data.flow_details'] })
    for (const entry of entries.data) {
      expect(entry.flow_details).toMatchObject({ type: entry.flow_type, [entry.flow_type]: { id: entry.flow } })
    }
  })
})

// ---- the official SDK over HTTP ---------------------------------------------------------------

describe('the official stripe package drives an FA-to-FA payment over HTTP', () => {
  let server: EmulatorServer
  beforeAll(async () => {
    server = await startEmulatorServer({ accounts: 'shared', port: 0 })
  })
  afterAll(async () => {
    await server.close()
  })

  it('creates, posts and sees the destination credited', async () => {
    const stripe = new Stripe('sk_test_123', { host: '127.0.0.1', port: server.port, protocol: 'http', maxNetworkRetries: 0 })
    const a = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'] })
    const b = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'] })
    await stripe.testHelpers.treasury.receivedCredits.create({ financial_account: a.id, amount: 900, currency: 'usd', network: 'ach' })
    const payment = await stripe.treasury.outboundPayments.create({
      financial_account: a.id,
      amount: 300,
      currency: 'usd',
      destination_payment_method_data: { type: 'financial_account', financial_account: b.id },
    })
    expect(payment.destination_payment_method_details?.type).toBe('financial_account')
    await stripe.testHelpers.treasury.outboundPayments.post(payment.id)
    const credits = await stripe.treasury.receivedCredits.list({ financial_account: b.id })
    expect(credits.data.map((c) => [c.amount, c.network])).toEqual([[300, 'stripe']])
    expect((await stripe.treasury.financialAccounts.retrieve(b.id)).balance.cash.usd).toBe(300)
    const transfer = await stripe.treasury.outboundTransfers.create({
      financial_account: b.id,
      amount: 100,
      currency: 'usd',
      destination_payment_method_data: { type: 'financial_account', financial_account: a.id },
    })
    await stripe.testHelpers.treasury.outboundTransfers.post(transfer.id)
    expect((await stripe.treasury.financialAccounts.retrieve(a.id)).balance.cash.usd).toBe(700)
    const transaction = await stripe.treasury.transactions.retrieve(credits.data[0]!.transaction as string, { expand: ['entries'] })
    expect(transaction.entries?.data.map((e) => e.type)).toEqual(['received_credit'])
  })
})
