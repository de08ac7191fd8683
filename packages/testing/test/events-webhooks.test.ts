import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { narrowEvent, type StripeEvent, StripeSignatureVerificationError, verifyWebhook } from '@edgestripe/core'
import { reportingEvents } from '@edgestripe/reporting'
import { sigmaEvents } from '@edgestripe/sigma'
import { sourceEvents } from '@edgestripe/sources'
import { treasuryEvents } from '@edgestripe/treasury'
import Stripe from 'stripe'
import { afterEach, describe, expect, it } from 'vitest'
import { type EmulatorServer, startEmulatorServer } from '../../../scripts/emulator-server.js'
import { createEmulator, type Emulator } from '../src/index.js'
import { call, reportInterval } from './helpers.js'

const official = new Stripe('sk_test_123')

async function fundedAccount(emulator: Emulator, amount = 50_000): Promise<string> {
  const fa = (await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })).body.id
  await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', {
    financial_account: fa,
    currency: 'usd',
    amount,
    network: 'ach',
  })
  return fa
}

const payment = (fa: string, amount: number) => ({
  financial_account: fa,
  currency: 'usd',
  amount,
  destination_payment_method_data: {
    type: 'us_bank_account',
    us_bank_account: { routing_number: '110000000', account_number: '000000000009' },
  },
})

describe('events recorded by the flows', () => {
  it('records treasury events with the request that caused them, once per executed request', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const fa = await fundedAccount(emulator)
    const created = await call(emulator, 'POST', '/v1/treasury/outbound_payments', payment(fa, 1_000), { idempotencyKey: 'pay-1' })
    await call(emulator, 'POST', '/v1/treasury/outbound_payments', payment(fa, 1_000), { idempotencyKey: 'pay-1' }) // replay
    await call(emulator, 'POST', '/v1/treasury/outbound_payments', { ...payment(fa, 1_000), bogus: 1 }) // 400: no event
    await call(emulator, 'POST', `/v1/test_helpers/treasury/outbound_payments/${created.body.id}/post`)
    await call(emulator, 'POST', `/v1/test_helpers/treasury/outbound_payments/${created.body.id}/return`)
    const failing = await call(emulator, 'POST', '/v1/treasury/outbound_payments', payment(fa, 500))
    await call(emulator, 'POST', `/v1/test_helpers/treasury/outbound_payments/${failing.body.id}/fail`)
    const canceling = await call(emulator, 'POST', '/v1/treasury/outbound_payments', payment(fa, 200))
    await call(emulator, 'POST', `/v1/treasury/outbound_payments/${canceling.body.id}/cancel`)
    const transfer = await call(emulator, 'POST', '/v1/treasury/outbound_transfers', {
      financial_account: fa,
      currency: 'usd',
      amount: 300,
      destination_payment_method: 'pm_123',
    })
    await call(emulator, 'POST', `/v1/test_helpers/treasury/outbound_transfers/${transfer.body.id}/post`)
    const inbound = await call(emulator, 'POST', '/v1/treasury/inbound_transfers', {
      financial_account: fa,
      currency: 'usd',
      amount: 700,
      origin_payment_method: 'pm_456',
    })
    await call(emulator, 'POST', `/v1/test_helpers/treasury/inbound_transfers/${inbound.body.id}/succeed`)

    const events = emulator.control.events()
    expect(events.map((e) => e.type)).toEqual([
      'treasury.financial_account.created',
      'treasury.received_credit.created',
      'treasury.outbound_payment.created',
      'treasury.outbound_payment.posted',
      'treasury.outbound_payment.returned',
      'treasury.outbound_payment.created',
      'treasury.outbound_payment.failed',
      'treasury.outbound_payment.created',
      'treasury.outbound_payment.canceled',
      'treasury.outbound_transfer.created',
      'treasury.outbound_transfer.posted',
      'treasury.inbound_transfer.created',
      'treasury.inbound_transfer.succeeded',
    ])
    const first = events[2]!
    expect(first).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      object: 'event',
      livemode: false,
      api_version: '2024-04-10',
      pending_webhooks: 0,
      request: { id: created.headers.get('Request-Id'), idempotency_key: 'pay-1' },
      data: { object: { id: created.body.id, object: 'treasury.outbound_payment', status: 'processing' } },
    })
    expect(first).not.toHaveProperty('account')
    // data.object is a snapshot: the posted event shows `posted`, the created one still `processing`
    expect(events[3]!.data.object).toMatchObject({ id: created.body.id, status: 'posted' })
    expect(emulator.control.events({ type: 'treasury.outbound_payment.created' })).toHaveLength(3)
  })

  it('records source events for API calls and controls, and the connected account', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const params = { type: 'ach_credit_transfer', currency: 'usd', owner: { email: 'jenny@example.com' } }
    const a = (await call(emulator, 'POST', '/v1/sources', params, { account: 'acct_connected' })).body.id
    const b = (await call(emulator, 'POST', '/v1/sources', params)).body.id
    const c = (await call(emulator, 'POST', '/v1/sources', params)).body.id
    expect(emulator.control.events()).toEqual([])
    emulator.control.pushSourceFunds(a, 2_500, { account: 'acct_connected' })
    emulator.control.pushSourceFunds(a, 100, { account: 'acct_connected' }) // already chargeable: only a transaction
    emulator.control.failSource(b)
    emulator.control.cancelSource(c)
    const events = emulator.control.events()
    expect(events.map((e) => [e.type, e.data.object.id.slice(0, 4)])).toEqual([
      ['source.transaction.created', 'srct'],
      ['source.chargeable', 'src_'],
      ['source.transaction.created', 'srct'],
      ['source.failed', 'src_'],
      ['source.canceled', 'src_'],
    ])
    expect(events[1]).toMatchObject({ account: 'acct_connected', request: { id: null, idempotency_key: null } })
    expect(emulator.control.events({ account: 'acct_connected' })).toHaveLength(3)
    expect(() => emulator.control.failSource(b)).toThrow(/failed/)
  })

  it('raises report run events when the clock passes the delay, and on a failure control', async () => {
    const emulator = createEmulator({ accounts: 'shared', reportRunDelay: 30 })
    emulator.control.advance(7200)
    const parameters = await reportInterval(emulator, 'balance.summary.1')
    const run = await call(emulator, 'POST', '/v1/reporting/report_runs', { report_type: 'balance.summary.1', parameters })
    const doomed = await call(emulator, 'POST', '/v1/reporting/report_runs', { report_type: 'balance.summary.1', parameters })
    emulator.control.failReportRun(doomed.body.id, 'No data')
    emulator.control.advance(29)
    expect(emulator.control.events({ type: 'reporting.report_run.succeeded' })).toEqual([])
    emulator.control.advance(1) // settled eagerly: no request needed
    const succeeded = emulator.control.events({ type: 'reporting.report_run.succeeded' })[0]!
    expect(succeeded.data.object).toMatchObject({ id: run.body.id, status: 'succeeded', result: { object: 'file' } })
    expect((succeeded.data.object.result as { url: string }).url).toMatch(/\/v1\/files\/file_\w+\/contents$/)
    expect(emulator.control.events({ type: 'reporting.report_run.failed' })[0]?.data.object).toMatchObject({
      id: doomed.body.id,
      status: 'failed',
      error: 'No data',
    })
    // observing the run later does not raise it again
    await call(emulator, 'GET', `/v1/reporting/report_runs/${run.body.id}`)
    expect(emulator.control.events({ type: 'reporting.report_run.succeeded' })).toHaveLength(1)
  })

  it('raises sigma.scheduled_query_run.created on seed', () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const run = emulator.control.seed('scheduled_query_run', { csv: 'n\n1\n' })
    expect(emulator.control.events()).toMatchObject([{ type: 'sigma.scheduled_query_run.created', data: { object: { id: run.id } } }])
  })
})

describe('event objects match the domain schemas', () => {
  it("narrows every event the flows raise with the domains' event maps", async () => {
    const emulator = createEmulator({ accounts: 'shared', reportRunDelay: 5 })
    const fa = await fundedAccount(emulator)
    const paid = await call(emulator, 'POST', '/v1/treasury/outbound_payments', payment(fa, 1_000))
    await call(emulator, 'POST', `/v1/test_helpers/treasury/outbound_payments/${paid.body.id}/post`)
    await call(emulator, 'POST', `/v1/test_helpers/treasury/outbound_payments/${paid.body.id}/return`)
    const failing = await call(emulator, 'POST', '/v1/treasury/outbound_payments', payment(fa, 100))
    await call(emulator, 'POST', `/v1/test_helpers/treasury/outbound_payments/${failing.body.id}/fail`)
    const transfer = await call(emulator, 'POST', '/v1/treasury/outbound_transfers', {
      financial_account: fa,
      currency: 'usd',
      amount: 300,
      destination_payment_method: 'pm_123',
    })
    await call(emulator, 'POST', `/v1/treasury/outbound_transfers/${transfer.body.id}/cancel`)
    const inbound = await call(emulator, 'POST', '/v1/treasury/inbound_transfers', {
      financial_account: fa,
      currency: 'usd',
      amount: 700,
      origin_payment_method: 'pm_456',
    })
    await call(emulator, 'POST', `/v1/test_helpers/treasury/inbound_transfers/${inbound.body.id}/fail`)
    await call(emulator, 'POST', '/v1/test_helpers/treasury/received_debits', {
      financial_account: fa,
      currency: 'usd',
      amount: 50,
      network: 'ach',
    })
    const params = { type: 'ach_credit_transfer', currency: 'usd', owner: { email: 'a@b.co' } }
    const a = (await call(emulator, 'POST', '/v1/sources', params)).body.id
    const b = (await call(emulator, 'POST', '/v1/sources', params)).body.id
    const c = (await call(emulator, 'POST', '/v1/sources', params)).body.id
    emulator.control.pushSourceFunds(a, 1_000)
    emulator.control.failSource(b)
    emulator.control.cancelSource(c)
    emulator.control.advance(7200)
    const parameters = await reportInterval(emulator, 'balance.summary.1')
    await call(emulator, 'POST', '/v1/reporting/report_runs', { report_type: 'balance_change_from_activity.itemized.3', parameters })
    const doomed = await call(emulator, 'POST', '/v1/reporting/report_runs', { report_type: 'balance.summary.1', parameters })
    emulator.control.failReportRun(doomed.body.id)
    emulator.control.advance(10)
    emulator.control.seed('scheduled_query_run', {})

    const maps = { ...sourceEvents, ...treasuryEvents, ...reportingEvents, ...sigmaEvents }
    const events = emulator.control.events()
    const types = new Set(events.map((event) => event.type))
    expect(types.size).toBeGreaterThanOrEqual(18)
    for (const event of events) {
      const typed = narrowEvent(event as unknown as StripeEvent, maps) // throws on a schema mismatch
      expect(typed, event.type).toBeDefined()
    }
  })
})

describe('webhook delivery', () => {
  it('delivers signed events in-process that verify with verifyWebhook and the official stripe package', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const received: { payload: string; signature: string }[] = []
    const endpoint = emulator.control.addWebhookEndpoint({
      secret: 'whsec_test_secret',
      events: ['treasury.received_credit.created', 'treasury.outbound_payment.posted'],
      handler: async (request) => {
        received.push({ payload: await request.text(), signature: request.headers.get('Stripe-Signature') ?? '' })
        return new Response('ok')
      },
    })
    expect(endpoint).toMatchObject({ id: expect.stringMatching(/^we_/), secret: 'whsec_test_secret', url: null })
    const fa = await fundedAccount(emulator)
    const paid = await call(emulator, 'POST', '/v1/treasury/outbound_payments', payment(fa, 1_000))
    await call(emulator, 'POST', `/v1/test_helpers/treasury/outbound_payments/${paid.body.id}/post`)
    const deliveries = await emulator.control.deliverEvents()
    expect(deliveries.map((d) => [d.type, d.status, d.ok])).toEqual([
      ['treasury.received_credit.created', 200, true],
      ['treasury.outbound_payment.posted', 200, true],
    ])
    expect(await emulator.control.deliverEvents()).toEqual([])
    expect(received).toHaveLength(2)
    for (const { payload, signature } of received) {
      expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
      const ours = await verifyWebhook<{ id: string; type: string }>(payload, signature, 'whsec_test_secret')
      const theirs = official.webhooks.constructEvent(payload, signature, 'whsec_test_secret')
      expect(theirs.id).toBe(ours.id)
      expect(theirs.type).toBe(ours.type)
      await expect(verifyWebhook(payload, signature, 'whsec_other')).rejects.toBeInstanceOf(StripeSignatureVerificationError)
    }
    const posted = emulator.control.events({ type: 'treasury.outbound_payment.posted' })[0]
    expect(posted?.pending_webhooks).toBe(0) // delivered
  })

  it('keeps failed deliveries pending and records why', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    emulator.control.addWebhookEndpoint({ secret: 'whsec_a', handler: () => new Response('nope', { status: 500 }) })
    emulator.control.addWebhookEndpoint({
      secret: 'whsec_b',
      handler: () => {
        throw new Error('handler crashed')
      },
    })
    await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })
    const deliveries = await emulator.control.deliverEvents()
    expect(deliveries).toMatchObject([
      { status: 500, ok: false, error: 'endpoint answered 500' },
      { status: null, ok: false, error: 'handler crashed' },
    ])
    expect(emulator.control.events()[0]?.pending_webhooks).toBe(2)
    expect(emulator.control.webhookDeliveries()).toHaveLength(2)
  })

  it('waits for events raised while delivering (a handler calling the emulator)', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const fa = (await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })).body.id
    const seen: string[] = []
    emulator.control.addWebhookEndpoint({
      secret: 'whsec_c',
      handler: async (request) => {
        const event = await verifyWebhook<{ type: string }>(await request.text(), request.headers.get('Stripe-Signature'), 'whsec_c')
        seen.push(event.type)
        if (event.type === 'treasury.received_credit.created') {
          await call(emulator, 'POST', '/v1/treasury/outbound_payments', payment(fa, 100))
        }
      },
    })
    await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', {
      financial_account: fa,
      currency: 'usd',
      amount: 1_000,
      network: 'ach',
    })
    await emulator.control.deliverEvents()
    expect(seen).toEqual(['treasury.received_credit.created', 'treasury.outbound_payment.created'])
  })

  it('rejects an endpoint without url or handler', () => {
    const emulator = createEmulator({ accounts: 'shared' })
    expect(() => emulator.control.addWebhookEndpoint({ secret: 'x' })).toThrow(/url.*handler/)
    expect(emulator.control.addWebhookEndpoint({ handler: () => undefined }).secret).toMatch(/^whsec_/)
  })
})

describe('webhook delivery over HTTP (emulator server → a real receiver)', () => {
  let emulatorServer: EmulatorServer | undefined
  let receiver: Server | undefined
  afterEach(async () => {
    await emulatorServer?.close()
    await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)))
  })

  it('registers an endpoint through /_emulator/webhook-endpoints and POSTs signed events to its url', async () => {
    const got: { payload: string; signature: string }[] = []
    receiver = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk) => (body += chunk))
      req.on('end', () => {
        got.push({ payload: body, signature: String(req.headers['stripe-signature']) })
        res.writeHead(204).end()
      })
    })
    await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve))
    const hookURL = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`
    emulatorServer = await startEmulatorServer({ accounts: 'shared', port: 0 })
    const base = emulatorServer.url
    const json = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, init).then((r) => r.json() as Promise<any>)
    const endpoint = await json('/_emulator/webhook-endpoints', {
      method: 'POST',
      body: JSON.stringify({ url: hookURL, events: ['source.chargeable'] }),
    })
    expect(endpoint.secret).toMatch(/^whsec_/)
    const { secret: _secret, ...listed } = endpoint
    expect((await json('/_emulator/webhook-endpoints')).data).toEqual([listed])

    const stripe = new Stripe('sk_test_123', { host: '127.0.0.1', port: emulatorServer.port, protocol: 'http', maxNetworkRetries: 0 })
    const source = await stripe.sources.create({ type: 'ach_credit_transfer', currency: 'usd', owner: { email: 'a@b.co' } })
    await json(`/_emulator/sources/${source.id}/funds`, { method: 'POST', body: JSON.stringify({ amount: 1_000 }) })
    const deliveries = (await json('/_emulator/events/deliver', { method: 'POST' })).data
    expect(deliveries).toMatchObject([{ type: 'source.chargeable', status: 204, ok: true }])
    expect(got).toHaveLength(1)
    const event = official.webhooks.constructEvent(got[0]!.payload, got[0]!.signature, endpoint.secret)
    expect(event).toMatchObject({ type: 'source.chargeable', data: { object: { id: source.id, status: 'chargeable' } } })
    await verifyWebhook(got[0]!.payload, got[0]!.signature, endpoint.secret)

    const events = (await json('/_emulator/events?type=source.transaction.created')).data
    expect(events).toHaveLength(1)
    expect((await json(`/_emulator/webhook-endpoints/${endpoint.id}`, { method: 'DELETE' })).deleted).toBe(true)
    expect((await fetch(`${base}/_emulator/webhook-endpoints/${endpoint.id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await json('/_emulator/events', { method: 'DELETE' })).ok).toBe(true)
    expect((await json('/_emulator/events')).data).toEqual([])
  })
})
