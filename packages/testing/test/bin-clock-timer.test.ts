// `edgestripe-emulator` on its default real clock runs due work by itself (src/scheduler.ts), as the
// Worker's alarm does: a report run finishes and its webhook arrives, and a failing endpoint's retry
// goes out, with no request after the one that made them — in memory, with --persist and with
// --shared-account (the bin from source, a separate process, as a user runs it).
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBin, stopChild } from './bin-process.js'
import { startWebhookReceiver, type WebhookReceiver } from './official-flows.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const stop = (child: ChildProcess | undefined) => stopChild(child)

let hooks: WebhookReceiver
const dir = mkdtempSync(join(tmpdir(), 'edgestripe-clock-timer-'))

beforeAll(async () => {
  hooks = await startWebhookReceiver()
})

afterAll(async () => {
  await hooks?.close()
  rmSync(dir, { recursive: true, force: true })
})

const variants = [
  { name: 'in memory', args: [] as string[], key: 'sk_test_timer_memory' },
  { name: '--persist DIR', args: ['--persist', join(dir, 'db')], key: 'sk_test_timer_persist' },
  { name: '--shared-account', args: ['--shared-account'], key: 'sk_test_timer_shared' },
]

/** The `/_emulator` controls of `key`'s account over HTTP. */
async function control(url: URL, key: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url.origin}/_emulator${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  expect(res.status).toBe(200)
  return res.json()
}

/** A report run created over HTTP finishes and its signed webhook arrives, with no request after the create. */
async function reportRunFinishes(url: URL, key: string, stripe: Stripe, path: string): Promise<void> {
  const endpoint = await stripe.webhookEndpoints.create({ url: hooks.url(path), enabled_events: ['reporting.report_run.succeeded'] })
  const type = await stripe.reporting.reportTypes.retrieve('balance.summary.1')
  const created = Date.now()
  const run = await stripe.reporting.reportRuns.create({
    report_type: type.id,
    parameters: { interval_start: type.data_available_start, interval_end: type.data_available_end },
  })
  expect(run.status).toBe('pending')
  const [hook] = await hooks.waitFor(path, 1, 8_000)
  expect(hook).toBeDefined()
  // not before its 2 emulator seconds (whole seconds: at least one full wall second)
  expect(Date.now() - created).toBeGreaterThan(1_000)
  const event = stripe.webhooks.constructEvent(hook?.body as string, hook?.signature as string, endpoint.secret as string)
  expect(event.type).toBe('reporting.report_run.succeeded')
  const object = event.data.object as Stripe.Reporting.ReportRun
  expect(object).toMatchObject({ id: run.id, status: 'succeeded', succeeded_at: run.created + 2 })
  expect(object.result?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/files\//)
  // the API saw the three requests above and nothing else: nobody retrieved the run
  const requests = (await control(url, key, 'GET', '/requests')).data as { method: string; path: string }[]
  expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    'POST /v1/webhook_endpoints',
    'GET /v1/reporting/report_types/balance.summary.1',
    'POST /v1/reporting/report_runs',
  ])
  expect(hooks.received(path)).toHaveLength(1)
}

/** A failing endpoint's retry goes out by itself when due, the clock moved to 2 s before it. */
async function retryGoesOut(url: URL, key: string, stripe: Stripe, path: string): Promise<void> {
  hooks.answer(path, [500])
  const endpoint = await stripe.webhookEndpoints.create({ url: hooks.url(path), enabled_events: ['treasury.financial_account.created'] })
  const fa = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'] })
  expect(await hooks.waitFor(path, 1)).toHaveLength(1)
  let scheduled: { endpoint: string; attempt: number; reason: string; dueAt: number }[] = []
  for (let i = 0; i < 40 && scheduled.length === 0; i++) {
    scheduled = (await control(url, key, 'GET', '/webhook-deliveries/scheduled')).data
    if (scheduled.length === 0) await sleep(50)
  }
  expect(scheduled).toMatchObject([{ endpoint: endpoint.id, attempt: 2, reason: 'retry' }])
  const retry = scheduled[0] as (typeof scheduled)[number]
  const now = (await control(url, key, 'GET', '/now')).now
  // Stripe's first retry is 5 minutes on: the clock is moved to 2 s before it; the advance itself sends nothing
  expect(retry.dueAt - now).toBeGreaterThan(290)
  const advanced = Date.now()
  await control(url, key, 'POST', '/advance', { seconds: retry.dueAt - now - 2 })
  await sleep(300)
  expect(hooks.received(path)).toHaveLength(1)
  const received = await hooks.waitFor(path, 2, 6_000)
  expect(received).toHaveLength(2)
  expect(Date.now() - advanced).toBeGreaterThan(1_000)
  const event = stripe.webhooks.constructEvent(received[1]?.body as string, received[1]?.signature as string, endpoint.secret as string)
  expect((event.data.object as { id: string }).id).toBe(fa.id)
  expect(event.id).toBe(JSON.parse(received[0]?.body as string).id)
  let deliveries: { attempt: number; status: number; ok: boolean; at: number; endpoint: string }[] = []
  for (let i = 0; i < 40 && deliveries.filter((d) => d.endpoint === endpoint.id).length < 2; i++) {
    deliveries = (await control(url, key, 'GET', '/webhook-deliveries')).data
    await sleep(25)
  }
  expect(deliveries.filter((d) => d.endpoint === endpoint.id).map((d) => [d.attempt, d.status, d.ok, d.at])).toEqual([
    [1, 500, false, retry.dueAt - 300],
    [2, 200, true, retry.dueAt],
  ])
  expect((await control(url, key, 'GET', '/webhook-deliveries/scheduled')).data).toEqual([])
  // nothing more: sent once
  await sleep(300)
  expect(hooks.received(path)).toHaveLength(2)
}

describe('edgestripe-emulator on the real clock: due work runs with no request', () => {
  // the three variants at once (each its own process, port and webhook paths); within one, in turn
  it.concurrent.each(variants)(
    '$name: a report run finishes and its webhook arrives; a failing endpoint gets its retry',
    async ({ name, args, key }) => {
      const slug = name.replace(/\W+/g, '')
      const started = await startBin(['--report-run-delay', '2', ...args])
      try {
        const url = new URL(started.url)
        const stripe = new Stripe(key, { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 0 })
        await reportRunFinishes(url, key, stripe, `/report-${slug}`)
        await retryGoesOut(url, key, stripe, `/retry-${slug}`)
      } finally {
        await stop(started.child)
      }
    },
    25_000,
  )
})
