// Webhook endpoints served for real: an endpoint created through the API receives the emulator's
// signed deliveries for its enabled_events, signed with the secret create returned; list and
// retrieve never show the secret; disabled and deleted endpoints receive nothing. Driven by the
// SDK (@edgestripe/webhook-endpoints + verifyWebhook) and by the official `stripe` package.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createStripe, verifyWebhook } from '@edgestripe/core'
import { createFinancialAccount } from '@edgestripe/treasury'
import { createReceivedCredit } from '@edgestripe/treasury/test-helpers'
import {
  type CreateWebhookEndpointParams,
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  retrieveWebhookEndpoint,
  updateWebhookEndpoint,
} from '@edgestripe/webhook-endpoints'
import fc from 'fast-check'
import Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { type EmulatorServer, startEmulatorServer } from '../../../scripts/emulator-server.js'
import { triggerableEvents } from '../src/cli/trigger-flows.js'
import { createEmulator, DEFAULT_NOW } from '../src/index.js'
import { call } from './helpers.js'

/** An emulator whose deliveries land in `received` (by URL) instead of the network. */
function setup() {
  const received: { url: string; body: string; signature: string | null }[] = []
  const emulator = createEmulator({
    accounts: 'shared',
    now: DEFAULT_NOW,
    webhookFetch: async (input, init) => {
      const request = new Request(input, init)
      received.push({ url: request.url, body: await request.text(), signature: request.headers.get('stripe-signature') })
      return new Response('ok')
    },
  })
  const stripe = createStripe({ apiKey: 'sk_test_123', fetch: emulator.fetch, maxRetries: 0 })
  return { emulator, stripe, received }
}

async function fundAccount(stripe: ReturnType<typeof setup>['stripe']) {
  const fa = await createFinancialAccount(stripe, { supported_currencies: ['usd'] })
  await createReceivedCredit(stripe, { financial_account: fa.id, amount: 500, currency: 'usd', network: 'ach' })
  return fa
}

describe('webhook endpoints through the SDK', () => {
  it('create returns the secret once; deliveries verify with it; list/retrieve/update never show it', async () => {
    const { emulator, stripe, received } = setup()
    const endpoint = await createWebhookEndpoint(stripe, {
      url: 'https://example.test/hook',
      enabled_events: ['treasury.received_credit.created', 'treasury.received_credit.succeeded'],
      description: 'ours',
      metadata: { team: 'payments' },
    })
    expect(endpoint).toMatchObject({ object: 'webhook_endpoint', status: 'enabled', url: 'https://example.test/hook', description: 'ours' })
    expect(endpoint.secret).toMatch(/^whsec_/)
    const again = await retrieveWebhookEndpoint(stripe, endpoint.id)
    expect(again).not.toHaveProperty('secret')
    expect(again.metadata).toEqual({ team: 'payments' })
    const page = await listWebhookEndpoints(stripe)
    expect(page.data.map((e) => e.id)).toEqual([endpoint.id])
    expect(page.data[0]).not.toHaveProperty('secret')
    expect(JSON.stringify(await call(emulator, 'GET', '/v1/webhook_endpoints'))).not.toContain(endpoint.secret)

    await fundAccount(stripe)
    const deliveries = await emulator.control.deliverEvents()
    expect(deliveries.filter((d) => d.endpoint === endpoint.id).map((d) => d.type)).toEqual(['treasury.received_credit.created'])
    const ours = received.filter((r) => r.url === 'https://example.test/hook')
    expect(ours).toHaveLength(1)
    const event = await verifyWebhook(ours[0]!.body, ours[0]!.signature, endpoint.secret)
    expect(event.type).toBe('treasury.received_credit.created')
    await expect(verifyWebhook(ours[0]!.body, ours[0]!.signature, 'whsec_wrong')).rejects.toThrow()

    const updated = await updateWebhookEndpoint(stripe, endpoint.id, { url: 'https://example.test/v2' })
    expect(updated).not.toHaveProperty('secret')
    expect(updated.url).toBe('https://example.test/v2')
  })

  it('disabled endpoints and deleted ones receive nothing; re-enabling resumes', async () => {
    const { emulator, stripe, received } = setup()
    const endpoint = await createWebhookEndpoint(stripe, { url: 'https://example.test/hook', enabled_events: ['*'] })
    expect((await updateWebhookEndpoint(stripe, endpoint.id, { disabled: true })).status).toBe('disabled')
    await fundAccount(stripe)
    await emulator.control.deliverEvents()
    expect(received).toEqual([])
    expect((await updateWebhookEndpoint(stripe, endpoint.id, { disabled: false })).status).toBe('enabled')
    await fundAccount(stripe)
    await emulator.control.deliverEvents()
    expect(received.length).toBeGreaterThan(0)
    const before = received.length
    expect(await deleteWebhookEndpoint(stripe, endpoint.id)).toEqual({ id: endpoint.id, object: 'webhook_endpoint', deleted: true })
    await fundAccount(stripe)
    await emulator.control.deliverEvents()
    expect(received.length).toBe(before)
    const gone = await call(emulator, 'GET', `/v1/webhook_endpoints/${endpoint.id}`)
    expect(gone.status).toBe(404)
    expect(gone.body.error).toMatchObject({ code: 'resource_missing', param: 'webhook_endpoint' })
  })

  it('an endpoint receives its own account’s events; a Connect endpoint of the platform also its connected accounts’', async () => {
    const { emulator, received } = setup()
    const make = async (url: string, extra: Record<string, unknown> = {}, account?: string) =>
      (await call(emulator, 'POST', '/v1/webhook_endpoints', { url, enabled_events: ['*'], ...extra }, { account })).body
    await make('https://example.test/platform')
    await make('https://example.test/connect', { connect: true })
    await make('https://example.test/other', {}, 'acct_other')
    const fa = await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] }, { account: 'acct_other' })
    expect(fa.status).toBe(200)
    await emulator.control.deliverEvents()
    expect(received.map((r) => r.url).sort()).toEqual(['https://example.test/connect', 'https://example.test/other'])
  })

  it('an endpoint enabled for the 64 triggerable types is stored as given; endpoints receive only their listed types', async () => {
    const { emulator, received } = setup()
    const types = triggerableEvents()
    expect(types).toHaveLength(64)
    const created = await call(emulator, 'POST', '/v1/webhook_endpoints', { url: 'https://example.test/all64', enabled_events: types })
    expect(created.status).toBe(200)
    expect(created.body.enabled_events).toEqual(types)
    // a flow whose events are partly of other types: only the listed ones arrive
    const narrow = await call(emulator, 'POST', '/v1/webhook_endpoints', {
      url: 'https://example.test/closed',
      enabled_events: ['treasury.financial_account.closed'],
    })
    expect(narrow.status).toBe(200)
    const fa = await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })
    await call(emulator, 'POST', `/v1/treasury/financial_accounts/${fa.body.id}/close`)
    await emulator.control.deliverEvents()
    expect(received.filter((r) => r.url === 'https://example.test/closed').map((r) => JSON.parse(r.body).type)).toEqual([
      'treasury.financial_account.closed',
    ])
    expect(received.filter((r) => r.url === 'https://example.test/all64').map((r) => JSON.parse(r.body).type)).toEqual([
      'treasury.financial_account.created',
      'treasury.financial_account.closed',
    ])
  })

  it('refuses a non-http URL and a missing enabled_events, naming the param', async () => {
    const { emulator } = setup()
    const bad = await call(emulator, 'POST', '/v1/webhook_endpoints', { url: 'ftp://example.test', enabled_events: ['*'] })
    expect(bad.status).toBe(400)
    expect(bad.body.error.param).toBe('url')
    const missing = await call(emulator, 'POST', '/v1/webhook_endpoints', { url: 'https://example.test' })
    expect(missing.status).toBe(400)
    expect(missing.body.error.param).toBe('enabled_events')
    // (the spec marks enabled_events x-stripeBypassValidation: types outside its list are accepted, as the SDK does)
  })

  it('the /_emulator/webhook-endpoints controls create the same objects (the API then lists them, without the secret)', async () => {
    const { emulator, received } = setup()
    const res = await emulator.fetch('http://127.0.0.1:9/_emulator/webhook-endpoints', {
      method: 'POST',
      body: JSON.stringify({ url: 'https://example.test/control', events: ['treasury.financial_account.created'] }),
    })
    const created = await res.json()
    expect(created.secret).toMatch(/^whsec_/)
    const listed = await call(emulator, 'GET', '/v1/webhook_endpoints')
    expect(listed.body.data.map((e: { id: string }) => e.id)).toEqual([created.id])
    expect(listed.body.data[0].secret).toBeUndefined()
    await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] }, { account: 'acct_elsewhere' })
    await emulator.control.deliverEvents()
    // control endpoints receive every account's events, as they always did
    expect(received.map((r) => r.url)).toEqual(['https://example.test/control'])
    const del = await emulator.fetch(`http://127.0.0.1:9/_emulator/webhook-endpoints/${created.id}`, { method: 'DELETE' })
    expect(del.status).toBe(200)
    expect((await call(emulator, 'GET', '/v1/webhook_endpoints')).body.data).toEqual([])
  })

  it('delivers exactly the events each endpoint enabled, to enabled endpoints only (property)', async () => {
    const types: string[] = ['treasury.financial_account.created', 'treasury.received_credit.created', 'treasury.received_credit.succeeded']
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ events: fc.oneof(fc.constant(['*'] as string[]), fc.subarray(types, { minLength: 1 })), disabled: fc.boolean() }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        async (specs) => {
          const { emulator, stripe, received } = setup()
          const endpoints = []
          for (const [i, spec] of specs.entries()) {
            const endpoint = await createWebhookEndpoint(stripe, {
              url: `https://example.test/${i}`,
              enabled_events: spec.events as CreateWebhookEndpointParams['enabled_events'],
            })
            if (spec.disabled) await updateWebhookEndpoint(stripe, endpoint.id, { disabled: true })
            endpoints.push(endpoint)
          }
          await fundAccount(stripe)
          await emulator.control.deliverEvents()
          const raised = emulator.control.events().map((e) => e.type)
          for (const [i, spec] of specs.entries()) {
            const got = received.filter((r) => r.url === `https://example.test/${i}`)
            const expected = spec.disabled ? [] : raised.filter((t) => spec.events.includes('*') || spec.events.includes(t))
            expect(got.map((r) => JSON.parse(r.body).type)).toEqual(expected)
            for (const r of got) await verifyWebhook(r.body, r.signature, endpoints[i]!.secret)
          }
        },
      ),
      { numRuns: 25 },
    )
  })
})

describe('webhook endpoints through the official stripe package against the emulator server', () => {
  it('create + constructEvent close the loop over HTTP; list/retrieve hide the secret; delete stops deliveries', async () => {
    const bodies: { body: string; signature: string }[] = []
    const receiver = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk) => {
        body += chunk
      })
      req.on('end', () => {
        bodies.push({ body, signature: String(req.headers['stripe-signature']) })
        res.end('ok')
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/stripe`
    let server: EmulatorServer | undefined
    try {
      server = await startEmulatorServer({ accounts: 'shared', port: 0 })
      const stripe = new Stripe('sk_test_123', { host: '127.0.0.1', port: server.port, protocol: 'http', maxNetworkRetries: 0 })
      const endpoint = await stripe.webhookEndpoints.create({ url, enabled_events: ['treasury.financial_account.created'] })
      expect(endpoint.secret).toMatch(/^whsec_/)
      expect((await stripe.webhookEndpoints.retrieve(endpoint.id)).secret).toBeUndefined()
      expect((await stripe.webhookEndpoints.list()).data.map((e) => [e.id, e.secret])).toEqual([[endpoint.id, undefined]])
      const fa = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'] })
      await server.emulator.control.deliverEvents()
      expect(bodies).toHaveLength(1)
      const event = await stripe.webhooks.constructEventAsync(bodies[0]!.body, bodies[0]!.signature, endpoint.secret!)
      expect(event.type).toBe('treasury.financial_account.created')
      expect((event.data.object as { id: string }).id).toBe(fa.id)
      expect((await stripe.webhookEndpoints.del(endpoint.id)).deleted).toBe(true)
      await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'] })
      await server.emulator.control.deliverEvents()
      expect(bodies).toHaveLength(1)
    } finally {
      await server?.close()
      await new Promise((resolve) => receiver.close(resolve))
    }
  })
})
