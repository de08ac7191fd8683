import { describe, expect, it } from 'vitest'
import { createEmulator } from '../src/index.js'
import { call } from './helpers.js'

describe('idempotency', () => {
  it('replays the first response byte for byte', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const first = await call(emulator, 'POST', '/v1/sources', { type: 'card', metadata: { a: '1' } }, { idempotencyKey: 'k1' })
    const second = await call(emulator, 'POST', '/v1/sources', { metadata: { a: '1' }, type: 'card' }, { idempotencyKey: 'k1' })
    expect(second.status).toBe(first.status)
    expect(second.text).toBe(first.text)
    expect(second.headers.get('Idempotent-Replayed')).toBe('true')
    expect(first.headers.get('Idempotent-Replayed')).toBeNull()
    expect(emulator.control.objects('source')).toHaveLength(1)
    const log = emulator.control.requests()
    expect(log.map((entry) => [entry.created, entry.replayed])).toEqual([
      [true, false],
      [false, true],
    ])
  })

  it('replays errors from an executed request too', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const fa = await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })
    const params = { financial_account: fa.body.id, amount: 500, currency: 'usd', destination_payment_method: 'pm_x' }
    const first = await call(emulator, 'POST', '/v1/treasury/outbound_payments', params, { idempotencyKey: 'op' })
    expect(first.status).toBe(400)
    expect(first.body.error.code).toBe('insufficient_funds')
    await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', {
      financial_account: fa.body.id,
      amount: 1000,
      currency: 'usd',
      network: 'ach',
    })
    const again = await call(emulator, 'POST', '/v1/treasury/outbound_payments', params, { idempotencyKey: 'op' })
    expect(again.text).toBe(first.text)
    expect(again.headers.get('Idempotent-Replayed')).toBe('true')
  })

  it('does not save validation failures', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const bad = await call(emulator, 'POST', '/v1/sources', { type: 'card', nope: 1 }, { idempotencyKey: 'v' })
    expect(bad.status).toBe(400)
    const retry = await call(emulator, 'POST', '/v1/sources', { type: 'card', nope: 1 }, { idempotencyKey: 'v' })
    expect(retry.headers.get('Idempotent-Replayed')).toBeNull()
  })

  it('rejects the same key with different params or path', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    await call(emulator, 'POST', '/v1/sources', { type: 'card' }, { idempotencyKey: 'k2' })
    const other = await call(emulator, 'POST', '/v1/sources', { type: 'ach_credit_transfer' }, { idempotencyKey: 'k2' })
    expect(other.status).toBe(400)
    expect(other.body.error.type).toBe('idempotency_error')
    const path = await call(
      emulator,
      'POST',
      '/v1/treasury/financial_accounts',
      { supported_currencies: ['usd'] },
      { idempotencyKey: 'k2' },
    )
    expect(path.body.error.type).toBe('idempotency_error')
  })

  it('scopes keys per account and expires them after 24h of emulator time', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const a = await call(emulator, 'POST', '/v1/sources', { type: 'card' }, { idempotencyKey: 'k3' })
    const b = await call(emulator, 'POST', '/v1/sources', { type: 'card' }, { idempotencyKey: 'k3', account: 'acct_other' })
    expect(b.body.id).not.toBe(a.body.id)
    emulator.control.advance(24 * 3600 - 1)
    expect((await call(emulator, 'POST', '/v1/sources', { type: 'card' }, { idempotencyKey: 'k3' })).body.id).toBe(a.body.id)
    emulator.control.advance(1)
    const fresh = await call(emulator, 'POST', '/v1/sources', { type: 'card' }, { idempotencyKey: 'k3' })
    expect(fresh.body.id).not.toBe(a.body.id)
    expect(fresh.headers.get('Idempotent-Replayed')).toBeNull()
  })
})
