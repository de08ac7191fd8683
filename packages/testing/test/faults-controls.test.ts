import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeEmulatorDigest } from '../../../scripts/codegen/emulator.js'
import { routes } from '../src/generated/routes.js'
import { createEmulator } from '../src/index.js'
import { call, ORIGIN } from './helpers.js'

describe('fault injection', () => {
  it('returns an injected status with headers for N matching requests', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    emulator.control.injectFaults({
      count: 2,
      match: { method: 'POST', path: /^\/v1\/sources/ },
      fault: {
        status: 429,
        headers: { 'Retry-After': '1', 'Stripe-Should-Retry': 'true' },
        body: { error: { type: 'rate_limit_error', message: 'slow down' } },
      },
    })
    expect((await call(emulator, 'GET', '/v1/treasury/financial_accounts')).status).toBe(200)
    for (let i = 0; i < 2; i++) {
      const res = await call(emulator, 'POST', '/v1/sources', { type: 'card' })
      expect(res.status).toBe(429)
      expect(res.headers.get('Retry-After')).toBe('1')
      expect(res.headers.get('Stripe-Should-Retry')).toBe('true')
      expect(res.body.error.type).toBe('rate_limit_error')
    }
    expect((await call(emulator, 'POST', '/v1/sources', { type: 'card' })).status).toBe(200)
    expect(emulator.control.objects('source')).toHaveLength(1)
  })

  it('simulates network resets, truncated bodies and delays', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    emulator.control.injectFaults({ count: 1, fault: { reset: true } })
    await expect(call(emulator, 'GET', '/v1/treasury/financial_accounts')).rejects.toBeInstanceOf(TypeError)
    emulator.control.injectFaults({ count: 1, match: { path: '/v1/treasury/financial_accounts' }, fault: { truncate: true } })
    const truncated = await emulator.fetch(`${ORIGIN}/v1/treasury/financial_accounts`, { headers: { Authorization: 'Bearer sk_test_1' } })
    expect(truncated.status).toBe(200)
    await expect(truncated.json()).rejects.toThrow(TypeError)
    emulator.control.injectFaults({ count: 1, fault: { delayMs: 200 } })
    const aborter = new AbortController()
    const pending = emulator.fetch(`${ORIGIN}/v1/treasury/financial_accounts`, {
      headers: { Authorization: 'Bearer sk_test_1' },
      signal: aborter.signal,
    })
    aborter.abort(new DOMException('timeout', 'AbortError'))
    await expect(pending).rejects.toThrow('timeout')
    emulator.control.injectFaults({ count: 1, fault: { delayMs: 5 } })
    expect((await call(emulator, 'GET', '/v1/treasury/financial_accounts')).status).toBe(200)
    const log = emulator.control.requests()
    expect(log.map((entry) => entry.fault)).toEqual(['reset', 'truncate', 'delay', 'delay'])
  })
})

describe('truncated body fault', () => {
  async function readUntilError(response: Response): Promise<{ text: string; error: unknown }> {
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    let text = ''
    for (;;) {
      try {
        const { done, value } = await reader.read()
        if (done) return { text, error: undefined }
        text += decoder.decode(value, { stream: true })
      } catch (error) {
        return { text, error }
      }
    }
  }

  it('cuts the real response part-way, then the body stream errors', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const created = await call(emulator, 'POST', '/v1/sources', { type: 'card', metadata: { order: '42' } })
    const path = `/v1/sources/${created.body.id}`
    emulator.control.injectFaults({ count: 1, match: { path }, fault: { truncate: true } })
    const response = await emulator.fetch(`${ORIGIN}${path}`, { headers: { Authorization: 'Bearer sk_test_1' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('Request-Id')).toMatch(/^req_/)
    const { text, error } = await readUntilError(response)
    expect(error).toBeInstanceOf(TypeError)
    const full = (await call(emulator, 'GET', path)).text
    expect(text.length).toBeGreaterThan(0)
    expect(text.length).toBeLessThan(full.length)
    expect(full.startsWith(text)).toBe(true)
    expect(text).toContain(created.body.id)
  })

  it('still handles a truncated POST (the object exists, only the answer was lost)', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    emulator.control.injectFaults({ count: 1, match: { method: 'POST', path: '/v1/sources' }, fault: { truncate: true } })
    const response = await emulator.fetch(`${ORIGIN}/v1/sources`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sk_test_1', 'Content-Type': 'application/x-www-form-urlencoded', 'Idempotency-Key': 'k1' },
      body: 'type=card',
    })
    await expect(response.text()).rejects.toThrow(TypeError)
    expect(emulator.control.objects('source')).toHaveLength(1)
    const replay = await call(emulator, 'POST', '/v1/sources', { type: 'card' }, { idempotencyKey: 'k1' })
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true')
    expect(replay.body.id).toBe(emulator.control.objects('source')[0]?.id)
    expect(emulator.control.requests().map((entry) => entry.fault)).toEqual(['truncate', undefined])
  })
})

describe('controls over HTTP', () => {
  it('mirrors the control API under /_emulator', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: 1000 })
    const post = (path: string, body: unknown) =>
      emulator.fetch(`${ORIGIN}/_emulator${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>)
    expect(await post('/advance', { seconds: 60 })).toEqual({ now: 1060 })
    expect(await (await emulator.fetch(`${ORIGIN}/_emulator/now`)).json()).toEqual({ now: 1060 })
    const src = (await call(emulator, 'POST', '/v1/sources', { type: 'ach_credit_transfer' })).body
    expect((await post(`/sources/${src.id}/funds`, { amount: 50 })).receiver.amount_received).toBe(50)
    const sqr = await post('/seed', { kind: 'scheduled_query_run', object: { title: 'T' } })
    expect(sqr.id).toMatch(/^sqr_/)
    await post('/faults', { count: 1, match: { path: '/v1/sources' }, fault: { status: 500 } })
    expect((await call(emulator, 'POST', '/v1/sources', { type: 'card' })).status).toBe(500)
    const requests = await (await emulator.fetch(`${ORIGIN}/_emulator/requests`)).json()
    expect(requests.data.map((e: any) => [e.method, e.path, e.status])).toEqual([
      ['POST', '/v1/sources', 200],
      ['POST', '/v1/sources', 500],
    ])
  })
})

describe('spec digest', () => {
  it('covers the 89 operations of the spec (both cuts) plus the overlay’s close, and is up to date', () => {
    expect(routes).toHaveLength(90)
    expect(routes.map((route) => route.id)).toContain('PostTreasuryFinancialAccountsFinancialAccountClose')
    expect(
      routes
        .filter((route) => route.publishable)
        .map((route) => route.id)
        .sort(),
    ).toEqual(['GetSourcesSource', 'PostSources'])
    const root = join(__dirname, '..', '..', '..')
    for (const [file, text] of Object.entries(writeEmulatorDigest())) {
      expect(readFileSync(join(root, file), 'utf8'), file).toBe(text)
    }
  })
})
