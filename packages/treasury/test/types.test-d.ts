import { createStripe, type ListObject, request, type WithResponse } from '@edgestripe/core'
import {
  closeFinancialAccount,
  createOutboundPayment,
  type FinancialAccount,
  type FinancialAccountFeatures,
  type ListTransactionEntriesParams,
  listTransactionEntries,
  listTransactions,
  type OutboundPayment,
  retrieveFinancialAccountFeatures,
  type Transaction,
  type TransactionEntry,
  treasuryPlugin,
} from '@edgestripe/treasury'
import { operations } from '@edgestripe/treasury/operations'
import { type succeedInboundTransfer, operations as testOperations, treasuryTestHelpersPlugin } from '@edgestripe/treasury/test-helpers'
import { describe, expectTypeOf, it } from 'vitest'

const stripe = createStripe({ apiKey: 'sk_test_123' })

describe('treasury types', () => {
  it('types results with literal unions and expandable fields', async () => {
    const payment = await createOutboundPayment(stripe, { amount: 1, currency: 'usd', financial_account: 'fa_1' })
    expectTypeOf(payment).not.toBeAny()
    expectTypeOf(payment).toEqualTypeOf<WithResponse<OutboundPayment>>()
    // spec enums, exactly
    expectTypeOf<OutboundPayment['status']>().toEqualTypeOf<'canceled' | 'failed' | 'posted' | 'processing' | 'returned'>()
    expectTypeOf<FinancialAccount['status']>().toEqualTypeOf<'closed' | 'open'>()
    // expandable, required, not nullable
    expectTypeOf<OutboundPayment['transaction']>().toEqualTypeOf<string | Transaction>()
    expectTypeOf<TransactionEntry['transaction']>().toEqualTypeOf<string | Transaction>()
    expectTypeOf(await listTransactionEntries(stripe, { financial_account: 'fa_1' })).toEqualTypeOf<
      WithResponse<ListObject<TransactionEntry>>
    >()
    expectTypeOf(await retrieveFinancialAccountFeatures(stripe, 'fa_1')).toEqualTypeOf<WithResponse<FinancialAccountFeatures>>()
    expectTypeOf(await listTransactions(stripe, { financial_account: 'fa_1' })).toEqualTypeOf<
      ListObject<Transaction> & { readonly lastResponse: import('@edgestripe/core').ResponseMeta }
    >()
    expectTypeOf(await closeFinancialAccount(stripe, 'fa_1')).toEqualTypeOf<WithResponse<FinancialAccount>>()
    expectTypeOf(await request(stripe, operations.GetTreasuryTransactionsId, { path: { id: 'trxn_1' } })).toEqualTypeOf<
      WithResponse<Transaction>
    >()
  })

  it('rejects wrong params at compile time', () => {
    // @ts-expect-error financial_account is required
    listTransactions(stripe, {})
    // @ts-expect-error financial_account is required
    listTransactionEntries(stripe, {})
    expectTypeOf<ListTransactionEntriesParams['financial_account']>().toEqualTypeOf<string>()
    expectTypeOf<Pick<ListTransactionEntriesParams, 'financial_account'>>().toEqualTypeOf<{ financial_account: string }>()
    // @ts-expect-error not a status
    listTransactions(stripe, { financial_account: 'fa_1', status: 'bogus' })
    // @ts-expect-error amount is a number
    createOutboundPayment(stripe, { amount: '1', currency: 'usd', financial_account: 'fa_1' })
    // @ts-expect-error path param of the generic request is checked
    request(stripe, operations.GetTreasuryTransactionsId, { path: { nope: 'x' } })
  })

  it('puts plugin APIs on the client type, test helpers included', async () => {
    const client = createStripe({ apiKey: 'sk_test_123', plugins: [treasuryPlugin, treasuryTestHelpersPlugin] })
    expectTypeOf(await client.treasury.outboundPayments.create({ amount: 1, currency: 'usd', financial_account: 'fa_1' })).toEqualTypeOf<
      WithResponse<OutboundPayment>
    >()
    // the function with the client bound (generic in `expand`, see expand.test-d.ts)
    expectTypeOf(client.treasury.financialAccounts.retrieveFeatures).parameters.toEqualTypeOf<
      Parameters<typeof retrieveFinancialAccountFeatures> extends [unknown, ...infer R] ? R : never
    >()
    expectTypeOf(client.treasury.financialAccounts.retrieveFeatures).returns.resolves.toEqualTypeOf<
      WithResponse<FinancialAccountFeatures>
    >()
    expectTypeOf(client.testHelpers.treasury.inboundTransfers.succeed).parameters.toEqualTypeOf<
      Parameters<typeof succeedInboundTransfer> extends [unknown, ...infer R] ? R : never
    >()
    expectTypeOf(client.testHelpers.treasury.inboundTransfers.succeed).returns.resolves.toEqualTypeOf<
      Awaited<ReturnType<typeof succeedInboundTransfer>>
    >()
    expectTypeOf(testOperations).toHaveProperty('PostTestHelpersTreasuryReceivedCredits')
    // @ts-expect-error test helpers are not in the main operations record
    operations.PostTestHelpersTreasuryReceivedCredits
  })
})
