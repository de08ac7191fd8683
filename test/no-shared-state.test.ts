// No state shared between calls: every attempt gets its own AbortSignal and headers object, so a
// transport that follows the signal it is given (Node's fetch adds an abort listener per request
// that only garbage collection removes) never piles listeners onto one signal. Checked three ways:
// no signal or headers object is handed to two attempts (fast-check, concurrent calls); 20,000
// calls through Node's global fetch to a loopback server print no MaxListenersExceededWarning;
// 50,000 calls through the in-process emulator retain at most 6 KiB per call, emulator included.
import { getEventListeners, once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { createStripe, defineOperation, request } from '@edgestripe/core'
import { createEmulator } from '@edgestripe/testing'
import { createFinancialAccount, retrieveFinancialAccount } from '@edgestripe/treasury'
import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'

const retrieveThing = defineOperation({
  operationId: 'GetThingsThing',
  method: 'GET',
  path: '/v1/things/{thing}',
  params: v.strictObject({}),
  response: v.looseObject({ id: v.string(), object: v.string() }),
  auth: 'secret',
})
const createThing = defineOperation({
  operationId: 'PostThings',
  method: 'POST',
  path: '/v1/things',
  params: v.strictObject({ tag: v.optional(v.string()) }),
  response: v.looseObject({ id: v.string(), object: v.string() }),
  auth: 'secret',
})

/** Runs `count` calls, `width` at a time. */
async function run(count: number, width: number, call: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await call(next++)
    }),
  )
}

describe('no state shared between calls', () => {
  it('no AbortSignal or headers object reaches two attempts, whatever the calls, retries and concurrency (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ post: fc.boolean(), failures: fc.integer({ min: 0, max: 2 }), ms: fc.integer({ min: 0, max: 3 }) }), {
          minLength: 1,
          maxLength: 12,
        }),
        async (calls) => {
          const signals = new Set<AbortSignal>()
          const headers = new Set<unknown>()
          let attempts = 0
          const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
            attempts++
            if (init?.signal) signals.add(init.signal)
            headers.add(init?.headers)
            const url = new URL(String(input))
            const tag = init?.body ? new URLSearchParams(String(init.body)).get('tag') : url.pathname.split('/').pop()
            const c = calls[Number(tag?.slice(1))]
            await new Promise((resolve) => setTimeout(resolve, c?.ms ?? 0))
            const failing = c && c.failures-- > 0
            return Response.json(failing ? { error: { type: 'api_error' } } : { id: tag, object: 'thing' }, { status: failing ? 500 : 200 })
          }
          const stripe = createStripe({ apiKey: 'sk_test_123', fetch, retryBaseDelay: 1, retryMaxDelay: 2 })
          await Promise.all(
            calls.map((c, i) =>
              c.post
                ? request(stripe, createThing, { params: { tag: `t${i}` } })
                : request(stripe, retrieveThing, { path: { thing: `t${i}` } }),
            ),
          )
          expect(signals.size).toBe(attempts)
          expect(headers.size).toBe(attempts)
        },
      ),
      { numRuns: 50 },
    )
  })

  it("20,000 calls through Node's global fetch to a loopback server print no MaxListenersExceededWarning", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_1' })
      res.end('{"id":"thing_1","object":"thing"}')
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const warnings: Error[] = []
    const onWarning = (warning: Error) => void warnings.push(warning)
    process.on('warning', onWarning)
    try {
      const { port } = server.address() as AddressInfo
      // Node's global fetch (undici), which adds a listener to the signal it is given and leaves it
      // there until the request is garbage-collected. How many the signal holds once fetch has it
      // is counted too: whether a warning prints depends on when the collector runs, this does not.
      let most = 0
      const fetch: typeof globalThis.fetch = (input, init) => {
        const sent = globalThis.fetch(input, init)
        if (init?.signal) most = Math.max(most, getEventListeners(init.signal, 'abort').length)
        return sent
      }
      const stripe = createStripe({ apiKey: 'sk_test_123', baseURL: `http://127.0.0.1:${port}`, fetch })
      await run(20_000, 32, (i) => request(stripe, retrieveThing, { path: { thing: `thing_${i}` } }))
      await new Promise((resolve) => setTimeout(resolve, 50)) // warnings are emitted on a later tick
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([])
      expect(most).toBe(1)
    } finally {
      process.off('warning', onWarning)
      server.close()
      server.closeAllConnections()
    }
  }, 240_000)

  it('50,000 calls through the in-process emulator retain at most 6 KiB per call, the emulator included', async () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const emulator = createEmulator()
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch: emulator.fetch })
    const account = await createFinancialAccount(stripe, { supported_currencies: ['usd'] })
    const calls = (count: number) => run(count, 16, () => retrieveFinancialAccount(stripe, account.id))
    await calls(2_000) // warm up: the emulator's request log (a ring of 1,000) fills, code is compiled
    gc()
    const before = process.memoryUsage().heapUsed
    await calls(50_000)
    gc()
    const perCall = (process.memoryUsage().heapUsed - before) / 50_000
    console.log(`retained per call: ${perCall.toFixed(0)} B`)
    // the issue's bound is 6 KiB; 1 KiB catches a leak of the kind Node 20's `new Request(url, { signal })`
    // caused in the emulator (~1.9 KiB per call, fixed in pipeline/decode.ts)
    expect(perCall).toBeLessThanOrEqual(1024)
  }, 240_000)
})
