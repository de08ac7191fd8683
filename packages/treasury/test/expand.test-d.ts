// Types that follow `expand`: a literal expand list narrows the result type (Expand in core).
import { createStripe } from '@edgestripe/core'
import {
  listOutboundPayments,
  type OutboundPayment,
  retrieveOutboundPayment,
  retrieveTransactionEntry,
  type Transaction,
  treasuryPlugin,
} from '@edgestripe/treasury'
import { describe, expectTypeOf, it } from 'vitest'

const client = createStripe({ apiKey: 'sk_test_123' })

describe('expand narrows the result type', () => {
  it('no expand: an expandable field is an id or an object', async () => {
    const payment = await retrieveOutboundPayment(client, 'obp_1')
    expectTypeOf(payment.transaction).toEqualTypeOf<string | Transaction>()
    expectTypeOf(payment).toExtend<OutboundPayment>()
  })

  it('a top-level field', async () => {
    const payment = await retrieveOutboundPayment(client, 'obp_1', { expand: ['transaction'] })
    expectTypeOf(payment.transaction).toEqualTypeOf<Transaction>()
    expectTypeOf(payment.transaction.object).toEqualTypeOf<'treasury.transaction'>()
    // others stay as they were
    expectTypeOf(payment.returned_details).toEqualTypeOf<OutboundPayment['returned_details']>()
    // @ts-expect-error no longer an id
    const id: string = payment.transaction
    void id
  })

  it('a nested path, through an object and into an expanded one', async () => {
    const payment = await retrieveOutboundPayment(client, 'obp_1', { expand: ['returned_details.transaction'] })
    expectTypeOf(payment.transaction).toEqualTypeOf<string | Transaction>()
    type Returned = NonNullable<typeof payment.returned_details>
    expectTypeOf<Returned['transaction']>().toEqualTypeOf<Transaction>()
    expectTypeOf<Returned['code']>().toEqualTypeOf<NonNullable<OutboundPayment['returned_details']>['code']>()
  })

  it('a list: data.transaction', async () => {
    const list = await listOutboundPayments(client, { financial_account: 'fa_1', expand: ['data.transaction'] })
    expectTypeOf(list.data[0]!.transaction).toEqualTypeOf<Transaction>()
    expectTypeOf(list.has_more).toEqualTypeOf<boolean>()
    const plain = await listOutboundPayments(client, { financial_account: 'fa_1' })
    expectTypeOf(plain.data[0]!.transaction).toEqualTypeOf<string | Transaction>()
  })

  it('two levels: an expanded object and a field inside it', async () => {
    const entry = await retrieveTransactionEntry(client, 'trxne_1', { expand: ['transaction', 'transaction.entries'] })
    expectTypeOf(entry.transaction).toExtend<Transaction>()
    expectTypeOf(entry.transaction.entries).toEqualTypeOf<Transaction['entries']>()
  })

  it('a non-literal list leaves the type as it is', async () => {
    const fields: string[] = ['transaction']
    const payment = await retrieveOutboundPayment(client, 'obp_1', { expand: fields })
    expectTypeOf(payment.transaction).toEqualTypeOf<string | Transaction>()
  })

  it('plugin methods narrow too', async () => {
    const bound = createStripe({ apiKey: 'sk_test_123', plugins: [treasuryPlugin] })
    const viaPlugin = await bound.treasury.outboundPayments.retrieve('obp_1', { expand: ['transaction'] })
    expectTypeOf(viaPlugin.transaction).toEqualTypeOf<Transaction>()
    const list = await bound.treasury.outboundPayments.list({ financial_account: 'fa_1', expand: ['data.transaction'] })
    expectTypeOf(list.data[0]!.transaction).toEqualTypeOf<Transaction>()
    const plain = await bound.treasury.outboundPayments.retrieve('obp_1')
    expectTypeOf(plain.transaction).toEqualTypeOf<string | Transaction>()
    // @ts-expect-error params are still checked
    bound.treasury.outboundPayments.retrieve('obp_1', { expand: ['transaction'], nope: 1 })
  })
})
