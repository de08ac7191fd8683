// Every flow helper takes one options shape, `{ …, request?: RequestOptions }`, and passes every
// request option through to every request it makes: the caller's idempotency key on the create,
// stripeAccount, apiVersion and headers on the wire, and maxRetries and timeout in effect.
import {
  createStripe,
  type RequestOptions,
  StripeAPIError,
  type StripeClient,
  StripeTimeoutError,
  StripeWaitTimeoutError,
} from '@edgestripe/core'
import { runReport, waitForReportRun } from '@edgestripe/reporting'
import { type ScheduledQueryRun, scheduledQueryRunRows } from '@edgestripe/sigma'
import { pollSource } from '@edgestripe/sources'
import { createEmulator } from '@edgestripe/testing'
import { describe, expect, it } from 'vitest'

interface Seen {
  method: string
  path: string
  headers: Headers
}

type Emulator = ReturnType<typeof createEmulator>

/** A flow to run against a fresh emulator with the given request options. */
interface Flow {
  name: string
  emulator: () => Emulator
  run: (stripe: StripeClient, emulator: Emulator, request: RequestOptions) => Promise<unknown>
  /** How many POSTs the flow makes. */
  posts: number
}

const drain = async (rows: AsyncIterable<unknown>) => {
  for await (const _ of rows);
}

const flows: Flow[] = [
  {
    name: 'pollSource',
    emulator: () => createEmulator(),
    posts: 0,
    run: (stripe, emulator, request) => {
      const source = emulator.controlFor('sk_test_123').seed('source', { status: 'chargeable' }) as unknown as {
        id: string
        client_secret: string
      }
      return pollSource(stripe, source.id, { client_secret: source.client_secret }, { request })
    },
  },
  {
    name: 'waitForReportRun',
    emulator: () => createEmulator({ reportRunDelay: 0 }),
    posts: 0,
    run: async (stripe, emulator, request) => {
      const now = emulator.controlFor('sk_test_123').now()
      const response = await emulator.fetch('https://api.stripe.com/v1/reporting/report_runs', {
        method: 'POST',
        headers: { Authorization: 'Bearer sk_test_123', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `report_type=balance.summary.1&parameters[interval_start]=${now - 86_400 * 2}&parameters[interval_end]=${now - 86_400}`,
      })
      const run = (await response.json()) as { id: string }
      return waitForReportRun(stripe, run.id, { request })
    },
  },
  {
    name: 'runReport',
    emulator: () => createEmulator({ reportRunDelay: 0 }),
    posts: 1,
    run: (stripe, emulator, request) => {
      const now = emulator.controlFor('sk_test_123').now()
      return drain(
        runReport(
          stripe,
          { report_type: 'balance.summary.1', parameters: { interval_start: now - 86_400 * 2, interval_end: now - 86_400 } },
          { request },
        ),
      )
    },
  },
  {
    name: 'scheduledQueryRunRows',
    emulator: () => createEmulator(),
    posts: 0,
    run: (stripe, emulator, request) => {
      const run = emulator.controlFor('sk_test_123').seed('scheduled_query_run', { csv: 'a,b\r\n1,2\r\n' }) as unknown as ScheduledQueryRun
      return drain(scheduledQueryRunRows(stripe, run.id, { now: emulator.controlFor('sk_test_123').now(), request }))
    },
  },
]

/** A client on `emulator` recording every request; `script` answers the first requests instead. */
function client(emulator: Emulator, script: ('500' | 'hang')[] = []) {
  const seen: Seen[] = []
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init)
    seen.push({ method: request.method, path: new URL(request.url).pathname, headers: request.headers })
    const step = script.shift()
    if (step === '500') return Response.json({ error: { type: 'api_error', message: 'boom' } }, { status: 500 })
    if (step === 'hang') return new Promise(() => {})
    // Recorded above; the emulator scopes objects by account, and the seeded ones are the platform's.
    const headers = new Headers(request.headers)
    headers.delete('stripe-account')
    return emulator.fetch(new Request(request, { headers }))
  }
  return { stripe: createStripe({ apiKey: 'sk_test_123', fetch, retryBaseDelay: 1, retryMaxDelay: 1 }), seen }
}

describe('flow helpers pass every request option through', () => {
  for (const flow of flows) {
    it(`${flow.name}: idempotencyKey, apiVersion, stripeAccount and headers reach every request`, async () => {
      const emulator = flow.emulator()
      const { stripe, seen } = client(emulator)
      await flow.run(stripe, emulator, {
        idempotencyKey: `key-${flow.name}`,
        apiVersion: '2024-04-10',
        stripeAccount: 'acct_flow',
        headers: { 'X-Flow': flow.name },
      })
      expect(seen.length).toBeGreaterThan(0)
      for (const request of seen) {
        expect(request.headers.get('stripe-version')).toBe('2024-04-10')
        expect(request.headers.get('stripe-account')).toBe('acct_flow')
        expect(request.headers.get('x-flow')).toBe(flow.name)
        expect(request.headers.get('idempotency-key')).toBe(request.method === 'POST' ? `key-${flow.name}` : null)
      }
      expect(seen.filter((r) => r.method === 'POST')).toHaveLength(flow.posts)
    })

    it(`${flow.name}: maxRetries and timeout apply to its requests`, async () => {
      const emulator = flow.emulator()
      const failing = client(emulator, ['500'])
      await expect(flow.run(failing.stripe, emulator, { maxRetries: 0 })).rejects.toBeInstanceOf(StripeAPIError)
      expect(failing.seen).toHaveLength(1)
      const quiet = flow.emulator()
      const hanging = client(quiet, ['hang'])
      const started = Date.now()
      await expect(flow.run(hanging.stripe, quiet, { timeout: 50, maxRetries: 0 })).rejects.toBeInstanceOf(StripeTimeoutError)
      expect(Date.now() - started).toBeLessThan(2000)
    })
  }
})

describe('waiting flows never hang on a transport that never answers', () => {
  it('pollSource and waitForReportRun end at their own timeout, whatever the request timeout', async () => {
    const never: typeof globalThis.fetch = () => new Promise(() => {})
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch: never, timeout: 60_000 })
    for (const wait of [
      () => pollSource(stripe, 'src_1', {}, { timeout: 100 }),
      () => waitForReportRun(stripe, 'frr_1', { timeout: 100 }),
    ]) {
      const started = Date.now()
      await expect(wait()).rejects.toBeInstanceOf(StripeWaitTimeoutError)
      expect(Date.now() - started).toBeLessThan(1000)
    }
  })
})
