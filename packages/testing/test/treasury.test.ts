import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { createEmulator, type Emulator } from '../src/index.js'
import { call, entrySums, ORIGIN } from './helpers.js'

async function newAccount(emulator: Emulator) {
  const res = await call(emulator, 'POST', '/v1/treasury/financial_accounts', {
    supported_currencies: ['usd'],
    features: { outbound_payments: { ach: { requested: true } }, inbound_transfers: { ach: { requested: true } } },
    metadata: { team: 'a' },
  })
  expect(res.status).toBe(200)
  return res.body.id as string
}

async function expectLedgerConsistent(emulator: Emulator, fa: string) {
  const account = (await call(emulator, 'GET', `/v1/treasury/financial_accounts/${fa}`)).body
  const entries = (await call(emulator, 'GET', '/v1/treasury/transaction_entries', { financial_account: fa, limit: 100 })).body
  expect(entries.has_more).toBe(false)
  const sums = entrySums(entries.data)
  expect(sums).toEqual({
    cash: account.balance.cash.usd,
    inbound_pending: account.balance.inbound_pending.usd,
    outbound_pending: account.balance.outbound_pending.usd,
  })
  const txs = (await call(emulator, 'GET', '/v1/treasury/transactions', { financial_account: fa, limit: 100 })).body.data
  const txSum = txs.reduce((sum: number, tx: any) => sum + tx.balance_impact.cash, 0)
  expect(txSum).toBe(account.balance.cash.usd)
  return account
}

describe('treasury', () => {
  it('creates, updates and lists financial accounts and features', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const fa = await newAccount(emulator)
    const account = (await call(emulator, 'GET', `/v1/treasury/financial_accounts/${fa}`)).body
    expect(account).toMatchObject({
      object: 'treasury.financial_account',
      livemode: false,
      supported_currencies: ['usd'],
      balance: { cash: { usd: 0 }, inbound_pending: { usd: 0 }, outbound_pending: { usd: 0 } },
      metadata: { team: 'a' },
    })
    expect(account.id).toMatch(/^fa_/)
    expect(account.active_features).toEqual(['inbound_transfers.ach', 'outbound_payments.ach'])
    const updated = await call(emulator, 'POST', `/v1/treasury/financial_accounts/${fa}`, { metadata: { team: '', x: 'y' } })
    expect(updated.body.metadata).toEqual({ x: 'y' })
    const cleared = await call(emulator, 'POST', `/v1/treasury/financial_accounts/${fa}`, { metadata: '' })
    expect(cleared.body.metadata).toEqual({})
    const features = await call(emulator, 'POST', `/v1/treasury/financial_accounts/${fa}/features`, {
      card_issuing: { requested: true },
    })
    expect(features.body).toMatchObject({
      object: 'treasury.financial_account_features',
      card_issuing: { requested: true, status: 'active' },
    })
    expect((await call(emulator, 'GET', `/v1/treasury/financial_accounts/${fa}/features`)).body.card_issuing.status).toBe('active')
  })

  it('keeps balances equal to the sum of entries through every flow', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const fa = await newAccount(emulator)
    const base = { financial_account: fa, currency: 'usd' }
    const credit = await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', { ...base, amount: 10_000, network: 'ach' })
    expect(credit.body).toMatchObject({ status: 'succeeded', amount: 10_000 })
    expect(credit.body.id).toMatch(/^rc_/)

    // inbound transfer: processing → succeeded; another canceled; another failed
    const ibt = await call(emulator, 'POST', '/v1/treasury/inbound_transfers', { ...base, amount: 2_000, origin_payment_method: 'pm_1' })
    expect(ibt.body).toMatchObject({ status: 'processing', cancelable: true })
    expect((await expectLedgerConsistent(emulator, fa)).balance.inbound_pending.usd).toBe(2_000)
    await call(emulator, 'POST', `/v1/test_helpers/treasury/inbound_transfers/${ibt.body.id}/succeed`)
    const ibtCancel = await call(emulator, 'POST', '/v1/treasury/inbound_transfers', {
      ...base,
      amount: 300,
      origin_payment_method: 'pm_1',
    })
    expect((await call(emulator, 'POST', `/v1/treasury/inbound_transfers/${ibtCancel.body.id}/cancel`)).body.status).toBe('canceled')
    const again = await call(emulator, 'POST', `/v1/treasury/inbound_transfers/${ibtCancel.body.id}/cancel`)
    expect(again.status).toBe(400)
    const ibtFail = await call(emulator, 'POST', '/v1/treasury/inbound_transfers', { ...base, amount: 400, origin_payment_method: 'pm_1' })
    const failed = await call(emulator, 'POST', `/v1/test_helpers/treasury/inbound_transfers/${ibtFail.body.id}/fail`, {
      failure_details: { code: 'account_closed' },
    })
    expect(failed.body).toMatchObject({ status: 'failed', failure_details: { code: 'account_closed' } })
    const returned = await call(emulator, 'POST', `/v1/test_helpers/treasury/inbound_transfers/${ibt.body.id}/return`)
    expect(returned.body.returned).toBe(true)
    expect(returned.body.linked_flows.received_debit).toMatch(/^rd_/)
    let account = await expectLedgerConsistent(emulator, fa)
    expect(account.balance.cash.usd).toBe(10_000)

    // outbound payment: posted then returned; another canceled; another failed
    const op = await call(emulator, 'POST', '/v1/treasury/outbound_payments', {
      ...base,
      amount: 3_000,
      destination_payment_method: 'pm_2',
    })
    expect(op.body).toMatchObject({ status: 'processing' })
    expect(op.body.id).toMatch(/^obp_/)
    account = await expectLedgerConsistent(emulator, fa)
    expect(account.balance).toMatchObject({ cash: { usd: 7_000 }, outbound_pending: { usd: 3_000 } })
    await call(emulator, 'POST', `/v1/test_helpers/treasury/outbound_payments/${op.body.id}`, {
      tracking_details: { type: 'ach', ach: { trace_id: 'T1' } },
    })
    const posted = await call(emulator, 'POST', `/v1/test_helpers/treasury/outbound_payments/${op.body.id}/post`)
    expect(posted.body).toMatchObject({ status: 'posted', tracking_details: { type: 'ach', ach: { trace_id: 'T1' } } })
    expect((await call(emulator, 'POST', `/v1/treasury/outbound_payments/${op.body.id}/cancel`)).status).toBe(400)
    const opReturn = await call(emulator, 'POST', `/v1/test_helpers/treasury/outbound_payments/${op.body.id}/return`, {
      returned_details: { code: 'account_closed' },
    })
    expect(opReturn.body.status).toBe('returned')
    const opCancel = await call(emulator, 'POST', '/v1/treasury/outbound_payments', {
      ...base,
      amount: 100,
      destination_payment_method: 'pm_2',
    })
    expect((await call(emulator, 'POST', `/v1/treasury/outbound_payments/${opCancel.body.id}/cancel`)).body.status).toBe('canceled')
    const opFail = await call(emulator, 'POST', '/v1/treasury/outbound_payments', {
      ...base,
      amount: 100,
      destination_payment_method: 'pm_2',
    })
    expect((await call(emulator, 'POST', `/v1/test_helpers/treasury/outbound_payments/${opFail.body.id}/fail`)).body.status).toBe('failed')

    // outbound transfer posted; received debit; reversals
    const obt = await call(emulator, 'POST', '/v1/treasury/outbound_transfers', {
      ...base,
      amount: 1_000,
      destination_payment_method: 'pm_3',
    })
    expect(obt.body.id).toMatch(/^obt_/)
    await call(emulator, 'POST', `/v1/test_helpers/treasury/outbound_transfers/${obt.body.id}/post`)
    const debit = await call(emulator, 'POST', '/v1/test_helpers/treasury/received_debits', { ...base, amount: 500, network: 'ach' })
    expect(debit.body.status).toBe('succeeded')
    const debitReversal = await call(emulator, 'POST', '/v1/treasury/debit_reversals', { received_debit: debit.body.id })
    expect(debitReversal.body.error).toBeUndefined()
    expect(debitReversal.body.id).toMatch(/^debrev_/)
    const short = await call(emulator, 'POST', '/v1/treasury/credit_reversals', { received_credit: credit.body.id })
    expect(short.body.error.code).toBe('insufficient_funds') // 9000 left, 10000 to reverse
    await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', { ...base, amount: 2_000, network: 'ach' })
    const creditReversal = await call(emulator, 'POST', '/v1/treasury/credit_reversals', { received_credit: credit.body.id })
    expect(creditReversal.body.id).toMatch(/^credrev_/)
    expect((await call(emulator, 'POST', '/v1/treasury/credit_reversals', { received_credit: credit.body.id })).status).toBe(400)

    account = await expectLedgerConsistent(emulator, fa)
    // 10000 +2000 -2000(return) -3000 +3000(returned) -1000 -500 +500 +2000 -10000
    expect(account.balance).toEqual({ cash: { usd: 1_000 }, inbound_pending: { usd: 0 }, outbound_pending: { usd: 0 } })
    const reversals = await call(emulator, 'GET', '/v1/treasury/credit_reversals', { financial_account: fa })
    expect(reversals.body.data).toHaveLength(1)
    const processing = await call(emulator, 'GET', '/v1/treasury/outbound_payments', { financial_account: fa, status: 'canceled' })
    expect(processing.body.data.map((x: any) => x.id)).toEqual([opCancel.body.id])
  })

  it('refuses overdrafts and unsupported currencies', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const fa = await newAccount(emulator)
    const op = await call(emulator, 'POST', '/v1/treasury/outbound_transfers', { financial_account: fa, currency: 'usd', amount: 1 })
    expect(op.status).toBe(400)
    expect(op.body.error).toMatchObject({ type: 'invalid_request_error', code: 'insufficient_funds' })
    const debit = await call(emulator, 'POST', '/v1/test_helpers/treasury/received_debits', {
      financial_account: fa,
      currency: 'usd',
      amount: 5,
      network: 'ach',
    })
    expect(debit.body).toMatchObject({ status: 'failed', failure_code: 'insufficient_funds', transaction: null })
    const eur = await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', {
      financial_account: fa,
      currency: 'eur',
      amount: 5,
      network: 'ach',
    })
    expect(eur.body.error.param).toBe('currency')
    await expectLedgerConsistent(emulator, fa)
  })

  it('expands a transaction on an entry', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const fa = await newAccount(emulator)
    await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', {
      financial_account: fa,
      currency: 'usd',
      amount: 5,
      network: 'ach',
    })
    const entries = await call(emulator, 'GET', '/v1/treasury/transaction_entries', { financial_account: fa, expand: ['data.transaction'] })
    expect(entries.body.data[0].transaction).toMatchObject({ object: 'treasury.transaction', status: 'posted' })
  })
})

describe('statement descriptors of outbound flows', () => {
  it('limits ACH to 10 characters (wire to 140), naming statement_descriptor, and creates nothing', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const fa = await newAccount(emulator)
    const base = { financial_account: fa, currency: 'usd' }
    await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', { ...base, amount: 10_000, network: 'ach' })
    const bank = {
      type: 'us_bank_account',
      us_bank_account: { account_holder_type: 'individual', routing_number: '110000000', account_number: '000123456789' },
    }
    const payment = (statement_descriptor: string, extra: Record<string, unknown> = {}) =>
      call(emulator, 'POST', '/v1/treasury/outbound_payments', {
        ...base,
        amount: 100,
        destination_payment_method_data: bank,
        statement_descriptor,
        ...extra,
      })
    const tooLong = await payment('DEMO PAYOUT')
    expect(tooLong.status).toBe(400)
    expect(tooLong.body.error).toMatchObject({ type: 'invalid_request_error', param: 'statement_descriptor' })
    expect(tooLong.body.error.message).toMatch(/10 characters for ach/)
    expect(emulator.control.objects('treasury.outbound_payment')).toHaveLength(0)
    const explicitAch = await payment('DEMO PAYOUT', { destination_payment_method_options: { us_bank_account: { network: 'ach' } } })
    expect(explicitAch.body.error.param).toBe('statement_descriptor')
    expect((await payment('DEMO PAY10')).status).toBe(200)
    const wire = await payment('DEMO SUPPLIER PAYOUT', {
      destination_payment_method_options: { us_bank_account: { network: 'us_domestic_wire' } },
    })
    expect(wire.status).toBe(200)

    const transfer = await call(emulator, 'POST', '/v1/treasury/outbound_transfers', {
      ...base,
      amount: 100,
      destination_payment_method: 'pm_bank',
      statement_descriptor: 'TRANSFER 123',
    })
    expect(transfer.status).toBe(400)
    expect(transfer.body.error.param).toBe('statement_descriptor')
    expect(emulator.control.objects('treasury.outbound_transfer')).toHaveLength(0)
    const ok = await call(emulator, 'POST', '/v1/treasury/outbound_transfers', {
      ...base,
      amount: 100,
      destination_payment_method: 'pm_bank',
      statement_descriptor: 'TRANSFER12',
    })
    expect(ok.status).toBe(200)
    await expectLedgerConsistent(emulator, fa)
  })
})

describe('treasury events that need a flow of their own', () => {
  const types = (emulator: Emulator) => emulator.control.events().map((event) => `${event.type} ${event.data.object.id}`)

  it('closing raises treasury.financial_account.closed; a credit sent to a closed account fails (account_closed) off the ledger', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const fa = await newAccount(emulator)
    const closed = await call(emulator, 'POST', `/v1/treasury/financial_accounts/${fa}/close`)
    expect(closed.body.status).toBe('closed')
    expect(emulator.control.events({ type: 'treasury.financial_account.closed' }).map((e) => e.data.object)).toMatchObject([
      { id: fa, status: 'closed' },
    ])
    const credit = await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', {
      financial_account: fa,
      amount: 700,
      currency: 'usd',
      network: 'ach',
    })
    expect(credit.status).toBe(200)
    expect(credit.body).toMatchObject({ status: 'failed', failure_code: 'account_closed', transaction: null, amount: 700 })
    expect(types(emulator).slice(-2)).toEqual([
      `treasury.received_credit.created ${credit.body.id}`,
      `treasury.received_credit.failed ${credit.body.id}`,
    ])
    const account = await expectLedgerConsistent(emulator, fa)
    expect(account.balance.cash.usd).toBe(0)
    // a failed credit cannot be reversed
    const reversal = await call(emulator, 'POST', '/v1/treasury/credit_reversals', { received_credit: credit.body.id })
    expect(reversal.status).toBe(400)
  })

  it('a deposited check clears (succeeded, on the ledger) or bounces (failed, off it); the control names bad input', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const fa = await newAccount(emulator)
    const cleared = emulator.control.depositCheck({ financial_account: fa, amount: 1200 })
    expect(cleared).toMatchObject({ status: 'succeeded', failure_code: null, description: 'Check deposit' })
    const bounced = emulator.control.depositCheck({ financial_account: fa, amount: 300, outcome: 'failed' })
    expect(bounced).toMatchObject({ status: 'failed', failure_code: 'other', transaction: null })
    expect(types(emulator).filter((line) => line.startsWith('treasury.received_credit'))).toEqual([
      `treasury.received_credit.created ${cleared.id}`,
      `treasury.received_credit.succeeded ${cleared.id}`,
      `treasury.received_credit.created ${bounced.id}`,
      `treasury.received_credit.failed ${bounced.id}`,
    ])
    expect((await expectLedgerConsistent(emulator, fa)).balance.cash.usd).toBe(1200)
    expect(() => emulator.control.depositCheck({ financial_account: fa, amount: -1 })).toThrow(/amount/)
    expect(() => emulator.control.depositCheck({ financial_account: fa, amount: 1, currency: 'eur' })).toThrow(/currency/)
    expect(() => emulator.control.depositCheck({ financial_account: 'fa_nope', amount: 1 })).toThrow(/No such/)
    const http = await emulator.fetch(
      new Request(`${ORIGIN}/_emulator/treasury/check-deposits`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ financial_account: fa, amount: 50 }),
      }),
    )
    expect(http.status).toBe(200)
    expect(((await http.json()) as { amount: number }).amount).toBe(50)
  })

  it('debit reversals: the initial credit at creation, completion a day later, the ledger balanced throughout (property)', async () => {
    const op = fc.record({
      debit: fc.integer({ min: 1, max: 5_000 }),
      reverse: fc.boolean(),
      advance: fc.integer({ min: 0, max: 2 * 86_400 }),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        const emulator = createEmulator({ accounts: 'shared' })
        const fa = await newAccount(emulator)
        await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', {
          financial_account: fa,
          amount: 1_000_000,
          currency: 'usd',
          network: 'ach',
        })
        const created = new Map<string, number>()
        let expectedCash = 1_000_000
        for (const { debit, reverse, advance } of ops) {
          const rd = await call(emulator, 'POST', '/v1/test_helpers/treasury/received_debits', {
            financial_account: fa,
            amount: debit,
            currency: 'usd',
            network: 'ach',
          })
          expectedCash -= debit
          if (reverse) {
            const reversal = await call(emulator, 'POST', '/v1/treasury/debit_reversals', { received_debit: rd.body.id })
            expect(reversal.body).toMatchObject({ status: 'processing', status_transitions: { completed_at: null } })
            created.set(reversal.body.id, emulator.control.now())
            expectedCash += debit
          }
          emulator.control.advance(advance)
          const now = emulator.control.now()
          for (const [id, at] of created) {
            const current = (await call(emulator, 'GET', `/v1/treasury/debit_reversals/${id}`)).body
            const done = now >= at + 86_400
            expect(current.status).toBe(done ? 'succeeded' : 'processing')
            expect(current.status_transitions.completed_at).toBe(done ? at + 86_400 : null)
          }
          const account = await expectLedgerConsistent(emulator, fa)
          expect(account.balance.cash.usd).toBe(expectedCash)
        }
        // each reversal: created and initial_credit_granted once; completed once, when its day has passed
        const count = (type: string, id: string) => emulator.control.events({ type }).filter((e) => e.data.object.id === id).length
        for (const [id, at] of created) {
          expect(count('treasury.debit_reversal.created', id)).toBe(1)
          expect(count('treasury.debit_reversal.initial_credit_granted', id)).toBe(1)
          expect(count('treasury.debit_reversal.completed', id)).toBe(emulator.control.now() >= at + 86_400 ? 1 : 0)
        }
      }),
      { numRuns: 25 },
    )
  })

  it('with the real clock, the read that finds a debit reversal’s day passed completes it (once)', async () => {
    vi.useFakeTimers({ now: 1_714_000_000_000, toFake: ['Date'] })
    try {
      const emulator = createEmulator({ accounts: 'shared', clock: 'real', now: 1_714_000_000 })
      const fa = await newAccount(emulator)
      await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', {
        financial_account: fa,
        amount: 5_000,
        currency: 'usd',
        network: 'ach',
      })
      const rd = await call(emulator, 'POST', '/v1/test_helpers/treasury/received_debits', {
        financial_account: fa,
        amount: 700,
        currency: 'usd',
        network: 'ach',
      })
      const reversal = (await call(emulator, 'POST', '/v1/treasury/debit_reversals', { received_debit: rd.body.id })).body
      vi.setSystemTime(1_714_000_000_000 + 86_399_000)
      expect((await call(emulator, 'GET', `/v1/treasury/debit_reversals/${reversal.id}`)).body.status).toBe('processing')
      vi.setSystemTime(1_714_000_000_000 + 86_400_000)
      expect((await call(emulator, 'GET', `/v1/treasury/debit_reversals/${reversal.id}`)).body).toMatchObject({
        status: 'succeeded',
        status_transitions: { completed_at: reversal.created + 86_400 },
      })
      await call(emulator, 'GET', `/v1/treasury/debit_reversals/${reversal.id}`)
      emulator.control.advance(60)
      expect(emulator.control.events({ type: 'treasury.debit_reversal.completed' })).toHaveLength(1)
    } finally {
      vi.useRealTimers()
    }
  })

  it('a flow still processing past its expected arrival date is expected the next day, once per passed date; settled flows keep theirs', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const fa = await newAccount(emulator)
    await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', {
      financial_account: fa,
      amount: 10_000,
      currency: 'usd',
      network: 'ach',
    })
    const params = { financial_account: fa, amount: 100, currency: 'usd', destination_payment_method: 'pm_usBankAccount' }
    const payment = (await call(emulator, 'POST', '/v1/treasury/outbound_payments', params)).body
    const transfer = (await call(emulator, 'POST', '/v1/treasury/outbound_transfers', params)).body
    const posted = (await call(emulator, 'POST', '/v1/treasury/outbound_payments', params)).body
    await call(emulator, 'POST', `/v1/test_helpers/treasury/outbound_payments/${posted.id}/post`)
    expect(payment.expected_arrival_date).toBe(emulator.control.now() + 2 * 86_400)
    emulator.control.advance(86_400)
    expect(emulator.control.events({ type: 'treasury.outbound_payment.expected_arrival_date_updated' })).toEqual([])
    emulator.control.advance(2 * 86_400)
    const now = emulator.control.now()
    const next = now - (now % 86_400) + 86_400
    const updated = emulator.control.events({ type: 'treasury.outbound_payment.expected_arrival_date_updated' })
    expect(updated.map((e) => [e.data.object.id, e.data.object.expected_arrival_date])).toEqual([[payment.id, next]])
    expect(
      emulator.control
        .events({ type: 'treasury.outbound_transfer.expected_arrival_date_updated' })
        .map((e) => [e.data.object.id, e.data.object.expected_arrival_date]),
    ).toEqual([[transfer.id, next]])
    expect((await call(emulator, 'GET', `/v1/treasury/outbound_payments/${payment.id}`)).body.expected_arrival_date).toBe(next)
    expect((await call(emulator, 'GET', `/v1/treasury/outbound_payments/${posted.id}`)).body.expected_arrival_date).toBe(
      posted.expected_arrival_date,
    )
    emulator.control.advance(60) // before the new date: nothing more
    expect(emulator.control.events({ type: 'treasury.outbound_payment.expected_arrival_date_updated' })).toHaveLength(1)
  })
})
