// Runs `pnpm demo`'s main function against the in-process emulator server: a broken flow, helper
// or emulator change that breaks the demo fails CI.
import { describe, expect, it } from 'vitest'
import { runDemo } from '../scripts/demo.js'
import { startEmulatorServer } from '../scripts/emulator-server.js'

describe('pnpm demo', () => {
  it('runs every flow against the emulator and narrates each outcome', async () => {
    const lines: string[] = []
    const result = await runDemo({ log: (line) => lines.push(line), env: {} })
    const text = lines.join('\n')
    expect(result).toEqual({ mode: 'emulator', ran: ['source', 'treasury', 'report', 'sigma', 'webhooks', 'worker'], skipped: [] })
    // 1. source polled with the publishable key until chargeable, status changes shown
    expect(text).toMatch(/1\. Source src_\w+ \(ach_credit_transfer, usd\) created for jenny\.rosen@example\.com: pending/)
    expect(text).toMatch(/publishable-key client \(pk_test_…\w+\) polls it with its client_secret/)
    expect(text).toMatch(/- status: pending[\s\S]*- status: chargeable[\s\S]*Source src_\w+ is chargeable\./)
    // 2. treasury: funded, paid out, posted, balance and transactions
    expect(text).toMatch(/Financial account fa_\w+ created/)
    expect(text).toMatch(/Received credit rc_\w+: \$500\.00 via ach \(succeeded\)/)
    expect(text).toMatch(/Outbound payment obp_\w+ is posted/)
    expect(text).toContain('Balance: cash $375.00, inbound pending $0.00, outbound pending $0.00.')
    expect(text).toMatch(
      /Transactions \(2\):\n\s+- trxn_\w+ outbound_payment -\$125\.00 posted\n\s+- trxn_\w+ received_credit \$500\.00 posted/,
    )
    // 3. report run awaited, CSV rows printed
    expect(text).toMatch(/Report run frr_\w+ \(balance_change_from_activity\.itemized\.3, .*\): pending/)
    expect(text).toMatch(/Report run frr_\w+ succeeded: file file_\w+/)
    expect(text).toMatch(/- received_credit 500\.00 usd[\s\S]*- outbound_payment -125\.00 usd[\s\S]*2 rows in the report\./)
    // 4. sigma rows
    expect(text).toMatch(/Scheduled query run sqr_\w+ "Treasury flows today" \(completed\)/)
    expect(text).toMatch(/flow_type=received_credit, count=1, amount=500\.00/)
    // 5. webhooks verified
    expect(text).toMatch(/4 events verified with verifyWebhook/)
    for (const type of [
      'source.chargeable',
      'treasury.outbound_payment.posted',
      'reporting.report_run.succeeded',
      'sigma.scheduled_query_run.created',
    ]) {
      expect(text).toContain(`- ${type} (`)
    }
    // 6. the Worker example registered its own endpoint through the API and verified what it was sent
    expect(text).toMatch(
      /6\. Worker \(examples\/cloudflare-worker at http:\/\/127\.0\.0\.1:\d+\) registered its own endpoint we_\w+ through the API/,
    )
    expect(text).toMatch(/- treasury\.financial_account\.created → 200, treasury\.financial_account fa_\w+ \(open\)/)
    expect(text).toMatch(/- treasury\.received_credit\.created → 200, treasury\.received_credit rc_\w+ \(succeeded\)/)
    expect(lines.at(-1)).toBe('Done.')
  })

  it('runs the Stripe test-mode path (no controls) against a separate emulator via STRIPE_BASE_URL', async () => {
    // Stands in for api.stripe.com: no clock moves, no seeding; "the bank" pushes funds on its own.
    const server = await startEmulatorServer({ port: 0, now: Math.floor(Date.now() / 1000), reportRunDelay: 0 })
    const bank = setInterval(() => {
      for (const source of server.emulator.controlFor('sk_test_demo').objects('source')) {
        if (source.status === 'pending') server.emulator.controlFor('sk_test_demo').pushSourceFunds(source.id, 1_000)
      }
    }, 200)
    try {
      const lines: string[] = []
      const env = {
        STRIPE_SECRET_KEY: 'sk_test_demo',
        STRIPE_PUBLISHABLE_KEY: 'pk_test_demo',
        STRIPE_ACCOUNT: 'acct_treasury',
        STRIPE_BASE_URL: server.url,
      }
      const result = await runDemo({ log: (line) => lines.push(line), env })
      const text = lines.join('\n')
      expect(result.mode).toBe('stripe')
      expect(result.ran).toEqual(['source', 'treasury', 'report'])
      expect(result.skipped.map((s) => s.step)).toEqual(['sigma', 'webhooks', 'worker'])
      expect(text).toContain(`against Stripe test mode (${server.url})`)
      expect(text).not.toContain('emulator control')
      expect(text).toMatch(/Source src_\w+ is chargeable\./)
      expect(text).toContain('Balance: cash $375.00')
      expect(text).toMatch(/\d+ rows in the report\./)
      expect(text).toContain('no scheduled query runs on this account')
      // Treasury ran on the connected account (Stripe-Account), sources on the platform
      expect(server.emulator.controlFor('sk_test_demo').objects('treasury.financial_account', { account: 'acct_treasury' })).toHaveLength(1)
      expect(server.emulator.controlFor('sk_test_demo').objects('treasury.financial_account')).toHaveLength(0)
    } finally {
      clearInterval(bank)
      await server.close()
    }
  })

  it('in Stripe mode, turns a step Stripe refuses into a skipped line and runs the rest', async () => {
    const server = await startEmulatorServer({ port: 0, reportRunDelay: 0 })
    const bank = setInterval(() => {
      for (const source of server.emulator.controlFor('sk_test_demo').objects('source')) {
        if (source.status === 'pending') server.emulator.controlFor('sk_test_demo').pushSourceFunds(source.id, 1_000)
      }
    }, 200)
    server.emulator.controlFor('sk_test_demo').injectFaults({
      count: 1,
      match: { method: 'POST', path: '/v1/treasury/financial_accounts' },
      fault: {
        status: 400,
        body: { error: { type: 'invalid_request_error', message: 'Treasury is not enabled on this account.', param: 'features' } },
      },
    })
    try {
      const lines: string[] = []
      const env = { STRIPE_SECRET_KEY: 'sk_test_demo', STRIPE_ACCOUNT: 'acct_treasury', STRIPE_BASE_URL: server.url }
      const result = await runDemo({ log: (line) => lines.push(line), env })
      expect(result.ran).toEqual(['source', 'report'])
      expect(result.skipped.map((s) => s.step)).toEqual(['treasury', 'sigma', 'webhooks', 'worker'])
      expect(result.skipped[0]?.why).toMatch(/^StripeInvalidRequestError: Treasury is not enabled on this account\. \[request req_\w+\]$/)
      expect(lines).toContainEqual(expect.stringMatching(/^\s+\(skipped: StripeInvalidRequestError: Treasury is not enabled/))
      expect(lines.at(-1)).toBe('Done.')
    } finally {
      clearInterval(bank)
      await server.close()
    }
  })

  it('in emulator mode, fails loudly on any step error', async () => {
    const run = runDemo({
      log: () => undefined,
      env: {},
      setupEmulator: (control) =>
        control.injectFaults({
          count: 1,
          match: { method: 'POST', path: '/v1/treasury/financial_accounts' },
          fault: { status: 400, body: { error: { type: 'invalid_request_error', message: 'Nope.' } } },
        }),
    })
    await expect(run).rejects.toThrow(/^Step 2 \(treasury\) failed: StripeInvalidRequestError: Nope\./)
  })

  it('pays out with an ACH statement descriptor of at most 10 characters', async () => {
    const server = await startEmulatorServer({ port: 0, reportRunDelay: 0 })
    try {
      const env = { STRIPE_SECRET_KEY: 'sk_test_demo', STRIPE_ACCOUNT: 'acct_t', STRIPE_BASE_URL: server.url }
      const bank = setInterval(() => {
        for (const source of server.emulator.controlFor('sk_test_demo').objects('source')) {
          if (source.status === 'pending') server.emulator.controlFor('sk_test_demo').pushSourceFunds(source.id, 1_000)
        }
      }, 200)
      try {
        await runDemo({ log: () => undefined, env })
      } finally {
        clearInterval(bank)
      }
      const [payment] = server.emulator.controlFor('sk_test_demo').objects('treasury.outbound_payment', { account: 'acct_t' })
      expect(String(payment?.statement_descriptor).length).toBeLessThanOrEqual(10)
    } finally {
      await server.close()
    }
  })

  it('refuses live keys before sending anything', async () => {
    const log = () => undefined
    await expect(runDemo({ log, env: { STRIPE_SECRET_KEY: 'sk_live_123' } })).rejects.toThrow(/live key/)
    await expect(runDemo({ log, env: { STRIPE_SECRET_KEY: 'rk_live_123' } })).rejects.toThrow(/live key/)
    await expect(runDemo({ log, env: { STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_PUBLISHABLE_KEY: 'pk_live_1' } })).rejects.toThrow(/pk_live_/)
  })
})
