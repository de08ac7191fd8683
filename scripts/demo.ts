// `pnpm demo`: the SDK's main flows end to end, with a short narrative. Against the local emulator
// (started in-process on 127.0.0.1) by default; against Stripe test mode when STRIPE_SECRET_KEY is
// set (optional STRIPE_PUBLISHABLE_KEY; STRIPE_ACCOUNT = a connected account with Treasury;
// STRIPE_BASE_URL = another API origin, e.g. a separate `pnpm emulator`, used for files too).

import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createStripe, narrowEvent, type StripeClient, StripeError, type StripeEvent, verifyWebhook } from '@edgestripe/core'
import { reportingEvents, retrieveReportType, runReport } from '@edgestripe/reporting'
import { listScheduledQueryRuns, type ScheduledQueryRun, scheduledQueryRunRows, sigmaEvents } from '@edgestripe/sigma'
import { createSource, pollSource, sourceEvents } from '@edgestripe/sources'
import {
  createFinancialAccount,
  createOutboundPayment,
  listTransactions,
  retrieveFinancialAccount,
  retrieveOutboundPayment,
  treasuryEvents,
} from '@edgestripe/treasury'
import { createReceivedCredit, postOutboundPayment } from '@edgestripe/treasury/test-helpers'
import { createHandler, type Env as WorkerEnv } from '../examples/cloudflare-worker/src/worker.js'
import type { EmulatorControl } from '../packages/testing/src/index.js'
import { startEmulatorServer } from './emulator-server.js'

export interface DemoOptions {
  /** where the narrative goes (default `console.log`) */
  log?: (line: string) => void
  /** environment to read keys from (default `process.env`) */
  env?: Record<string, string | undefined>
  /** emulator mode only: called with the local emulator's controls before the steps (tests inject faults here) */
  setupEmulator?: (control: EmulatorControl) => void
}

export interface DemoResult {
  mode: 'emulator' | 'stripe'
  /** steps that ran, and steps skipped with the reason */
  ran: string[]
  skipped: { step: string; why: string }[]
}

/** Local mode: the emulator server and its controls. */
interface Local {
  control: EmulatorControl
  url: string
}

const money = (amount: number, currency = 'usd') =>
  `${(amount / 100).toLocaleString('en-US', { style: 'currency', currency: currency.toUpperCase() })}`

const EMULATOR_SECRET_KEY = 'sk_test_emulator_demo'
const EMULATOR_PUBLISHABLE_KEY = 'pk_test_emulator_demo'
const WEBHOOK_SECRET = 'whsec_demo_local'

/** Runs the demo; resolves with what ran, rejects (with a clear message) when a step fails. */
export async function runDemo({ log = console.log, env = process.env, setupEmulator }: DemoOptions = {}): Promise<DemoResult> {
  const secretKey = env.STRIPE_SECRET_KEY?.trim()
  if (secretKey && /^(sk|rk)_live_/.test(secretKey)) {
    throw new Error(
      'Refusing to run the demo with a live key (sk_live_/rk_live_): it creates objects and moves money. Use a test-mode key.',
    )
  }
  const publishable = env.STRIPE_PUBLISHABLE_KEY?.trim()
  if (publishable?.startsWith('pk_live_')) throw new Error('Refusing a live publishable key (pk_live_): use a pk_test_ key.')

  const result: DemoResult = { mode: secretKey ? 'stripe' : 'emulator', ran: [], skipped: [] }
  const skip = (step: string, why: string) => {
    result.skipped.push({ step, why })
    log(`   (skipped: ${why})`)
  }

  if (secretKey) {
    const baseURL = env.STRIPE_BASE_URL?.trim()
    const base = baseURL ? { baseURL, filesURL: baseURL } : {}
    log(`edgestripe demo against Stripe test mode (${baseURL ?? 'https://api.stripe.com'}).`)
    log('   Emulator-only steps (controls, clock, Sigma seeding, in-process webhooks) are skipped.')
    const stripe = createStripe({ apiKey: secretKey, ...base })
    const browser = publishable ? createStripe({ publishableKey: publishable, ...base }) : undefined
    const treasury = env.STRIPE_ACCOUNT ? createStripe({ apiKey: secretKey, stripeAccount: env.STRIPE_ACCOUNT, ...base }) : undefined
    await steps({ stripe, browser, treasury, log, result, skip })
    result.skipped.push({ step: 'webhooks', why: 'Stripe needs a public URL to deliver to' })
    log('5. Webhooks: skipped (Stripe delivers to a public URL; verify them there with verifyWebhook, see examples/cloudflare-worker).')
    result.skipped.push({ step: 'worker', why: 'the Worker registers its own endpoint: deploy it (examples/cloudflare-worker)' })
    log('6. Worker: skipped (deploy examples/cloudflare-worker and POST /register: it creates its own endpoint).')
    log('Done.')
    return result
  }

  const server = await startEmulatorServer({ port: 0, now: Math.floor(Date.now() / 1000), reportRunDelay: 5 })
  try {
    log(`edgestripe demo against the local emulator at ${server.url} (set STRIPE_SECRET_KEY to use Stripe test mode).`)
    const base = { baseURL: server.url, filesURL: server.url }
    const local: Local = { control: server.emulator.controlFor(EMULATOR_SECRET_KEY), url: server.url }
    const received: string[] = []
    const endpoint = local.control.addWebhookEndpoint({
      secret: WEBHOOK_SECRET,
      events: [
        'source.chargeable',
        'treasury.outbound_payment.posted',
        'reporting.report_run.succeeded',
        'sigma.scheduled_query_run.created',
      ],
      handler: async (request) => {
        const event = await verifyWebhook<StripeEvent>(await request.text(), request.headers.get('Stripe-Signature'), WEBHOOK_SECRET)
        const typed = narrowEvent(event, { ...sourceEvents, ...treasuryEvents, ...reportingEvents, ...sigmaEvents })
        received.push(`${event.type} (${(typed?.data.object as { id?: string } | undefined)?.id ?? '?'})`)
        return new Response(null, { status: 204 })
      },
    })
    setupEmulator?.(local.control)
    await steps({
      stripe: createStripe({ apiKey: EMULATOR_SECRET_KEY, ...base }),
      browser: createStripe({ publishableKey: EMULATOR_PUBLISHABLE_KEY, ...base }),
      treasury: createStripe({ apiKey: EMULATOR_SECRET_KEY, ...base }),
      local,
      log,
      result,
      skip,
    })

    log(`5. Webhooks: endpoint ${endpoint.id} (in-process) was sent signed events.`)
    const deliveries = await local.control.deliverEvents()
    const failed = deliveries.filter((delivery) => !delivery.ok)
    if (failed.length) throw new Error(`Webhook delivery failed: ${failed.map((d) => `${d.type}: ${d.error}`).join('; ')}`)
    log(`   ${received.length} events verified with verifyWebhook (Stripe-Signature, HMAC-SHA256) and narrowed by type:`)
    for (const line of received) log(`   - ${line}`)
    result.ran.push('webhooks')
    await step(
      { stripe: createStripe({ apiKey: EMULATOR_SECRET_KEY, ...base }), browser: undefined, treasury: undefined, local, log, result, skip },
      '6 (worker)',
      'worker',
      () => workerStep(local, log, result),
    )
  } finally {
    await server.close()
  }
  log('Done.')
  return result
}

/**
 * 6. The Cloudflare Worker example, served over HTTP on 127.0.0.1: it registers its own webhook
 * endpoint through the API (`POST /register`: createWebhookEndpoint, the secret kept in its KV),
 * then the emulator delivers signed Treasury events to it and it verifies them.
 */
async function workerStep(local: Local, log: (line: string) => void, result: DemoResult): Promise<void> {
  const kv = new Map<string, string>()
  const env: WorkerEnv = {
    STRIPE_SECRET_KEY: EMULATOR_SECRET_KEY,
    STRIPE_API_BASE: local.url,
    WEBHOOKS: { get: async (key) => kv.get(key) ?? null, put: async (key, value) => void kv.set(key, value) },
  }
  const handle = createHandler()
  const answers: string[] = []
  const worker = createServer(async (req, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value)
    const response = await handle(
      new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body: body || undefined }),
      env,
    )
    const text = await response.text()
    if (req.url === '/') answers.push(`${response.status} ${text}`)
    res.writeHead(response.status, { 'Content-Type': 'application/json' }).end(text)
  })
  await new Promise<void>((resolve) => worker.listen(0, '127.0.0.1', resolve))
  try {
    const url = `http://127.0.0.1:${(worker.address() as AddressInfo).port}`
    const registered = await (await fetch(`${url}/register`, { method: 'POST' })).json()
    log(
      `6. Worker (examples/cloudflare-worker at ${url}) registered its own endpoint ${registered.id} through the API for ${registered.enabled_events.length} Treasury event types; the secret stays in its KV.`,
    )
    const stripe = createStripe({ apiKey: EMULATOR_SECRET_KEY, baseURL: local.url })
    const fa = await createFinancialAccount(stripe, { supported_currencies: ['usd'] })
    await createReceivedCredit(stripe, { financial_account: fa.id, amount: 2_000, currency: 'usd', network: 'ach' })
    const deliveries = (await local.control.deliverEvents()).filter((d) => d.endpoint === registered.id)
    const failed = deliveries.filter((d) => !d.ok)
    if (failed.length || !deliveries.length)
      throw new Error(`Worker deliveries failed: ${failed.map((d) => `${d.type}: ${d.error}`).join('; ')}`)
    log(`   ${deliveries.length} signed events delivered to it; it verified each with the secret create returned and retrieved the object:`)
    for (const answer of answers) {
      const [status, json] = [answer.slice(0, 3), JSON.parse(answer.slice(4))]
      log(`   - ${json.received} → ${status}, ${json.object?.object} ${json.object?.id} (${json.object?.status})`)
    }
    result.ran.push('worker')
  } finally {
    await new Promise((resolve) => worker.close(resolve))
  }
}

interface StepContext {
  stripe: StripeClient
  /** publishable-key client (the browser's view), when there is a publishable key */
  browser: StripeClient | undefined
  /** client for Treasury (a connected account on Stripe) */
  treasury: StripeClient | undefined
  local?: Local
  log: (line: string) => void
  result: DemoResult
  skip: (step: string, why: string) => void
}

async function steps(ctx: StepContext): Promise<void> {
  await step(ctx, '1 (source)', 'source', () => sourceStep(ctx))
  const activity = await step(ctx, '2 (treasury)', 'treasury', () => treasuryStep(ctx))
  await step(ctx, '3 (report run)', 'report', () => reportStep(ctx))
  await step(ctx, '4 (sigma)', 'sigma', () => sigmaStep(ctx, activity))
}

/**
 * Against Stripe, a step that Stripe refuses (a StripeError: the account lacks a capability, a
 * parameter it does not accept, …) is reported as skipped with Stripe's reason, and the next steps
 * still run. Against the emulator every failure is a bug: it is thrown, naming the step and keeping
 * the original error (and its request id) as `cause`.
 */
async function step<T>(ctx: StepContext, name: string, key: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run()
  } catch (error) {
    const err = error as Error & { requestId?: string }
    const request = err.requestId ? ` [request ${err.requestId}]` : ''
    if (!ctx.local && error instanceof StripeError) {
      ctx.skip(key, `${err.name}: ${err.message}${request}`)
      return undefined
    }
    throw new Error(`Step ${name} failed: ${err.name ?? 'Error'}: ${err.message ?? String(error)}${request}`, { cause: error })
  }
}

// 1. A source, polled from the "browser" with the publishable key and its client_secret.
async function sourceStep({ stripe, browser, local, log, result, skip }: StepContext): Promise<void> {
  const source = await createSource(stripe, {
    type: 'ach_credit_transfer',
    currency: 'usd',
    owner: { email: 'jenny.rosen@example.com' },
  })
  const receiver = source.ach_credit_transfer as { routing_number?: string; account_number?: string } | undefined
  log(`1. Source ${source.id} (ach_credit_transfer, usd) created for jenny.rosen@example.com: ${source.status}.`)
  if (receiver) log(`   The customer pushes funds to routing ${receiver.routing_number}, account ${receiver.account_number}.`)
  const poller = browser ?? stripe
  log(
    browser
      ? `   A publishable-key client (${browser.config.redactedKey}) polls it with its client_secret:`
      : '   No STRIPE_PUBLISHABLE_KEY: polling with the secret key instead:',
  )
  try {
    const polled = await pollSource(
      poller,
      source.id,
      { client_secret: source.client_secret ?? undefined },
      {
        interval: 500,
        timeout: local ? 10_000 : 30_000,
        onStatus: (seen) => {
          log(`   - status: ${seen.status}`)
          if (local && seen.status === 'pending') {
            local.control.pushSourceFunds(source.id, 2_500)
            log(`   (emulator control: the customer's ACH credit of ${money(2_500)} arrives)`)
          }
        },
      },
    )
    log(`   Source ${polled.id} is ${polled.status}.`)
    result.ran.push('source')
  } catch (error) {
    if (local || (error as Error).name !== 'StripeWaitTimeoutError') throw error
    skip('source', 'the test-mode source is still pending after 30 s: funds must be pushed to it first')
  }
}

interface Activity {
  credited: number
  paid: number
}

// 2. Treasury: a financial account funded by a received credit pays out an outbound payment.
async function treasuryStep({ treasury, log, result, skip }: StepContext): Promise<Activity | undefined> {
  log('2. Treasury:')
  if (!treasury) {
    skip('treasury', 'Treasury runs on a connected account: set STRIPE_ACCOUNT to an acct_… with the treasury capability')
    return undefined
  }
  const fa = await createFinancialAccount(treasury, {
    supported_currencies: ['usd'],
    features: { outbound_payments: { ach: { requested: true } }, financial_addresses: { aba: { requested: true } } },
  })
  log(`   Financial account ${fa.id} created (${fa.status}).`)
  const credit = await createReceivedCredit(treasury, {
    financial_account: fa.id,
    amount: 50_000,
    currency: 'usd',
    network: 'ach',
    description: 'Demo funding',
  })
  log(`   Received credit ${credit.id}: ${money(credit.amount)} via ${credit.network} (${credit.status}).`)
  const payment = await createOutboundPayment(treasury, {
    financial_account: fa.id,
    amount: 12_500,
    currency: 'usd',
    description: 'Demo supplier payout',
    statement_descriptor: 'DEMO PAY', // ACH allows at most 10 characters
    destination_payment_method_data: {
      type: 'us_bank_account',
      billing_details: { name: 'Jenny Rosen' },
      us_bank_account: { account_holder_type: 'individual', routing_number: '110000000', account_number: '000123456789' },
    },
  })
  log(`   Outbound payment ${payment.id}: ${money(payment.amount)} to a test bank account (${payment.status}).`)
  await postOutboundPayment(treasury, payment.id)
  const posted = await retrieveOutboundPayment(treasury, payment.id)
  log(`   Outbound payment ${posted.id} is ${posted.status} (test helper).`)
  const account = await retrieveFinancialAccount(treasury, fa.id)
  const balance = account.balance
  log(
    `   Balance: cash ${money(balance.cash.usd ?? 0)}, inbound pending ${money(balance.inbound_pending.usd ?? 0)}, outbound pending ${money(balance.outbound_pending.usd ?? 0)}.`,
  )
  const transactions = await listTransactions(treasury, { financial_account: fa.id, limit: 10 })
  log(`   Transactions (${transactions.data.length}):`)
  for (const tx of transactions.data) log(`   - ${tx.id} ${tx.flow_type} ${money(tx.amount)} ${tx.status}`)
  result.ran.push('treasury')
  return { credited: credit.amount, paid: payment.amount }
}

// 3. Reporting: a report run, awaited, its CSV rows streamed.
async function reportStep({ stripe, local, log, result }: StepContext): Promise<void> {
  const reportType = 'balance_change_from_activity.itemized.3'
  if (local) {
    local.control.advance(3600) // report data lags by up to an hour: let today's activity in
    log('3. Reporting (emulator clock advanced 1 h so the activity above is in the reportable range):')
  } else log('3. Reporting:')
  const type = await retrieveReportType(stripe, reportType)
  const end = type.data_available_end
  const start = Math.max(type.data_available_start, end - 7 * 86_400)
  let rows = 0
  const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z')
  for await (const row of runReport(
    stripe,
    { report_type: reportType, parameters: { interval_start: start, interval_end: end } },
    {
      interval: 500,
      timeout: local ? 20_000 : 600_000,
      onProgress: (run) => {
        log(`   Report run ${run.id} (${run.report_type}, ${iso(start)} → ${iso(end)}): ${run.status}`)
        if (local && run.status === 'pending') local.control.advance(5)
      },
      onRun: (run) => {
        const file = run.result as { id?: string; size?: number } | null
        log(`   Report run ${run.id} succeeded: file ${file?.id} (${file?.size ?? '?'} bytes). First rows:`)
      },
    },
  )) {
    rows++
    if (rows <= 5) {
      log(`   - ${row.reporting_category ?? '?'} ${row.gross ?? ''} ${row.currency ?? ''} (${row.balance_transaction_id ?? ''})`)
    }
  }
  log(`   ${rows} rows in the report.`)
  result.ran.push('report')
}

// 4. Sigma: the latest scheduled query run's rows.
async function sigmaStep({ stripe, local, log, result, skip }: StepContext, activity: Activity | undefined): Promise<void> {
  log('4. Sigma:')
  if (local) {
    const csv = [
      'flow_type,count,amount',
      `received_credit,1,${((activity?.credited ?? 0) / 100).toFixed(2)}`,
      `outbound_payment,1,${(-(activity?.paid ?? 0) / 100).toFixed(2)}`,
      '',
    ].join('\n')
    const seeded = local.control.seed('scheduled_query_run', {
      title: 'Treasury flows today',
      sql: 'SELECT flow_type, count(*), sum(amount) FROM treasury_transactions GROUP BY 1',
      csv,
    })
    log(`   (emulator control: seeded scheduled query run ${seeded.id})`)
  }
  let runs: Awaited<ReturnType<typeof listScheduledQueryRuns>>
  try {
    runs = await listScheduledQueryRuns(stripe, { limit: 1 })
  } catch (error) {
    if (local || !(error instanceof StripeError) || (error.statusCode !== 403 && error.statusCode !== 400)) throw error
    return skip('sigma', `Sigma is not available on this account (${error.message})`)
  }
  const run: ScheduledQueryRun | undefined = runs.data[0]
  if (!run) return skip('sigma', 'no scheduled query runs on this account (Sigma schedules are set up in the Dashboard)')
  log(`   Scheduled query run ${run.id} "${run.title}" (${run.status}):`)
  if (run.status !== 'completed') return skip('sigma', `the latest run is ${run.status}, so it has no rows`)
  let rows = 0
  for await (const row of scheduledQueryRunRows(stripe, run)) {
    rows++
    if (rows <= 5)
      log(
        `   - ${Object.entries(row)
          .map(([key, value]) => `${key}=${value}`)
          .join(', ')}`,
      )
  }
  log(`   ${rows} rows.`)
  result.ran.push('sigma')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now()
  runDemo()
    .then((result) => {
      const skipped = result.skipped.length ? `; skipped: ${result.skipped.map((s) => s.step).join(', ')}` : ''
      console.log(`(${result.ran.length} steps in ${((Date.now() - started) / 1000).toFixed(1)} s${skipped})`)
    })
    .catch((error: unknown) => {
      console.error(`\nDemo failed: ${error instanceof Error ? error.message : String(error)}`)
      process.exitCode = 1
    })
}
