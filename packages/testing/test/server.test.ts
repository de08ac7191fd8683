import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmulatorServer, startEmulatorServer } from '../../../scripts/emulator-server.js'

let server: EmulatorServer

beforeAll(async () => {
  server = await startEmulatorServer({ accounts: 'shared', port: 0 })
})

afterAll(async () => {
  await server.close()
})

describe('emulator server over HTTP', () => {
  it('listens on 127.0.0.1 and answers CORS preflights', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const res = await fetch(`${server.url}/v1/sources`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:3000',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization',
      },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('drops the connection on a reset fault and mid-body on truncate', async () => {
    server.emulator.control.injectFaults({ count: 1, fault: { reset: true } })
    await expect(fetch(`${server.url}/v1/treasury/financial_accounts`, { headers: { Authorization: 'Bearer sk_test_1' } })).rejects.toThrow(
      TypeError,
    )
    const auth = { headers: { Authorization: 'Bearer sk_test_1' } }
    const source = await (
      await fetch(`${server.url}/v1/sources`, {
        method: 'POST',
        headers: { ...auth.headers, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'type=card',
      })
    ).json()
    const url = `${server.url}/v1/sources/${source.id}`
    const full = await (await fetch(url, auth)).text()
    server.emulator.control.injectFaults({ count: 1, fault: { truncate: true } })
    const res = await fetch(url, auth)
    expect(res.status).toBe(200)
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    let received = ''
    let failure: unknown
    for (;;) {
      try {
        const { done, value } = await reader.read()
        if (done) break
        received += new TextDecoder().decode(value)
      } catch (error) {
        failure = error
        break
      }
    }
    expect(failure).toBeInstanceOf(TypeError)
    expect(received.length).toBeGreaterThan(0)
    expect(received.length).toBeLessThan(full.length)
    expect(full.startsWith(received)).toBe(true)
  })

  it('lets the official SDK retry an injected 500 with one creation', async () => {
    const stripe = new Stripe('sk_test_123', { host: '127.0.0.1', port: server.port, protocol: 'http', maxNetworkRetries: 2 })
    server.emulator.control.clearRequests()
    server.emulator.control.injectFaults({
      count: 1,
      match: { method: 'POST', path: '/v1/sources' },
      fault: { status: 500, headers: { 'Stripe-Should-Retry': 'true' } },
    })
    const source = await stripe.sources.create({ type: 'card' })
    expect(source.id).toMatch(/^src_/)
    const log = server.emulator.control.requests()
    expect(log.map((entry) => entry.status)).toEqual([500, 200])
    expect(log[0]?.idempotencyKey).toBeTruthy()
    expect(log[1]?.idempotencyKey).toBe(log[0]?.idempotencyKey)
    expect(log.filter((entry) => entry.created)).toHaveLength(1)
  })

  it('reports a connection error to the SDK on reset', async () => {
    const stripe = new Stripe('sk_test_123', { host: '127.0.0.1', port: server.port, protocol: 'http', maxNetworkRetries: 0 })
    // stripe-node retries a closed connection once even with maxNetworkRetries: 0 (stripe-node #1040)
    server.emulator.control.clearRequests()
    server.emulator.control.injectFaults({ count: 2, fault: { reset: true } })
    await expect(stripe.sources.create({ type: 'card' })).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError)
    const log = server.emulator.control.requests()
    expect(log.map((entry) => entry.fault)).toEqual(['reset', 'reset'])
    expect(log[1]?.idempotencyKey).toBe(log[0]?.idempotencyKey)
  })

  it('serves the control API', async () => {
    const res = await fetch(`${server.url}/_emulator/advance`, { method: 'POST', body: JSON.stringify({ seconds: 10 }) })
    expect((await res.json()).now).toBe(server.emulator.control.now())
  })
})
