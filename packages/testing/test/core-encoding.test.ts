import { describe, expect, it } from 'vitest'
import { encodeForm } from '../../core/src/form.js'
import { createEmulator, decodeForm } from '../src/index.js'

// Cross-check with @edgestripe/core: what its encoder sends, the emulator decodes and accepts.
describe('core encodeForm → emulator decodeForm', () => {
  it('round-trips nested hashes, arrays of hashes and expand lists', () => {
    const params = {
      type: 'ach_credit_transfer',
      owner: { address: { city: 'Paris', line1: '1 rue' }, email: 'a+b@c.co' },
      metadata: { 'key with space': 'v&=1' },
      source_order: { items: [{ amount: 1, type: 'sku' }, { amount: 2 }] },
      expand: ['customer', 'receiver'],
    }
    const decoded = decodeForm(encodeForm(params))
    expect(decoded.owner).toEqual({ address: { city: 'Paris', line1: '1 rue' }, email: 'a+b@c.co' })
    expect(decoded.metadata).toEqual({ 'key with space': 'v&=1' })
  })

  it('is accepted by the emulator with the same values', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const body = encodeForm({
      type: 'card',
      amount: 1234,
      owner: { name: 'Jenny' },
      metadata: { a: '1' },
      source_order: { items: [{ amount: 1, currency: 'usd', quantity: 2 }] },
      expand: ['customer'],
    })
    const res = await emulator.fetch('http://e.test/v1/sources', {
      method: 'POST',
      headers: { Authorization: 'Bearer sk_test_1', 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    })
    const source = await res.json()
    expect(res.status).toBe(200)
    expect(source).toMatchObject({ amount: 1234, owner: { name: 'Jenny' }, metadata: { a: '1' } })
    expect(source.source_order.items).toEqual([{ amount: 1, currency: 'usd', quantity: 2 }])
  })
})
