// The Worker as deployed: wrangler.jsonc's `main` (src/worker.ts), bundled with esbuild and run by
// Miniflare (workerd) with env bindings, through its real default export — global fetch to the
// API, the secrets as bindings. The emulator runs as a Node HTTP server on 127.0.0.1 and delivers
// its signed webhooks to the Worker's URL.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createStripe } from '@edgestripe/core'
import { createFinancialAccount, createOutboundPayment } from '@edgestripe/treasury'
import { createReceivedCredit, postOutboundPayment } from '@edgestripe/treasury/test-helpers'
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
}, 60_000)

afterAll(async () => {
  await mf?.dispose()
  await server?.close()
})

describe('cloudflare-worker example, its real entry (default export) in workerd', () => {
  it('verifies signed Treasury webhooks and retrieves the objects over its own fetch, with env bindings', async () => {
    const { control } = server.emulator
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
})
