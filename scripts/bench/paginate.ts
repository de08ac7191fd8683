// `paginate` over 10,000 Treasury transactions (100 pages of 100) from an in-memory fetch, against
// a hand-written loop (fetch, JSON.parse, follow starting_after) and stripe-node's `for await`.
// Interleaved rounds, medians; the ratio to the hand loop is the figure issue 9 targets (≤ 1.15×).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Stripe from 'stripe'
import { createStripe, paginate } from '../../packages/core/src/index'
import { GetTreasuryTransactions as listTransactions } from '../../packages/treasury/src/operations'
import { median } from './median'

const TOTAL = 10_000
const PAGE = 100

export async function paginateBench(rounds = 9): Promise<string[]> {
  const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, '../../spec/fixtures.json'), 'utf8'))
  const template = fixtures.resources['treasury.transaction']
  const ids = Array.from({ length: TOTAL }, (_, i) => `trxn_${String(i).padStart(8, '0')}`)
  const pages = new Map<string | null, string>()
  for (let p = 0; p < TOTAL / PAGE; p++) {
    const data = ids.slice(p * PAGE, (p + 1) * PAGE).map((id, k) => ({ ...template, id, amount: -(p * PAGE + k) }))
    const body = JSON.stringify({ object: 'list', url: '/v1/treasury/transactions', has_more: (p + 1) * PAGE < TOTAL, data })
    pages.set(p === 0 ? null : ids[p * PAGE - 1]!, body)
  }
  const headers = { 'content-type': 'application/json', 'request-id': 'req_1' }
  const memoryFetch = async (input: RequestInfo | URL) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url)
    return new Response(pages.get(url.searchParams.get('starting_after'))!, { headers })
  }
  const fetch = memoryFetch as typeof globalThis.fetch
  const warn = createStripe({ apiKey: 'sk_test_bench123', fetch })
  const off = createStripe({ apiKey: 'sk_test_bench123', fetch, validateResponses: 'off' })
  const official = new Stripe('sk_test_bench123', { httpClient: Stripe.createFetchHttpClient(fetch), maxNetworkRetries: 0 })
  const params = { financial_account: 'fa_1', limit: PAGE }

  let sink = 0
  const contenders: [string, () => Promise<void>][] = [
    [
      'hand-written loop (fetch + JSON.parse + starting_after)',
      async () => {
        let after: string | undefined
        for (;;) {
          const query = new URLSearchParams({ financial_account: 'fa_1', limit: String(PAGE), ...(after ? { starting_after: after } : {}) })
          const response = await fetch(`https://api.stripe.com/v1/treasury/transactions?${query}`, {
            headers: { Authorization: 'Bearer sk_test_bench123', 'Stripe-Version': '2024-04-10' },
          })
          const page = JSON.parse(await response.text()) as { data: { id: string; amount: number }[]; has_more: boolean }
          for (const item of page.data) sink += item.amount
          if (!page.has_more) break
          after = page.data[page.data.length - 1]!.id
        }
      },
    ],
    [
      "edgestripe paginate (validateResponses 'warn', the default)",
      async () => {
        for await (const item of paginate(warn, listTransactions, { params })) sink += item.amount
      },
    ],
    [
      "edgestripe paginate (validateResponses 'off')",
      async () => {
        for await (const item of paginate(off, listTransactions, { params })) sink += item.amount
      },
    ],
    [
      'stripe-node for await (treasury.transactions.list)',
      async () => {
        for await (const item of official.treasury.transactions.list(params)) sink += item.amount
      },
    ],
  ]
  const times = contenders.map(() => [] as number[])
  for (const [, run] of contenders) await run() // warm-up
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (k + r) % contenders.length // rotate the order: no contender always runs first
      const start = performance.now()
      await contenders[index]![1]()
      times[index]!.push(performance.now() - start)
    }
  }
  if (sink === 0) throw new Error('nothing paginated')
  const hand = median(times[0]!)
  return [
    '',
    '## paginate, 10,000 objects',
    '',
    `100 pages of 100 Treasury transactions from an in-memory \`fetch\`; medians of ${rounds} interleaved rounds (scripts/bench/paginate.ts). Target: edgestripe with default validation ≤ 1.15× the hand loop.`,
    '',
    '| walk | median ms | × hand loop |',
    '|---|---|---|',
    ...contenders.map(([name], k) => `| ${name} | ${median(times[k]!).toFixed(1)} | ${(median(times[k]!) / hand).toFixed(2)}× |`),
  ]
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await paginateBench()).join('\n'))
