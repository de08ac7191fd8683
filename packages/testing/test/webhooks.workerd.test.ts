// In real workerd: the in-process emulator delivers signed events to an in-process handler, and
// core's verifyWebhook (WebCrypto) accepts them.
import { createStripe, verifyWebhook } from '@edgestripe/core'
import { createFinancialAccount } from '@edgestripe/treasury'
import { createReceivedCredit } from '@edgestripe/treasury/test-helpers'
import { describe, expect, it } from 'vitest'
import { createEmulator } from '../src/index.js'

describe('webhooks in workerd', () => {
  it('delivers verified events to an in-process handler', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const types: string[] = []
    emulator.control.addWebhookEndpoint({
      secret: 'whsec_workerd',
      handler: async (request) => {
        const event = await verifyWebhook<{ type: string }>(await request.text(), request.headers.get('Stripe-Signature'), 'whsec_workerd')
        types.push(event.type)
        return new Response(null, { status: 204 })
      },
    })
    const stripe = createStripe({ apiKey: 'sk_test_workerd', fetch: emulator.fetch })
    const fa = await createFinancialAccount(stripe, { supported_currencies: ['usd'] })
    await createReceivedCredit(stripe, { financial_account: fa.id, amount: 1_000, currency: 'usd', network: 'ach' })
    const deliveries = await emulator.control.deliverEvents()
    expect(deliveries.every((delivery) => delivery.ok && delivery.status === 204)).toBe(true)
    expect(types).toEqual(['treasury.financial_account.created', 'treasury.received_credit.created'])
  })
})
