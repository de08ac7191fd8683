// The SQLite store's figures (`--persist DIR`) for BENCHMARKS.md: received-credit POSTs per second
// in-process (each one a committed SQLite transaction), the restart on a DIR holding 100k objects
// (open, lock, load, first answer), and paging every object at 1k vs 16k. Runs from source;
// `tsx scripts/bench/emulator-sqlite.ts` prints the section.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { createEmulator, type Emulator } from '../../packages/testing/src/index'
import { openPersistDir } from '../../packages/testing/src/persist'
import { createPersistentEmulator } from '../../packages/testing/src/server'
import { median } from './median'

const KEY = 'sk_test_bench123'
const AUTH = { Authorization: `Bearer ${KEY}` }
const FORM = { ...AUTH, 'Content-Type': 'application/x-www-form-urlencoded' }

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'edgestripe-bench-sqlite-'))
  dirs.push(dir)
  return dir
}

async function send(emulator: Emulator, path: string, init?: RequestInit): Promise<Record<string, unknown>> {
  const res = await emulator.fetch(`http://emulator.local${path}`, init)
  const body = (await res.json()) as Record<string, unknown>
  if (res.status !== 200) throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${JSON.stringify(body)}`)
  return body
}

let keys = 0
const credit = (emulator: Emulator, fa: string) =>
  send(emulator, '/v1/test_helpers/treasury/received_credits', {
    method: 'POST',
    headers: { ...FORM, 'Idempotency-Key': `bench-sqlite-${++keys}` },
    body: `financial_account=${fa}&currency=usd&amount=1000&network=ach`,
  })

async function financialAccount(emulator: Emulator): Promise<string> {
  const account = await send(emulator, '/v1/treasury/financial_accounts', {
    method: 'POST',
    headers: FORM,
    body: 'supported_currencies[0]=usd',
  })
  return account.id as string
}

/**
 * Received-credit POSTs per second, one at a time, on SQLite and (the anchor, same rounds) on the
 * memory store: a warm-up round of each, then 5 rounds of 1000 interleaving the two, medians.
 */
async function postRate(): Promise<{ sqlite: number; memory: number }> {
  const persistent = await createPersistentEmulator({ persist: tempDir() })
  const memory = createEmulator()
  const cases = [
    { emulator: persistent.emulator, fa: await financialAccount(persistent.emulator), rates: [] as number[] },
    { emulator: memory, fa: await financialAccount(memory), rates: [] as number[] },
  ]
  for (let round = 0; round < 6; round++) {
    for (const one of cases) {
      const start = performance.now()
      for (let i = 0; i < 1000; i++) await credit(one.emulator, one.fa)
      if (round > 0) one.rates.push(1000 / ((performance.now() - start) / 1000))
    }
  }
  persistent.close()
  return { sqlite: median(cases[0]?.rates ?? []), memory: median(cases[1]?.rates ?? []) }
}

/**
 * A DIR holding `count` objects (received credits' transactions, copied from a real one, in one
 * transaction), then the restart timed: open and lock the database, load the accounts, answer a GET
 * of the financial account. Median of 5.
 */
async function restart(count: number): Promise<number> {
  const dir = tempDir()
  const first = await createPersistentEmulator({ persist: dir })
  const fa = await financialAccount(first.emulator)
  await credit(first.emulator, fa)
  first.close()
  const opened = await openPersistDir(dir)
  const store = opened.stores.store('bench123')
  store.transaction(() => {
    const account = [...store.accounts()][0]
    if (!account) throw new Error('no account')
    const template = account.list('treasury.transaction')[0]
    if (!template) throw new Error('no transaction')
    for (let i = account.size; i < count; i++) account.insert({ ...template, id: `trxn_bench${i}` })
  })
  opened.close()
  const times: number[] = []
  for (let round = 0; round < 5; round++) {
    const start = performance.now()
    const again = await createPersistentEmulator({ persist: dir })
    await send(again.emulator, `/v1/treasury/financial_accounts/${fa}`, { headers: AUTH })
    times.push(performance.now() - start)
    again.close()
  }
  return median(times)
}

async function pagingCase(count: number): Promise<() => Promise<number>> {
  const persistent = await createPersistentEmulator({ persist: tempDir() })
  const emulator = persistent.emulator
  const fa = await financialAccount(emulator)
  for (let i = 0; i < count; i++) await credit(emulator, fa)
  return async () => {
    const start = performance.now()
    let seen = 0
    let after = ''
    for (;;) {
      const page = await send(
        emulator,
        `/v1/treasury/transactions?financial_account=${fa}&limit=100${after ? `&starting_after=${after}` : ''}`,
        {
          headers: AUTH,
        },
      )
      const data = page.data as { id: string }[]
      seen += data.length
      if (!page.has_more) break
      after = (data.at(-1) as { id: string }).id
    }
    if (seen !== count) throw new Error(`paged ${seen} of ${count} transactions`)
    return performance.now() - start
  }
}

async function paging(): Promise<{ small: number; large: number }> {
  const small = await pagingCase(1000)
  const large = await pagingCase(16_000)
  await small()
  await large()
  const times = { small: [] as number[], large: [] as number[] }
  for (let round = 0; round < 5; round++) {
    times.small.push(await small())
    times.large.push(await large())
  }
  return { small: median(times.small), large: median(times.large) }
}

/**
 * The Worker (`@edgestripe/testing/worker`, bundled from source) in Miniflare (workerd): requests per
 * second of the same GET (a financial account) and POST (a received credit), one at a time through
 * `dispatchFetch`, each answered by the key's Durable Object on its SQLite storage. Median of 5 × 200.
 */
async function durableObjectRates(): Promise<{ get: number; post: number }> {
  const root = join(import.meta.dirname, '..', '..')
  const out = tempDir()
  await build({
    entryPoints: [join(root, 'packages/testing/src/worker.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    outfile: join(out, 'worker.mjs'),
    logLevel: 'silent',
    alias: { '@edgestripe/core': join(root, 'packages/core/src/index.ts') },
  })
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(out, 'worker.mjs'),
    modulesRoot: out,
    compatibilityDate: '2025-09-01',
    durableObjects: { EMULATOR: { className: 'EmulatorAccount', useSQLite: true } },
  })
  try {
    const at = (path: string, init?: RequestInit) => mf.dispatchFetch(`http://localhost${path}`, init as never)
    const created = await at('/v1/treasury/financial_accounts', { method: 'POST', headers: FORM, body: 'supported_currencies[0]=usd' })
    const fa = ((await created.json()) as { id: string }).id
    const rates = { get: [] as number[], post: [] as number[] }
    for (let round = 0; round < 6; round++) {
      for (const kind of ['get', 'post'] as const) {
        const start = performance.now()
        for (let i = 0; i < 200; i++) {
          const res =
            kind === 'get'
              ? await at(`/v1/treasury/financial_accounts/${fa}`, { headers: AUTH })
              : await at('/v1/test_helpers/treasury/received_credits', {
                  method: 'POST',
                  headers: { ...FORM, 'Idempotency-Key': `bench-do-${++keys}` },
                  body: `financial_account=${fa}&currency=usd&amount=1000&network=ach`,
                })
          await res.arrayBuffer()
          if (res.status !== 200) throw new Error(`${kind}: ${res.status}`)
        }
        if (round > 0) rates[kind].push(200 / ((performance.now() - start) / 1000))
      }
    }
    return { get: median(rates.get), post: median(rates.post) }
  } finally {
    await mf.dispose()
  }
}

export async function emulatorSqliteSection(): Promise<string[]> {
  try {
    const posts = await postRate()
    const restartMs = await restart(100_000)
    const pages = await paging()
    const durable = await durableObjectRates()
    return [
      '',
      '### Emulator on SQLite (`--persist DIR`)',
      '',
      'better-sqlite3 on a temp directory, WAL, `synchronous=NORMAL` (a kill -9 loses no answered request; a power cut may lose the last commits), checkpoint every 10,000 pages, in-process `emulator.fetch` (no HTTP); every request one committed transaction.',
      '',
      '| what | figure | target |',
      '|---|---|---|',
      `| received-credit POSTs/s (with Idempotency-Key), one at a time, median of 5 × 1000 | ${posts.sqlite.toFixed(0)} (memory store, same rounds: ${posts.memory.toFixed(0)}) | ≥ 1,000 |`,
      `| restart on a DIR holding 100k objects: open, lock, load, first GET answered (ms, median of 5) | ${restartMs.toFixed(1)} | ≤ 2,000 |`,
      `| paging every transaction (\`limit=100\`): 1k ${pages.small.toFixed(1)} ms, 16k ${pages.large.toFixed(1)} ms | ${(pages.large / pages.small).toFixed(1)}× | ≤ 20× |`,
      `| Worker + Durable Objects in Miniflare (workerd), \`dispatchFetch\` one at a time, median of 5 × 200: GET financial account / POST received credit (requests/s) | ${durable.get.toFixed(0)} / ${durable.post.toFixed(0)} | — |`,
    ]
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await emulatorSqliteSection()).join('\n'))
