import { createStripe, type ListObject, narrowEvent, type StripeEvent, type WithResponse } from '@edgestripe/core'
import {
  type FinancialConnectionsAccount,
  type FinancialConnectionsAccountOwner,
  type FinancialConnectionsEvent,
  type FinancialConnectionsSession,
  financialConnectionsEvents,
  financialConnectionsPlugin,
  listAccountOwners,
  type refreshAccount,
} from '@edgestripe/financial-connections'
import { describe, expectTypeOf, it } from 'vitest'

declare const event: StripeEvent

describe('financial connections types', () => {
  it('types results, the plugin namespace and the events', async () => {
    const stripe = createStripe({ apiKey: 'sk_test_123', plugins: [financialConnectionsPlugin] })
    const page = await stripe.financialConnections.accounts.list({ session: 'fcsess_1' })
    expectTypeOf(page).toEqualTypeOf<WithResponse<ListObject<FinancialConnectionsAccount>>>()
    expectTypeOf<FinancialConnectionsAccount['object']>().toEqualTypeOf<'financial_connections.account'>()
    expectTypeOf(
      await stripe.financialConnections.sessions.create({
        account_holder: { type: 'customer', customer: 'cus_1' },
        permissions: ['balances'],
      }),
    ).toEqualTypeOf<WithResponse<FinancialConnectionsSession>>()
    expectTypeOf(await listAccountOwners(stripe, 'fca_1', { ownership: 'fcaowns_1' })).toEqualTypeOf<
      WithResponse<ListObject<FinancialConnectionsAccountOwner>>
    >()
    // @ts-expect-error ownership is a required query param
    listAccountOwners(stripe, 'fca_1', {})
    // the spec lets Stripe add features (x-stripeBypassValidation): the literals are offered, other strings allowed
    expectTypeOf<Parameters<typeof refreshAccount>[2]['features'][number]>().toExtend<string>()
    expectTypeOf<'balance'>().toExtend<Parameters<typeof refreshAccount>[2]['features'][number]>()

    const typed = narrowEvent(event, financialConnectionsEvents)
    if (typed?.type === 'financial_connections.account.refreshed_balance')
      expectTypeOf(typed.data.object).toEqualTypeOf<FinancialConnectionsAccount>()
    expectTypeOf<FinancialConnectionsEvent['type']>().toEqualTypeOf<keyof typeof financialConnectionsEvents>()
    expectTypeOf(financialConnectionsEvents).toHaveProperty('financial_connections.account.disconnected')
  })
})
