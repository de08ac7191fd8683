// Per-call overhead of the SDKs with an in-memory transport (no network): what the client itself
// costs per request, encoding, validation and parsing included.
import Stripe from 'stripe'
import { createStripe } from '../../packages/core/src/index'

const source = {
  id: 'src_1',
  object: 'source',
  status: 'chargeable',
  client_secret: 'src_client_secret_1',
  metadata: {},
  owner: { email: null },
}
const body = JSON.stringify(source)
const memoryFetch = async () => new Response(body, { headers: { 'content-type': 'application/json', 'request-id': 'req_1' } })

async function time(name: string, run: () => Promise<unknown>, iterations = 3000, rounds = 5) {
  for (let i = 0; i < 300; i++) await run()
  const perCall: number[] = []
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    for (let i = 0; i < iterations; i++) await run()
    perCall.push(((performance.now() - start) / iterations) * 1000)
  }
  perCall.sort((a, b) => a - b)
  return { name, medianMicros: perCall[Math.floor(rounds / 2)]!, minMicros: perCall[0]! }
}

export async function speed() {
  const { retrieveSource, createSource } = await import('../../packages/sources/src/index')
  const ours = createStripe({ publishableKey: 'pk_test_bench123', fetch: memoryFetch })
  const secret = createStripe({ apiKey: 'sk_test_bench123', fetch: memoryFetch })
  const official = new Stripe('sk_test_bench123', {
    httpClient: Stripe.createFetchHttpClient(memoryFetch as typeof fetch),
    maxNetworkRetries: 0,
  })
  return [
    await time('edgestripe retrieveSource (pk + client_secret)', () =>
      retrieveSource(ours, 'src_1', { client_secret: 'src_client_secret_1' }),
    ),
    await time('stripe-node sources.retrieve', () => official.sources.retrieve('src_1', { client_secret: 'src_client_secret_1' })),
    await time('edgestripe createSource (form body, idempotency key)', () =>
      createSource(secret, {
        type: 'ach_credit_transfer',
        currency: 'usd',
        owner: { email: 'a@b.co', address: { city: 'Paris' } },
        metadata: { order: '42' },
      }),
    ),
    await time('stripe-node sources.create', () =>
      official.sources.create({
        type: 'ach_credit_transfer',
        currency: 'usd',
        owner: { email: 'a@b.co', address: { city: 'Paris' } },
        metadata: { order: '42' },
      }),
    ),
  ]
}
