import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeEmulatorDigest } from '../../../scripts/codegen/emulator.js'
import { routes } from '../src/generated/routes.js'
import { createEmulator } from '../src/index.js'
import { call, ORIGIN } from './helpers.js'

describe('fault injection', () => {
  it('returns an injected status with headers for N matching requests', async () => {
    const emulator = createEmulator()
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
    const emulator = createEmulator()
    emulator.control.injectFaults({ count: 1, fault: { reset: true } })
    await expect(call(emulator, 'GET', '/v1/treasury/financial_accounts')).rejects.toBeInstanceOf(TypeError)
    emulator.control.injectFaults({ count: 1, match: { path: '/v1/treasury/financial_accounts' }, fault: { truncate: true } })
    const truncated = await emulator.fetch(`${ORIGIN}/v1/treasury/financial_accounts`, { headers: { Authorization: 'Bearer sk_test_1' } })
    expect(truncated.status).toBe(200)
    await expect(truncated.json()).rejects.toThrow()
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

describe('controls over HTTP', () => {
  it('mirrors the control API under /_emulator', async () => {
    const emulator = createEmulator({ now: 1000 })
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
  it('covers the 65 operations of the spec plus the overlay’s close, and is up to date', () => {
    expect(routes).toHaveLength(66)
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
