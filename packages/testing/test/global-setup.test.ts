// A test suite that reaches the emulator started by the README's globalSetup (emulator-global-setup.ts).
import { createStripe } from '@edgestripe/core'
import { createSource, retrieveSource } from '@edgestripe/sources'
import Stripe from 'stripe'
import { expect, inject, it } from 'vitest'

it('the globalSetup server serves this suite (edgestripe and the official SDK)', async () => {
  const baseURL = inject('stripeEmulatorURL')
  expect(baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  const stripe = createStripe({ apiKey: 'sk_test_123', baseURL })
  const source = await createSource(stripe, { type: 'ach_credit_transfer', currency: 'usd', owner: { email: 'a@b.co' } })
  const { port } = new URL(baseURL)
  const official = new Stripe('sk_test_123', { host: '127.0.0.1', port: Number(port), protocol: 'http', maxNetworkRetries: 0 })
  expect((await official.sources.retrieve(source.id)).id).toBe(source.id)
  expect((await retrieveSource(stripe, source.id)).id).toBe(source.id)
})
