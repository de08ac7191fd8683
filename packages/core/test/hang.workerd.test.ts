/// <reference types="@cloudflare/vitest-plugin/types" />
// No call can hang, inside real workerd: transports that never settle and ignore the signal (or
// lose it by rebuilding the Request), and bodies that stall, end at the attempt's timeout or
// promptly when the caller aborts.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createStripe, downloadFile, request, StripeError, StripeTimeoutError } from '../src'
import { createThing } from './support/operations'

const never: typeof globalThis.fetch = () => new Promise(() => {})
const lost: typeof globalThis.fetch = (input, init) => {
  new Request(input, { ...init, signal: undefined })
  return new Promise(() => {})
}
const stalledBody: typeof globalThis.fetch = async () =>
  new Response(
    new ReadableStream({
      start: (c) => c.enqueue(new TextEncoder().encode('{"id":')),
      pull: () => new Promise(() => {}),
      cancel: () => new Promise(() => {}),
    }),
    { headers: { 'request-id': 'req_w' } },
  )

describe('no call can hang (workerd)', () => {
  it('times out every attempt of a POST whose transport never answers, and keeps the key on the error', async () => {
    const stripe = createStripe({ apiKey: 'sk_test_workerd', fetch: never, timeout: 30, maxRetries: 1, retryBaseDelay: 1 })
    const started = Date.now()
    const error = await request(stripe, createThing, { params: { amount: 1 } }).catch((e) => e)
    expect(error).toBeInstanceOf(StripeTimeoutError)
    expect(error.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('settles within its bound for transports that hang, lose the signal or stall the body (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('never', 'lost', 'stalledBody'),
        fc.integer({ min: 5, max: 30 }),
        fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
        async (name, timeout, abortAt) => {
          const fetch = { never, lost, stalledBody }[name]
          const stripe = createStripe({ apiKey: 'sk_test_workerd', fetch, timeout, maxRetries: 0 })
          const controller = new AbortController()
          const reason = new Error('caller gave up')
          if (abortAt !== undefined) setTimeout(() => controller.abort(reason), abortAt)
          const started = Date.now()
          const error = await request(stripe, createThing, { params: { amount: 1 } }, { signal: controller.signal }).catch((e) => e)
          // A hang is forever: the slack only absorbs a busy shared machine.
          expect(Date.now() - started).toBeLessThan(Math.min(timeout, abortAt ?? timeout) + 500)
          if (error !== reason) expect(error).toBeInstanceOf(StripeError)
        },
      ),
      { numRuns: 20 },
    )
  })

  it('ends a download whose body is never read at its timeout', async () => {
    const stripe = createStripe({ apiKey: 'sk_test_workerd', fetch: stalledBody, timeout: 30 })
    const file = await downloadFile(stripe, 'file_1')
    const started = Date.now()
    const reader = file.body.getReader()
    const error = await (async () => {
      for (;;) if ((await reader.read()).done) return undefined
    })().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StripeTimeoutError)
    expect(Date.now() - started).toBeLessThan(1000)
  })
})
