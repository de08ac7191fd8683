// Runs in workerd (the root vitest `workerd` project): the emulator delivers real signed Treasury
// webhooks to the Worker's handler, which verifies them and retrieves the objects from the emulator.
import { createStripe, signWebhookPayload } from '@edgestripe/core'
import { createEmulator } from '@edgestripe/testing'
import { createFinancialAccount, createOutboundPayment } from '@edgestripe/treasury'
import { createReceivedCredit, postOutboundPayment } from '@edgestripe/treasury/test-helpers'
import { describe, expect, it } from 'vitest'
import { createHandler, type Env } from '../src/worker'

async function setup() {
  const emulator = createEmulator()
  const handler = createHandler({ fetch: emulator.fetch })
  const answers: unknown[] = []
  const endpoint = emulator.controlFor('sk_test_123').addWebhookEndpoint({
    handler: async (request) => {
      const response = await handler(request, env)
      answers.push(await response.clone().json())
      return response
    },
  })
  const env: Env = { STRIPE_SECRET_KEY: 'sk_test_123', STRIPE_WEBHOOK_SECRET: endpoint.secret }
  const stripe = createStripe({ apiKey: 'sk_test_123', fetch: emulator.fetch })
  return { emulator, handler, env, stripe, answers }
}

describe('cloudflare-worker example', () => {
  it('verifies delivered Treasury webhooks and retrieves their objects and transactions', async () => {
    const { emulator, stripe, answers } = await setup()
    const account = await createFinancialAccount(stripe, { supported_currencies: ['usd'] })
    await createReceivedCredit(stripe, { financial_account: account.id, currency: 'usd', amount: 50_000, network: 'ach' })
    const payment = await createOutboundPayment(stripe, {
      financial_account: account.id,
      currency: 'usd',
      amount: 1_000,
      destination_payment_method_data: {
        type: 'us_bank_account',
        us_bank_account: { routing_number: '110000000', account_number: '000000000009' },
      },
    })
    await postOutboundPayment(stripe, payment.id)
    const deliveries = await emulator.controlFor('sk_test_123').deliverEvents()
    expect(deliveries.length).toBeGreaterThanOrEqual(3)
    expect(deliveries.every((d) => d.status === 200)).toBe(true)
    expect(answers).toContainEqual(
      expect.objectContaining({
        received: 'treasury.outbound_payment.posted',
        handled: true,
        object: { id: payment.id, object: 'treasury.outbound_payment', status: 'posted' },
        transaction: expect.objectContaining({
          id: expect.stringMatching(/^trxn_/),
          balance_impact: expect.objectContaining({ cash: -1_000 }),
        }),
      }),
    )
    expect(answers).toContainEqual(
      expect.objectContaining({
        received: 'treasury.received_credit.created',
        handled: true,
        object: expect.objectContaining({ status: 'succeeded' }),
      }),
    )
  })

  it('refuses a bad signature and ignores event types it does not handle', async () => {
    const { handler, env } = await setup()
    const body = JSON.stringify({ id: 'evt_1', object: 'event', type: 'charge.succeeded', data: { object: { id: 'ch_1' } } })
    const forged = await handler(
      new Request('https://worker.example/', {
        method: 'POST',
        body,
        headers: { 'stripe-signature': await signWebhookPayload(body, 'whsec_wrong') },
      }),
      env,
    )
    expect(forged.status).toBe(400)
    expect(await forged.json()).toEqual({ error: 'no_match' })
    const other = await handler(
      new Request('https://worker.example/', {
        method: 'POST',
        body,
        headers: { 'stripe-signature': await signWebhookPayload(body, env.STRIPE_WEBHOOK_SECRET) },
      }),
      env,
    )
    expect(await other.json()).toEqual({ received: 'charge.succeeded', handled: false })
    expect((await handler(new Request('https://worker.example/'), env)).status).toBe(405)
  })
})
