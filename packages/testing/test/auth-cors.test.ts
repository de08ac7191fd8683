import { describe, expect, it } from 'vitest'
import { createEmulator } from '../src/index.js'
import { call, ORIGIN } from './helpers.js'

describe('auth', () => {
  const emulator = createEmulator({ accounts: 'shared' })

  it('401s without a key or with a malformed one', async () => {
    const none = await call(emulator, 'GET', '/v1/treasury/financial_accounts', {}, { key: null })
    expect(none.status).toBe(401)
    expect(none.body.error.type).toBe('invalid_request_error')
    expect(none.body.error.message).toContain('did not provide an API key')
    const bad = await call(emulator, 'GET', '/v1/treasury/financial_accounts', {}, { key: 'sk_live_nope' })
    expect(bad.status).toBe(401)
    expect(bad.body.error.message).toContain('Invalid API Key')
  })

  it('never echoes a short invalid key whole: prefix + … (+ last 4 only for long keys)', async () => {
    const message = async (key: string) =>
      (await call(emulator, 'GET', '/v1/treasury/financial_accounts', {}, { key })).body.error.message as string
    const short = await message('sk_live_abc')
    expect(short).toBe('Invalid API Key provided: sk_live_…')
    expect(short).not.toContain('abc')
    expect(await message('sk_live_abcdefgh')).toBe('Invalid API Key provided: sk_live_…')
    expect(await message('sk_live_abcdefghi')).toBe('Invalid API Key provided: sk_live_…fghi')
    expect(await message('sk_live_0123456789abcdefWXYZ')).toBe('Invalid API Key provided: sk_live_…WXYZ')
    const odd = await message('hunter2')
    expect(odd).toBe('Invalid API Key provided: …')
  })

  it('accepts secret, restricted and Basic auth', async () => {
    expect((await call(emulator, 'GET', '/v1/treasury/financial_accounts', {}, { key: 'rk_test_abc' })).status).toBe(200)
    const res = await emulator.fetch(`${ORIGIN}/v1/treasury/financial_accounts`, {
      headers: { Authorization: `Basic ${btoa('sk_test_abc:')}` },
    })
    expect(res.status).toBe(200)
  })

  it('allows a publishable key only for source create and own-secret retrieve', async () => {
    const created = await call(emulator, 'POST', '/v1/sources', { type: 'ach_credit_transfer' }, { key: 'pk_test_abc' })
    expect(created.status).toBe(200)
    const { id, client_secret } = created.body
    const ok = await call(emulator, 'GET', `/v1/sources/${id}`, { client_secret }, { key: 'pk_test_abc' })
    expect(ok.status).toBe(200)
    expect(ok.body.id).toBe(id)
    const other = await call(emulator, 'POST', '/v1/sources', { type: 'ach_credit_transfer' }, { key: 'pk_test_abc' })
    const wrong = await call(emulator, 'GET', `/v1/sources/${id}`, { client_secret: other.body.client_secret }, { key: 'pk_test_abc' })
    expect(wrong.status).toBe(404)
    expect(wrong.body.error).toMatchObject({ code: 'resource_missing', param: 'source' })
    const missing = await call(emulator, 'GET', `/v1/sources/${id}`, {}, { key: 'pk_test_abc' })
    expect(missing.status).toBe(404)
    const secretOp = await call(emulator, 'POST', `/v1/sources/${id}`, { metadata: { a: '1' } }, { key: 'pk_test_abc' })
    expect(secretOp.status).toBe(401)
    expect(secretOp.body.error.message).toContain('publishable API key')
    const withSecret = await call(emulator, 'GET', `/v1/sources/${id}`)
    expect(withSecret.status).toBe(200)
  })
})

describe('headers and CORS', () => {
  const emulator = createEmulator({ accounts: 'shared' })

  it('sets Request-Id, Content-Type, Stripe-Version and CORS on every response', async () => {
    const res = await call(emulator, 'GET', '/v1/nope', {}, { headers: { 'Stripe-Version': '2026-10-28.endive' } })
    expect(res.headers.get('Request-Id')).toMatch(/^req_/)
    expect(res.headers.get('Content-Type')).toBe('application/json')
    expect(res.headers.get('Stripe-Version')).toBe('2026-10-28.endive')
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(res.headers.get('Access-Control-Expose-Headers')).toContain('Request-Id')
    const unauth = await call(emulator, 'GET', '/v1/sources/src_1', {}, { key: null })
    expect(unauth.headers.get('Request-Id')).toMatch(/^req_/)
    expect(unauth.headers.get('Stripe-Version')).toBe('2024-04-10')
  })

  it('answers preflights', async () => {
    const res = await emulator.fetch(`${ORIGIN}/v1/sources`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,idempotency-key,stripe-account,stripe-version,content-type',
      },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(res.headers.get('Access-Control-Allow-Methods')).toContain('POST')
    const allowed = res.headers.get('Access-Control-Allow-Headers')?.toLowerCase() ?? ''
    for (const header of ['authorization', 'stripe-version', 'stripe-account', 'idempotency-key', 'content-type']) {
      expect(allowed).toContain(header)
    }
  })

  it('scopes objects by Stripe-Account', async () => {
    const created = await call(emulator, 'POST', '/v1/sources', { type: 'card' }, { account: 'acct_a' })
    expect(created.headers.get('Stripe-Account')).toBe('acct_a')
    expect((await call(emulator, 'GET', `/v1/sources/${created.body.id}`, {}, { account: 'acct_a' })).status).toBe(200)
    expect((await call(emulator, 'GET', `/v1/sources/${created.body.id}`, {}, { account: 'acct_b' })).status).toBe(404)
    expect((await call(emulator, 'GET', `/v1/sources/${created.body.id}`)).status).toBe(404)
  })
})

describe('controls are same-origin only', () => {
  it('sends no CORS headers on /_emulator/* and refuses their preflight; the API keeps CORS', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const now = await emulator.fetch(`${ORIGIN}/_emulator/now`)
    expect(now.status).toBe(200)
    expect(now.headers.get('Access-Control-Allow-Origin')).toBeNull()
    expect(now.headers.get('Access-Control-Expose-Headers')).toBeNull()
    const log = await emulator.fetch(`${ORIGIN}/_emulator/requests`)
    expect(log.headers.get('Access-Control-Allow-Origin')).toBeNull()
    const preflight = await emulator.fetch(`${ORIGIN}/_emulator/advance`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    })
    expect(preflight.status).toBe(403)
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBeNull()
    expect(preflight.headers.get('Access-Control-Allow-Methods')).toBeNull()
    const api = await emulator.fetch(`${ORIGIN}/v1/sources`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
    })
    expect(api.status).toBe(204)
    expect(api.headers.get('Access-Control-Allow-Origin')).toBe('*')
  })

  it('refuses a control request from another Origin (a cross-site simple POST) and changes nothing', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const before = emulator.control.now()
    const res = await emulator.fetch(`${ORIGIN}/_emulator/advance`, {
      method: 'POST',
      headers: { Origin: 'http://evil.example', 'Content-Type': 'text/plain' },
      body: JSON.stringify({ seconds: 3600 }),
    })
    expect(res.status).toBe(403)
    expect(emulator.control.now()).toBe(before)
    const same = await emulator.fetch(`${ORIGIN}/_emulator/advance`, {
      method: 'POST',
      headers: { Origin: ORIGIN },
      body: JSON.stringify({ seconds: 60 }),
    })
    expect(same.status).toBe(200)
    expect(emulator.control.now()).toBe(before + 60)
  })

  it('returns a webhook endpoint secret only when the endpoint is created, not from the GET list', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const created = await (
      await emulator.fetch(`${ORIGIN}/_emulator/webhook-endpoints`, {
        method: 'POST',
        body: JSON.stringify({ url: 'http://127.0.0.1:9/hooks', events: ['source.chargeable'] }),
      })
    ).json()
    expect(created.secret).toMatch(/^whsec_/)
    const list = await (await emulator.fetch(`${ORIGIN}/_emulator/webhook-endpoints`)).text()
    expect(list).not.toContain('whsec_')
    const { secret: _secret, ...withoutSecret } = created
    expect(JSON.parse(list).data).toEqual([withoutSecret])
  })
})
