import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createStripe,
  request,
  retryDelay,
  StripeAPIError,
  StripeAuthenticationError,
  StripeCardError,
  StripeConnectionError,
  StripeIdempotencyError,
  StripeInvalidRequestError,
  StripePermissionError,
  StripeRateLimitError,
  StripeTimeoutError,
} from '../src'
import { type Step, startFaultServer } from './support/fault-server'
import { createThing, deleteThing, retrieveThing } from './support/operations'

let server: Awaited<ReturnType<typeof startFaultServer>>
beforeAll(async () => {
  server = await startFaultServer()
})
afterAll(() => server.close())

const client = (extra: Record<string, unknown> = {}) =>
  createStripe({ apiKey: 'sk_test_123456789', baseURL: server.url, retryBaseDelay: 1, retryMaxDelay: 4, ...extra })

const create = (options = {}, extra = {}) => request(client(extra), createThing, { params: { amount: 100 } }, options)

const ok: Step = { status: 200, body: { id: 'obj_1', object: 'thing' } }

describe('retries', () => {
  const retried: [string, Step][] = [
    ['connection reset', { reset: true }],
    ['500', { status: 500, body: { error: { type: 'api_error', message: 'boom' } } }],
    ['503', { status: 503, body: { error: { type: 'api_error' } } }],
    ['409 (lock timeout)', { status: 409, body: { error: { type: 'invalid_request_error', code: 'lock_timeout' } } }],
    ['429', { status: 429, body: { error: { type: 'invalid_request_error', code: 'rate_limit' } } }],
    ['a 200 with a truncated body', { status: 200, body: '{"id": "obj_' }],
    ['Stripe-Should-Retry: true on a 422', { status: 422, body: { error: {} }, headers: { 'stripe-should-retry': 'true' } }],
  ]
  for (const [name, step] of retried) {
    it(`retries after ${name}, with one idempotency key across attempts`, async () => {
      server.script([step, ok])
      const thing = await create()
      expect(thing.id).toBe('obj_1')
      expect(thing.lastResponse.attempts).toBe(2)
      expect(server.seen).toHaveLength(2)
      const keys = server.seen.map((r) => r.headers['idempotency-key'])
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/)
      expect(keys[1]).toBe(keys[0])
      expect(thing.lastResponse.idempotencyKey).toBe(keys[0])
      expect(server.seen.map((r) => r.body)).toEqual(['amount=100', 'amount=100'])
    })
  }

  it('retries DELETE and GET (no idempotency key sent)', async () => {
    server.script([
      { status: 502, body: {} },
      { status: 200, body: { id: 'obj_1', deleted: true } },
    ])
    await request(client(), deleteThing, { path: { thing: 'obj_1' } })
    expect(server.seen.map((r) => [r.method, r.headers['idempotency-key']])).toEqual([
      ['DELETE', undefined],
      ['DELETE', undefined],
    ])
  })

  const never: [number, new (...a: never[]) => Error][] = [
    [400, StripeInvalidRequestError],
    [401, StripeAuthenticationError],
    [402, StripeCardError],
    [403, StripePermissionError],
    [404, StripeInvalidRequestError],
  ]
  for (const [status, Class] of never) {
    it(`never retries ${status}, even with Stripe-Should-Retry: true`, async () => {
      server.script([{ status, body: { error: { message: `no ${status}` } }, headers: { 'stripe-should-retry': 'true' } }, ok])
      await expect(create()).rejects.toBeInstanceOf(Class)
      expect(server.seen).toHaveLength(1)
    })
  }

  it('does not retry a 5xx or 429 when Stripe-Should-Retry: false', async () => {
    server.script([{ status: 503, body: { error: {} }, headers: { 'stripe-should-retry': 'false' } }, ok])
    await expect(create()).rejects.toBeInstanceOf(StripeAPIError)
    server.script([{ status: 429, body: { error: {} }, headers: { 'stripe-should-retry': 'false' } }, ok])
    await expect(create()).rejects.toBeInstanceOf(StripeRateLimitError)
    expect(server.seen).toHaveLength(1)
  })

  it('does not retry an idempotency error', async () => {
    server.script([
      {
        status: 400,
        body: { error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters' } },
      },
      ok,
    ])
    await expect(create({ idempotencyKey: 'k1' })).rejects.toBeInstanceOf(StripeIdempotencyError)
    expect(server.seen).toHaveLength(1)
  })

  it('stops after maxRetries and throws the last error', async () => {
    server.script([{ reset: true }, { reset: true }, { reset: true }, ok])
    await expect(create({ maxRetries: 2 })).rejects.toBeInstanceOf(StripeConnectionError)
    expect(server.seen).toHaveLength(3)
    server.script([{ status: 500, body: {} }, ok])
    await expect(create({}, { maxRetries: 0 })).rejects.toBeInstanceOf(StripeAPIError)
    expect(server.seen).toHaveLength(1)
  })

  it('keeps a caller idempotency key across retries', async () => {
    server.script([{ status: 500, body: {} }, ok])
    await create({ idempotencyKey: 'order-42' })
    expect(server.seen.map((r) => r.headers['idempotency-key'])).toEqual(['order-42', 'order-42'])
  })

  it('honours Retry-After on 429 (capped by maxRetryAfter), and reports it to the retry hook', async () => {
    server.script([{ status: 429, body: { error: {} }, headers: { 'retry-after': '1' } }, ok])
    const delays: number[] = []
    const stripe = client({ maxRetryAfter: 150 })
    stripe.hooks.hook('retry:before', (ctx) => void delays.push(ctx.delayMs))
    const started = Date.now()
    await request(stripe, createThing, { params: { amount: 1 } })
    expect(delays).toEqual([150])
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
  })

  it('times out a stalled body and retries it; the timer does not outlive the request', async () => {
    server.script([{ stallBody: true }, ok])
    const thing = await create({ timeout: 200 })
    expect(thing.lastResponse.attempts).toBe(2)
    server.script([{ stallBody: true }, { stallHeaders: true }])
    const error = await create({ timeout: 100, maxRetries: 1 }).catch((e) => e)
    expect(error).toBeInstanceOf(StripeTimeoutError)
    expect(error).toBeInstanceOf(StripeConnectionError)
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout')).toEqual([])
  })

  it('aborts on the caller signal, without retrying, mid-request and mid-backoff', async () => {
    server.script([{ stallHeaders: true }])
    const controller = new AbortController()
    const pending = create({ signal: controller.signal })
    setTimeout(() => controller.abort(new Error('user gave up')), 50)
    await expect(pending).rejects.toThrow('user gave up')
    expect(server.seen).toHaveLength(1)

    server.script([{ status: 500, body: {} }, ok])
    const backoff = new AbortController()
    const waiting = request(
      createStripe({ apiKey: 'sk_test_123456789', baseURL: server.url, retryBaseDelay: 10_000 }),
      createThing,
      { params: {} },
      { signal: backoff.signal },
    )
    setTimeout(() => backoff.abort(), 50)
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' })
    expect(server.seen).toHaveLength(1)
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout')).toEqual([])
  })

  it('does not send an idempotency key on GET and retries reads', async () => {
    server.script([{ status: 503, body: {} }, ok])
    const thing = await request(client(), retrieveThing, { path: { thing: 'obj_1' } })
    expect(thing.lastResponse.idempotencyKey).toBeUndefined()
    expect(server.seen.map((r) => r.headers['idempotency-key'])).toEqual([undefined, undefined])
  })
})

describe('retryDelay', () => {
  const config = createStripe({ apiKey: 'sk_test_123456789' }).config
  const error = (headers: Record<string, string> = {}) =>
    new StripeAPIError({ message: 'x', statusCode: 500, headers: new Headers(headers) })

  it('jitters every attempt between half and all of min(base·2^(n-1), cap)', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, config, error(), () => 0))).toEqual([250, 500, 1000, 2000, 2500, 2500])
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, config, error(), () => 1))).toEqual([500, 1000, 2000, 4000, 5000, 5000])
    const firsts = new Set(Array.from({ length: 50 }, () => retryDelay(1, config, error())))
    expect(firsts.size).toBeGreaterThan(10)
  })

  it('waits at least Retry-After (seconds or HTTP date), capped at maxRetryAfter', () => {
    expect(retryDelay(1, config, error({ 'retry-after': '3' }), () => 0)).toBe(3000)
    expect(retryDelay(1, config, error({ 'retry-after': '600' }), () => 0)).toBe(60_000)
    const date = new Date(Date.now() + 10_000).toUTCString()
    expect(retryDelay(1, config, error({ 'retry-after': date }), () => 0)).toBeGreaterThan(8000)
    expect(retryDelay(1, config, error({ 'retry-after': 'soon' }), () => 0)).toBe(250)
  })
})
