import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import {
  createStripe,
  defineOperation,
  downloadFile,
  request,
  StripeAPIError,
  StripeConfigurationError,
  StripeConnectionError,
  StripeInvalidRequestError,
  StripeTimeoutError,
  StripeValidationError,
} from '../src'
import { createThing, retrieveThing } from './support/operations'
import { recordingFetch } from './support/recorder'

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
