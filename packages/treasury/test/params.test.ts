import { createStripe, paginate, StripeValidationError, toArray } from '@edgestripe/core'
import {
  closeFinancialAccount,
  createOutboundPayment,
  createOutboundTransfer,
  listFinancialAccounts,
  listTransactions,
  updateFinancialAccount,
} from '@edgestripe/treasury'
import { operations } from '@edgestripe/treasury/operations'
import { describe, expect, it } from 'vitest'
import { createFixtureServer } from '../../../test-support/fixture-server'

function setup() {
  const server = createFixtureServer()
  const client = createStripe({ apiKey: 'sk_test_123', fetch: server.fetch, maxRetries: 0, validateResponses: 'strict' })
  return { server, client }
}

async function rejects(call: Promise<unknown>, param: string, server: ReturnType<typeof setup>['server']) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(StripeValidationError)
  expect((error as StripeValidationError).message).toContain(param)
  expect((error as StripeValidationError).raw.param).toBe(param)
  expect(server.requests).toEqual([])
  expect(server.rejected).toEqual([])
}

describe('treasury params are validated before anything is sent', () => {
  it('requires the financial_account query param on lists', async () => {
    const { server, client } = setup()
    // @ts-expect-error financial_account is required
    await rejects(listTransactions(client, {}), 'financial_account', server)
    // @ts-expect-error params are required
    await rejects(listTransactions(client), 'financial_account', server)
  })

  it('rejects unknown params', async () => {
    const { server, client } = setup()
    // @ts-expect-error not a param
    await rejects(listTransactions(client, { financial_account: 'fa_1', nope: 1 }), 'nope', server)
  })

  it('rejects values outside an enum', async () => {
    const { server, client } = setup()
    // @ts-expect-error not a status
    await rejects(listTransactions(client, { financial_account: 'fa_1', status: 'bogus' }), 'status', server)
  })

  it('rejects a non-integer amount', async () => {
    const { server, client } = setup()
    await rejects(createOutboundPayment(client, { amount: 10.5, currency: 'usd', financial_account: 'fa_1' }), 'amount', server)
    // @ts-expect-error a string is not an amount
    await rejects(createOutboundPayment(client, { amount: '10', currency: 'usd', financial_account: 'fa_1' }), 'amount', server)
  })

  it('names nested param paths the way Stripe does', async () => {
    const { server, client } = setup()
    await rejects(
      createOutboundPayment(client, {
        amount: 100,
        currency: 'usd',
        financial_account: 'fa_1',
        destination_payment_method_data: {
          type: 'us_bank_account',
          billing_details: { address: { city: 'x'.repeat(5001) } },
        },
      }),
      'destination_payment_method_data[billing_details][address][city]',
      server,
    )
  })

  it('accepts a valid request and sends it encoded', async () => {
    const { server, client } = setup()
    const payment = await createOutboundPayment(client, {
      amount: 100,
      currency: 'usd',
      financial_account: 'fa_1',
      destination_payment_method: 'pm_1',
      metadata: { order: '6735' },
      expand: ['transaction'],
    })
    expect(payment.object).toBe('treasury.outbound_payment')
    expect(server.requests[0]!.params).toEqual({
      amount: '100',
      currency: 'usd',
      financial_account: 'fa_1',
      destination_payment_method: 'pm_1',
      metadata: { order: '6735' },
      expand: { 0: 'transaction' },
    })
  })
})

describe('overlay (newer API versions, spec/overlay.json)', () => {
  it('closeFinancialAccount sends forwarding_settings', async () => {
    const { server, client } = setup()
    const account = await closeFinancialAccount(client, 'fa_1', { forwarding_settings: { type: 'payment_method', payment_method: 'pm_1' } })
    expect(account.object).toBe('treasury.financial_account')
    expect(server.requests[0]).toMatchObject({
      operationId: 'PostTreasuryFinancialAccountsFinancialAccountClose',
      path: '/v1/treasury/financial_accounts/fa_1/close',
      params: { forwarding_settings: { type: 'payment_method', payment_method: 'pm_1' } },
    })
  })

  it('checks forwarding_settings[type]', async () => {
    const { server, client } = setup()
    // @ts-expect-error not a forwarding type
    await rejects(closeFinancialAccount(client, 'fa_1', { forwarding_settings: { type: 'iban' } }), 'forwarding_settings[type]', server)
  })

  it('nickname (and unsetting it with ""), list status, destination_payment_method_data', async () => {
    const { server, client } = setup()
    await updateFinancialAccount(client, 'fa_1', { nickname: '' })
    await listFinancialAccounts(client, { status: 'closed' })
    await createOutboundTransfer(client, {
      amount: 100,
      currency: 'usd',
      financial_account: 'fa_1',
      destination_payment_method_data: { type: 'financial_account', financial_account: 'fa_2' },
    })
    expect(server.rejected).toEqual([])
    expect(server.requests.map((r) => r.params)).toEqual([
      { nickname: '' },
      { status: 'closed' },
      {
        amount: '100',
        currency: 'usd',
        financial_account: 'fa_1',
        destination_payment_method_data: { type: 'financial_account', financial_account: 'fa_2' },
      },
    ])
  })
})

describe('with the core helpers', () => {
  it('paginate() walks a list operation from the operations record', async () => {
    const { server, client } = setup()
    const items = await toArray(
      paginate(client, operations.GetTreasuryTransactions, { params: { financial_account: 'fa_1', limit: 10 } }),
      {
        limit: 5,
      },
    )
    expect(items.map((t) => t.object)).toEqual(['treasury.transaction'])
    expect(server.requests[0]!.params).toEqual({ financial_account: 'fa_1', limit: '10' })
  })
})
