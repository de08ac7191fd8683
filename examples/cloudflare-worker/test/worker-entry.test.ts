// The Worker as deployed: wrangler.jsonc's `main` (src/worker.ts), bundled with esbuild and run by
// Miniflare (workerd) with env bindings, through its real default export — global fetch to the
// API, the secrets as bindings. The emulator runs as a Node HTTP server on 127.0.0.1 and delivers
// its signed webhooks to the Worker's URL.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createStripe } from '@edgestripe/core'
import { createFinancialAccount, createOutboundPayment } from '@edgestripe/treasury'
import { createReceivedCredit, postOutboundPayment } from '@edgestripe/treasury/test-helpers'
import { deleteWebhookEndpoint, listWebhookEndpoints } from '@edgestripe/webhook-endpoints'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmulatorServer, startEmulatorServer } from '../../../scripts/emulator-server'

const here = join(import.meta.dirname, '..')
const root = join(here, '..', '..')
const wrangler = JSON.parse(readFileSync(join(here, 'wrangler.jsonc'), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as {
  main: string
  compatibility_date: string
  compatibility_flags?: string[]
}

let server: EmulatorServer
let mf: Miniflare
let workerURL: URL
/** The same Worker with a KV namespace and no STRIPE_WEBHOOK_SECRET: it registers its own endpoint. */
let mfSelf: Miniflare
let selfURL: URL
const WEBHOOK_SECRET = 'whsec_worker_entry_test'

beforeAll(async () => {
  server = await startEmulatorServer({ port: 0 })
  const bundle = await build({
    entryPoints: [join(here, wrangler.main)],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        // the workspace packages, from source (as the other tests resolve them)
        name: 'workspace-source',
        setup(b) {
          b.onResolve({ filter: /^@edgestripe\/[a-z-]+(\/[a-z-]+)?$/ }, (args) => {
            const [, pkg, sub] = /^@edgestripe\/([a-z-]+)(?:\/([a-z-]+))?$/.exec(args.path) as RegExpExecArray
            return { path: join(root, 'packages', pkg as string, 'src', `${sub ?? 'index'}.ts`) }
          })
        },
      },
    ],
  })
  mf = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0]?.text as string,
    compatibilityDate: wrangler.compatibility_date,
    compatibilityFlags: wrangler.compatibility_flags ?? [],
    bindings: { STRIPE_SECRET_KEY: 'sk_test_123', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: server.url },
  })
  workerURL = await mf.ready
  mfSelf = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0]?.text as string,
    compatibilityDate: wrangler.compatibility_date,
    compatibilityFlags: wrangler.compatibility_flags ?? [],
    kvNamespaces: ['WEBHOOKS'],
    bindings: { STRIPE_SECRET_KEY: 'sk_test_123', STRIPE_API_BASE: server.url },
  })
  selfURL = await mfSelf.ready
}, 60_000)

afterAll(async () => {
  await mfSelf?.dispose()
  await mf?.dispose()
  await server?.close()
})

describe('cloudflare-worker example, its real entry (default export) in workerd', () => {
  it('verifies signed Treasury webhooks and retrieves the objects over its own fetch, with env bindings', async () => {
    const control = server.emulator.controlFor('sk_test_123')
    control.addWebhookEndpoint({ url: workerURL.href, secret: WEBHOOK_SECRET, events: ['treasury.outbound_payment.posted'] })
    const stripe = createStripe({ apiKey: 'sk_test_123', baseURL: server.url })
    const account = await createFinancialAccount(stripe, { supported_currencies: ['usd'] })
    await createReceivedCredit(stripe, { financial_account: account.id, currency: 'usd', amount: 5_000, network: 'ach' })
    const payment = await createOutboundPayment(stripe, {
      financial_account: account.id,
      currency: 'usd',
      amount: 1_000,
      destination_payment_method_data: {
        type: 'us_bank_account',
        us_bank_account: { routing_number: '110000000', account_number: '000000000009' },
      },
    })
    control.clearRequests()
    await postOutboundPayment(stripe, payment.id)
    const deliveries = await control.deliverEvents()
    expect(deliveries).toEqual([expect.objectContaining({ type: 'treasury.outbound_payment.posted', status: 200, ok: true })])
    // the Worker called the API itself (global fetch → STRIPE_API_BASE, STRIPE_SECRET_KEY binding)
    const paths = control.requests().map((r) => `${r.method} ${r.path}`)
    expect(paths).toContain(`GET /v1/treasury/outbound_payments/${payment.id}`)
    expect(paths.some((p) => /^GET \/v1\/treasury\/transactions\/trxn_\w+$/.test(p))).toBe(true)
  })

  it('answers 400 to a bad signature and 405 to a GET, from the deployed entry', async () => {
    const bad = await mf.dispatchFetch(workerURL, {
      method: 'POST',
      headers: { 'Stripe-Signature': 't=1,v1=00' },
      body: '{"id":"evt_1","type":"treasury.outbound_payment.posted"}',
    })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: expect.any(String) })
    const get = await mf.dispatchFetch(workerURL)
    expect(get.status).toBe(405)
    await get.text()
  })

  it('registers its own endpoint through the API (secret kept in KV), then verifies the Treasury events delivered to it', async () => {
    const control = server.emulator.controlFor('sk_test_123')
    const before = await mfSelf.dispatchFetch(selfURL, { method: 'POST', body: '{}' })
    expect(before.status).toBe(500) // no secret yet
    await before.text()
    const registered = await mfSelf.dispatchFetch(new URL('/register', selfURL), { method: 'POST' })
    expect(registered.status).toBe(200)
    const endpoint = (await registered.json()) as { id: string; url: string; enabled_events: string[]; secret?: string }
    expect(endpoint.secret).toBeUndefined()
    expect(endpoint.url).toBe(new URL('/', selfURL).href)
    expect(endpoint.enabled_events).toContain('treasury.received_credit.created')
    // the API lists it, never with its secret; the secret is in the Worker's KV
    const stripe = createStripe({ apiKey: 'sk_test_123', baseURL: server.url })
    const listed = await listWebhookEndpoints(stripe)
    expect(listed.data.map((e) => e.id)).toContain(endpoint.id)
    expect(JSON.stringify(listed)).not.toContain('whsec_')
    expect(await (await mfSelf.getKVNamespace('WEBHOOKS')).get('stripe-webhook-secret')).toMatch(/^whsec_/)

    await control.deliverEvents()
    const account = await createFinancialAccount(stripe, { supported_currencies: ['usd'] })
    await createReceivedCredit(stripe, { financial_account: account.id, currency: 'usd', amount: 5_000, network: 'ach' })
    const deliveries = (await control.deliverEvents()).filter((d) => d.endpoint === endpoint.id)
    expect(deliveries.map((d) => [d.type, d.status])).toEqual([
      ['treasury.financial_account.created', 200],
      ['treasury.received_credit.created', 200],
    ])
    await deleteWebhookEndpoint(stripe, endpoint.id)
  })
})
