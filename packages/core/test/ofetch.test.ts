// `@edgestripe/core/ofetch`: an app's own ofetch instance as the transport. Its interceptors run
// on every attempt; retries, idempotency keys and timeouts stay the core's (ofetch's own are off).
import { ofetch } from 'ofetch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStripe, request, StripeConnectionError, StripeTimeoutError } from '../src'
import { ofetchTransport } from '../src/ofetch'
import { startFaultServer } from './support/fault-server'
import { createThing } from './support/operations'

let server: Awaited<ReturnType<typeof startFaultServer>>
beforeAll(async () => {
  server = await startFaultServer()
})
afterAll(() => server.close())

const key = 'sk_test_51OFETCHsecret4242'

describe('ofetchTransport', () => {
  it("runs the app's interceptors on every attempt while the core retries with one idempotency key", async () => {
    const intercepted: string[] = []
    // The app's instance, with its own retry and timeout settings that the adapter switches off.
    const $fetch = ofetch.create({
      retry: 5,
      timeout: 1,
      onRequest({ options }) {
        options.headers.set('x-app-trace', 'trace-1')
        intercepted.push('request')
      },
      onResponse({ response }) {
        intercepted.push(`response ${response.status}`)
      },
    })
    const stripe = createStripe({ apiKey: key, baseURL: server.url, fetch: ofetchTransport($fetch), retryBaseDelay: 1 })
    server.script([
      { status: 500, body: { error: { type: 'api_error' } } },
      { status: 200, body: { id: 'obj_1', object: 'thing' } },
    ])
    const thing = await request(stripe, createThing, { params: { amount: 5 } })
    expect(thing.lastResponse.attempts).toBe(2)
    expect(server.seen).toHaveLength(2) // ofetch's retry: 5 did not add attempts
    expect(server.seen.map((r) => r.headers['x-app-trace'])).toEqual(['trace-1', 'trace-1'])
    const keys = server.seen.map((r) => r.headers['idempotency-key'])
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/)
    expect(keys[1]).toBe(keys[0])
    expect(server.seen.map((r) => r.body)).toEqual(['amount=5', 'amount=5'])
    expect(intercepted).toEqual(['request', 'response 500', 'request', 'response 200'])
  })

  it("times out with the core's timeout (not ofetch's), and never passes on ofetch's FetchError (it holds the key)", async () => {
    const $fetch = ofetch.create({ timeout: 1 })
    const stripe = createStripe({ apiKey: key, baseURL: server.url, fetch: ofetchTransport($fetch), maxRetries: 0 })
    server.script([{ stallHeaders: true }])
    const started = Date.now()
    const timedOut = await request(stripe, createThing, { params: {} }, { timeout: 150 }).catch((e) => e)
    expect(timedOut).toBeInstanceOf(StripeTimeoutError)
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)

    server.script([{ reset: true }])
    const reset = await request(stripe, createThing, { params: {} }).catch((e) => e)
    expect(reset).toBeInstanceOf(StripeConnectionError)
    const chain: unknown[] = []
    for (let e: unknown = reset; e && chain.length < 5; e = (e as Error).cause) chain.push(e)
    expect(chain.some((e) => (e as Error).name === 'FetchError')).toBe(false)
    expect(JSON.stringify(chain, Object.getOwnPropertyNames(reset))).not.toContain('OFETCHsecret')
  })
})

describe('ofetch is not a dependency of the core', () => {
  it('no core module imports ofetch or undici (types included); ofetch is an optional peer', async () => {
    const { readdirSync, readFileSync } = await import('node:fs')
    const src = new URL('../src/', import.meta.url)
    for (const file of readdirSync(src)) {
      const text = readFileSync(new URL(file, src), 'utf8')
      expect(text, file).not.toMatch(/from ['"](?:ofetch|undici|node-fetch-native)['"/]/)
      expect(text, file).not.toMatch(/import\(['"](?:ofetch|undici)/)
    }
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
    expect(pkg.dependencies.ofetch).toBeUndefined()
    expect(pkg.peerDependenciesMeta.ofetch.optional).toBe(true)
    expect(pkg.exports['./ofetch']).toBeDefined()
  })
})
