// Params stripe-node 23.1.0 accepts beyond the 2024-04-10 spec (spec/overlay.stripe-node.json):
// numeric metadata sent as stripe-node sends it, nested params and newer enum values.
import { createStripe } from '@edgestripe/core'
import { createOutboundPayment, type OutboundTransfer, retrieveOutboundTransfer } from '@edgestripe/treasury'
import { createReceivedCredit, updateOutboundPayment } from '@edgestripe/treasury/test-helpers'
import Stripe from 'stripe'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { createFixtureServer } from '../../../test-support/fixture-server'

function setup() {
  const bodies: string[] = []
  const server = createFixtureServer()
  const fetch: typeof globalThis.fetch = async (input, init) => {
    if (typeof init?.body === 'string') bodies.push(init.body)
    return server.fetch(input, init)
  }
  const client = createStripe({ apiKey: 'sk_test_123', fetch, maxRetries: 0, validateResponses: 'strict' })
  return { server, client, bodies }
}

describe('params from stripe-node 23.1.0', () => {
  it('numeric metadata values are accepted and encoded as stripe-node does, nested ones included', async () => {
    const { server, client, bodies } = setup()
    await createOutboundPayment(client, {
      amount: 100,
      currency: 'usd',
      financial_account: 'fa_1',
      metadata: { order_id: 6735, note: 'x', gone: null },
      destination_payment_method_data: { type: 'financial_account', financial_account: 'fa_2', metadata: { order_id: 6735 } },
    })
    expect(server.rejected).toEqual([])
    const body = decodeURIComponent(bodies[0]!)
    expect(body).toContain('metadata[order_id]=6735&metadata[note]=x&metadata[gone]=&')
    expect(body).toContain('destination_payment_method_data[metadata][order_id]=6735')
  })

  it("the wire form is the official stripe package's, pair for pair (stripe-node as the oracle)", async () => {
    const params = {
      amount: 100,
      currency: 'usd',
      financial_account: 'fa_1',
      metadata: { order_id: 6735, note: 'x', ratio: 0.5 },
      destination_payment_method_data: {
        type: 'financial_account' as const,
        financial_account: 'fa_2',
        metadata: { order_id: 6735 },
      },
    }
    const ours = setup()
    await createOutboundPayment(ours.client, params)
    const theirs: string[] = []
    const payment = structuredClone((await import('../../../spec/fixtures.json')).default.resources['treasury.outbound_payment'])
    const official = new Stripe('sk_test_123', {
      maxNetworkRetries: 0,
      httpClient: Stripe.createFetchHttpClient((async (_url: string, init: RequestInit) => {
        theirs.push(String(init.body))
        return Response.json(payment)
      }) as typeof fetch),
    })
    await official.treasury.outboundPayments.create(params)
    const pairs = (body: string) => [...new URLSearchParams(body)]
    expect(pairs(ours.bodies[0]!)).toEqual(pairs(theirs[0]!))
    expect(pairs(ours.bodies[0]!)).toContainEqual(['metadata[order_id]', '6735'])
  })

  it('newer nested params and enum values pass', async () => {
    const { server, client } = setup()
    await updateOutboundPayment(client, 'obp_1', { tracking_details: { type: 'us_domestic_wire', us_domestic_wire: { chips: 'c1' } } })
    await createReceivedCredit(client, { amount: 1, currency: 'usd', financial_account: 'fa_1', network: 'rtp' })
    expect(server.rejected).toEqual([])
    expect(server.requests.map((r) => r.operationId)).toEqual([
      'PostTestHelpersTreasuryOutboundPaymentsId',
      'PostTestHelpersTreasuryReceivedCredits',
    ])
  })

  it('response types carry the additions (financial_account destination details on outbound transfers)', async () => {
    const { client } = setup()
    const transfer = await retrieveOutboundTransfer(client, 'obt_1')
    expectTypeOf(transfer).toExtend<OutboundTransfer>()
    type Details = NonNullable<OutboundTransfer['destination_payment_method_details']>
    expectTypeOf<Details['financial_account']>().toEqualTypeOf<{ id: string; network: 'stripe' } | undefined>()
    expectTypeOf<'financial_account'>().toExtend<Details['type']>()
  })
})
