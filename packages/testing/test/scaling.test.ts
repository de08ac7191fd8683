// Lists are O(page): proved by counting the records a list call reads (`control.stats()
// .recordsScanned`), not by timing. Paging N objects reads N + (pages) records whatever N is, and
// a financial account's page does not read the objects of other accounts.
import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_NOW, type Emulator } from '../src/index.js'
import { call } from './helpers.js'

function seedTransactions(emulator: Emulator, financialAccount: string, count: number): void {
  for (let i = 0; i < count; i++) {
    // a few share a `created`: order within a second is creation order
    emulator.control.seed('treasury.transaction', {
      financial_account: financialAccount,
      created: DEFAULT_NOW + Math.floor(i / 3),
      status: i % 2 ? 'posted' : 'open',
    })
  }
}

async function pageAll(emulator: Emulator, params: Record<string, unknown>, limit = 100) {
  const ids: string[] = []
  const before = emulator.control.stats().recordsScanned
  let after: string | undefined
  let pages = 0
  for (;;) {
    const body = (await call(emulator, 'GET', '/v1/treasury/transactions', { ...params, limit, starting_after: after })).body
    pages++
    ids.push(...body.data.map((item: { id: string }) => item.id))
    if (!body.has_more) break
    after = body.data.at(-1).id
  }
  return { ids, pages, scanned: emulator.control.stats().recordsScanned - before }
}

describe('lists are O(page)', () => {
  it('paging all transactions reads each record once plus one per page, at 1k and at 16k', async () => {
    const totals: number[] = []
    for (const count of [1000, 16000]) {
      const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
      const fa = (await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })).body.id
      seedTransactions(emulator, fa, count)
      const { ids, pages, scanned } = await pageAll(emulator, { financial_account: fa })
      expect(ids).toHaveLength(count)
      expect(new Set(ids).size).toBe(count)
      expect(scanned).toBeLessThanOrEqual(count + pages)
      totals.push(scanned)
    }
    // 16× the objects: at most ~16× the work (the old code read every object on every page: ~(16)² ×)
    expect((totals[1] as number) / (totals[0] as number)).toBeLessThanOrEqual(17)
  }, 60_000)

  it('a page of one financial account does not read the objects of another', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const [small, big] = await Promise.all(
      [0, 1].map(async () => (await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })).body.id),
    )
    seedTransactions(emulator, big, 5000)
    seedTransactions(emulator, small, 30)
    const { ids, scanned } = await pageAll(emulator, { financial_account: small }, 10)
    expect(ids).toHaveLength(30)
    expect(scanned).toBeLessThanOrEqual(30 + 3)
  })

  it('a created range and a cursor are binary searches: a page deep in a long list reads only its records', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const fa = (await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })).body.id
    seedTransactions(emulator, fa, 9000)
    const middle = emulator.control.objects('treasury.transaction')[4500]!.id
    let before = emulator.control.stats().recordsScanned
    const after = (await call(emulator, 'GET', '/v1/treasury/transactions', { financial_account: fa, limit: 10, starting_after: middle }))
      .body
    expect(after.data).toHaveLength(10)
    expect(emulator.control.stats().recordsScanned - before).toBeLessThanOrEqual(11)
    before = emulator.control.stats().recordsScanned
    const range = (
      await call(emulator, 'GET', '/v1/treasury/transactions', {
        financial_account: fa,
        limit: 10,
        created: { gte: DEFAULT_NOW + 1000, lt: DEFAULT_NOW + 1002 },
      })
    ).body
    expect(range.data).toHaveLength(6)
    expect(range.has_more).toBe(false)
    expect(emulator.control.stats().recordsScanned - before).toBeLessThanOrEqual(6)
  })

  it('a filter reads only until the page is full: status=posted over alternating statuses', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const fa = (await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })).body.id
    seedTransactions(emulator, fa, 4000)
    const before = emulator.control.stats().recordsScanned
    const page = (await call(emulator, 'GET', '/v1/treasury/transactions', { financial_account: fa, status: 'posted', limit: 20 })).body
    expect(page.data.every((item: { status: string }) => item.status === 'posted')).toBe(true)
    expect(page.data).toHaveLength(20)
    expect(emulator.control.stats().recordsScanned - before).toBeLessThanOrEqual(2 * 21 + 1)
  })
})

describe('store indexes', () => {
  it('a re-seeded id replaces the object in every list, and attach/detach move a source between customers', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    emulator.control.seed('treasury.financial_account', { id: 'fa_same', status: 'open' })
    emulator.control.seed('treasury.financial_account', { id: 'fa_same', status: 'closed' })
    const list = (await call(emulator, 'GET', '/v1/treasury/financial_accounts')).body.data
    expect(list.map((fa: { id: string; status: string }) => [fa.id, fa.status])).toEqual([['fa_same', 'closed']])
    const source = (await call(emulator, 'POST', '/v1/sources', { type: 'ach_credit_transfer', currency: 'usd' })).body.id
    const ids = async (customer: string) =>
      (await call(emulator, 'GET', `/v1/customers/${customer}/sources`)).body.data.map((s: { id: string }) => s.id)
    expect(await ids('cus_a')).toEqual([])
    await call(emulator, 'POST', '/v1/customers/cus_a/sources', { source })
    expect(await ids('cus_a')).toEqual([source])
    await call(emulator, 'DELETE', `/v1/customers/cus_a/sources/${source}`)
    expect(await ids('cus_a')).toEqual([])
  })
})
