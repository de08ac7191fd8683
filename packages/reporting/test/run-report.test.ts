import { createStripe, StripeWaitTimeoutError } from '@edgestripe/core'
import { createEmulator } from '@edgestripe/testing'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { runReport, StripeReportRunError, waitForReportRun } from '../src'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const auth = { Authorization: 'Bearer sk_test_123', 'Content-Type': 'application/x-www-form-urlencoded' }

/** An emulator with some Treasury activity to report on; report runs take 30 emulated seconds. */
async function setup() {
  const emulator = createEmulator({ reportRunDelay: 30 })
  const post = async (path: string, body: string) =>
    (await emulator.fetch(`https://api.stripe.com${path}`, { method: 'POST', headers: auth, body })).json()
  const fa = await post('/v1/treasury/financial_accounts', 'supported_currencies[0]=usd')
  for (const amount of [12_345, 500]) {
    await post('/v1/test_helpers/treasury/received_credits', `financial_account=${fa.id}&currency=usd&amount=${amount}&network=ach`)
  }
  emulator.controlFor('sk_test_123').advance(7200)
  const stripe = createStripe({ apiKey: 'sk_test_123', fetch: emulator.fetch })
  return { emulator, stripe }
}

/** The last day of report data (report types require `interval_start` and `interval_end`). */
const lastDay = (emulator: { controlFor(key: string): { now(): number } }) => {
  const now = emulator.controlFor('sk_test_123').now()
  return { interval_start: now - 86_400, interval_end: now - (now % 3600) }
}

/** Advances the emulator's clock by `seconds` at each poll. */
const advancing = (emulator: { controlFor(key: string): { advance(s: number): number } }, seconds: number) => () =>
  void emulator.controlFor('sk_test_123').advance(seconds)

describe('runReport', () => {
  it('creates a run, waits for it, downloads its file and yields its rows', async () => {
    const { emulator, stripe } = await setup()
    const progress: string[] = []
    const rows: Record<string, string>[] = []
    const iterate = (async () => {
      for await (const row of runReport<{ net: string; reporting_category: string }>(
        stripe,
        { report_type: 'balance_change_from_activity.itemized.3', parameters: lastDay(emulator) },
        {
          onProgress: (run) => {
            progress.push(run.status)
            emulator.controlFor('sk_test_123').advance(10)
          },
        },
      )) {
        rows.push(row)
      }
    })()
    await vi.advanceTimersByTimeAsync(10_000)
    await iterate
    expect(progress).toEqual(['pending', 'pending', 'pending', 'succeeded'])
    expect(rows.map((r) => [r.reporting_category, r.net])).toEqual([
      ['received_credit', '123.45'],
      ['received_credit', '5.00'],
    ])
    expect(Object.keys(rows[0]!)).toContain('balance_transaction_id')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('downloads right away when the run is created already succeeded, and stops early on break', async () => {
    const emulator = createEmulator({ reportRunDelay: 0 })
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch: emulator.fetch })
    emulator.controlFor('sk_test_123').advance(7200)
    for await (const row of runReport(stripe, {
      report_type: 'balance.summary.1',
      parameters: { ...lastDay(emulator), columns: ['category', 'net_amount'] },
    })) {
      expect(row).toEqual({ category: 'starting_balance', net_amount: '0.00' })
      break
    }
    expect(
      emulator
        .controlFor('sk_test_123')
        .requests()
        .map((r) => `${r.method} ${r.path}`),
    ).toEqual(['POST /v1/reporting/report_runs', expect.stringMatching(/^GET \/v1\/files\/file_\w+\/contents$/)])
  })
})

describe('waitForReportRun', () => {
  it('resolves with the succeeded run', async () => {
    const { emulator, stripe } = await setup()
    const run = await (await import('../src')).createReportRun(stripe, { report_type: 'balance.summary.1', parameters: lastDay(emulator) })
    const done = waitForReportRun(stripe, run.id, { onProgress: advancing(emulator, 20) })
    await vi.advanceTimersByTimeAsync(5000)
    expect(await done).toMatchObject({ id: run.id, status: 'succeeded', result: { object: 'file' } })
  })

  it('throws StripeReportRunError carrying the run and its error when it fails', async () => {
    const { emulator, stripe } = await setup()
    const run = await (await import('../src')).createReportRun(stripe, { report_type: 'balance.summary.1', parameters: lastDay(emulator) })
    const error = waitForReportRun(stripe, run.id, {
      onProgress: (r) =>
        void (r.status === 'pending' && emulator.controlFor('sk_test_123').failReportRun(run.id, 'No data for the interval.')),
    }).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(1000)
    expect(await error).toBeInstanceOf(StripeReportRunError)
    expect(await error).toMatchObject({
      name: 'StripeReportRunError',
      code: 'report_run_failed',
      message: `Report run ${run.id} (balance.summary.1) failed: No data for the interval.`,
      run: { id: run.id, status: 'failed', error: 'No data for the interval.' },
    })
  })

  it('times out with the last run seen, and honours the signal', async () => {
    const { emulator, stripe } = await setup()
    const run = await (await import('../src')).createReportRun(stripe, { report_type: 'balance.summary.1', parameters: lastDay(emulator) })
    const late = waitForReportRun(stripe, run.id, { timeout: 20_000 }).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(20_000)
    expect(await late).toBeInstanceOf(StripeWaitTimeoutError)
    expect(await late).toMatchObject({ last: { id: run.id, status: 'pending' } })

    const controller = new AbortController()
    const aborted = waitForReportRun(stripe, run.id, { signal: controller.signal }).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(100)
    controller.abort(new Error('shutting down'))
    expect(await aborted).toMatchObject({ message: 'shutting down' })
    expect(vi.getTimerCount()).toBe(0)
  })
})
