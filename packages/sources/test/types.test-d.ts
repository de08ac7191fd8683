import { createStripe, type ListObject, type WithResponse } from '@edgestripe/core'
import {
  type Account,
  type AttachSourceParams,
  attachSource,
  type BankAccount,
  type Card,
  type DeletedBankAccount,
  type DeletedCard,
  type DeletedPaymentSource,
  detachSource,
  listCustomerSources,
  listSourceTransactions,
  type PaymentSource,
  retrieveCustomerSource,
  retrieveSource,
  type Source,
  type SourceOwner,
  type SourceTransaction,
  type StripeObject,
  sourcesPlugin,
  updateCustomerSource,
  type VerifySourceParams,
  verifyCustomerSource,
  verifySource,
} from '@edgestripe/sources'
import { operations } from '@edgestripe/sources/operations'
import { describe, expectTypeOf, it } from 'vitest'

const stripe = createStripe({ apiKey: 'sk_test_123' })

describe('sources types', () => {
  it('types results, not any', async () => {
    const source = await retrieveSource(stripe, 'src_1', { client_secret: 'x' })
    expectTypeOf(source).not.toBeAny()
    expectTypeOf(source).toEqualTypeOf<WithResponse<Source>>()
    expectTypeOf(source.id).toEqualTypeOf<string>()
    expectTypeOf<Source['type']>().not.toEqualTypeOf<string>()
    expectTypeOf<'card'>().toExtend<Source['type']>()
    expectTypeOf<Source['object']>().toEqualTypeOf<'source'>()
    expectTypeOf<Source['amount']>().toEqualTypeOf<number | null | undefined>()
    // spec: `customer` optional, not nullable; `owner` optional and nullable
    expectTypeOf<Source['customer']>().toEqualTypeOf<string | undefined>()
    expectTypeOf<Source['owner']>().toEqualTypeOf<SourceOwner | null | undefined>()
    expectTypeOf(await listSourceTransactions(stripe, 'src_1')).toEqualTypeOf<WithResponse<ListObject<SourceTransaction>>>()
  })

  it('types the customer-source operations exactly', async () => {
    expectTypeOf(await attachSource(stripe, 'cus_1', { source: 'tok_1' })).toEqualTypeOf<WithResponse<PaymentSource>>()
    expectTypeOf(await retrieveCustomerSource(stripe, 'cus_1', 'card_1')).toEqualTypeOf<WithResponse<PaymentSource>>()
    expectTypeOf(await listCustomerSources(stripe, 'cus_1')).toEqualTypeOf<WithResponse<ListObject<BankAccount | Card | Source>>>()
    expectTypeOf(await updateCustomerSource(stripe, 'cus_1', 'card_1')).toEqualTypeOf<WithResponse<BankAccount | Card | Source>>()
    expectTypeOf(await verifyCustomerSource(stripe, 'cus_1', 'ba_1')).toEqualTypeOf<WithResponse<BankAccount>>()
    expectTypeOf(await detachSource(stripe, 'cus_1', 'card_1')).toEqualTypeOf<WithResponse<PaymentSource | DeletedPaymentSource>>()
  })

  it('gives out-of-domain objects their object literal, so PaymentSource narrows', async () => {
    expectTypeOf<PaymentSource>().toEqualTypeOf<Account | BankAccount | Card | Source>()
    expectTypeOf<Account>().toEqualTypeOf<StripeObject & { object: 'account'; deleted?: never }>()
    expectTypeOf<BankAccount>().toEqualTypeOf<StripeObject & { object: 'bank_account'; deleted?: never }>()
    expectTypeOf<Card>().toEqualTypeOf<StripeObject & { object: 'card'; deleted?: never }>()
    expectTypeOf<DeletedPaymentSource>().toEqualTypeOf<DeletedBankAccount | DeletedCard>()
    expectTypeOf<DeletedCard['deleted']>().toEqualTypeOf<true>()
    expectTypeOf<DeletedCard['object']>().toEqualTypeOf<'card'>()
    expectTypeOf<DeletedBankAccount['deleted']>().toEqualTypeOf<true>()
    expectTypeOf<DeletedBankAccount['object']>().toEqualTypeOf<'bank_account'>()

    const ps = await retrieveCustomerSource(stripe, 'cus_1', 'src_1')
    if (ps.object === 'source') expectTypeOf(ps).toEqualTypeOf<WithResponse<Source>>()
    if (ps.object === 'card') expectTypeOf(ps).toEqualTypeOf<WithResponse<Card>>()
    if (ps.object === 'bank_account') expectTypeOf(ps).toEqualTypeOf<WithResponse<BankAccount>>()

    const detached = await detachSource(stripe, 'cus_1', 'card_1')
    if ('deleted' in detached && detached.deleted) {
      expectTypeOf(detached).toEqualTypeOf<WithResponse<DeletedBankAccount> | WithResponse<DeletedCard>>()
      expectTypeOf(detached.deleted).toEqualTypeOf<true>()
      if (detached.object === 'card') expectTypeOf(detached).toEqualTypeOf<WithResponse<DeletedCard>>()
    } else {
      expectTypeOf(detached).toEqualTypeOf<WithResponse<PaymentSource>>()
    }
    if (detached.object === 'source') expectTypeOf(detached).toEqualTypeOf<WithResponse<Source>>()
  })

  it('rejects wrong params at compile time', () => {
    // @ts-expect-error unknown param
    retrieveSource(stripe, 'src_1', { secret: 'x' })
    // @ts-expect-error wrong type
    retrieveSource(stripe, 'src_1', { client_secret: 1 })
    // @ts-expect-error path param missing
    retrieveSource(stripe)
    // @ts-expect-error not a usage value
    stripe.use(sourcesPlugin).sources.create({ usage: 'sometimes' })
    // @ts-expect-error verify needs its params (`values` is required)
    verifySource(stripe, 'src_1')
    expectTypeOf(verifySource).parameter(2).toEqualTypeOf<VerifySourceParams<string[]>>() // `expand` is the params' type parameter (Expand)
    expectTypeOf<VerifySourceParams>().toEqualTypeOf<{ expand?: string[]; values: string[] }>()
    // attach's params are optional
    expectTypeOf<Parameters<typeof attachSource>[2]>().toEqualTypeOf<AttachSourceParams<string[]> | undefined>()
    attachSource(stripe, 'cus_1')
  })

  it('puts the plugin API on the client type', async () => {
    const client = createStripe({ apiKey: 'sk_test_123', plugins: [sourcesPlugin] })
    expectTypeOf(client.sources.retrieve).parameters.toEqualTypeOf<
      Parameters<typeof retrieveSource> extends [unknown, ...infer R] ? R : never
    >()
    expectTypeOf(await client.sources.retrieve('src_1')).toEqualTypeOf<WithResponse<Source>>()
    expectTypeOf(client.customers.createSource).returns.resolves.toEqualTypeOf<WithResponse<PaymentSource>>()
    expectTypeOf(operations.GetSourcesSource.auth).toEqualTypeOf<'client_secret'>()
    expectTypeOf(operations.PostSources.auth).toEqualTypeOf<'publishable'>()
    expectTypeOf(operations.PostSourcesSource.auth).toEqualTypeOf<'secret'>()
  })
})
