import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmulatorServer, startEmulatorServer } from '../../../scripts/emulator-server.js'
import { createStripe } from '../../core/src/index.js'
import { createFinancialAccount, listFinancialAccounts } from '../../treasury/src/index.js'
import { createEmulator } from '../src/index.js'
import { call, encodeForm, ORIGIN } from './helpers.js'

const CREATE = { supported_currencies: ['usd'] }
const PATH = '/v1/treasury/financial_accounts'

describe("faults with after: 'process' (the server commits, then the answer is lost)", () => {
  it('reset: the request is handled (object, idempotency key, event), then the fetch rejects; a retry replays', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    emulator.control.injectFaults({ count: 1, match: { method: 'POST', path: PATH }, fault: { reset: true, after: 'process' } })
    await expect(call(emulator, 'POST', PATH, CREATE, { idempotencyKey: 'key-reset' })).rejects.toBeInstanceOf(TypeError)
    const [created] = emulator.control.objects('treasury.financial_account')
    expect(emulator.control.objects('treasury.financial_account')).toHaveLength(1)
    expect(emulator.control.events({ type: 'treasury.financial_account.created' })).toMatchObject([
      { data: { object: { id: created?.id } }, request: { idempotency_key: 'key-reset' } },
    ])
    const retry = await call(emulator, 'POST', PATH, CREATE, { idempotencyKey: 'key-reset' })
    expect(retry.status).toBe(200)
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true')
    expect(retry.body.id).toBe(created?.id)
    expect(emulator.control.objects('treasury.financial_account')).toHaveLength(1)
    expect(emulator.control.requests()).toMatchObject([
      { fault: 'reset (after process)', created: true, replayed: false, status: 200 },
      { created: false, replayed: true, status: 200 },
    ])
  })

  it('status: the request is handled, then the injected status and body come back instead', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    emulator.control.injectFaults({
      count: 1,
      match: { method: 'POST', path: PATH },
      fault: { status: 500, after: 'process', headers: { 'Stripe-Should-Retry': 'true' } },
    })
    const failed = await call(emulator, 'POST', PATH, CREATE, { idempotencyKey: 'key-500' })
    expect(failed.status).toBe(500)
    expect(failed.headers.get('Stripe-Should-Retry')).toBe('true')
    expect(failed.body.error.type).toBe('api_error')
    expect(emulator.control.objects('treasury.financial_account')).toHaveLength(1)
    const retry = await call(emulator, 'POST', PATH, CREATE, { idempotencyKey: 'key-500' })
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true')
    expect(retry.body.id).toBe(emulator.control.objects('treasury.financial_account')[0]?.id)
    expect(emulator.control.requests().map((entry) => [entry.fault, entry.status, entry.created, entry.replayed])).toEqual([
      ['status 500 (after process)', 500, true, false],
      [undefined, 200, false, true],
    ])
  })

  it('delayMs: a client abort rejects the fetch but does not cancel the processing', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    emulator.control.injectFaults({ count: 1, fault: { delayMs: 10_000, after: 'process' } })
    const aborter = new AbortController()
    const pending = emulator.fetch(`${ORIGIN}${PATH}`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sk_test_1', 'Content-Type': 'application/x-www-form-urlencoded', 'Idempotency-Key': 'key-slow' },
      body: encodeForm(CREATE),
      signal: aborter.signal,
    })
    await new Promise((resolve) => setTimeout(resolve, 20))
    aborter.abort(new DOMException('timeout', 'AbortError'))
    await expect(pending).rejects.toThrow('timeout')
    expect(emulator.control.objects('treasury.financial_account')).toHaveLength(1)
    const retry = await call(emulator, 'POST', PATH, CREATE, { idempotencyKey: 'key-slow' })
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true')
    expect(emulator.control.requests().map((entry) => entry.fault)).toEqual(['delay (after process)', undefined])
    // without an abort the real answer arrives late
    emulator.control.injectFaults({ count: 1, fault: { delayMs: 5, after: 'process' } })
    expect((await call(emulator, 'GET', PATH)).body.data).toHaveLength(1)
  })

  it("keeps 'before' as the default and rejects an unknown timing", async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    emulator.control.injectFaults({ count: 1, fault: { reset: true } })
    emulator.control.injectFaults({ count: 1, fault: { status: 503, after: 'before' } })
    await expect(call(emulator, 'POST', PATH, CREATE)).rejects.toBeInstanceOf(TypeError)
    expect((await call(emulator, 'POST', PATH, CREATE)).status).toBe(503)
    expect(emulator.control.objects('treasury.financial_account')).toHaveLength(0)
    expect(() => emulator.control.injectFaults({ count: 1, fault: { reset: true, after: 'later' as 'process' } })).toThrow(TypeError)
  })

  it("core's SDK retries a POST reset after processing with the same Idempotency-Key: exactly one object", async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch: emulator.fetch, retryBaseDelay: 1, retryMaxDelay: 2 })
    emulator.control.injectFaults({ count: 1, match: { method: 'POST', path: PATH }, fault: { reset: true, after: 'process' } })
    const account = await createFinancialAccount(stripe, { supported_currencies: ['usd'] })
    const list = await listFinancialAccounts(stripe)
    expect(list.data.map((item) => item.id)).toEqual([account.id])
    expect(emulator.control.objects('treasury.financial_account')).toHaveLength(1)
    const posts = emulator.control.requests().filter((entry) => entry.method === 'POST')
    expect(posts).toHaveLength(2)
    expect(posts[0]).toMatchObject({ fault: 'reset (after process)', created: true, replayed: false })
    expect(posts[1]).toMatchObject({ created: false, replayed: true, status: 200 })
    expect(posts[0]?.idempotencyKey).toBeTruthy()
    expect(posts[1]?.idempotencyKey).toBe(posts[0]?.idempotencyKey)
  })

  it("core's SDK times out on a delay after processing, retries and gets the committed object", async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch: emulator.fetch, timeout: 50, retryBaseDelay: 1, retryMaxDelay: 2 })
    emulator.control.injectFaults({ count: 1, match: { method: 'POST', path: PATH }, fault: { delayMs: 5_000, after: 'process' } })
    const account = await createFinancialAccount(stripe, { supported_currencies: ['usd'] })
    expect(emulator.control.objects('treasury.financial_account').map((item) => item.id)).toEqual([account.id])
    expect(emulator.control.requests().map((entry) => [entry.created, entry.replayed])).toEqual([
      [true, false],
      [false, true],
    ])
  })
})

describe("after: 'process' over HTTP", () => {
  let server: EmulatorServer
  const auth = { Authorization: 'Bearer sk_test_1', 'Content-Type': 'application/x-www-form-urlencoded' }

  beforeAll(async () => {
    server = await startEmulatorServer({ accounts: 'shared', port: 0 })
  })

  afterAll(async () => {
    await server.close()
  })

  it('takes the timing through POST /_emulator/faults; a reset destroys the socket after the object is created', async () => {
    const inject = (fault: unknown) =>
      fetch(`${server.url}/_emulator/faults`, {
        method: 'POST',
        body: JSON.stringify({ count: 1, match: { method: 'POST', path: PATH }, fault }),
      })
    expect((await inject({ reset: true, after: 'process' })).status).toBe(200)
    const post = () =>
      fetch(`${server.url}${PATH}`, {
        method: 'POST',
        headers: { ...auth, 'Idempotency-Key': 'http-reset' },
        body: 'supported_currencies[0]=usd',
      })
    await expect(post()).rejects.toThrow(TypeError)
    expect(server.emulator.control.objects('treasury.financial_account')).toHaveLength(1)
    const retry = await post()
    expect(retry.headers.get('idempotent-replayed')).toBe('true')

    expect((await inject({ status: 502, after: 'process' })).status).toBe(200)
    const bad = await fetch(`${server.url}${PATH}`, { method: 'POST', headers: auth, body: 'supported_currencies[0]=usd' })
    expect(bad.status).toBe(502)
    expect(server.emulator.control.objects('treasury.financial_account')).toHaveLength(2)
    const invalid = await inject({ reset: true, after: 'sometime' })
    expect(invalid.status).toBe(400)
  })
})
