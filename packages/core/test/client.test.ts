import * as v from 'valibot'
import { describe, expect, it, vi } from 'vitest'
import {
  createStripe,
  DEFAULT_API_VERSION,
  redactKey,
  request,
  StripeConfigurationError,
  StripeError,
  StripeResponseValidationError,
  StripeValidationError,
} from '../src'
import { createThing, deleteThing, listThings, retrieveThing } from './support/operations'
import { recordingFetch } from './support/recorder'

const thing = { id: 'obj_1', object: 'thing' }
const retrieveAmount = { ...retrieveThing, response: v.looseObject({ id: v.string(), object: v.string(), amount: v.number() }) }
const key = 'sk_test_51abcdefghijklmnop4242'

describe('createStripe', () => {
  it('sends bearer auth, the pinned API version, JSON accept, and nothing else by default', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: thing }))
    await request(createStripe({ apiKey: key, fetch }), retrieveThing, { path: { thing: 'obj_1' } })
    const [call] = calls
    expect(call?.url.href).toBe('https://api.stripe.com/v1/things/obj_1')
    expect(call?.headers.get('authorization')).toBe(`Bearer ${key}`)
    expect(call?.headers.get('stripe-version')).toBe('2024-04-10')
    expect(DEFAULT_API_VERSION).toBe('2024-04-10')
    expect(call?.headers.get('stripe-account')).toBeNull()
    expect(call?.headers.get('x-stripe-client-user-agent')).toBeNull()
  })

  it('takes apiVersion, stripeAccount and baseURL per client, and overrides them per request', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: thing }))
    const stripe = createStripe({ apiKey: key, fetch, apiVersion: '2025-01-01', stripeAccount: 'acct_a', baseURL: 'http://127.0.0.1:1/' })
    await request(stripe, retrieveThing, { path: { thing: 'x' } })
    const result = await request(
      stripe,
      retrieveThing,
      { path: { thing: 'x' } },
      { apiVersion: '2026-01-01', stripeAccount: 'acct_b', headers: { 'x-extra': '1' } },
    )
    expect(calls.map((c) => [c.url.origin, c.headers.get('stripe-version'), c.headers.get('stripe-account')])).toEqual([
      ['http://127.0.0.1:1', '2025-01-01', 'acct_a'],
      ['http://127.0.0.1:1', '2026-01-01', 'acct_b'],
    ])
    expect(calls[1]?.headers.get('x-extra')).toBe('1')
    expect(result.lastResponse.apiVersion).toBe('2026-01-01')
  })

  it('refuses malformed keys and the wrong key kind, never echoing the whole key', () => {
    const messages: string[] = []
    for (const options of [
      { apiKey: 'pk_test_abcdefghijklmnop1234' },
      { publishableKey: 'sk_test_abcdefghijklmnop1234' },
      { apiKey: 'nope_abcdefghijklmnop1234' },
      { apiKey: key, publishableKey: 'pk_test_abc' },
      {},
    ]) {
      const error = (() => {
        try {
          createStripe(options as never)
        } catch (e) {
          return e as Error
        }
      })()
      expect(error).toBeInstanceOf(StripeConfigurationError)
      messages.push(error!.message)
    }
    expect(messages.join('\n')).not.toMatch(/abcdefghijklmnop/)
    expect(messages[0]).toContain('pk_test_…1234')
  })

  it('keeps the key out of config, JSON and inspection', () => {
    const stripe = createStripe({ apiKey: key })
    expect(stripe.config.redactedKey).toBe('sk_test_…4242')
    expect(JSON.stringify(stripe)).not.toContain('abcdefghijklmnop')
    expect(Object.keys(stripe)).not.toContain('_authorization')
    expect(redactKey('rk_live_short')).toBe('rk_live_…')
  })

  it('validates maxRetries and timeout, for the client and for each request, before sending', async () => {
    expect(() => createStripe({ apiKey: key, maxRetries: 11 })).toThrow(StripeConfigurationError)
    expect(() => createStripe({ apiKey: key, maxRetries: -1 })).toThrow(StripeConfigurationError)
    expect(() => createStripe({ apiKey: key, timeout: 0 })).toThrow(/timeout must be a positive number/)
    expect(() => createStripe({ apiKey: key, timeout: Number.NaN })).toThrow(StripeConfigurationError)
    const { fetch, calls } = recordingFetch(() => ({ body: thing }))
    const stripe = createStripe({ apiKey: key, fetch })
    for (const options of [{ maxRetries: Number.POSITIVE_INFINITY }, { maxRetries: 1.5 }, { timeout: -5 }, { timeout: 2 ** 31 }]) {
      await expect(request(stripe, retrieveThing, { path: { thing: 'x' } }, options)).rejects.toBeInstanceOf(StripeConfigurationError)
    }
    expect(calls).toHaveLength(0)
  })
})

describe('publishable keys', () => {
  const pk = 'pk_test_abcdefghijklmnop9999'

  it('may call publishable-safe operations, with a client_secret where the operation asks for one', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: { object: 'list', data: [], has_more: false, url: '/v1/things' } }))
    const stripe = createStripe({ publishableKey: pk, fetch })
    await request(stripe, listThings, {})
    expect(calls[0]?.headers.get('authorization')).toBe(`Bearer ${pk}`)
    await expect(request(stripe, retrieveThing, { path: { thing: 'obj_1' } })).rejects.toThrow(/needs the object's client_secret/)
    await expect(request(stripe, createThing, { params: {} })).rejects.toThrow(StripeConfigurationError)
    await expect(request(stripe, deleteThing, { path: { thing: 'x' } })).rejects.toThrow(/needs a secret or restricted key.*pk_test_…9999/)
    expect(calls).toHaveLength(1)
  })
})

describe('validation before the network', () => {
  it('names the bad param in bracket form and sends nothing', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: thing }))
    const stripe = createStripe({ apiKey: key, fetch })
    const bad = [
      [{ amount: 1.5 }, 'amount'],
      [{ currency: 'gbp' }, 'currency'],
      [{ owner: { address: { city: 7 } } }, 'owner[address][city]'],
      [{ unknown_param: 1 }, 'unknown_param'],
      [{ expand: ['ok', 3] }, 'expand[1]'],
    ] as const
    for (const [params, param] of bad) {
      const error = await request(stripe, createThing, { params: params as never }).catch((e) => e)
      expect(error).toBeInstanceOf(StripeValidationError)
      expect(error.param).toBe(param)
      expect(error.message).toMatch(/^PostThings: /)
      expect(error.message).toContain(param)
    }
    expect(calls).toHaveLength(0)
  })

  it('requires non-empty path params and URL-encodes them', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: thing }))
    const stripe = createStripe({ apiKey: key, fetch })
    await expect(request(stripe, retrieveThing, { path: { thing: '' } })).rejects.toMatchObject({ param: 'thing' })
    await expect(request(stripe, retrieveThing, { path: {} as never })).rejects.toBeInstanceOf(StripeValidationError)
    expect(calls).toHaveLength(0)
    await request(stripe, retrieveThing, { path: { thing: 'a/b?c#d' } })
    expect(calls[0]?.url.pathname).toBe('/v1/things/a%2Fb%3Fc%23d')
  })

  it('validates the idempotency key length (an option: StripeConfigurationError)', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: thing }))
    const stripe = createStripe({ apiKey: key, fetch })
    await expect(request(stripe, createThing, { params: {} }, { idempotencyKey: '' })).rejects.toBeInstanceOf(StripeConfigurationError)
    await expect(request(stripe, createThing, { params: {} }, { idempotencyKey: 'x'.repeat(256) })).rejects.toThrow(
      /idempotencyKey must be/,
    )
    await request(stripe, createThing, { params: {} }, { idempotencyKey: 'x'.repeat(255) })
    expect(calls).toHaveLength(1)
  })

  it('can be switched off', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: thing }))
    await request(createStripe({ apiKey: key, fetch, validateParams: false }), createThing, { params: { currency: 'gbp' } as never })
    expect(calls[0]?.body).toBe('currency=gbp')
  })
})

describe('encoding on the wire', () => {
  it('puts GET and DELETE params in the query and POST params in a form body', async () => {
    const { fetch, calls } = recordingFetch(({ method }) => ({ body: method === 'DELETE' ? { id: 'x', deleted: true } : thing }))
    const stripe = createStripe({ apiKey: key, fetch })
    await request(stripe, retrieveThing, { path: { thing: 'x' }, params: { expand: ['a', 'b'] } })
    await request(stripe, createThing, { params: { owner: { address: { city: 'Paris' } }, metadata: '' } })
    await request(stripe, deleteThing, { path: { thing: 'x' } })
    expect(calls[0]?.url.search).toBe('?expand[0]=a&expand[1]=b')
    expect(calls[0]?.body).toBe('')
    expect(calls[1]?.headers.get('content-type')).toBe('application/x-www-form-urlencoded')
    expect(calls[1]?.body).toBe('owner[address][city]=Paris&metadata=')
    expect(calls[2]?.url.search).toBe('')
  })
})

describe('results and response metadata', () => {
  it('returns the typed body with a non-enumerable lastResponse', async () => {
    const { fetch } = recordingFetch(() => ({
      body: { ...thing, extra_field_from_2026: { nested: true } },
      headers: { 'request-id': 'req_abc' },
    }))
    const result = await request(createStripe({ apiKey: key, fetch }), retrieveThing, { path: { thing: 'x' } })
    expect(result).toEqual({ ...thing, extra_field_from_2026: { nested: true } })
    expect(JSON.stringify(result)).not.toContain('lastResponse')
    expect(result.lastResponse).toMatchObject({ requestId: 'req_abc', statusCode: 200, attempts: 1 })
    expect(result.lastResponse.headers.get('request-id')).toBe('req_abc')
  })

  it('maps error bodies to typed errors carrying Stripe’s fields', async () => {
    const { fetch } = recordingFetch(() => ({
      status: 402,
      body: {
        error: {
          type: 'card_error',
          code: 'card_declined',
          decline_code: 'insufficient_funds',
          param: 'source',
          message: 'Declined',
          doc_url: 'https://stripe.com/docs/error-codes/card-declined',
        },
      },
      headers: { 'request-id': 'req_err' },
    }))
    const error = await request(createStripe({ apiKey: key, fetch }), createThing, { params: {} }).catch((e) => e)
    expect(error).toBeInstanceOf(StripeError)
    expect(error).toMatchObject({
      name: 'StripeCardError',
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      param: 'source',
      doc_url: 'https://stripe.com/docs/error-codes/card-declined',
      statusCode: 402,
      requestId: 'req_err',
      message: 'Declined',
    })
    expect(error.raw.code).toBe('card_declined')
    expect(error.headers.get('request-id')).toBe('req_err')
  })

  it('warns through a hook on a response that does not match (default), and throws in strict mode', async () => {
    const { fetch } = recordingFetch(() => ({ body: { object: 'thing', id: 'obj_1', amount: 'ten' } }))
    const warned = vi.fn()
    const stripe = createStripe({ apiKey: key, fetch, hooks: { 'response:invalid': warned } })
    const result = await request(stripe, retrieveAmount, { path: { thing: 'x' } })
    expect(result).toEqual({ object: 'thing', id: 'obj_1', amount: 'ten' })
    expect(warned).toHaveBeenCalledOnce()
    expect(warned.mock.calls[0]?.[0].issues[0].path).toBe('amount')
    const strict = createStripe({ apiKey: key, fetch, validateResponses: 'strict' })
    await expect(request(strict, retrieveAmount, { path: { thing: 'x' } })).rejects.toBeInstanceOf(StripeResponseValidationError)
  })
})

describe('hooks', () => {
  it('runs request:before (may change headers, never sees the key), response:after, error', async () => {
    const { fetch, calls } = recordingFetch(({ url }) =>
      url.pathname.endsWith('bad') ? { status: 404, body: { error: { type: 'invalid_request_error' } } } : { body: thing },
    )
    const stripe = createStripe({ apiKey: key, fetch })
    const seen: string[] = []
    stripe.hooks.hook('request:before', (ctx) => {
      seen.push(`before ${ctx.attempt} auth=${ctx.headers.get('authorization')}`)
      ctx.headers.set('x-trace', 'abc')
    })
    stripe.hooks.hook('response:after', (_ctx, meta) => void seen.push(`after ${meta.statusCode} ${meta.requestId}`))
    stripe.hooks.hook('error', (error) => void seen.push(`error ${error.name}`))
    await request(stripe, retrieveThing, { path: { thing: 'ok' } })
    await request(stripe, retrieveThing, { path: { thing: 'bad' } }).catch(() => {})
    await request(stripe, retrieveThing, { path: { thing: '' } }).catch(() => {})
    expect(calls[0]?.headers.get('x-trace')).toBe('abc')
    expect(seen).toEqual([
      'before 1 auth=null',
      'after 200 req_1',
      'before 1 auth=null',
      'after 404 req_2',
      'error StripeInvalidRequestError',
      'error StripeValidationError',
    ])
  })
})

describe('plugins', () => {
  it('merges what a plugin returns onto the client, and allows hook-only plugins', async () => {
    const { fetch } = recordingFetch(() => ({ body: thing }))
    const logged: string[] = []
    const things = (client: ReturnType<typeof createStripe>) => ({
      things: { retrieve: (id: string) => request(client, retrieveThing, { path: { thing: id } }) },
    })
    const logging = (client: ReturnType<typeof createStripe>) => {
      client.hooks.hook('request:before', (ctx) => void logged.push(ctx.url))
    }
    const stripe = createStripe({ apiKey: key, fetch, plugins: [things, logging] })
    expect((await stripe.things.retrieve('obj_9')).id).toBe('obj_1')
    expect(logged).toEqual(['https://api.stripe.com/v1/things/obj_9'])
    const later = createStripe({ apiKey: key, fetch }).use(things)
    expect(typeof later.things.retrieve).toBe('function')
  })
})
