import { createStripe, type ListObject, request } from '@edgestripe/core'
import {
  closeFinancialAccount,
  createOutboundPayment,
  type FinancialAccount,
  listTransactions,
  type OutboundPayment,
  operations,
  type Transaction,
  treasuryPlugin,
} from '@edgestripe/treasury'
import { type succeedInboundTransfer, operations as testOperations, treasuryTestHelpersPlugin } from '@edgestripe/treasury/test-helpers'
import { describe, expectTypeOf, it } from 'vitest'

const stripe = createStripe({ apiKey: 'sk_test_123' })

describe('treasury types', () => {
  it('types results with literal unions and expandable fields', async () => {
    const payment = await createOutboundPayment(stripe, { amount: 1, currency: 'usd', financial_account: 'fa_1' })
    expectTypeOf(payment).not.toBeAny()
    expectTypeOf(payment.status).toEqualTypeOf<OutboundPayment['status']>()
    expectTypeOf<'posted'>().toExtend<OutboundPayment['status']>()
    expectTypeOf<OutboundPayment['status']>().not.toEqualTypeOf<string>()
    expectTypeOf<OutboundPayment['transaction']>().toEqualTypeOf<string | Transaction>()
    expectTypeOf(await listTransactions(stripe, { financial_account: 'fa_1' })).toEqualTypeOf<
      ListObject<Transaction> & { readonly lastResponse: import('@edgestripe/core').ResponseMeta }
    >()
    expectTypeOf(await closeFinancialAccount(stripe, 'fa_1')).toExtend<FinancialAccount>()
    expectTypeOf(await request(stripe, operations.GetTreasuryTransactionsId, { path: { id: 'trxn_1' } })).toExtend<Transaction>()
  })

  it('rejects wrong params at compile time', () => {
    // @ts-expect-error financial_account is required
    listTransactions(stripe, {})
    // @ts-expect-error not a status
    listTransactions(stripe, { financial_account: 'fa_1', status: 'bogus' })
    // @ts-expect-error amount is a number
    createOutboundPayment(stripe, { amount: '1', currency: 'usd', financial_account: 'fa_1' })
    // @ts-expect-error path param of the generic request is checked
    request(stripe, operations.GetTreasuryTransactionsId, { path: { nope: 'x' } })
  })

  it('puts plugin APIs on the client type, test helpers included', async () => {
    const client = createStripe({ apiKey: 'sk_test_123', plugins: [treasuryPlugin, treasuryTestHelpersPlugin] })
    expectTypeOf(
      await client.treasury.outboundPayments.create({ amount: 1, currency: 'usd', financial_account: 'fa_1' }),
    ).toExtend<OutboundPayment>()
    expectTypeOf(client.treasury.financialAccounts.retrieveFeatures).toBeFunction()
    expectTypeOf(client.testHelpers.treasury.inboundTransfers.succeed).toEqualTypeOf<
      (
        id: string,
        params?: Parameters<typeof succeedInboundTransfer>[2],
        options?: Parameters<typeof succeedInboundTransfer>[3],
      ) => ReturnType<typeof succeedInboundTransfer>
    >()
    expectTypeOf(testOperations).toHaveProperty('PostTestHelpersTreasuryReceivedCredits')
    // @ts-expect-error test helpers are not in the main operations record
    operations.PostTestHelpersTreasuryReceivedCredits
  })
})
