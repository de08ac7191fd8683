// Heap retained by the SDK's calls: 20,000 `request` calls through Node's global fetch to a loopback
// server, heap after `gc()` every 5,000 calls (a child `node --expose-gc` from source, so nothing
// else of the bench is on its heap). Nothing is shared between calls, so it stays flat; warnings
// (`MaxListenersExceededWarning`) are counted. `tsx scripts/bench/call-memory.ts` prints the section.
import { spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import * as v from 'valibot'
import { createStripe, defineOperation, request } from '../../packages/core/src/index'

const CALLS = 20_000
const STEP = 5_000

export interface CallMemory {
  /** Heap after gc() (bytes): before the calls, then after every STEP calls. */
  heap: number[]
  warnings: number
}

async function child(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('run with --expose-gc')
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_1' })
    res.end('{"id":"thing_1","object":"thing"}')
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  let warnings = 0
  process.on('warning', (warning) => {
    if (warning.name === 'MaxListenersExceededWarning') warnings++
  })
  const op = defineOperation({
    operationId: 'GetThingsThing',
    method: 'GET',
    path: '/v1/things/{thing}',
    params: v.strictObject({}),
    response: v.looseObject({ id: v.string(), object: v.string() }),
    auth: 'secret',
  })
  const stripe = createStripe({ apiKey: 'sk_test_bench', baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })
  for (let i = 0; i < 1000; i++) await request(stripe, op, { path: { thing: 'x' } }) // warm-up
  const heap: number[] = []
  const sample = () => {
    gc()
    gc()
    heap.push(process.memoryUsage().heapUsed)
  }
  sample()
  for (let i = 1; i <= CALLS; i++) {
    await request(stripe, op, { path: { thing: 'x' } })
    if (i % STEP === 0) sample()
  }
  await new Promise((resolve) => setTimeout(resolve, 50))
  server.closeAllConnections()
  server.close()
  process.stdout.write(JSON.stringify({ heap, warnings } satisfies CallMemory))
}

export function callMemory(): CallMemory {
  const self = fileURLToPath(import.meta.url)
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--child'], { encoding: 'utf8', maxBuffer: 1 << 20 })
  if (run.status !== 0) throw new Error(`call-memory child failed: ${run.stderr}`)
  return JSON.parse(run.stdout) as CallMemory
}

/** The BENCHMARKS.md section. */
export function callMemorySection(): string[] {
  const { heap, warnings } = callMemory()
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`
  const first = heap[0] ?? 0
  const perCall = ((heap.at(-1) ?? first) - first) / CALLS
  return [
    '',
    '## Heap across calls',
    '',
    `${CALLS.toLocaleString('en-US')} sequential \`request\` calls through Node's global \`fetch\` to a loopback server (scripts/bench/call-memory.ts, a child \`node --expose-gc\`, from source), heap after \`gc()\` every ${STEP.toLocaleString('en-US')} calls: ${heap.map(kib).join(' → ')} (${perCall >= 0 ? '+' : ''}${perCall.toFixed(1)} B per call over the run); \`MaxListenersExceededWarning\`s: ${warnings}.`,
  ]
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--child')) await child()
  else console.log(callMemorySection().join('\n'))
}
