// `@edgestripe/testing/worker` in workerd (Miniflare, driven from Node): the Worker and its
// `EmulatorAccount` Durable Objects on their SQLite storage. The official `stripe` package drives a
// Treasury flow; two keys are isolated; with persistence on, state survives a restart of Miniflare;
// webhook endpoints receive signed deliveries; deployed, the controls need the token.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Miniflare } from 'miniflare'
import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleWorker, type RunningWorker, type WorkerHarness } from '../packages/testing/test/miniflare-worker.js'

let harness: WorkerHarness
let work: string

beforeAll(async () => {
  harness = await bundleWorker()
  work = harness.dir
}, 60_000)

afterAll(() => harness.close())

const started = new Map<Miniflare, RunningWorker>()
async function startWorker(options?: { persist?: string; bindings?: Record<string, string> }): Promise<RunningWorker> {
  const worker = await harness.start(options)
  started.set(worker.mf, worker)
  return worker
}
const stop = async (mf: Miniflare) => started.get(mf)?.stop()

const sdk = (key: string, url: URL) =>
  new Stripe(key, { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 0 })

describe('@edgestripe/testing/worker in workerd', () => {
  it('serves a Treasury flow to the official SDK; two keys are isolated; state survives a restart with persistence', async () => {
    const persist = join(work, 'do')
    let { mf, url } = await startWorker({ persist })
    const a = sdk('sk_test_alpha', url)
    const fa = await a.treasury.financialAccounts.create({
      supported_currencies: ['usd'],
      features: { outbound_payments: { ach: { requested: true } } },
    })
    expect(fa.id).toMatch(/^fa_/)
    await a.testHelpers.treasury.receivedCredits.create({ financial_account: fa.id, amount: 5_000, currency: 'usd', network: 'ach' })
    await a.testHelpers.treasury.receivedDebits.create({ financial_account: fa.id, amount: 1_200, currency: 'usd', network: 'ach' })
    const balance = (await a.treasury.financialAccounts.retrieve(fa.id)).balance
    expect(balance.cash.usd).toBe(3_800)
    const transactions = await a.treasury.transactions.list({ financial_account: fa.id })
    expect(transactions.data).toHaveLength(2)
    // another key: another Durable Object, another account
    const b = sdk('sk_test_beta', url)
    await expect(b.treasury.financialAccounts.retrieve(fa.id)).rejects.toMatchObject({ statusCode: 404 })
    expect((await b.treasury.financialAccounts.list()).data).toHaveLength(0)

    await stop(mf)
    ;({ mf, url } = await startWorker({ persist }))
    const again = sdk('sk_test_alpha', url)
    expect((await again.treasury.financialAccounts.retrieve(fa.id)).balance.cash.usd).toBe(3_800)
    expect((await again.treasury.transactions.list({ financial_account: fa.id })).data.map((tx) => tx.id)).toEqual(
      transactions.data.map((tx) => tx.id),
    )
    await stop(mf)
  }, 60_000)

  it('delivers signed webhook events to an endpoint', async () => {
    const received: { signature: string; body: string }[] = []
    const server: Server = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk) => {
        body += chunk
      })
      req.on('end', () => {
        received.push({ signature: String(req.headers['stripe-signature']), body })
        res.end('ok')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
    const { mf, url } = await startWorker()
    const stripe = sdk('sk_test_hooks', url)
    const endpoint = await stripe.webhookEndpoints.create({ url: hook, enabled_events: ['treasury.financial_account.created'] })
    const fa = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'], features: {} })
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(received).toHaveLength(1)
    const event = stripe.webhooks.constructEvent(received[0]?.body as string, received[0]?.signature as string, endpoint.secret as string)
    expect(event.type).toBe('treasury.financial_account.created')
    expect((event.data.object as { id: string }).id).toBe(fa.id)
    await stop(mf)
    server.close()
  }, 60_000)

  it('the alarm is the real clock: a report run finishes and its event is delivered with no request after it', async () => {
    const received: string[] = []
    const server: Server = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk) => {
        body += chunk
      })
      req.on('end', () => {
        received.push(JSON.parse(body).type)
        res.end('ok')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { mf, url } = await startWorker()
    const stripe = sdk('sk_test_alarm', url)
    await stripe.webhookEndpoints.create({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
      enabled_events: ['reporting.report_run.succeeded'],
    })
    const type = await stripe.reporting.reportTypes.retrieve('balance.summary.1')
    const run = await stripe.reporting.reportRuns.create({
      report_type: 'balance.summary.1',
      parameters: { interval_start: type.data_available_start, interval_end: type.data_available_end },
    })
    expect(run.status).toBe('pending')
    // nothing is sent to the Worker meanwhile: only its alarm can finish the run
    for (let i = 0; i < 150 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100))
    expect(received).toEqual(['reporting.report_run.succeeded'])
    expect((await stripe.reporting.reportRuns.retrieve(run.id)).status).toBe('succeeded')
    await stop(mf)
    server.close()
  }, 60_000)

  it('deployed: controls need Bearer EMULATOR_TOKEN and act on the Emulator-Key account; other hosts are refused', async () => {
    const { mf } = await startWorker({ bindings: { EMULATOR_TOKEN: 'tok_secret', ALLOWED_HOSTS: 'sandbox.example.com' } })
    const at = (path: string, headers: Record<string, string> = {}) => mf.dispatchFetch(`https://sandbox.example.com${path}`, { headers })
    expect((await at('/_emulator/now')).status).toBe(401)
    expect((await at('/_emulator/now', { Authorization: 'Bearer sk_test_alpha' })).status).toBe(401)
    expect((await at('/_emulator/now', { Authorization: 'Bearer tok_secret' })).status).toBe(200)
    // seed through the controls of key gamma's account, read it back through the API with its key
    const seeded = await mf.dispatchFetch('https://sandbox.example.com/_emulator/seed', {
      method: 'POST',
      headers: { Authorization: 'Bearer tok_secret', 'Emulator-Key': 'sk_test_gamma', 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'treasury.financial_account' }),
    })
    expect(seeded.status).toBe(200)
    const id = ((await seeded.json()) as { id: string }).id
    const read = await at(`/v1/treasury/financial_accounts/${id}`, { Authorization: 'Bearer sk_test_gamma' })
    expect(read.status).toBe(200)
    expect((await at(`/v1/treasury/financial_accounts/${id}`, { Authorization: 'Bearer sk_test_delta' })).status).toBe(404)
    expect((await mf.dispatchFetch('https://elsewhere.example.net/v1/treasury/financial_accounts')).status).toBe(403)
    await stop(mf)
  }, 60_000)
})
