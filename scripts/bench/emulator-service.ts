// The emulator as a shared service, measured as its users run it (issue 19's targets):
// - four keys (four accounts) in parallel over HTTP against one `startEmulatorServer`, requests/s per key;
// - paging through the SDK (`paginate` over `GetTreasuryTransactions`, Node's fetch in-process via
//   `emulator.fetch`): 16k transactions vs 1k, medians of interleaved rounds.
import { fileURLToPath } from 'node:url'
import { createStripe, paginate } from '../../packages/core/src/index'
import { createEmulator } from '../../packages/testing/src/index'
import { startEmulatorServer } from '../../packages/testing/src/server'
import { createFinancialAccount } from '../../packages/treasury/src/index'
import { GetTreasuryTransactions } from '../../packages/treasury/src/operations'
import { createReceivedCredit } from '../../packages/treasury/src/test-helpers'
import { median } from './median'

const KEYS = ['sk_test_bench_a', 'sk_test_bench_b', 'sk_test_bench_c', 'sk_test_bench_d']
const PER_KEY = 1500
const ROUNDS = 3

/** Requests/s each key got while all four ran at once (GET of its own financial account), median of rounds. */
export async function fourKeysOverHttp(): Promise<{ key: string; get: number }[]> {
  const server = await startEmulatorServer({ port: 0 })
  try {
    const accounts = await Promise.all(
      KEYS.map(async (key) => {
        const stripe = createStripe({ apiKey: key, baseURL: server.url })
        return { key, fa: (await createFinancialAccount(stripe, { supported_currencies: ['usd'] })).id }
      }),
    )
    const run = async ({ key, fa }: { key: string; fa: string }) => {
      const start = performance.now()
      for (let i = 0; i < PER_KEY; i++) {
        const res = await fetch(`${server.url}/v1/treasury/financial_accounts/${fa}`, { headers: { Authorization: `Bearer ${key}` } })
        if (res.status !== 200) throw new Error(`${key}: status ${res.status}`)
        await res.arrayBuffer()
      }
      return PER_KEY / ((performance.now() - start) / 1000)
    }
    await Promise.all(accounts.map(run)) // warm-up
    const rates: number[][] = KEYS.map(() => [])
    for (let r = 0; r < ROUNDS; r++) {
      const round = await Promise.all(accounts.map(run))
      for (const [i, rate] of round.entries()) rates[i]?.push(rate)
    }
    return KEYS.map((key, i) => ({ key, get: median(rates[i] as number[]) }))
  } finally {
    await server.close()
  }
}

/** A walk over every transaction of one financial account through the SDK, in ms. */
async function sdkPagingCase(count: number): Promise<() => Promise<number>> {
  const emulator = createEmulator()
  const stripe = createStripe({ apiKey: 'sk_test_bench_paging', fetch: emulator.fetch })
  const fa = (await createFinancialAccount(stripe, { supported_currencies: ['usd'] })).id
  for (let i = 0; i < count; i++)
    await createReceivedCredit(stripe, { financial_account: fa, amount: 100, currency: 'usd', network: 'ach' })
  return async () => {
    const start = performance.now()
    let seen = 0
    for await (const _ of paginate(stripe, GetTreasuryTransactions, { params: { financial_account: fa, limit: 100 } })) seen++
    if (seen !== count) throw new Error(`paged ${seen} of ${count}`)
    return performance.now() - start
  }
}

export async function sdkPaging(): Promise<{ small: number; large: number }> {
  const small = await sdkPagingCase(1000)
  const large = await sdkPagingCase(16_000)
  await small()
  await large()
  const times = { small: [] as number[], large: [] as number[] }
  for (let r = 0; r < 5; r++) {
    times.small.push(await small())
    times.large.push(await large())
  }
  return { small: median(times.small), large: median(times.large) }
}

export async function emulatorServiceSection(): Promise<string[]> {
  const keys = await fourKeysOverHttp()
  const paging = await sdkPaging()
  const total = keys.reduce((sum, row) => sum + row.get, 0)
  return [
    '',
    '### The emulator as a shared service',
    '',
    `Four keys (four accounts) at once over HTTP against one \`startEmulatorServer\` on 127.0.0.1, each retrieving its own financial account ${PER_KEY} times per round, one request at a time per key; a warm-up round, then ${ROUNDS} rounds, median per key (scripts/bench/emulator-service.ts).`,
    '',
    '| key | GET requests/s while four keys run |',
    '|---|---|',
    ...keys.map((row) => `| ${row.key} | ${Math.round(row.get).toLocaleString('en-US')} |`),
    `| all four | ${Math.round(total).toLocaleString('en-US')} |`,
    '',
    `Paging through the SDK (\`paginate\` over \`GetTreasuryTransactions\`, \`limit: 100\`, the client's fetch = \`emulator.fetch\`), medians of 5 interleaved rounds: 1k transactions ${paging.small.toFixed(1)} ms, 16k ${paging.large.toFixed(1)} ms — **${(paging.large / paging.small).toFixed(1)}×** for 16× the objects (target ≤ 20×).`,
  ]
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await emulatorServiceSection()).join('\n'))
