// The emulator's own figures for BENCHMARKS.md: throughput (a GET and a POST, in-process and over
// HTTP), paging every object at 1k vs 16k (the ratio shows whether a list call is O(page)), and
// memory retained per POST over 50k POSTs (a child process run with --expose-gc, so nothing else of
// the bench is on its heap). Runs from source; `tsx scripts/bench/emulator.ts` prints the section.
import { spawnSync } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createEmulator, type Emulator } from '../../packages/testing/src/index'
import { startEmulatorServer } from '../../packages/testing/src/server'
import { median } from './median'

const AUTH = { Authorization: 'Bearer sk_test_bench123' }
const FORM = { ...AUTH, 'Content-Type': 'application/x-www-form-urlencoded' }

type Send = (path: string, init?: RequestInit) => Promise<Response>

async function json(send: Send, path: string, init?: RequestInit): Promise<Record<string, unknown>> {
  const res = await send(path, init)
  const body = (await res.json()) as Record<string, unknown>
  if (res.status !== 200) throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${JSON.stringify(body)}`)
  return body
}

async function financialAccount(send: Send): Promise<string> {
  const account = await json(send, '/v1/treasury/financial_accounts', {
    method: 'POST',
    headers: FORM,
    body: 'supported_currencies[0]=usd',
  })
  return account.id as string
}

let keys = 0
/** A test-helper received credit (credit, transaction, entry), with its own Idempotency-Key as SDKs send. */
function receivedCredit(send: Send, fa: string): Promise<Response> {
  return send('/v1/test_helpers/treasury/received_credits', {
    method: 'POST',
    headers: { ...FORM, 'Idempotency-Key': `bench-${++keys}` },
    body: `financial_account=${fa}&currency=usd&amount=1000&network=ach`,
  })
}

function inProcess(emulator: Emulator): Send {
  return (path, init) => emulator.fetch(`http://emulator.local${path}`, init)
}

/** One round: requests per second of `perRound` requests made one at a time. */
async function rate(run: () => Promise<Response>, perRound: number): Promise<number> {
  const start = performance.now()
  for (let i = 0; i < perRound; i++) {
    const res = await run()
    await res.arrayBuffer()
    if (res.status !== 200) throw new Error(`status ${res.status}`)
  }
  return perRound / ((performance.now() - start) / 1000)
}

/**
 * Requests per second of each case: after a warm-up round of each, `rounds` rounds in which every
 * case runs once in turn (interleaved, so a busy moment hits all of them), median per case.
 */
async function interleaved(cases: Record<string, () => Promise<Response>>, perRound = 2000, rounds = 5): Promise<Record<string, number>> {
  const names = Object.keys(cases)
  for (const name of names) await rate(cases[name] as () => Promise<Response>, perRound)
  const rates: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]))
  for (let r = 0; r < rounds; r++) {
    for (const name of names) rates[name]?.push(await rate(cases[name] as () => Promise<Response>, perRound))
  }
  return Object.fromEntries(names.map((name) => [name, median(rates[name] as number[])]))
}

export interface ThroughputRow {
  transport: string
  get: number
  post: number
}

/** Anchor: node:http answering a constant JSON body, driven by the same fetch (the transport's own cost). */
async function baselineServer(): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end('{"id":"fa_1","object":"treasury.financial_account"}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() }
}

export async function emulatorThroughput(): Promise<ThroughputRow[]> {
  const emulator = createEmulator()
  const server = await startEmulatorServer({ port: 0, emulator })
  const baseline = await baselineServer()
  try {
    const local = inProcess(emulator)
    const http: Send = (path, init) => fetch(`${server.url}${path}`, init)
    const fa = await financialAccount(local)
    const rows: ThroughputRow[] = []
    const transports = [
      ['in-process (`emulator.fetch`)', local],
      ['HTTP (`startEmulatorServer`, keep-alive fetch)', http],
    ] as const
    const cases: Record<string, () => Promise<Response>> = {}
    for (const [transport, send] of transports) {
      cases[`${transport} GET`] = () => send(`/v1/treasury/financial_accounts/${fa}`, { headers: AUTH })
      cases[`${transport} POST`] = () => receivedCredit(send, fa)
    }
    const anchor = 'anchor: node:http answering a constant body, same fetch'
    cases[`${anchor} GET`] = () => fetch(`${baseline.url}/get`)
    cases[`${anchor} POST`] = () => fetch(`${baseline.url}/post`, { method: 'POST', headers: FORM, body: 'a=1' })
    const rates = await interleaved(cases)
    for (const transport of [...transports.map(([name]) => name), anchor]) {
      rows.push({ transport, get: rates[`${transport} GET`] as number, post: rates[`${transport} POST`] as number })
    }
    return rows
  } finally {
    await server.close()
    baseline.close()
  }
}

/** An emulator holding `count` transactions on one financial account, and a walk over all of them (limit 100). */
async function pagingCase(count: number): Promise<() => Promise<number>> {
  const emulator = createEmulator()
  const send = inProcess(emulator)
  const fa = await financialAccount(send)
  for (let i = 0; i < count; i++) await (await receivedCredit(send, fa)).arrayBuffer()
  return async () => {
    const start = performance.now()
    let seen = 0
    let after = ''
    for (;;) {
      const page = await json(
        send,
        `/v1/treasury/transactions?financial_account=${fa}&limit=100${after ? `&starting_after=${after}` : ''}`,
        { headers: AUTH },
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

const PAGING_ROUNDS = 7

/** Milliseconds to page through 1k and 16k transactions: a warm-up walk of each, then rounds interleaving the two, medians. */
export async function emulatorPaging(): Promise<{ small: number; large: number }> {
  const small = await pagingCase(1000)
  const large = await pagingCase(16_000)
  await small()
  await large()
  const times = { small: [] as number[], large: [] as number[] }
  for (let r = 0; r < PAGING_ROUNDS; r++) {
    times.small.push(await small())
    times.large.push(await large())
  }
  return { small: median(times.small), large: median(times.large) }
}

const POSTS = 50_000

/**
 * In the child (node --expose-gc): heap retained per received-credit POST over 50k of them, default
 * options; `--through-sdk`: each POST made by the SDK (`createReceivedCredit`, its fetch =
 * `emulator.fetch`), as users run it.
 */
async function memoryChild(throughSdk: boolean): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('run with --expose-gc')
  const emulator = createEmulator()
  const send = inProcess(emulator)
  const fa = await financialAccount(send)
  const { createStripe } = await import('../../packages/core/src/index')
  const { createReceivedCredit } = await import('../../packages/treasury/src/test-helpers')
  const stripe = createStripe({ apiKey: AUTH.Authorization.slice('Bearer '.length), fetch: emulator.fetch })
  const post = throughSdk
    ? () => createReceivedCredit(stripe, { financial_account: fa, amount: 1000, currency: 'usd', network: 'ach' })
    : async () => (await receivedCredit(send, fa)).arrayBuffer()
  for (let i = 0; i < 500; i++) await post()
  gc()
  gc()
  const before = process.memoryUsage()
  for (let i = 0; i < POSTS; i++) await post()
  gc()
  gc()
  const after = process.memoryUsage()
  process.stdout.write(
    JSON.stringify({ heapPerPost: (after.heapUsed - before.heapUsed) / POSTS, rssPerPost: (after.rss - before.rss) / POSTS, posts: POSTS }),
  )
}

export interface MemoryFigure {
  heapPerPost: number
  rssPerPost: number
  posts: number
}

export function emulatorMemory(throughSdk = false): MemoryFigure {
  const self = fileURLToPath(import.meta.url)
  const flags = throughSdk ? ['--memory-child', '--through-sdk'] : ['--memory-child']
  const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', self, ...flags], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  })
  if (child.status !== 0) throw new Error(`memory child failed: ${child.stderr}`)
  return JSON.parse(child.stdout) as MemoryFigure
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
const perSecond = (n: number) => Math.round(n).toLocaleString('en-US')

/** The BENCHMARKS.md section. */
export async function emulatorSection(): Promise<string[]> {
  const rows = await emulatorThroughput()
  const paging = await emulatorPaging()
  const memory = emulatorMemory()
  const sdkMemory = emulatorMemory(true)
  return [
    '',
    '## Emulator (`@edgestripe/testing`)',
    '',
    'From source (scripts/bench/emulator.ts). Throughput: one request at a time, 2000 per round, a warm-up round then 5 rounds interleaving every case, median per case; the GET retrieves a financial account, the POST is a test-helper received credit (credit, transaction and entry created) with its own `Idempotency-Key`. The anchor row is the same fetch against a bare node:http server: what HTTP itself costs on this machine.',
    '',
    '| transport | GET requests/s | POST requests/s |',
    '|---|---|---|',
    ...rows.map((row) => `| ${row.transport} | ${perSecond(row.get)} | ${perSecond(row.post)} |`),
    '',
    `Paging every transaction of one financial account (\`limit=100\`, \`starting_after\`), a warm-up walk of each then ${PAGING_ROUNDS} rounds interleaving 1k and 16k, medians: 1k transactions ${paging.small.toFixed(1)} ms, 16k ${paging.large.toFixed(1)} ms — **${(paging.large / paging.small).toFixed(1)}×** for 16× the objects (linear: 16×).`,
    '',
    `Memory retained per POST over ${perSecond(memory.posts)} received-credit POSTs with default options (a child \`node --expose-gc\`, heap after \`gc()\` minus heap before): **${kib(memory.heapPerPost)}** of heap (${kib(memory.rssPerPost)} of RSS); through the SDK (\`createReceivedCredit\`, the client's fetch = \`emulator.fetch\`): **${kib(sdkMemory.heapPerPost)}** of heap per POST (${kib(sdkMemory.rssPerPost)} of RSS; target ≤ 6 KiB).`,
  ]
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--memory-child')) await memoryChild(process.argv.includes('--through-sdk'))
  else console.log((await emulatorSection()).join('\n'))
}
