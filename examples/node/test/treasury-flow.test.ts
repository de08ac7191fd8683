// The example in Node against the emulator served over HTTP on 127.0.0.1 (real sockets, Node's fetch).
import { createStripe } from '@edgestripe/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmulatorServer, startEmulatorServer } from '../../../scripts/emulator-server'
import { clientFromEnv, treasuryFlow } from '../treasury-flow'

let server: EmulatorServer
beforeAll(async () => {
  server = await startEmulatorServer({ port: 0 })
})
afterAll(async () => {
  await server.close()
})

describe('node example', () => {
  it('runs the Treasury flow: funds in, a posted payment out, the ledger', async () => {
    const lines: string[] = []
    const stripe = createStripe({ apiKey: 'sk_test_123', baseURL: server.url })
    const { payment, balance, ledger } = await treasuryFlow(stripe, (line) => lines.push(line))
    expect(payment.status).toBe('posted')
    expect(balance.cash).toEqual({ usd: 37_500 })
    expect(ledger.map((t) => [t.flow_type, t.amount])).toEqual(
      expect.arrayContaining([
        ['received_credit', 50_000],
        ['outbound_payment', -12_500],
      ]),
    )
    expect(lines[0]).toMatch(/^financial account fa_/)
    expect(lines).toContain(`outbound payment ${payment.id}: posted`)
  })

  it('runs on the connected account named by STRIPE_ACCOUNT (Stripe-Account on every request)', async () => {
    const stripe = clientFromEnv({ STRIPE_SECRET_KEY: 'sk_test_123', STRIPE_ACCOUNT: 'acct_treasury1', STRIPE_API_BASE: server.url })
    server.emulator.controlFor('sk_test_123').clearRequests()
    const { account, payment } = await treasuryFlow(stripe, () => undefined)
    const requests = server.emulator.controlFor('sk_test_123').requests()
    expect(requests.length).toBeGreaterThan(0)
    expect(requests.every((request) => request.account === 'acct_treasury1')).toBe(true)
    const accounts = server.emulator.controlFor('sk_test_123').objects('treasury.financial_account', { account: 'acct_treasury1' })
    expect(accounts.map((fa) => fa.id)).toEqual([account.id])
    expect(
      server.emulator
        .controlFor('sk_test_123')
        .objects('treasury.financial_account')
        .map((fa) => fa.id),
    ).not.toContain(account.id)
    expect(payment.status).toBe('posted')
  })

  it('reads its configuration from the environment', () => {
    expect(() => clientFromEnv({})).toThrow(/STRIPE_SECRET_KEY/)
    expect(() => clientFromEnv({ STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_ACCOUNT: 'fa_123' })).toThrow(/acct_/)
    expect(clientFromEnv({ STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_ACCOUNT: 'acct_1' }).config.stripeAccount).toBe('acct_1')
  })
})
