// Accounts per key (sk/rk/pk_test_X are account X), reset, restore and health, and one router for
// API and control paths.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_NOW, EMULATOR_VERSION, platformAccountId } from '../src/index.js'
import { call, ORIGIN } from './helpers.js'

const source = { type: 'ach_credit_transfer', currency: 'usd', owner: { email: 'a@b.co' } }

async function control(emulator: ReturnType<typeof createEmulator>, method: string, path: string, key?: string, body?: unknown) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (key) headers.Authorization = `Bearer ${key}`
  const response = await emulator.fetch(`${ORIGIN}/_emulator${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as any }
}

describe('an account per key', () => {
  it('objects made with one key are seen by its sk/rk/pk siblings and by no other key (property)', async () => {
    const part = fc.stringMatching(/^[A-Za-z0-9_]{1,12}$/)
    await fc.assert(
      fc.asyncProperty(part, part, async (x, y) => {
        fc.pre(x !== y)
        const emulator = createEmulator({ now: DEFAULT_NOW })
        const created = await call(emulator, 'POST', '/v1/sources', source, { key: `sk_test_${x}` })
        expect(created.status).toBe(200)
        expect((await call(emulator, 'GET', `/v1/sources/${created.body.id}`, {}, { key: `rk_test_${x}` })).status).toBe(200)
        expect((await call(emulator, 'GET', `/v1/sources/${created.body.id}`, {}, { key: `sk_test_${y}` })).status).toBe(404)
        expect(
          emulator
            .controlFor(`pk_test_${x}`)
            .objects('source')
            .map((s) => s.id),
        ).toEqual([created.body.id])
        expect(emulator.controlFor(`sk_test_${y}`).objects('source')).toEqual([])
        expect(emulator.control.objects('source')).toEqual([])
      }),
      { numRuns: 40 },
    )
  })

  it('pk_test_X retrieves with client_secret a source made with sk_test_X, not one made with sk_test_Y', async () => {
    const emulator = createEmulator({ now: DEFAULT_NOW })
    const mine = (await call(emulator, 'POST', '/v1/sources', source, { key: 'sk_test_X' })).body
    const theirs = (await call(emulator, 'POST', '/v1/sources', source, { key: 'sk_test_Y' })).body
    const own = await call(emulator, 'GET', `/v1/sources/${mine.id}`, { client_secret: mine.client_secret }, { key: 'pk_test_X' })
    expect([own.status, own.body.id]).toEqual([200, mine.id])
    const other = await call(emulator, 'GET', `/v1/sources/${theirs.id}`, { client_secret: theirs.client_secret }, { key: 'pk_test_X' })
    expect([other.status, other.body.error.code]).toEqual([404, 'resource_missing'])
  })

  it('idempotency keys, Stripe-Account scopes and events belong to their key; platform ids are stable', async () => {
    const emulator = createEmulator({ now: DEFAULT_NOW })
    const a = await call(emulator, 'POST', '/v1/sources', source, { key: 'sk_test_A', idempotencyKey: 'same' })
    const b = await call(emulator, 'POST', '/v1/sources', source, { key: 'sk_test_B', idempotencyKey: 'same' })
    expect(b.headers.get('Idempotent-Replayed')).toBeNull()
    expect(b.body.id).not.toBe(a.body.id)
    await call(emulator, 'POST', '/v1/sources', source, { key: 'sk_test_A', account: 'acct_connected' })
    expect(emulator.controlFor('sk_test_A').objects('source', { account: 'acct_connected' })).toHaveLength(1)
    expect(emulator.controlFor('sk_test_B').objects('source', { account: 'acct_connected' })).toHaveLength(0)
    expect(
      emulator
        .controlFor('sk_test_B')
        .requests()
        .map((entry) => entry.idempotencyKey),
    ).toEqual(['same'])
    expect(platformAccountId('A')).toBe(platformAccountId('A'))
    expect(platformAccountId('A')).toMatch(/^acct_1[0-9A-Za-z]{15}$/)
    expect(platformAccountId('A')).not.toBe(platformAccountId('B'))
    expect(emulator.controlFor('sk_test_A').snapshot().defaultAccount).toBe(platformAccountId('A'))
    expect(() => emulator.controlFor('sk_live_A')).toThrow(TypeError)
  })

  it("accounts: 'shared' keeps one account for every key", async () => {
    const emulator = createEmulator({ now: DEFAULT_NOW, accounts: 'shared' })
    const created = await call(emulator, 'POST', '/v1/sources', source, { key: 'sk_test_A' })
    expect((await call(emulator, 'GET', `/v1/sources/${created.body.id}`, {}, { key: 'sk_test_B' })).status).toBe(200)
    expect(emulator.control.objects('source')).toHaveLength(1)
  })

  it('controls over HTTP act on the key in Authorization (the default account without one); a bad key is a 401', async () => {
    const emulator = createEmulator({ now: DEFAULT_NOW })
    await call(emulator, 'POST', '/v1/sources', source, { key: 'sk_test_A' })
    expect((await control(emulator, 'GET', '/stats', 'sk_test_A')).body.objects).toBe(1)
    expect((await control(emulator, 'GET', '/stats', 'pk_test_A')).body.objects).toBe(1)
    expect((await control(emulator, 'GET', '/stats')).body.objects).toBe(0)
    expect((await control(emulator, 'POST', '/advance', 'sk_test_A', { seconds: 60 })).body.now).toBe(DEFAULT_NOW + 60)
    expect(emulator.control.now()).toBe(DEFAULT_NOW)
    expect((await control(emulator, 'GET', '/stats', 'sk_live_nope')).status).toBe(401)
  })
})

describe('reset, restore and health', () => {
  it('reset empties the caller’s account only; {to:"start"} goes back to the state loaded at start; {all:true} every account', async () => {
    const seed = createEmulator({ now: DEFAULT_NOW })
    const kept = seed.control.seed('source', { status: 'pending' })
    const emulator = createEmulator({ now: DEFAULT_NOW, state: seed.control.snapshot() })
    await call(emulator, 'POST', '/v1/sources', source, { key: 'sk_test_A' })
    await call(emulator, 'POST', '/v1/sources', source, { key: 'sk_test_B' })
    emulator.control.seed('source', {})
    expect(emulator.control.objects('source')).toHaveLength(2)
    expect((await control(emulator, 'POST', '/reset', 'sk_test_A')).status).toBe(200)
    expect(emulator.controlFor('sk_test_A').objects('source')).toHaveLength(0)
    expect(emulator.controlFor('sk_test_B').objects('source')).toHaveLength(1)
    expect((await control(emulator, 'POST', '/reset', undefined, { to: 'start' })).status).toBe(200)
    expect(emulator.control.objects('source').map((s) => s.id)).toEqual([kept.id])
    expect((await control(emulator, 'POST', '/reset', undefined, {})).status).toBe(200)
    expect(emulator.control.objects('source')).toEqual([])
    expect((await control(emulator, 'POST', '/reset', 'sk_test_A', { all: true })).status).toBe(200)
    expect(emulator.controlFor('sk_test_B').objects('source')).toEqual([])
    expect((await control(emulator, 'POST', '/reset', 'sk_test_A', { to: 'yesterday' })).status).toBe(400)
  })

  it('PUT /_emulator/snapshot restores a GET snapshot; a bad one is a 400 and changes nothing', async () => {
    const emulator = createEmulator({ now: DEFAULT_NOW })
    const created = (await call(emulator, 'POST', '/v1/sources', source, { key: 'sk_test_A' })).body
    const snapshot = (await control(emulator, 'GET', '/snapshot', 'sk_test_A')).body
    await call(emulator, 'POST', '/v1/sources', source, { key: 'sk_test_A' })
    expect((await control(emulator, 'PUT', '/snapshot', 'sk_test_A', { ...snapshot, version: 99 })).status).toBe(400)
    expect(emulator.controlFor('sk_test_A').objects('source')).toHaveLength(2)
    expect((await control(emulator, 'PUT', '/snapshot', 'sk_test_A', snapshot)).status).toBe(200)
    expect(
      emulator
        .controlFor('sk_test_A')
        .objects('source')
        .map((s) => s.id),
    ).toEqual([created.id])
    expect((await call(emulator, 'GET', `/v1/sources/${created.id}`, {}, { key: 'sk_test_A' })).status).toBe(200)
    // in-process too, and a snapshot of every account brings them all back
    const all = emulator.control.snapshot({ all: true })
    emulator.control.reset({ all: true })
    expect(emulator.controlFor('sk_test_A').objects('source')).toEqual([])
    emulator.control.restore(all, { all: true })
    expect(
      emulator
        .controlFor('sk_test_A')
        .objects('source')
        .map((s) => s.id),
    ).toEqual([created.id])
    // a whole-emulator snapshot is also a start state
    const restarted = createEmulator({ state: JSON.parse(JSON.stringify(all)) })
    expect(
      restarted
        .controlFor('sk_test_A')
        .objects('source')
        .map((s) => s.id),
    ).toEqual([created.id])
  })

  it("an account's reset drops its pending webhook deliveries and not another's", async () => {
    const emulator = createEmulator({ now: DEFAULT_NOW })
    const received: string[] = []
    for (const key of ['sk_test_A', 'sk_test_B']) {
      const ctl = emulator.controlFor(key)
      ctl.addWebhookEndpoint({ handler: () => new Response('no', { status: 500 }) })
      const created = await call(emulator, 'POST', '/v1/sources', source, { key })
      ctl.makeSourceChargeable(created.body.id)
      await ctl.deliverEvents()
      expect(ctl.scheduledDeliveries()).toHaveLength(1)
      ctl.addWebhookEndpoint({ handler: () => void received.push(key) })
    }
    emulator.controlFor('sk_test_A').reset()
    expect(emulator.controlFor('sk_test_A').scheduledDeliveries()).toEqual([])
    expect(emulator.controlFor('sk_test_A').webhookEndpoints()).toEqual([])
    expect(emulator.controlFor('sk_test_B').scheduledDeliveries()).toHaveLength(1)
  })

  it('GET /_emulator/health answers 200 with the version and uptime', async () => {
    const emulator = createEmulator()
    const health = await control(emulator, 'GET', '/health')
    expect(health.status).toBe(200)
    expect(health.body).toMatchObject({ status: 'ok', version: EMULATOR_VERSION, accounts: 'per-key' })
    expect(health.body.uptime).toBeGreaterThanOrEqual(0)
    const { version } = (await import('../package.json', { with: { type: 'json' } })).default
    expect(EMULATOR_VERSION).toBe(version)
  })
})

describe('one router for API and control paths', () => {
  it('a malformed path answers the same 400 in Stripe’s shape on both; an unknown one the same 404 (property)', async () => {
    const emulator = createEmulator()
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('%', '%zz', '%E0%A4%A', 'a%ZZb'), async (bad) => {
        const api = await call(emulator, 'GET', `/v1/sources/${bad}`)
        const ctl = await control(emulator, 'DELETE', `/webhook-endpoints/${bad}`)
        expect(api.status).toBe(400)
        expect(ctl.status).toBe(400)
        expect(api.body.error.type).toBe('invalid_request_error')
        expect(ctl.body.error.message).toBe(api.body.error.message.replace('/v1/sources/', '/_emulator/webhook-endpoints/'))
      }),
    )
    const unknownApi = await call(emulator, 'GET', '/v1/nothing')
    const unknownControl = await control(emulator, 'GET', '/nothing')
    expect([unknownApi.status, unknownApi.body.error.code]).toEqual([404, 'resource_missing'])
    expect([unknownControl.status, unknownControl.body.error.code]).toEqual([404, 'resource_missing'])
  })
})
