import { describe, expect, it } from 'vitest'
import { createEmulator, decodeForm } from '../src/index.js'
import { call } from './helpers.js'

describe('decodeForm', () => {
  it('decodes brackets, indexed and appended arrays', () => {
    expect(decodeForm('a[b][c]=x&expand[0]=p&expand[1]=q&list[]=1&list[]=2&items[0][amount]=1&items[1][amount]=2&e=')).toEqual({
      a: { b: { c: 'x' } },
      expand: { 0: 'p', 1: 'q' },
      list: ['1', '2'],
      items: { 0: { amount: '1' }, 1: { amount: '2' } },
      e: '',
    })
  })
  it('decodes percent-encoding and plus signs', () => {
    expect(decodeForm('metadata%5Bk%5D=a+b%26c')).toEqual({ metadata: { k: 'a b&c' } })
  })
})

describe('validation', () => {
  const emulator = createEmulator({ accounts: 'shared' })

  it('names an unknown nested param in bracket form', async () => {
    const res = await call(emulator, 'POST', '/v1/sources', { type: 'ach_credit_transfer', owner: { address: { cty: 'x' } } })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({
      error: {
        type: 'invalid_request_error',
        message: 'Received unknown parameter: owner[address][cty]',
        param: 'owner[address][cty]',
      },
    })
  })

  it('rejects an unknown top-level param', async () => {
    const res = await call(emulator, 'POST', '/v1/sources', { type: 'card', foo: 'bar' })
    expect(res.body.error).toMatchObject({ param: 'foo', message: 'Received unknown parameter: foo' })
  })

  it('requires body params and required query params', async () => {
    const body = await call(emulator, 'POST', '/v1/treasury/financial_accounts', {})
    expect(body.status).toBe(400)
    expect(body.body.error).toMatchObject({ type: 'invalid_request_error', param: 'supported_currencies' })
    for (const path of [
      'credit_reversals',
      'debit_reversals',
      'inbound_transfers',
      'outbound_payments',
      'outbound_transfers',
      'received_credits',
      'received_debits',
      'transaction_entries',
      'transactions',
    ]) {
      const res = await call(emulator, 'GET', `/v1/treasury/${path}`)
      expect(res.status, path).toBe(400)
      expect(res.body.error.param, path).toBe('financial_account')
    }
  })

  it('requires nested required params', async () => {
    const res = await call(emulator, 'POST', '/v1/sources', { type: 'card', mandate: { acceptance: { ip: '1.2.3.4' } } })
    expect(res.body.error).toMatchObject({
      param: 'mandate[acceptance][status]',
      message: 'Missing required param: mandate[acceptance][status].',
    })
  })

  it('coerces and checks integers, booleans, enums and maxLength', async () => {
    const int = await call(emulator, 'POST', '/v1/sources', { type: 'card', amount: 'abc' })
    expect(int.body.error).toMatchObject({ param: 'amount', message: 'Invalid integer: abc' })
    const bool = await call(emulator, 'POST', '/v1/treasury/financial_accounts', {
      supported_currencies: ['usd'],
      features: { card_issuing: { requested: 'yes' } },
    })
    expect(bool.body.error).toMatchObject({ param: 'features[card_issuing][requested]' })
    const enumRes = await call(emulator, 'POST', '/v1/sources', { type: 'card', flow: 'teleport' })
    expect(enumRes.body.error.param).toBe('flow')
    expect(enumRes.body.error.message).toContain('must be one of')
    const long = await call(emulator, 'POST', '/v1/sources', { type: 'card', customer: 'x'.repeat(501) })
    expect(long.body.error.param).toBe('customer')
    const arr = await call(emulator, 'GET', '/v1/treasury/transactions', { financial_account: 'fa_x', limit: 'ten' })
    expect(arr.body.error.param).toBe('limit')
    const items = await call(emulator, 'POST', '/v1/sources', {
      type: 'card',
      source_order: { items: [{ amount: 1 }, { amount: 'x' }] },
    })
    expect(items.body.error.param).toBe('source_order[items][1][amount]')
  })

  it('accepts plain and range `created` filters', async () => {
    const plain = await call(emulator, 'GET', '/v1/treasury/financial_accounts', { created: 5 })
    expect(plain.status).toBe(200)
    const range = await call(emulator, 'GET', '/v1/treasury/financial_accounts', { created: { gte: 1, lt: 9 } })
    expect(range.status).toBe(200)
    const bad = await call(emulator, 'GET', '/v1/treasury/financial_accounts', { created: { between: 1 } })
    expect(bad.body.error.param).toBe('created[between]')
  })

  it('answers unknown routes and ids with 404 resource_missing', async () => {
    const route = await call(emulator, 'GET', '/v1/nope')
    expect(route.status).toBe(404)
    expect(route.body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing' })
    const id = await call(emulator, 'GET', '/v1/sources/src_missing')
    expect(id.status).toBe(404)
    expect(id.body.error).toMatchObject({ code: 'resource_missing', param: 'source', type: 'invalid_request_error' })
    const fa = await call(emulator, 'GET', '/v1/treasury/financial_accounts/fa_nope/features')
    expect(fa.body.error.param).toBe('financial_account')
  })
})
