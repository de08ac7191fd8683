// The real clock's timer (src/scheduler.ts): what is due runs once, on time and never early, for
// any due times (a property, on fake timers); `close()` clears the server's timer; and the timer
// never keeps a process alive.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createEmulator, type Emulator, startClockScheduler } from '../src/index.js'
import { startEmulatorServer } from '../src/server.js'
import { call } from './helpers.js'

const root = `${import.meta.dirname}/../../..`
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

afterEach(() => {
  vi.useRealTimers()
})

/** POST a form with `key`, through the in-process emulator or a server's URL. */
async function post(fetcher: typeof fetch, base: string, key: string, path: string, form: Record<string, string>): Promise<any> {
  const res = await fetcher(`${base}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  })
  const body = await res.json()
  expect(res.status, JSON.stringify(body)).toBe(200)
  return body
}

async function createReportRun(fetcher: typeof fetch, base: string, key: string): Promise<{ id: string; created: number }> {
  const type = await (
    await fetcher(`${base}/v1/reporting/report_types/balance.summary.1`, { headers: { Authorization: `Bearer ${key}` } })
  ).json()
  return post(fetcher, base, key, '/v1/reporting/report_runs', {
    report_type: 'balance.summary.1',
    'parameters[interval_start]': String(type.data_available_start),
    'parameters[interval_end]': String(type.data_available_end),
  })
}

describe('startClockScheduler: due work on the real clock', () => {
  it('returns nothing (no timer) for a manual clock', () => {
    expect(startClockScheduler(createEmulator())).toBeUndefined()
    expect(startClockScheduler(createEmulator({ clock: 'manual' }))).toBeUndefined()
    expect(startClockScheduler({})).toBeUndefined()
  })

  it('for any due times, each report run and delayed delivery runs once, in its due second, never before (property)', async () => {
    type Step = { kind: 'run' | 'delayed'; key: string; delay: number; gapMs: number }
    const step = fc.record({
      kind: fc.constantFrom<'run' | 'delayed'>('run', 'delayed'),
      key: fc.constantFrom('sk_test_a', 'sk_test_b'),
      delay: fc.integer({ min: 0, max: 120 }),
      gapMs: fc.integer({ min: 0, max: 4_000 }),
    })
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 999 }),
        fc.array(step, { minLength: 1, maxLength: 6 }),
        async (reportRunDelay, phaseMs, steps: Step[]) => {
          vi.useFakeTimers({ now: 1_714_000_000_000 + phaseMs, toFake: ['setTimeout', 'clearTimeout', 'Date'] })
          const emulator: Emulator = createEmulator({
            clock: 'real',
            reportRunDelay,
            webhookRetries: [],
            webhookTimeoutMs: 1e9,
          })
          const fetcher = emulator.fetch as typeof fetch
          const errors: unknown[] = []
          const scheduler = startClockScheduler(emulator, { onError: (error) => errors.push(error) })
          expect(scheduler).toBeDefined()
          const runs: { key: string; id: string; readyAt: number }[] = []
          const delayed: { key: string; event: string; dueAt: number }[] = []
          const endpoints = new Set<string>()
          const check = () => {
            for (const run of runs) {
              const control = emulator.controlFor(run.key)
              const now = control.now()
              const events = control.events({ type: 'reporting.report_run.succeeded' }).filter((event) => event.data.object.id === run.id)
              expect(events.length).toBeLessThanOrEqual(1)
              if (now < run.readyAt) expect(events).toHaveLength(0)
              if (now >= run.readyAt + 1) expect(events).toHaveLength(1)
              // settled by the tick of its due second (not by a later one, nor a read)
              if (events[0]) expect(events[0].created).toBe(run.readyAt)
            }
            for (const item of delayed) {
              const control = emulator.controlFor(item.key)
              const now = control.now()
              const waiting = control.scheduledDeliveries().filter((held) => held.event === item.event)
              expect(waiting.length).toBeLessThanOrEqual(1)
              if (now < item.dueAt) expect(waiting).toHaveLength(1)
              if (now >= item.dueAt + 1) expect(waiting).toHaveLength(0)
            }
          }
          const pass = async (ms: number) => {
            for (let left = ms; left > 0; left -= 500) {
              await vi.advanceTimersByTimeAsync(Math.min(500, left))
              check()
            }
          }
          try {
            for (const { kind, key, delay, gapMs } of steps) {
              await pass(gapMs)
              const control = emulator.controlFor(key)
              if (kind === 'run') {
                const run = await createReportRun(fetcher, 'http://emulator.test', key)
                runs.push({ key, id: run.id, readyAt: run.created + reportRunDelay })
              } else {
                if (!endpoints.has(key)) {
                  control.addWebhookEndpoint({ handler: () => new Response('ok'), events: ['treasury.financial_account.created'] })
                  endpoints.add(key)
                }
                control.injectWebhookFaults({ match: { type: 'treasury.financial_account.created' }, fault: { delaySeconds: delay } })
                const before = control.now()
                await post(fetcher, 'http://emulator.test', key, '/v1/treasury/financial_accounts', { 'supported_currencies[]': 'usd' })
                const [event] = control.events({ type: 'treasury.financial_account.created' }).slice(-1)
                expect(event?.created).toBe(before)
                delayed.push({ key, event: event?.id as string, dueAt: before + delay })
              }
              check()
            }
            const last = Math.max(...runs.map((run) => run.readyAt), ...delayed.map((item) => item.dueAt))
            const now = Math.min(...['sk_test_a', 'sk_test_b'].map((key) => emulator.controlFor(key).now()))
            await pass((last - now + 2) * 1000)
            for (const run of runs) {
              const events = emulator.controlFor(run.key).events({ type: 'reporting.report_run.succeeded' })
              expect(events.filter((event) => event.data.object.id === run.id)).toHaveLength(1)
              const [stored] = emulator
                .controlFor(run.key)
                .objects('reporting.report_run')
                .filter((object) => object.id === run.id)
              expect(stored).toMatchObject({ status: 'succeeded', succeeded_at: run.readyAt })
            }
            // nothing waits any more: the timer is not set
            expect(scheduler?.wakeAt).toBeUndefined()
            expect(errors).toEqual([])
          } finally {
            scheduler?.stop()
            vi.useRealTimers()
          }
          // each delayed delivery was made once, at its due time
          for (const key of endpoints) await emulator.controlFor(key).deliverEvents()
          for (const item of delayed) {
            const made = emulator
              .controlFor(item.key)
              .webhookDeliveries()
              .filter((delivery) => delivery.event === item.event)
            expect(made.map((delivery) => [delivery.attempt, delivery.at, delivery.ok])).toEqual([[1, item.dueAt, true]])
          }
        },
      ),
      { numRuns: 40 },
    )
  }, 25_000)

  it('follows reset and restore: the timer is unset when the account is emptied and set again for a restored pending run', async () => {
    vi.useFakeTimers({ now: 1_714_000_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const emulator = createEmulator({ clock: 'real', reportRunDelay: 30 })
    const scheduler = startClockScheduler(emulator)
    const run = await createReportRun(emulator.fetch as typeof fetch, 'http://emulator.test', 'sk_test_restore')
    const control = emulator.controlFor('sk_test_restore')
    await vi.advanceTimersByTimeAsync(0)
    expect(scheduler?.wakeAt).toBe(Date.now() + 30_020)
    const saved = control.snapshot()
    control.reset()
    await vi.advanceTimersByTimeAsync(0)
    expect(scheduler?.wakeAt).toBeUndefined()
    await vi.advanceTimersByTimeAsync(10_000)
    control.restore(saved)
    await vi.advanceTimersByTimeAsync(0)
    // the restored clock stands where it was saved: the run is still 30 s away
    expect(scheduler?.wakeAt).toBe(Date.now() + 30_020)
    await vi.advanceTimersByTimeAsync(30_100)
    expect(control.objects('reporting.report_run')).toMatchObject([{ id: run.id, status: 'succeeded', succeeded_at: run.created + 30 }])
    expect(scheduler?.wakeAt).toBeUndefined()
    scheduler?.stop()
  })

  it('a tick that throws is reported once and retried a second later, never in a loop; the timer goes on', async () => {
    vi.useFakeTimers({ now: 1_714_000_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const emulator = createEmulator({ clock: 'real', reportRunDelay: 2 })
    const errors: unknown[] = []
    const scheduler = startClockScheduler(emulator, { onError: (error) => errors.push(error) })
    await createReportRun(emulator.fetch as typeof fetch, 'http://emulator.test', 'sk_test_tick')
    const account = emulator.controlFor('sk_test_tick')
    // the account's tick fails until it is repaired
    const advance = account.advance
    let broken = true
    const spy = vi.spyOn(account, 'advance').mockImplementation((seconds) => {
      if (broken) throw new Error('store unavailable')
      return advance(seconds)
    })
    await vi.advanceTimersByTimeAsync(2_100)
    expect(errors).toHaveLength(1)
    const calls = spy.mock.calls.length
    await vi.advanceTimersByTimeAsync(500)
    // not again within the second after a failure
    expect(spy.mock.calls.length).toBe(calls)
    await vi.advanceTimersByTimeAsync(600)
    expect(spy.mock.calls.length).toBe(calls + 1)
    broken = false
    await vi.advanceTimersByTimeAsync(1_100)
    expect(account.objects('reporting.report_run')[0]).toMatchObject({ status: 'succeeded' })
    expect(scheduler?.wakeAt).toBeUndefined()
    scheduler?.stop()
  })

  it('the default error report is one line per distinct message, however often the tick fails', async () => {
    const lines: string[] = []
    const log = vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line))
    try {
      vi.useFakeTimers({ now: 1_714_000_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] })
      const emulator = createEmulator({ clock: 'real', reportRunDelay: 1 })
      const scheduler = startClockScheduler(emulator)
      await createReportRun(emulator.fetch as typeof fetch, 'http://emulator.test', 'sk_test_log')
      vi.spyOn(emulator.controlFor('sk_test_log'), 'advance').mockImplementation(() => {
        throw new Error('disk full')
      })
      await vi.advanceTimersByTimeAsync(10_000)
      scheduler?.stop()
      expect(lines).toEqual(['edgestripe emulator: clock tick failed: disk full'])
    } finally {
      log.mockRestore()
    }
  })
})

describe('the server: close() clears the timer', () => {
  it('a report run due after close() stays pending: no tick ran after it', async () => {
    const server = await startEmulatorServer({ port: 0, clock: 'real', reportRunDelay: 1 })
    const run = await createReportRun(fetch, server.url, 'sk_test_close')
    await server.close()
    await sleep(2_300)
    const [stored] = server.emulator.controlFor('sk_test_close').objects('reporting.report_run')
    expect(stored).toMatchObject({ id: run.id, status: 'pending' })
    expect(server.emulator.controlFor('sk_test_close').events({ type: 'reporting.report_run.succeeded' })).toEqual([])
  })

  it('with a manual clock the server runs no timer: a run finishes only when the clock is advanced', async () => {
    const server = await startEmulatorServer({ port: 0, reportRunDelay: 1 })
    try {
      const run = await createReportRun(fetch, server.url, 'sk_test_manual')
      await sleep(1_300)
      const control = server.emulator.controlFor('sk_test_manual')
      expect(control.objects('reporting.report_run')[0]).toMatchObject({ id: run.id, status: 'pending' })
      control.advance(1)
      expect(control.objects('reporting.report_run')[0]).toMatchObject({ id: run.id, status: 'succeeded' })
    } finally {
      await server.close()
    }
  })

  it('the process exits by itself after close() with work still waiting, and an unstopped timer keeps nothing alive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgestripe-clock-exit-'))
    const script = join(dir, 'exit.mts')
    writeFileSync(
      script,
      `import { startEmulatorServer } from ${JSON.stringify(`${root}/packages/testing/src/server.ts`)}
import { createEmulator, startClockScheduler } from ${JSON.stringify(`${root}/packages/testing/src/index.ts`)}
const form = (body) => ({ method: 'POST', headers: { Authorization: 'Bearer sk_test_exit', 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() })
async function run(fetcher, base) {
  const type = await (await fetcher(base + '/v1/reporting/report_types/balance.summary.1', { headers: { Authorization: 'Bearer sk_test_exit' } })).json()
  const res = await fetcher(base + '/v1/reporting/report_runs', form({ report_type: type.id, 'parameters[interval_start]': String(type.data_available_start), 'parameters[interval_end]': String(type.data_available_end) }))
  if (res.status !== 200) throw new Error('report run: ' + res.status)
}
const server = await startEmulatorServer({ port: 0, clock: 'real', reportRunDelay: 3600 })
await run(fetch, server.url)
await server.close()
const emulator = createEmulator({ clock: 'real', reportRunDelay: 3600 })
const scheduler = startClockScheduler(emulator)
await run(emulator.fetch, 'http://emulator.test')
await new Promise((resolve) => setImmediate(resolve))
console.log(JSON.stringify({ armed: scheduler.wakeAt !== undefined }))
`,
    )
    try {
      const started = Date.now()
      const child = spawn('node', ['--import', 'tsx', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      child.stdout.on('data', (chunk) => {
        out += chunk
      })
      child.stderr.on('data', (chunk) => {
        out += chunk
      })
      const code = await new Promise<number | null>((resolve) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), 15_000)
        child.on('exit', (status) => {
          clearTimeout(kill)
          resolve(status)
        })
      })
      expect(out).toContain('{"armed":true}')
      expect(code, out).toBe(0)
      // it exited on its own, long before the hour its report runs wait (a timer would have held it ~60 s)
      expect(Date.now() - started).toBeLessThan(15_000)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 20_000)
})

describe('startClockScheduler: Treasury and Financial Connections schedules on the real clock', () => {
  it('completes a debit reversal, re-dates a late outbound payment and runs a scheduled deactivation with no request', async () => {
    vi.useFakeTimers({ now: 1_714_000_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const emulator = createEmulator({ accounts: 'shared', clock: 'real', now: 1_714_000_000 })
    const scheduler = startClockScheduler(emulator)
    try {
      const fa = (
        await call(emulator, 'POST', '/v1/treasury/financial_accounts', {
          supported_currencies: ['usd'],
          features: { outbound_payments: { ach: { requested: true } } },
        })
      ).body.id
      const pay = (path: string, params: Record<string, unknown>) =>
        call(emulator, 'POST', path, { financial_account: fa, currency: 'usd', ...params })
      await pay('/v1/test_helpers/treasury/received_credits', { amount: 5_000, network: 'ach' })
      const debit = (await pay('/v1/test_helpers/treasury/received_debits', { amount: 700, network: 'ach' })).body
      const reversal = (await call(emulator, 'POST', '/v1/treasury/debit_reversals', { received_debit: debit.id })).body
      const payment = (
        await pay('/v1/treasury/outbound_payments', {
          amount: 100,
          destination_payment_method_data: {
            type: 'us_bank_account',
            us_bank_account: { routing_number: '110000000', account_number: '000123456789', account_holder_type: 'individual' },
          },
        })
      ).body
      const session = (
        await call(emulator, 'POST', '/v1/financial_connections/sessions', {
          account_holder: { type: 'customer', customer: 'cus_fc' },
          permissions: ['balances'],
        })
      ).body
      const fcAccount = emulator.control.completeFinancialConnectionsSession(session.id).accounts.data[0]!.id
      emulator.control.scheduleFinancialConnectionsAccountDeactivation(fcAccount, { days: 10 })
      const types = () => emulator.control.events().map((event) => event.type)
      const count = (type: string) => types().filter((each) => each === type).length
      // each due time, in order: nothing a second before it, its event (once) within 2 s after it
      const dues = [
        { at: reversal.created + 86_400, type: 'treasury.debit_reversal.completed' },
        { at: payment.expected_arrival_date, type: 'treasury.outbound_payment.expected_arrival_date_updated' },
        { at: emulator.control.now() + 3 * 86_400, type: 'financial_connections.account.upcoming_deactivation' },
        { at: emulator.control.now() + 10 * 86_400, type: 'financial_connections.account.deactivated' },
      ].sort((a, b) => a.at - b.at)
      for (const { at, type } of dues) {
        expect(at).toBeGreaterThan(emulator.control.now() + 1)
        await vi.advanceTimersByTimeAsync((at - 1 - emulator.control.now()) * 1000)
        expect(count(type), `${type} a second early`).toBe(0)
        await vi.advanceTimersByTimeAsync(2_000)
        expect(count(type), `${type} within 2 s of its time`).toBe(1)
      }
    } finally {
      scheduler?.stop()
    }
  })
})
