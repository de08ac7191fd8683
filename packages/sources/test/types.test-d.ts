import { createStripe, type ListObject } from '@edgestripe/core'
import {
  attachSource,
  listSourceTransactions,
  operations,
  type PaymentSource,
  retrieveSource,
  type Source,
  type SourceTransaction,
  type StripeObject,
  sourcesPlugin,
} from '@edgestripe/sources'
import { describe, expectTypeOf, it } from 'vitest'

const stripe = createStripe({ apiKey: 'sk_test_123' })

describe('sources types', () => {
  it('types results, not any', async () => {
    const source = await retrieveSource(stripe, 'src_1', { client_secret: 'x' })
    expectTypeOf(source).not.toBeAny()
    expectTypeOf(source.id).toEqualTypeOf<string>()
    expectTypeOf<Source['type']>().not.toEqualTypeOf<string>()
    expectTypeOf<'card'>().toExtend<Source['type']>()
    expectTypeOf<Source['object']>().toEqualTypeOf<'source'>()
    expectTypeOf<Source['amount']>().toEqualTypeOf<number | null | undefined>()
    expectTypeOf(await listSourceTransactions(stripe, 'src_1')).toExtend<ListObject<SourceTransaction>>()
    expectTypeOf(await attachSource(stripe, 'cus_1', { source: 'tok_1' })).toExtend<PaymentSource>()
    expectTypeOf<PaymentSource>().toEqualTypeOf<StripeObject | Source>()
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
  })

  it('puts the plugin API on the client type', async () => {
    const client = createStripe({ apiKey: 'sk_test_123', plugins: [sourcesPlugin] })
    expectTypeOf(client.sources.retrieve).parameters.toEqualTypeOf<
      Parameters<typeof retrieveSource> extends [unknown, ...infer R] ? R : never
    >()
    expectTypeOf(await client.sources.retrieve('src_1')).toExtend<Source>()
    expectTypeOf(client.customers.createSource).returns.resolves.toExtend<PaymentSource>()
    expectTypeOf(operations.GetSourcesSource.auth).toEqualTypeOf<'secret' | 'publishable' | 'client_secret'>()
  })
})
