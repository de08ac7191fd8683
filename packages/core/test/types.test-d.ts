import { describe, expectTypeOf, it } from 'vitest'
import { createStripe, paginate, request, type StripeClient, type WithResponse } from '../src'
import { createThing, listThings, retrieveThing } from './support/operations'

const stripe = createStripe({ apiKey: 'sk_test_123' })

describe('request types', () => {
  it('types results from the operation, never any', () => {
    const thing = request(stripe, retrieveThing, { path: { thing: 'x' } })
    expectTypeOf(thing).not.toBeAny()
    expectTypeOf(thing).resolves.toHaveProperty('id').toEqualTypeOf<string>()
    expectTypeOf(thing).resolves.toHaveProperty('lastResponse')
    expectTypeOf<Awaited<typeof thing>>().toMatchTypeOf<WithResponse<{ id: string }>>()
  })

  it('requires path params by their spec names and checks params', () => {
    // @ts-expect-error missing the `thing` path param
    request(stripe, retrieveThing, {})
    // @ts-expect-error wrong path param name
    request(stripe, retrieveThing, { path: { source: 'x' } })
    // @ts-expect-error unknown param
    request(stripe, createThing, { params: { amount: 1, colour: 'red' } })
    // @ts-expect-error amount is a number
    request(stripe, createThing, { params: { amount: '1' } })
    // @ts-expect-error currency is an enum
    request(stripe, createThing, { params: { currency: 'gbp' } })
    request(stripe, createThing, { params: { amount: 1, currency: 'usd' } })
  })

  it('defineOperation keeps the auth literal', () => {
    expectTypeOf(retrieveThing.auth).toEqualTypeOf<'client_secret'>()
    expectTypeOf(createThing.auth).toEqualTypeOf<'secret'>()
  })

  it('types paginated items', () => {
    const items = paginate(stripe, listThings, {})
    expectTypeOf(items).toEqualTypeOf<AsyncGenerator<{ id: string } & { [k: string]: unknown }, void, undefined>>()
  })
})

describe('client types', () => {
  it('adds each plugin’s API to the client type, and hook-only plugins add nothing', () => {
    const things = (client: StripeClient) => ({ things: { count: (): number => 1, client } })
    const stats = (_client: StripeClient) => ({ stats: { total: 3 } })
    const hooksOnly = (client: StripeClient): void => {
      client.hooks.hook('request:before', () => {})
    }
    const withPlugins = createStripe({ apiKey: 'sk_test_123', plugins: [things, stats, hooksOnly] })
    expectTypeOf(withPlugins.things.count()).toEqualTypeOf<number>()
    expectTypeOf(withPlugins.stats.total).toEqualTypeOf<number>()
    expectTypeOf(withPlugins.config.apiVersion).toEqualTypeOf<string>()
    const used = createStripe({ apiKey: 'sk_test_123' }).use(things).use(stats)
    expectTypeOf(used.things.count).returns.toEqualTypeOf<number>()
    expectTypeOf(used.stats.total).toEqualTypeOf<number>()
    // @ts-expect-error no such plugin API
    withPlugins.treasury
  })

  it('takes exactly one kind of key', () => {
    // @ts-expect-error both keys
    createStripe({ apiKey: 'sk_test_1', publishableKey: 'pk_test_1' })
    // @ts-expect-error dangerouslyAllowBrowser is meaningless with a publishable key
    createStripe({ publishableKey: 'pk_test_1', dangerouslyAllowBrowser: true })
    createStripe({ publishableKey: 'pk_test_1' })
  })

  it('hooks are typed', () => {
    stripe.hooks.hook('retry:before', (ctx) => {
      expectTypeOf(ctx.delayMs).toEqualTypeOf<number>()
      expectTypeOf(ctx.reason).toEqualTypeOf<string>()
    })
    // @ts-expect-error unknown hook
    stripe.hooks.hook('request:nope', () => {})
  })
})
