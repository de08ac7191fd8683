// `deno test`: the example against the emulator served over HTTP on 127.0.0.1 (Deno.serve), with the
// BUILT @edgestripe/core and @edgestripe/reporting.
import { createEmulator } from '@edgestripe/testing'
import { availableInterval, clientFromEnv, main, printReport } from './report.ts'

declare const Deno: {
  serve(
    options: { hostname: string; port: number; onListen?: () => void },
    handler: (request: Request) => Promise<Response>,
  ): {
    addr: { port: number }
    shutdown(): Promise<void>
  }
  test(name: string, fn: () => Promise<void>): void
}

function assertEquals(actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  }
}

Deno.test('printReport runs a report on the emulator and prints its rows', async () => {
  const emulator = createEmulator({ reportRunDelay: 5 })
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, (request) => emulator.fetch(request))
  const base = `http://127.0.0.1:${server.addr.port}`
  try {
    const post = (path: string, body: string) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { Authorization: 'Bearer sk_test_123', 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
      }).then((r) => r.json())
    const account = await post('/v1/treasury/financial_accounts', 'supported_currencies[0]=usd')
    await post('/v1/test_helpers/treasury/received_credits', `financial_account=${account.id}&currency=usd&amount=12345&network=ach`)
    emulator.controlFor('sk_test_123').advance(7200)

    const env = new Map([
      ['STRIPE_SECRET_KEY', 'sk_test_123'],
      ['STRIPE_API_BASE', base],
    ])
    const lines: string[] = []
    const stripe = clientFromEnv(env)
    const interval = await availableInterval(stripe, 'balance.summary.1')
    const count = await printReport(
      stripe,
      { report_type: 'balance.summary.1', parameters: { ...interval, columns: ['category', 'net_amount'] } },
      { onProgress: () => void emulator.controlFor('sk_test_123').advance(10) },
      (line) => lines.push(line),
    )
    assertEquals(count, 3)
    assertEquals(lines.slice(1), [
      '{"category":"starting_balance","net_amount":"0.00"}',
      '{"category":"activity","net_amount":"123.45"}',
      '{"category":"ending_balance","net_amount":"123.45"}',
      '3 rows',
    ])
    if (!/^report frr_\w+ \(balance\.summary\.1\) succeeded; rows:$/.test(lines[0] ?? '')) throw new Error(lines[0])
  } finally {
    await server.shutdown()
  }
})

Deno.test('main (deno task start) asks for the available interval, as Stripe requires one', async () => {
  const emulator = createEmulator({ reportRunDelay: 0 })
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, (request) => emulator.fetch(request))
  const base = `http://127.0.0.1:${server.addr.port}`
  try {
    const auth = { Authorization: 'Bearer sk_test_123', 'Content-Type': 'application/x-www-form-urlencoded' }
    const post = (path: string, body: string) => fetch(`${base}${path}`, { method: 'POST', headers: auth, body }).then((r) => r.json())
    const account = await post('/v1/treasury/financial_accounts', 'supported_currencies[0]=usd')
    await post('/v1/test_helpers/treasury/received_credits', `financial_account=${account.id}&currency=usd&amount=500&network=ach`)
    emulator.controlFor('sk_test_123').advance(7200)
    // a run without an interval is refused, as Stripe does
    const bare = await post('/v1/reporting/report_runs', 'report_type=balance.summary.1')
    assertEquals(bare.error?.param, 'parameters[interval_start]')

    const env = new Map([
      ['STRIPE_SECRET_KEY', 'sk_test_123'],
      ['STRIPE_API_BASE', base],
    ])
    const lines: string[] = []
    assertEquals(await main(env, (line) => lines.push(line)), 3)
    const type = await fetch(`${base}/v1/reporting/report_types/balance.summary.1`, { headers: auth }).then((r) => r.json())
    const run = emulator.controlFor('sk_test_123').objects('reporting.report_run')[0] as unknown as { parameters: Record<string, unknown> }
    assertEquals([run.parameters.interval_start, run.parameters.interval_end], [type.data_available_start, type.data_available_end])
    if (!/^balance\.summary\.1 from \d{4}-.+Z to \d{4}-.+Z$/.test(lines[0] ?? '')) throw new Error(lines[0])
    assertEquals(lines.at(-1), '3 rows')
  } finally {
    await server.shutdown()
  }
})
