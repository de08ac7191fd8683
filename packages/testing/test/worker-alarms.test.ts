// The Durable Object's alarm is the Worker's clock hand (workerd through Miniflare, real alarms):
// a failing webhook endpoint's retries are sent by the alarm, and a report run finishes by it —
// also when Miniflare was restarted in between — with no request to the Worker meanwhile.
import { join } from 'node:path'
import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleWorker, type WorkerHarness } from './miniflare-worker.js'
import { startWebhookReceiver, type WebhookReceiver } from './official-flows.js'

let harness: WorkerHarness
let hooks: WebhookReceiver

beforeAll(async () => {
  harness = await bundleWorker()
  hooks = await startWebhookReceiver()
}, 60_000)

afterAll(async () => {
  await harness?.close()
  await hooks?.close()
})

const sdk = (key: string, url: URL) =>
  new Stripe(key, { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 0 })

async function control(url: URL, key: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url.origin}/_emulator${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  expect(res.status).toBe(200)
  return res.json()
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('the Worker: alarms drive webhook retries and report runs', () => {
  it("a failing endpoint's retries are sent by the alarm, on the retry schedule, until it answers 2xx", async () => {
    const worker = await harness.start()
    const key = 'sk_test_alarm_retries'
    const stripe = sdk(key, worker.url)
    const path = '/retries'
    hooks.answer(path, [500, 503])
    const endpoint = await stripe.webhookEndpoints.create({ url: hooks.url(path), enabled_events: ['treasury.financial_account.created'] })
    const fa = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'] })
    expect(await hooks.waitFor(path, 1)).toHaveLength(1)
    let scheduled = (await control(worker.url, key, 'GET', '/webhook-deliveries/scheduled')).data
    expect(scheduled).toMatchObject([{ endpoint: endpoint.id, attempt: 2, reason: 'retry' }])
    const firstRetry = scheduled[0]
    const now = (await control(worker.url, key, 'GET', '/now')).now
    // Stripe's schedule: 5 minutes after the first attempt (the emulator's default, 300 s)
    expect(firstRetry.dueAt - now).toBeGreaterThan(290)

    for (const [attempt, lead] of [
      [2, 3],
      [3, 3],
    ] as const) {
      // the emulator clock is moved to `lead` seconds before the retry is due: the advance itself
      // sends nothing; only the alarm (set for then) can, and no request reaches the Worker after it
      const due = scheduled[0].dueAt
      const current = (await control(worker.url, key, 'GET', '/now')).now
      const advanced = Date.now()
      await control(worker.url, key, 'POST', '/advance', { seconds: due - current - lead })
      await sleep(500)
      expect(hooks.received(path)).toHaveLength(attempt - 1)
      const received = await hooks.waitFor(path, attempt, 20_000)
      expect(received).toHaveLength(attempt)
      // it came when the alarm was due, not with the advance
      expect(Date.now() - advanced).toBeGreaterThan((lead - 1) * 1000)
      const event = stripe.webhooks.constructEvent(
        received[attempt - 1]?.body as string,
        received[attempt - 1]?.signature as string,
        endpoint.secret as string,
      )
      expect(event.type).toBe('treasury.financial_account.created')
      expect((event.data.object as { id: string }).id).toBe(fa.id)
      scheduled = (await control(worker.url, key, 'GET', '/webhook-deliveries/scheduled')).data
    }
    // the third attempt was answered 200: nothing more is scheduled, the event reached its endpoint
    expect(scheduled).toEqual([])
    const deliveries = (await control(worker.url, key, 'GET', '/webhook-deliveries')).data
    expect(deliveries.map((d: { attempt: number; status: number; ok: boolean }) => [d.attempt, d.status, d.ok])).toEqual([
      [1, 500, false],
      [2, 503, false],
      [3, 200, true],
    ])
    const [event] = (await control(worker.url, key, 'GET', '/events?type=treasury.financial_account.created')).data
    expect(event.pending_webhooks).toBe(0)
    // retries were exact on the schedule: 300 s, then 3,600 s after the previous attempt
    expect(deliveries[1].at - deliveries[0].at).toBe(300)
    expect(deliveries[2].at - deliveries[1].at).toBe(3_600)
    await worker.stop()
  }, 60_000)

  it('a retry waiting when Miniflare restarts (as a deployed object is evicted when idle) is still sent by the alarm', async () => {
    const persist = join(harness.dir, 'retry-restart')
    const key = 'sk_test_alarm_retry_restart'
    const path = '/retry-restart'
    hooks.answer(path, [500])
    let worker = await harness.start({ persist })
    let stripe = sdk(key, worker.url)
    const endpoint = await stripe.webhookEndpoints.create({ url: hooks.url(path), enabled_events: ['treasury.financial_account.created'] })
    const fa = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'] })
    expect(await hooks.waitFor(path, 1)).toHaveLength(1)
    // the failed attempt is recorded once its answer came; then the object goes away with its memory
    for (let i = 0; i < 40 && (await control(worker.url, key, 'GET', '/webhook-deliveries/scheduled')).data.length === 0; i++)
      await sleep(50)
    const [retry] = (await control(worker.url, key, 'GET', '/webhook-deliveries/scheduled')).data
    expect(retry).toMatchObject({ endpoint: endpoint.id, attempt: 2, reason: 'retry' })
    await worker.stop()
    worker = await harness.start({ persist })
    stripe = sdk(key, worker.url)
    expect((await control(worker.url, key, 'GET', '/webhook-deliveries/scheduled')).data).toEqual([retry])
    const now = (await control(worker.url, key, 'GET', '/now')).now
    await control(worker.url, key, 'POST', '/advance', { seconds: retry.dueAt - now - 2 })
    await sleep(300)
    expect(hooks.received(path)).toHaveLength(1)
    const received = await hooks.waitFor(path, 2, 20_000)
    expect(received).toHaveLength(2)
    const event = stripe.webhooks.constructEvent(received[1]?.body as string, received[1]?.signature as string, endpoint.secret as string)
    expect((event.data.object as { id: string }).id).toBe(fa.id)
    expect(event.id).toBe(JSON.parse(received[0]?.body as string).id)
    for (let i = 0; i < 40 && (await control(worker.url, key, 'GET', '/webhook-deliveries')).data.length === 0; i++) await sleep(50)
    expect((await control(worker.url, key, 'GET', '/webhook-deliveries')).data).toMatchObject([
      { attempt: 2, status: 200, ok: true, at: retry.dueAt },
    ])
    expect((await control(worker.url, key, 'GET', '/webhook-deliveries/scheduled')).data).toEqual([])
    const [recorded] = (await control(worker.url, key, 'GET', '/events?type=treasury.financial_account.created')).data
    expect(recorded.pending_webhooks).toBe(0)
    await worker.stop()
  }, 60_000)

  it('a report run started before a Miniflare restart finishes by the alarm after it, and its event is delivered', async () => {
    const persist = join(harness.dir, 'alarm-restart')
    const key = 'sk_test_alarm_report'
    const path = '/report'
    let worker = await harness.start({ persist })
    let stripe = sdk(key, worker.url)
    const endpoint = await stripe.webhookEndpoints.create({ url: hooks.url(path), enabled_events: ['reporting.report_run.succeeded'] })
    const type = await stripe.reporting.reportTypes.retrieve('balance.summary.1')
    const run = await stripe.reporting.reportRuns.create({
      report_type: type.id,
      parameters: { interval_start: type.data_available_start, interval_end: type.data_available_end },
    })
    expect(run.status).toBe('pending')
    await worker.stop()
    worker = await harness.start({ persist })
    // no request to the restarted Worker until the event arrived: only its alarm can finish the run
    const [hook] = await hooks.waitFor(path, 1, 25_000)
    expect(hook).toBeDefined()
    stripe = sdk(key, worker.url)
    const event = stripe.webhooks.constructEvent(hook?.body as string, hook?.signature as string, endpoint.secret as string)
    expect(event.type).toBe('reporting.report_run.succeeded')
    expect((event.data.object as { id: string; status: string }).id).toBe(run.id)
    expect((await stripe.reporting.reportRuns.retrieve(run.id)).status).toBe('succeeded')
    await worker.stop()
  }, 60_000)
})
