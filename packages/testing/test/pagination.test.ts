import { describe, expect, it } from 'vitest'
import { createEmulator } from '../src/index.js'
import { call } from './helpers.js'

describe('pagination', () => {
  async function setup() {
    const emulator = createEmulator({ accounts: 'shared', now: 1_700_000_000 })
    const ids: string[] = []
    for (let i = 0; i < 25; i++) {
      const res = await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })
      ids.push(res.body.id)
      if (i % 5 === 4) emulator.control.advance(100) // groups of 5 share a `created`
    }
    return { emulator, newestFirst: [...ids].reverse() }
  }

  it('lists newest first with default limit 10, then pages with starting_after', async () => {
    const { emulator, newestFirst } = await setup()
    const first = await call(emulator, 'GET', '/v1/treasury/financial_accounts')
    expect(first.body).toMatchObject({ object: 'list', has_more: true, url: '/v1/treasury/financial_accounts' })
    expect(first.body.data.map((x: any) => x.id)).toEqual(newestFirst.slice(0, 10))
    const seen: string[] = []
    let after: string | undefined
    for (;;) {
      const page = await call(emulator, 'GET', '/v1/treasury/financial_accounts', { limit: 7, starting_after: after })
      seen.push(...page.body.data.map((x: any) => x.id))
      if (!page.body.has_more) break
      after = page.body.data.at(-1).id
    }
    expect(seen).toEqual(newestFirst)
  })

  it('pages backwards with ending_before', async () => {
    const { emulator, newestFirst } = await setup()
    const page = await call(emulator, 'GET', '/v1/treasury/financial_accounts', { limit: 3, ending_before: newestFirst[10] })
    expect(page.body.data.map((x: any) => x.id)).toEqual(newestFirst.slice(7, 10))
    expect(page.body.has_more).toBe(true)
    const top = await call(emulator, 'GET', '/v1/treasury/financial_accounts', { limit: 5, ending_before: newestFirst[3] })
    expect(top.body.data.map((x: any) => x.id)).toEqual(newestFirst.slice(0, 3))
    expect(top.body.has_more).toBe(false)
  })

  it('filters by created ranges and exact created', async () => {
    const { emulator } = await setup()
    const all = (await call(emulator, 'GET', '/v1/treasury/financial_accounts', { limit: 100 })).body.data
    const gte = await call(emulator, 'GET', '/v1/treasury/financial_accounts', { limit: 100, created: { gte: 1_700_000_200 } })
    expect(gte.body.data).toHaveLength(15)
    const window = await call(emulator, 'GET', '/v1/treasury/financial_accounts', {
      limit: 100,
      created: { gt: 1_700_000_000, lt: 1_700_000_300 },
    })
    expect(window.body.data).toHaveLength(10)
    const exact = await call(emulator, 'GET', '/v1/treasury/financial_accounts', { created: 1_700_000_400 })
    expect(exact.body.data.map((x: any) => x.id)).toEqual(all.slice(0, 5).map((x: any) => x.id))
  })

  it('rejects limits out of range and unknown cursors', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    expect((await call(emulator, 'GET', '/v1/treasury/financial_accounts', { limit: 0 })).body.error.param).toBe('limit')
    expect((await call(emulator, 'GET', '/v1/treasury/financial_accounts', { limit: 101 })).body.error.param).toBe('limit')
    const cursor = await call(emulator, 'GET', '/v1/treasury/financial_accounts', { starting_after: 'fa_nope' })
    expect(cursor.status).toBe(404)
    expect(cursor.body.error.param).toBe('starting_after')
  })

  it('keeps paging a filtered list when the cursor object left the filter between pages', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: 1_700_000_000 })
    const fa = (
      await call(emulator, 'POST', '/v1/treasury/financial_accounts', {
        supported_currencies: ['usd'],
        features: { outbound_payments: { ach: { requested: true } } },
      })
    ).body.id
    await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', {
      financial_account: fa,
      currency: 'usd',
      amount: 10_000,
      network: 'ach',
    })
    const ids: string[] = []
    for (let i = 0; i < 6; i++) {
      const op = await call(emulator, 'POST', '/v1/treasury/outbound_payments', {
        financial_account: fa,
        currency: 'usd',
        amount: 100,
        destination_payment_method: 'pm_2',
      })
      ids.push(op.body.id)
    }
    const newestFirst = [...ids].reverse()
    // one in the middle is no longer processing from the start
    await call(emulator, 'POST', `/v1/treasury/outbound_payments/${newestFirst[3]}/cancel`)
    const list = (params: Record<string, unknown>) =>
      call(emulator, 'GET', '/v1/treasury/outbound_payments', { financial_account: fa, status: 'processing', limit: 2, ...params })
    const first = await list({})
    expect(first.body.data.map((x: any) => x.id)).toEqual(newestFirst.slice(0, 2))
    // the cursor item is canceled between pages: the next page still follows it
    const cursor = first.body.data.at(-1).id
    expect((await call(emulator, 'POST', `/v1/treasury/outbound_payments/${cursor}/cancel`)).body.status).toBe('canceled')
    const second = await list({ starting_after: cursor })
    expect(second.status).toBe(200)
    expect(second.body.data.map((x: any) => x.id)).toEqual([newestFirst[2], newestFirst[4]])
    expect(second.body.has_more).toBe(true)
    const third = await list({ starting_after: newestFirst[4] })
    expect(third.body.data.map((x: any) => x.id)).toEqual([newestFirst[5]])
    expect(third.body.has_more).toBe(false)
    // backwards from a canceled cursor, too
    const back = await list({ ending_before: newestFirst[3] })
    expect(back.status).toBe(200)
    expect(back.body.data.map((x: any) => x.id)).toEqual([newestFirst[0], newestFirst[2]])
    expect(back.body.has_more).toBe(false)
    const backOne = await list({ ending_before: newestFirst[3], limit: 1 })
    expect(backOne.body.data.map((x: any) => x.id)).toEqual([newestFirst[2]])
    expect(backOne.body.has_more).toBe(true)
    // an id that is not an outbound payment at all is still a 404
    const missing = await list({ starting_after: 'obp_nope' })
    expect(missing.status).toBe(404)
    expect(missing.body.error.param).toBe('starting_after')
  })
})
