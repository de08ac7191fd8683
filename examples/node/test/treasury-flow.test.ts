// The example in Node against the emulator served over HTTP on 127.0.0.1 (real sockets, Node's fetch).
import { createStripe } from '@edgestripe/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmulatorServer, startEmulatorServer } from '../../../scripts/emulator-server'
import { treasuryFlow } from '../treasury-flow'

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
})
