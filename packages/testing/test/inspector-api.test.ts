// The inspector's data endpoints (`/_emulator/ui/api/…`) and page headers, without a browser: the
// request log they serve is redacted, whatever secret a body holds; every endpoint refuses other
// origins; the server's Host check applies; a webhook attempt records what the page shows; the
// embedded page matches its sources.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inspectorSourceHash } from '../../../scripts/codegen/inspector.js'
import { platformAccountId } from '../src/account-keys.js'
import { INSPECTOR_SOURCE_HASH } from '../src/generated/inspector-assets.js'
import { createEmulator, DEFAULT_NOW, type Emulator } from '../src/index.js'
import { startEmulatorServer } from '../src/server.js'

const ORIGIN = 'http://emulator.local'

async function api(emulator: Emulator, key: string, path: string, form: Record<string, string>): Promise<any> {
  const answer = await emulator.fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  })
  return answer.json()
}

async function ui(emulator: Emulator, path: string, init: RequestInit = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const answer = await emulator.fetch(`${ORIGIN}/_emulator/ui/api/${path}`, init)
  return { status: answer.status, body: await answer.json(), headers: answer.headers }
}

/** A string shaped like a secret the SDK's logger redacts. */
const secret = fc.oneof(
  fc.stringMatching(/^[a-zA-Z0-9]{12,30}$/).map((tail) => `sk_test_${tail}`),
  fc.stringMatching(/^[a-zA-Z0-9]{12,30}$/).map((tail) => `rk_live_${tail}`),
  fc.stringMatching(/^[a-zA-Z0-9]{16,40}$/).map((tail) => `whsec_${tail}`),
)

describe('inspector data endpoints', () => {
  it('the request log view holds no secret a request or response body carried (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(secret, fc.constantFrom('metadata[note]', 'description'), async (value, field) => {
        const emulator = createEmulator({ now: DEFAULT_NOW })
        const form: Record<string, string> = { type: 'ach_credit_transfer', currency: 'usd', 'owner[email]': 'a@example.com' }
        form[field === 'description' ? 'statement_descriptor' : field] = value
        await api(emulator, 'sk_test_redaction', '/v1/sources', form)
        const account = platformAccountId('redaction')
        const { status, body } = await ui(emulator, `requests?account=${account}`)
        expect(status).toBe(200)
        expect(body.data.length).toBe(1)
        const text = JSON.stringify(body)
        expect(text).not.toContain(value)
        expect(text).not.toContain(value.slice(-12))
        expect(text).toContain('a%40example.com')
      }),
      { numRuns: 40 },
    )
  })

  it('refuses every other origin and every preflight, on every endpoint, with no CORS header (fast-check)', async () => {
    const emulator = createEmulator({ now: DEFAULT_NOW })
    await api(emulator, 'sk_test_origin', '/v1/treasury/financial_accounts', { 'supported_currencies[0]': 'usd' })
    const account = platformAccountId('origin')
    const paths = [
      ['GET', 'accounts'],
      ['GET', `objects?account=${account}`],
      ['GET', 'object/fa_x'],
      ['GET', `events?account=${account}`],
      ['GET', `requests?account=${account}`],
      ['GET', `clock?account=${account}`],
      ['POST', `clock/advance?account=${account}`],
      ['POST', `action?account=${account}`],
      ['OPTIONS', 'accounts'],
    ] as const
    await fc.assert(
      fc.asyncProperty(
        fc.webUrl({ withFragments: false, withQueryParameters: false }).map((url) => new URL(url).origin),
        fc.constantFrom(...paths),
        async (origin, [method, path]) => {
          fc.pre(origin !== ORIGIN)
          const answer = await ui(emulator, path, {
            method,
            headers: { Origin: origin, 'Content-Type': 'application/json' },
            ...(method === 'POST' ? { body: JSON.stringify({ seconds: 60, id: 'x', action: 'post' }) } : {}),
          })
          expect(answer.status).toBe(403)
          expect(answer.headers.get('Access-Control-Allow-Origin')).toBeNull()
        },
      ),
      { numRuns: 60 },
    )
    // nothing moved: the clock is where it was
    expect(emulator.controlFor('sk_test_origin').now()).toBe(DEFAULT_NOW)
    // the same origin is served
    const same = await ui(emulator, 'accounts', { headers: { Origin: ORIGIN } })
    expect(same.status).toBe(200)
    expect(same.headers.get('Cache-Control')).toBe('no-store')
    expect(same.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin')
    expect(same.headers.get('X-Content-Type-Options')).toBe('nosniff')
  })

  it('the Node server checks Host for the page and its data (DNS rebinding)', async () => {
    const server = await startEmulatorServer({ port: 0, now: DEFAULT_NOW })
    try {
      const { request } = await import('node:http')
      const get = (path: string, host: string) =>
        new Promise<number>((resolve, reject) => {
          const req = request(`${server.url}${path}`, { headers: { Host: host } }, (res) => {
            res.resume()
            resolve(res.statusCode ?? 0)
          })
          req.on('error', reject)
          req.end()
        })
      expect(await get('/_emulator/ui/', 'evil.example')).toBe(403)
      expect(await get('/_emulator/ui/api/accounts', 'evil.example:80')).toBe(403)
      expect(await get('/_emulator/ui/', `localhost:${server.port}`)).toBe(200)
      expect(await get('/_emulator/ui/api/accounts', `127.0.0.1:${server.port}`)).toBe(200)
    } finally {
      await server.close()
    }
  })

  it('serves the page with a strict CSP, nosniff and ETag revalidation; a deep link is the page', async () => {
    const emulator = createEmulator()
    const page = await emulator.fetch(`${ORIGIN}/_emulator/ui/fa_123`)
    expect(page.status).toBe(200)
    expect(page.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('Content-Security-Policy')).toMatch(/^default-src 'self'; script-src 'self'; style-src 'self'/)
    expect(page.headers.get('X-Content-Type-Options')).toBe('nosniff')
    const html = await page.text()
    // no inline script or style: the CSP allows none
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    expect(html).not.toMatch(/<style|style=/)
    const script = await emulator.fetch(`${ORIGIN}/_emulator/ui/inspector.js`)
    expect(script.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8')
    const etag = script.headers.get('ETag') as string
    expect((await emulator.fetch(`${ORIGIN}/_emulator/ui/inspector.js`, { headers: { 'If-None-Match': etag } })).status).toBe(304)
    expect((await emulator.fetch(`${ORIGIN}/_emulator/ui/inspector.css`)).headers.get('Content-Type')).toBe('text/css; charset=utf-8')
    const redirect = await emulator.fetch(`${ORIGIN}/_emulator/ui`, { redirect: 'manual' })
    expect([redirect.status, redirect.headers.get('Location')]).toEqual([308, '/_emulator/ui/'])
    expect((await emulator.fetch(`${ORIGIN}/_emulator/ui/`, { method: 'POST' })).status).toBe(405)
    // the page holds no data
    expect(html).not.toMatch(/acct_|sk_test/)
  })

  it('with controlRoutes: false there is no inspector', async () => {
    const emulator = createEmulator({ controlRoutes: false })
    expect((await emulator.fetch(`${ORIGIN}/_emulator/ui/`)).status).not.toBe(200)
    expect((await emulator.fetch(`${ORIGIN}/_emulator/ui/api/accounts`)).status).not.toBe(200)
  })

  it('an object: links out and in, events, actions offered by status; an action runs the test-helper route as its account', async () => {
    const emulator = createEmulator({ now: DEFAULT_NOW })
    const key = 'sk_test_links'
    const fa = await api(emulator, key, '/v1/treasury/financial_accounts', {
      'supported_currencies[0]': 'usd',
      'features[outbound_payments][ach][requested]': 'true',
    })
    await api(emulator, key, '/v1/test_helpers/treasury/received_credits', {
      financial_account: fa.id,
      amount: '900',
      currency: 'usd',
      network: 'ach',
    })
    const payment = await api(emulator, key, '/v1/treasury/outbound_payments', {
      financial_account: fa.id,
      amount: '300',
      currency: 'usd',
      'destination_payment_method_data[type]': 'us_bank_account',
      'destination_payment_method_data[us_bank_account][routing_number]': '110000000',
      'destination_payment_method_data[us_bank_account][account_number]': '000123456789',
      'destination_payment_method_data[billing_details][name]': 'Jenny Rosen',
    })
    const account = platformAccountId('links')
    const found = (await ui(emulator, `object/${payment.id}`)).body
    expect(found.account).toBe(account)
    expect(found.links_out).toEqual(
      expect.arrayContaining([
        { path: 'financial_account', id: fa.id, kind: 'treasury.financial_account' },
        { path: 'transaction', id: payment.transaction, kind: 'treasury.transaction' },
      ]),
    )
    expect(found.events.data.map((event: any) => event.type)).toContain('treasury.outbound_payment.created')
    expect(found.actions.map((action: any) => action.name)).toEqual(['post', 'fail'])
    // a transaction is linked from its entries
    const transaction = (await ui(emulator, `object/${payment.transaction}?account=${account}`)).body
    expect(transaction.links_in.data.some((link: any) => link.kind === 'treasury.transaction_entry')).toBe(true)

    const act = (action: string) =>
      ui(emulator, `action?account=${account}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ id: payment.id, action }),
      })
    const posted = await act('post')
    expect([posted.status, posted.body.path, posted.body.body.status]).toEqual([
      200,
      `/v1/test_helpers/treasury/outbound_payments/${payment.id}/post`,
      'posted',
    ])
    // not offered once posted: refused, nothing run
    expect((await act('fail')).status).toBe(400)
    expect((await ui(emulator, `object/${payment.id}`)).body.actions.map((action: any) => action.name)).toEqual(['return'])
    // the action went through the API: it is in the account's request log
    const log = (await ui(emulator, `requests?account=${account}`)).body.data
    expect(log[0].path).toBe(`/v1/test_helpers/treasury/outbound_payments/${payment.id}/post`)
    // an unknown account and an unknown object are 404s
    expect((await ui(emulator, 'objects?account=acct_nope')).status).toBe(404)
    expect((await ui(emulator, 'object/obp_nope')).status).toBe(404)
  })

  it('an action on an object of the default account (no key) and a control action work too', async () => {
    const emulator = createEmulator({ now: DEFAULT_NOW })
    const session = emulator.control.seed('identity.verification_session', { status: 'requires_input' })
    const answer = await ui(emulator, 'action?account=acct_emulator', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: session.id, action: 'verify' }),
    })
    expect(answer.status).toBe(200)
    expect(answer.body.path).toBe(`/_emulator/identity/verification-sessions/${session.id}/verify`)
    expect(emulator.control.objects('identity.verification_session')[0]?.status).toBe('verified')
  })

  it("an object's JSON shows no client_secret (redacted as the request log is)", async () => {
    const emulator = createEmulator({ now: DEFAULT_NOW })
    const session = await api(emulator, 'sk_test_secretive', '/v1/identity/verification_sessions', { type: 'document' })
    expect(session.client_secret).toMatch(/_secret_/)
    const found = await ui(emulator, `object/${session.id}`)
    expect(found.body.object.id).toBe(session.id)
    expect(JSON.stringify(found.body)).not.toContain(session.client_secret)
    expect(found.body.object.client_secret).toBe('[redacted]')
    const event = found.body.events.data[0].id
    expect(JSON.stringify((await ui(emulator, `object/${event}`)).body)).not.toContain(session.client_secret)
  })

  it('the clock advances through the inspector; a bad value is a 400', async () => {
    const emulator = createEmulator({ now: DEFAULT_NOW })
    const advance = (seconds: unknown) =>
      ui(emulator, 'clock/advance?account=acct_emulator', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ seconds }),
      })
    expect((await advance(60)).body).toEqual({ now: DEFAULT_NOW + 60 })
    expect((await advance(-1)).status).toBe(400)
    expect((await advance('x')).status).toBe(400)
    expect((await ui(emulator, 'clock?account=acct_emulator')).body).toEqual({ now: DEFAULT_NOW + 60 })
  })

  it('a webhook attempt records its time, URL, signature, duration and the start of the answer (bounded)', async () => {
    const emulator = createEmulator({
      now: DEFAULT_NOW,
      webhookRetries: [],
      webhookFetch: async () => new Response('x'.repeat(10_000), { status: 500 }),
    })
    emulator.controlFor('sk_test_hooks').addWebhookEndpoint({ url: 'http://127.0.0.1:9/hook', secret: 'whsec_attempts' })
    await api(emulator, 'sk_test_hooks', '/v1/treasury/financial_accounts', { 'supported_currencies[0]': 'usd' })
    await emulator.controlFor('sk_test_hooks').deliverEvents()
    const events = (await ui(emulator, `events?account=${platformAccountId('hooks')}`)).body
    const [attempt] = events.data[0].deliveries
    expect(attempt).toMatchObject({ status: 500, attempt: 1, url: 'http://127.0.0.1:9/hook' })
    expect(attempt.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
    expect(attempt.duration_ms).toBeGreaterThanOrEqual(0)
    expect(attempt.started_at).toBeGreaterThan(0)
    expect(attempt.response_body).toBe('x'.repeat(2048))
  })

  it('the embedded page was built from the current sources (run `pnpm codegen` after editing packages/testing/inspector/)', () => {
    expect(INSPECTOR_SOURCE_HASH).toBe(inspectorSourceHash())
  })
})
