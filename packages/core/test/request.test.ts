import fc from 'fast-check'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildRequest,
  createStripe,
  DO_NOT_RETRY,
  defineOperation,
  downloadFile,
  request,
  retryDelay,
  StripeAPIError,
  StripeAuthenticationError,
  StripeCardError,
  StripeConfigurationError,
  StripeConnectionError,
  StripeError,
  StripeIdempotencyError,
  StripeInvalidRequestError,
  StripePermissionError,
  StripeRateLimitError,
  StripeResponseValidationError,
  StripeTimeoutError,
  StripeValidationError,
} from '../src'
import { type Step, startFaultServer } from './support/fault-server'
import { createThing, deleteThing, retrieveThing } from './support/operations'
import { recordingFetch } from './support/recorder'

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
    it(`never retries ${status} (DO_NOT_RETRY), unless Stripe answers Stripe-Should-Retry: true`, async () => {
      expect(DO_NOT_RETRY).toContain(status)
      server.script([{ status, body: { error: { message: `no ${status}` } } }, ok])
      await expect(create()).rejects.toBeInstanceOf(Class)
      expect(server.seen).toHaveLength(1)
      // Stripe's explicit word wins, as in stripe-node; the same key makes the resend safe.
      server.script([{ status, body: { error: { message: `no ${status}` } }, headers: { 'stripe-should-retry': 'true' } }, ok])
      const thing = await create()
      expect(thing.lastResponse.attempts).toBe(2)
      expect(new Set(server.seen.map((r) => r.headers['idempotency-key'])).size).toBe(1)
    })
  }

  it('never retries an idempotency error, even with Stripe-Should-Retry: true', async () => {
    server.script([{ status: 400, body: { error: { type: 'idempotency_error' } }, headers: { 'stripe-should-retry': 'true' } }, ok])
    await expect(create({ idempotencyKey: 'k2' })).rejects.toMatchObject({ name: 'StripeIdempotencyError', idempotencyKey: 'k2' })
    expect(server.seen).toHaveLength(1)
  })

  it('takes the never-retried statuses per client (doNotRetry)', async () => {
    server.script([{ status: 409, body: { error: {} } }, ok])
    await expect(create({}, { doNotRetry: [...DO_NOT_RETRY, 409] })).rejects.toMatchObject({ statusCode: 409 })
    expect(server.seen).toHaveLength(1)
  })

  it('a connection error names the host it could not reach (a custom baseURL, a files operation)', async () => {
    const down = () => Promise.reject(new TypeError('connect ECONNREFUSED'))
    const local = createStripe({ apiKey: 'sk_test_1', fetch: down, maxRetries: 0, baseURL: 'http://localhost:12111' })
    await expect(request(local, createThing, { params: {} })).rejects.toThrow(/Could not reach Stripe at localhost:12111 \(POST /)
    const files = createStripe({ apiKey: 'sk_test_1', fetch: down, maxRetries: 0 })
    const upload = { ...createThing, host: 'files' as const }
    await expect(request(files, upload, { params: {} })).rejects.toThrow(/Could not reach Stripe at files\.stripe\.com \(POST /)
  })

  it('a connection closed with maxRetries: 0 fails once, with the key and "may have been processed"', async () => {
    server.script([{ reset: true }, ok])
    const error = await create({ maxRetries: 0, idempotencyKey: 'order-7' }).catch((e) => e)
    expect(error).toBeInstanceOf(StripeConnectionError)
    expect(error.idempotencyKey).toBe('order-7')
    expect(error.message).toContain('may have been processed: retry with idempotencyKey order-7')
    expect(server.seen).toHaveLength(1)
  })

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

// --- Hardening found by the audit: key redaction, stalls, hooks, error bodies, params ---

const key = 'sk_test_51SECRETsecretSECRET4242'

/** Walks own properties (getters included), `cause` chains, Headers and arrays for `needle`. */
function holds(value: unknown, needle: string, seen = new Set<unknown>(), depth = 0): boolean {
  if (typeof value === 'string') return value.includes(needle)
  if (!value || typeof value !== 'object' || seen.has(value) || depth > 8) return false
  seen.add(value)
  if (value instanceof Headers) return [...value].some(([, item]) => item.includes(needle))
  for (const name of Object.getOwnPropertyNames(value)) {
    let child: unknown
    try {
      child = (value as Record<string, unknown>)[name]
    } catch {
      continue
    }
    if (holds(child, needle, seen, depth + 1)) return true
  }
  return false
}

describe('the key never reaches hooks or errors', () => {
  it('hooks see headers without Authorization, before and after the response, and later', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: { id: 'obj_1', object: 'thing' } }))
    const stripe = createStripe({ apiKey: key, fetch })
    const kept: unknown[] = []
    stripe.hooks.hook('request:before', (ctx) => void kept.push(ctx))
    stripe.hooks.hook('response:after', (ctx, meta) => void kept.push(ctx, meta))
    await request(stripe, retrieveThing, { path: { thing: 'x' } })
    expect(calls[0]?.headers.get('authorization')).toBe(`Bearer ${key}`)
    expect(kept).toHaveLength(3)
    expect(holds(kept, 'SECRETsecret')).toBe(false)
  })

  it('a network failure’s error (and its causes) does not carry the key', async () => {
    const stripe = createStripe({ apiKey: key, fetch: () => Promise.reject(new TypeError('fetch failed')), maxRetries: 0 })
    const seen: unknown[] = []
    stripe.hooks.hook('error', (error) => void seen.push(error))
    const error = await request(stripe, createThing, { params: {} }).catch((e) => e)
    expect(error).toBeInstanceOf(StripeConnectionError)
    expect(error.message).toContain('fetch failed')
    expect(error.message).toMatch(/^Could not reach Stripe at api\.stripe\.com \(POST \/v1\/things\)/)
    expect(holds(error, 'SECRETsecret')).toBe(false)
    expect(holds(seen, 'SECRETsecret')).toBe(false)
  })
})

describe('bodies that stall without honouring the signal', () => {
  const stalled = () =>
    Promise.resolve(
      new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"id":')) }), {
        headers: { 'content-type': 'application/json' },
      }),
    )

  it('time out per attempt and are retried, then fail with StripeTimeoutError', async () => {
    let attempts = 0
    const fetch = () => {
      attempts++
      return stalled()
    }
    const stripe = createStripe({ apiKey: key, fetch, maxRetries: 1, retryBaseDelay: 1, timeout: 50 })
    await expect(request(stripe, retrieveThing, { path: { thing: 'x' } })).rejects.toBeInstanceOf(StripeTimeoutError)
    expect(attempts).toBe(2)
  })

  it('end at once when the caller aborts', async () => {
    const stripe = createStripe({ apiKey: key, fetch: stalled, timeout: 60_000 })
    const controller = new AbortController()
    const pending = request(stripe, retrieveThing, { path: { thing: 'x' } }, { signal: controller.signal })
    setTimeout(() => controller.abort(new Error('stop')), 20)
    await expect(pending).rejects.toThrow('stop')
  })
})

describe('a throwing hook', () => {
  it('is thrown as it is: not a connection error, not retried, a POST sent once', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: { id: 'obj_1', object: 'thing' } }))
    const stripe = createStripe({ apiKey: key, fetch })
    const bug = new RangeError('my hook bug')
    stripe.hooks.hook('response:after', () => {
      throw bug
    })
    await expect(request(stripe, createThing, { params: { amount: 1 } })).rejects.toBe(bug)
    expect(calls).toHaveLength(1)
  })
})

describe('error responses without a Stripe error object', () => {
  it('are classed by status', async () => {
    for (const [status, body, Class] of [
      [404, '<html>Not Found</html>', StripeInvalidRequestError],
      [400, '', StripeInvalidRequestError],
      [502, '<html>Bad Gateway</html>', StripeAPIError],
    ] as const) {
      const fetch = async () => new Response(body, { status, headers: { 'content-type': 'text/html' } })
      const error = await request(createStripe({ apiKey: key, fetch, maxRetries: 0 }), retrieveThing, { path: { thing: 'x' } }).catch(
        (e) => e,
      )
      expect(error).toBeInstanceOf(Class)
      expect(error.statusCode).toBe(status)
    }
  })
})

describe('params and path params', () => {
  const listByCreated = defineOperation({
    operationId: 'GetThings',
    method: 'GET',
    path: '/v1/things',
    params: v.strictObject({ created: v.optional(v.union([v.strictObject({ gte: v.optional(v.number()) }), v.number()])) }),
    response: v.looseObject({}),
    auth: 'secret',
  })

  it('a bad value inside a union names the nested param', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: {} }))
    const error = await request(createStripe({ apiKey: key, fetch }), listByCreated, { params: { created: { gte: 'x' } } as never }).catch(
      (e) => e,
    )
    expect(error).toBeInstanceOf(StripeValidationError)
    expect(error.param).toBe('created[gte]')
    expect(calls).toHaveLength(0)
  })

  it('refuses . and .. as path params, and params that are not an object', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: { id: 'x', object: 'thing' } }))
    const stripe = createStripe({ apiKey: key, fetch })
    for (const thing of ['.', '..']) {
      await expect(request(stripe, retrieveThing, { path: { thing } })).rejects.toMatchObject({ param: 'thing' })
    }
    for (const params of [[], 'amount=1', 42]) {
      await expect(request(stripe, createThing, { params: params as never })).rejects.toBeInstanceOf(StripeValidationError)
    }
    expect(calls).toHaveLength(0)
  })
})

describe('writes whose outcome is unknown', () => {
  it('carry the idempotency key, and a connection error says it may have been processed', async () => {
    let sentKey: string | null = null
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      sentKey = new Request(input, init).headers.get('idempotency-key')
      throw new TypeError('socket hang up')
    }
    const error = await request(createStripe({ apiKey: key, fetch, maxRetries: 0 }), createThing, { params: { amount: 1 } }).catch((e) => e)
    expect(error).toBeInstanceOf(StripeConnectionError)
    expect(sentKey).toMatch(/^[0-9a-f-]{36}$/)
    expect(error.idempotencyKey).toBe(sentKey)
    expect(error.message).toContain(`retry with idempotencyKey ${sentKey}`)
    const read = await request(createStripe({ apiKey: key, fetch, maxRetries: 0 }), retrieveThing, { path: { thing: 'x' } }).catch((e) => e)
    expect(read.idempotencyKey).toBeUndefined()
  })
})

describe('where the key can go', () => {
  it('a hook cannot redirect a request: url and body are sent as validated', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: { id: 'obj_1', object: 'thing' } }))
    const stripe = createStripe({ apiKey: key, fetch })
    stripe.hooks.hook('request:before', (ctx) => {
      Object.assign(ctx, { url: 'https://evil.example/steal', body: 'amount=999' })
    })
    await request(stripe, createThing, { params: { amount: 1 } })
    expect(calls[0]?.url.origin).toBe('https://api.stripe.com')
    expect(calls[0]?.body).toBe('amount=1')
  })

  it('downloadFile refuses URLs with userinfo and . or .. as an id, before sending', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: {} }))
    const stripe = createStripe({ apiKey: key, fetch })
    await expect(downloadFile(stripe, 'https://evil.example@files.stripe.com/v1/files/file_1/contents')).rejects.toBeInstanceOf(
      StripeConfigurationError,
    )
    await expect(downloadFile(stripe, 'https://user:pw@files.stripe.com/v1/files/file_1/contents')).rejects.toBeInstanceOf(
      StripeConfigurationError,
    )
    for (const id of ['.', '..']) await expect(downloadFile(stripe, id)).rejects.toBeInstanceOf(StripeValidationError)
    expect(calls).toHaveLength(0)
    await downloadFile(stripe, 'HTTPS://FILES.STRIPE.COM:443/v1/files/file_1/contents')
    expect(calls[0]?.url.href).toBe('https://files.stripe.com/v1/files/file_1/contents')
  })
})

// --- No call can hang: every wait races the attempt's timeout and the caller's signal ---

/** What a transport does with one attempt. None of them honours the signal it is given. */
type Behaviour =
  | { kind: 'never' } // the promise never settles (a custom fetch that drops the signal)
  | { kind: 'late'; after: number; status: number } // answers after `after` ms, signal or not
  | { kind: 'stallBody'; status: number } // headers, then a body that never ends and ignores cancel
  | { kind: 'reject'; after: number } // a network error after `after` ms
  | { kind: 'rebuilt' } // a wrapper that rebuilds `new Request(input, init)` and loses the signal, then hangs

const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
  fc.constant({ kind: 'never' as const }),
  fc.record({ kind: fc.constant('late' as const), after: fc.integer({ min: 0, max: 80 }), status: fc.constantFrom(200, 500, 503) }),
  fc.record({ kind: fc.constant('stallBody' as const), status: fc.constantFrom(200, 500) }),
  fc.record({ kind: fc.constant('reject' as const), after: fc.integer({ min: 0, max: 30 }) }),
  fc.constant({ kind: 'rebuilt' as const }),
)

/** A fetch playing `script` (one behaviour per attempt, then `never`); counts its own pending timers. */
function misbehavingFetch(script: Behaviour[]) {
  const pending = { timers: 0 }
  let n = 0
  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const step = script[n++] ?? { kind: 'never' }
    const headers = { 'content-type': 'application/json', 'request-id': `req_${n}` }
    const body = JSON.stringify(
      step.kind === 'late' && step.status >= 500 ? { error: { type: 'api_error' } } : { id: 'obj_1', object: 'thing' },
    )
    switch (step.kind) {
      case 'never':
        return new Promise(() => {})
      case 'rebuilt':
        new Request(input, { ...init, signal: undefined })
        return new Promise(() => {})
      case 'late':
      case 'reject':
        pending.timers++
        return new Promise((resolve, reject) =>
          setTimeout(() => {
            pending.timers--
            if (step.kind === 'late') resolve(new Response(body, { status: step.status, headers }))
            else reject(new TypeError('socket hang up'))
          }, step.after),
        )
      case 'stallBody':
        return Promise.resolve(
          new Response(
            new ReadableStream({
              start: (c) => c.enqueue(new TextEncoder().encode('{"id":')),
              pull: () => new Promise(() => {}),
              cancel: () => new Promise(() => {}),
            }),
            { status: step.status, headers },
          ),
        )
    }
  }
  return { fetch: fetch as typeof globalThis.fetch, pending }
}

const liveTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

describe('no call can hang, whatever the transport does', () => {
  it('settles within timeout × (maxRetries + 1) + backoff, or promptly after the caller aborts (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(behaviour, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 5, max: 40 }),
        fc.integer({ min: 0, max: 2 }),
        fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
        fc.boolean(),
        async (script, timeout, maxRetries, abortAt, isPost) => {
          const baseline = liveTimers()
          const { fetch, pending } = misbehavingFetch(script)
          const stripe = createStripe({ apiKey: 'sk_test_hang', fetch, timeout, maxRetries, retryBaseDelay: 1, retryMaxDelay: 5 })
          const controller = new AbortController()
          const reason = new Error('caller gave up')
          if (abortAt !== undefined) setTimeout(() => controller.abort(reason), abortAt)
          const started = Date.now()
          const call = isPost
            ? request(stripe, createThing, { params: { amount: 1 } }, { signal: controller.signal })
            : request(stripe, retrieveThing, { path: { thing: 'x' } }, { signal: controller.signal })
          const outcome = await call.then(
            (value) => ({ value, error: undefined }),
            (error: unknown) => ({ value: undefined, error }),
          )
          const elapsed = Date.now() - started
          const bound = timeout * (maxRetries + 1) + 5 * maxRetries + 60
          expect(elapsed).toBeLessThanOrEqual(abortAt === undefined ? bound : Math.min(bound, abortAt + 60))
          if (outcome.error !== undefined && outcome.error !== reason) {
            expect(outcome.error).toBeInstanceOf(StripeError)
            // A POST that failed carries its key, whatever failed.
            if (isPost) expect((outcome.error as StripeError).idempotencyKey).toMatch(/^[0-9a-f-]{36}$/)
          }
          if (abortAt !== undefined) await new Promise((resolve) => setTimeout(resolve, Math.max(0, abortAt - elapsed) + 1))
          // Nothing of the call outlives it (the transport's own late timers aside).
          expect(liveTimers()).toBeLessThanOrEqual(baseline + pending.timers)
        },
      ),
      { numRuns: 60 },
    )
  }, 60_000)

  it('errors after the headers keep requestId and statusCode (stalled and truncated bodies)', async () => {
    server.script([{ stallBody: true }])
    const stalled = await create({ timeout: 400, maxRetries: 0 }).catch((e) => e)
    expect(stalled).toBeInstanceOf(StripeTimeoutError)
    expect(stalled).toMatchObject({ statusCode: 200, requestId: 'req_1' })
    expect(stalled.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/)
    server.script([{ status: 200, body: '{"id": "obj_' }])
    const truncated = await create({ maxRetries: 0 }).catch((e) => e)
    expect(truncated).toBeInstanceOf(StripeConnectionError)
    expect(truncated).toMatchObject({ statusCode: 200, requestId: 'req_1' })
    expect(truncated.headers.get('request-id')).toBe('req_1')
  })
})

// --- A 2xx is a result only when it is the operation's kind of object ---

describe('responses of the wrong kind', () => {
  const wrong = [{}, [], { error: { type: 'api_error' } }, { object: 'list', data: [], has_more: false, url: '/v1/x' }, { object: 'thing' }]
  for (const mode of ['off', 'warn', 'strict'] as const) {
    it(`are a StripeAPIError with the idempotency key, never a success (validateResponses: ${mode})`, async () => {
      const kindOf = defineOperation({
        ...createThing,
        response: v.looseObject({ id: v.string(), object: v.literal('thing'), amount: v.number() }),
      })
      for (const body of wrong) {
        const { fetch, calls } = recordingFetch(() => ({ body, headers: { 'request-id': 'req_kind' } }))
        const stripe = createStripe({ apiKey: 'sk_test_kind', fetch, validateResponses: mode })
        const error = await request(stripe, kindOf, { params: { amount: 1 } }).catch((e) => e)
        expect(error).toBeInstanceOf(StripeAPIError)
        expect(error).toMatchObject({ statusCode: 200, requestId: 'req_kind', code: 'unexpected_response' })
        expect(error.idempotencyKey).toBe(calls[0]?.headers.get('idempotency-key'))
        expect(error.message).toContain(`retry with idempotencyKey ${error.idempotencyKey}`)
        expect(calls).toHaveLength(1)
      }
    })
  }
})

describe('StripeResponseValidationError (strict)', () => {
  it('is not a client-side validation error: it carries the key, request id and response meta, and says it was processed', async () => {
    const { fetch, calls } = recordingFetch(() => ({
      body: { id: 'obj_1', object: 'thing', amount: 'ten' },
      headers: { 'request-id': 'req_v' },
    }))
    const stripe = createStripe({ apiKey: 'sk_test_strict', fetch, validateResponses: 'strict' })
    const op = defineOperation({ ...createThing, response: v.looseObject({ id: v.string(), object: v.string(), amount: v.number() }) })
    const error = await request(stripe, op, { params: { amount: 1 } }, { idempotencyKey: 'pay-1' }).catch((e) => e)
    expect(error).toBeInstanceOf(StripeResponseValidationError)
    expect(error).not.toBeInstanceOf(StripeValidationError)
    expect(error).toMatchObject({ idempotencyKey: 'pay-1', requestId: 'req_v', statusCode: 200 })
    expect(error.lastResponse).toMatchObject({ idempotencyKey: 'pay-1', requestId: 'req_v', attempts: 1 })
    expect(error.issues[0].path).toBe('amount')
    expect(error.message).toMatch(/processed.*idempotencyKey pay-1/)
    expect(calls).toHaveLength(1)
  })
})

// --- Options: checked where given, a StripeConfigurationError naming the option, nothing sent ---

describe('client and request options', () => {
  const bad: Record<string, unknown[]> = {
    maxRetries: [Number.NaN, -1, 1.5, 11, Number.POSITIVE_INFINITY, '2'],
    timeout: [Number.NaN, 0, -5, Number.POSITIVE_INFINITY, 2 ** 31, '100'],
    retryBaseDelay: [Number.NaN, -1, Number.POSITIVE_INFINITY, '1'],
    retryMaxDelay: [Number.NaN, -1, Number.POSITIVE_INFINITY],
    maxRetryAfter: [Number.NaN, -1, Number.POSITIVE_INFINITY],
    validateResponses: ['Strict', 'true', true, 'warning'],
    apiVersion: ['', ' ', '2024-04-10\r\nX: y', '2024\u00e9'],
    stripeAccount: ['', 'acct_1\n', 'acct_\u{1F600}'],
    baseURL: ['api.stripe.com', 'ftp://api.stripe.com', '/v1', 'https://', 'https://api.stripe.com?x=1', ''],
    filesURL: ['files.stripe.com', 'file:///etc/passwd', 'https://files.stripe.com#x'],
  }
  const good: Record<string, unknown[]> = {
    maxRetries: [0, 2, 10],
    timeout: [1, 80_000, 2 ** 31 - 1],
    retryBaseDelay: [0, 500],
    retryMaxDelay: [0, 5000],
    maxRetryAfter: [0, 60_000],
    validateResponses: ['warn', 'strict', 'off'],
    apiVersion: ['2024-04-10', '2025-01-27.acacia'],
    stripeAccount: ['acct_123'],
    baseURL: ['https://api.stripe.com', 'http://127.0.0.1:12111/', 'https://proxy.example/stripe'],
    filesURL: ['https://files.stripe.com'],
  }
  const requestBad: Record<string, unknown[]> = {
    idempotencyKey: ['', 'x'.repeat(256), 'key\r\nX-Evil: 1', 'clé', ' padded '],
    headers: [{ 'X-Trace': 'a\nb' }, { 'bad name': 'x' }, { 'X-Emoji': '\u{1F600}' }, { 'X-Num': 1 }],
  }
  const requestGood: Record<string, unknown[]> = {
    idempotencyKey: ['order-42', 'x'.repeat(255)],
    headers: [{ 'X-Trace': 'abc def' }, {}],
  }
  const pick = (table: Record<string, unknown[]>, name: string) => fc.constantFrom(...table[name]!)

  it('createStripe refuses each bad client option by name and accepts the good ones (fast-check)', () => {
    const names = Object.keys(bad)
    fc.assert(
      fc.property(
        fc.record(Object.fromEntries(names.map((name) => [name, fc.option(pick(good, name), { nil: undefined })]))),
        fc.option(
          fc.constantFrom(...names).chain((name) => pick(bad, name).map((value) => [name, value] as const)),
          { nil: null },
        ),
        (options, wrong) => {
          const given = { apiKey: 'sk_test_options', ...options, ...(wrong ? { [wrong[0]]: wrong[1] } : {}) }
          let error: unknown
          try {
            createStripe(given as never)
          } catch (e) {
            error = e
          }
          if (!wrong) {
            expect(error).toBeUndefined()
            return
          }
          expect(error).toBeInstanceOf(StripeConfigurationError)
          expect((error as Error).message).toMatch(new RegExp(`^${wrong[0]} must be`))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('each call refuses a bad request option by name before sending (fast-check)', async () => {
    const table = {
      ...requestBad,
      ...Object.fromEntries(['maxRetries', 'timeout', 'apiVersion', 'stripeAccount'].map((n) => [n, bad[n]!])),
    }
    const fine = {
      ...requestGood,
      ...Object.fromEntries(['maxRetries', 'timeout', 'apiVersion', 'stripeAccount'].map((n) => [n, good[n]!])),
    }
    const { fetch, calls } = recordingFetch(() => ({ body: { id: 'obj_1', object: 'thing' } }))
    const stripe = createStripe({ apiKey: 'sk_test_options', fetch })
    await fc.assert(
      fc.asyncProperty(
        fc.record(Object.fromEntries(Object.keys(fine).map((name) => [name, fc.option(pick(fine, name), { nil: undefined })]))),
        fc.option(
          fc.constantFrom(...Object.keys(table)).chain((name) => pick(table, name).map((value) => [name, value] as const)),
          { nil: null },
        ),
        async (options, wrong) => {
          const before = calls.length
          const given = { ...options, ...(wrong ? { [wrong[0]]: wrong[1] } : {}) }
          const result = await request(stripe, createThing, { params: { amount: 1 } }, given as never).catch((e) => e)
          if (!wrong) {
            expect(calls.length).toBe(before + 1)
            return
          }
          expect(result).toBeInstanceOf(StripeConfigurationError)
          expect(result.message).toMatch(new RegExp(`^${wrong[0]} must be`))
          expect(calls.length).toBe(before)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('never echoes a string option (a misplaced key stays out of the message)', () => {
    const error = (() => {
      try {
        createStripe({ apiKey: 'sk_test_options', stripeAccount: 'sk_live_SECRET\n' })
      } catch (e) {
        return e as Error
      }
    })()
    expect(error?.message).toBe('stripeAccount must be a visible-ASCII string, got a string of 15 characters (client option).')
  })
})

describe('path params', () => {
  it('a lone surrogate is a StripeValidationError naming the param, not a URIError, and nothing is sent', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: { id: 'x', object: 'thing' } }))
    const stripe = createStripe({ apiKey: 'sk_test_paths', fetch })
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('\uD800', '\uDFFF', '\uDBFF'), fc.string(), (a, lone, b) => {
        expect(() => buildRequest(stripe, retrieveThing, { path: { thing: `${a}${lone}${b}` } })).toThrow(
          expect.objectContaining({ name: 'StripeValidationError', param: 'thing' }),
        )
      }),
    )
    await expect(request(stripe, retrieveThing, { path: { thing: 'a\uD800' } })).rejects.toMatchObject({ param: 'thing' })
    expect(calls).toHaveLength(0)
  })
})

describe('the response:after hook', () => {
  it('gets the body as read: parsed JSON, else the text', async () => {
    const bodies: unknown[] = []
    let n = 0
    const fetch = async () =>
      n++ === 0
        ? new Response('<html>bad gateway</html>', { status: 502 })
        : new Response(JSON.stringify({ id: 'obj_1', object: 'thing' }), { headers: { 'content-type': 'application/json' } })
    const stripe = createStripe({ apiKey: 'sk_test_hooks', fetch, retryBaseDelay: 1 })
    stripe.hooks.hook('response:after', (_ctx, _meta, body) => void bodies.push(body))
    await request(stripe, retrieveThing, { path: { thing: 'x' } })
    expect(bodies).toEqual(['<html>bad gateway</html>', { id: 'obj_1', object: 'thing' }])
  })
})
