// Bounded memory: request, event and delivery logs are rings; idempotency keys expire after 24 h of
// emulator time and are swept; the saved reply is compact JSON (no pretty-printed copy); bodies
// above `maxRequestBytes` get a 413 before they are held in memory.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_LIMITS, DEFAULT_NOW, type Emulator } from '../src/index.js'
import { call, encodeForm, ORIGIN } from './helpers.js'

async function financialAccount(emulator: Emulator): Promise<string> {
  return (await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })).body.id
}

const credit = (fa: string) => ({ financial_account: fa, amount: 100, currency: 'usd', network: 'ach', description: 'Memory check' })

describe('bounded logs', () => {
  it('keeps the newest requests, events and deliveries up to the documented defaults', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    emulator.control.addWebhookEndpoint({ handler: () => new Response(null, { status: 200 }) })
    const fa = await financialAccount(emulator)
    for (let i = 0; i < 1100; i++) await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', credit(fa))
    await emulator.control.deliverEvents()
    const stats = emulator.control.stats()
    expect(stats.requests).toBe(DEFAULT_LIMITS.requestLogSize)
    expect(stats.events).toBe(DEFAULT_LIMITS.eventLogSize)
    expect(stats.deliveries).toBe(DEFAULT_LIMITS.deliveryLogSize)
    const requests = emulator.control.requests()
    expect(requests).toHaveLength(1000)
    expect(requests.at(-1)!.path).toBe('/v1/test_helpers/treasury/received_credits')
    expect(emulator.control.events().at(-1)!.type).toBe('treasury.received_credit.created')
    // the objects themselves are state, never dropped
    expect(emulator.control.objects('treasury.received_credit')).toHaveLength(1100)
  })

  it('takes the sizes as options (0 keeps none); deliverEvents still returns what finished since the last call', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW, requestLogSize: 3, eventLogSize: 0, deliveryLogSize: 2 })
    emulator.control.addWebhookEndpoint({ handler: () => new Response(null, { status: 200 }) })
    const fa = await financialAccount(emulator)
    for (let i = 0; i < 5; i++) await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', credit(fa))
    expect(emulator.control.requests()).toHaveLength(3)
    expect(emulator.control.events()).toHaveLength(0)
    const delivered = await emulator.control.deliverEvents()
    expect(delivered).toHaveLength(2)
    expect(await emulator.control.deliverEvents()).toEqual([])
    expect(() => createEmulator({ accounts: 'shared', requestLogSize: -1 })).toThrow(TypeError)
  })
})

describe('idempotency keys', () => {
  it('expire after 24 h of emulator time and are swept without the key returning', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const fa = await financialAccount(emulator)
    for (let i = 0; i < 50; i++) {
      await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', credit(fa), { idempotencyKey: `key-${i}` })
    }
    expect(emulator.control.stats().idempotencyKeys).toBe(50)
    emulator.control.advance(24 * 3600 - 1)
    expect(emulator.control.stats().idempotencyKeys).toBe(50)
    const replay = await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', credit(fa), { idempotencyKey: 'key-7' })
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true')
    emulator.control.advance(1)
    expect(emulator.control.stats().idempotencyKeys).toBe(0)
    const again = await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', credit(fa), { idempotencyKey: 'key-7' })
    expect(again.headers.get('Idempotent-Replayed')).toBeNull()
    expect(again.body.id).not.toBe(replay.body.id)
  })

  it('keep the reply once, as compact JSON, and replay it byte for byte as first sent', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const fa = await financialAccount(emulator)
    const first = await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', credit(fa), { idempotencyKey: 'once' })
    const saved = emulator.control.snapshot().accounts[0]!.idempotency[0]!
    expect(saved.body).toBe(JSON.stringify(JSON.parse(first.text)))
    expect(saved.body).not.toContain('\n')
    const second = await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', credit(fa), { idempotencyKey: 'once' })
    expect(second.text).toBe(first.text)
    expect(second.headers.get('Request-Id')).toBe(first.headers.get('Request-Id'))
  })
})

describe('retained memory', () => {
  it('stays under 6 KiB per POST (received credit + its idempotent replay) with default options', async () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const fa = await financialAccount(emulator)
    const post = async (i: number) => {
      const init = {
        method: 'POST',
        headers: { Authorization: 'Bearer sk_test_123', 'Content-Type': 'application/x-www-form-urlencoded', 'Idempotency-Key': `k${i}` },
        body: encodeForm(credit(fa)),
      }
      await (await emulator.fetch(`${ORIGIN}/v1/test_helpers/treasury/received_credits`, init)).text()
      await (await emulator.fetch(`${ORIGIN}/v1/test_helpers/treasury/received_credits`, init)).text()
    }
    for (let i = 0; i < 1100; i++) await post(i) // past the log rings' sizes and the JIT's warm-up
    gc()
    gc()
    const before = process.memoryUsage().heapUsed
    const count = 3000
    for (let i = 1100; i < 1100 + count; i++) await post(i)
    gc()
    gc()
    const perPost = (process.memoryUsage().heapUsed - before) / count
    expect(emulator.control.stats().idempotencyKeys).toBe(1100 + count)
    expect(perPost).toBeLessThan(6 * 1024)
  }, 60_000)
})

describe('request body limit', () => {
  const big = (bytes: number) => `financial_account=fa_1&amount=1&currency=usd&network=ach&description=${'x'.repeat(bytes)}`
  const headers = { Authorization: 'Bearer sk_test_123', 'Content-Type': 'application/x-www-form-urlencoded' }

  it('answers 413 in Stripe’s error shape above maxRequestBytes (declared or streamed), creating nothing', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW, maxRequestBytes: 1000 })
    const declared = await emulator.fetch(`${ORIGIN}/v1/test_helpers/treasury/received_credits`, {
      method: 'POST',
      headers,
      body: big(2000),
    })
    expect(declared.status).toBe(413)
    const body = (await declared.json()) as { error: { type: string; message: string } }
    expect(body.error.type).toBe('invalid_request_error')
    expect(body.error.message).toMatch(/at most 1000 bytes/)
    const chunk = new TextEncoder().encode(big(600))
    let pulled = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++
        if (pulled > 50) controller.close()
        else controller.enqueue(chunk)
      },
    })
    const streamed = await emulator.fetch(
      new Request(`${ORIGIN}/v1/test_helpers/treasury/received_credits`, {
        method: 'POST',
        headers,
        body: stream,
        duplex: 'half',
      } as RequestInit),
    )
    expect(streamed.status).toBe(413)
    expect(pulled).toBeLessThan(5) // abandoned once past the limit, not read to the end
    const control = await emulator.fetch(`${ORIGIN}/_emulator/seed`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'customer', pad: 'x'.repeat(2000) }),
    })
    expect(control.status).toBe(413)
    expect(emulator.control.requests().map((r) => r.status)).toEqual([413, 413])
    expect(emulator.control.stats().objects).toBe(0)
  })

  it('accepts a body up to the limit; the default is 1 MiB', async () => {
    expect(DEFAULT_LIMITS.maxRequestBytes).toBe(1024 * 1024)
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const fa = await financialAccount(emulator)
    const near = await call(emulator, 'POST', '/v1/treasury/financial_accounts/' + fa, { metadata: { k: 'v' } })
    expect(near.status).toBe(200)
    const over = await emulator.fetch(`${ORIGIN}/v1/treasury/financial_accounts/${fa}`, {
      method: 'POST',
      headers,
      body: `nickname=${'x'.repeat(1024 * 1024)}`,
    })
    expect(over.status).toBe(413)
  })
})
