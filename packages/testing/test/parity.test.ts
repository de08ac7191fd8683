import { describe, expect, it } from 'vitest'
import { createEmulator } from '../src/index.js'
import { call, ORIGIN } from './helpers.js'

describe('Stripe parity details', () => {
  it('refuses starting_after together with ending_before (400)', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const a = (await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })).body.id
    const b = (await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })).body.id
    const both = await call(emulator, 'GET', '/v1/treasury/financial_accounts', { starting_after: b, ending_before: a })
    expect(both.status).toBe(400)
    expect(both.body.error).toMatchObject({ type: 'invalid_request_error', param: 'ending_before' })
    expect(both.body.error.message).toMatch(/only specify one of these parameters: ending_before, starting_after/)
    expect((await call(emulator, 'GET', '/v1/treasury/financial_accounts', { starting_after: b })).status).toBe(200)
  })

  it('401s an Authorization header with anything after the key', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const headers = (value: string) => ({ headers: { Authorization: value } })
    const extra = await emulator.fetch(`${ORIGIN}/v1/treasury/financial_accounts`, headers('Bearer sk_test_1 extra'))
    expect(extra.status).toBe(401)
    expect(((await extra.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error')
    expect((await emulator.fetch(`${ORIGIN}/v1/treasury/financial_accounts`, headers('Bearer sk_test_1'))).status).toBe(200)
    expect((await emulator.fetch(`${ORIGIN}/v1/treasury/financial_accounts`, headers('  Bearer   sk_test_1  '))).status).toBe(200)
  })

  it('refuses to seed a scheduled query run with a status Stripe never returns', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    expect(() => emulator.control.seed('scheduled_query_run', { status: 'running' as never })).toThrow(/Invalid status/)
    expect(emulator.control.objects('scheduled_query_run')).toHaveLength(0)
    for (const status of ['canceled', 'completed', 'failed', 'timed_out'] as const) {
      expect(emulator.control.seed('scheduled_query_run', { status }).status).toBe(status)
    }
    const http = await emulator.fetch(`${ORIGIN}/_emulator/seed`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'scheduled_query_run', object: { status: 'bogus' } }),
    })
    expect(http.status).toBe(400)
    expect(((await http.json()) as { error: { param: string } }).error.param).toBe('status')
  })
})
