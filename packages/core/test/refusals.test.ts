// Refusals before the network (issue 18): every bad option a StripeConfigurationError naming it
// (unknown ones, with the official SDK's names pointed to ours; hooks that are not functions;
// headers the SDK sets), cycles and `[]` for objects a StripeValidationError, and the response
// metadata never over a field of the response.
import {
  createStripe,
  defineOperation,
  LAST_RESPONSE,
  lastResponseOf,
  request,
  StripeConfigurationError,
  StripeValidationError,
} from '@edgestripe/core'
import { dict, strict } from '@edgestripe/core/schema'
import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'

const createThing = defineOperation({
  operationId: 'PostThings',
  method: 'POST',
  path: '/v1/things',
  params: strict({
    metadata: v.optional(dict(v.string())),
    nested: v.optional(strict({ a: v.optional(v.string()) })),
    any: v.optional(dict(v.unknown())),
  }),
  response: v.looseObject({ id: v.string() }),
  auth: 'secret',
})

function client(answer: unknown = { id: 'thing_1' }) {
  const sent: string[] = []
  const stripe = createStripe({
    apiKey: 'sk_test_123',
    fetch: async (input) => {
      sent.push(String(input))
      return Response.json(answer)
    },
  })
  return { stripe, sent }
}

describe('options', () => {
  it.each([
    [{ maxNetworkRetries: 2 }, 'Unknown client option: maxNetworkRetries. Did you mean maxRetries?'],
    [{ host: 'localhost' }, 'Unknown client option: host. Did you mean baseURL?'],
    [{ port: 12111 }, 'Unknown client option: port. Did you mean baseURL?'],
    [{ protocol: 'http' }, 'Unknown client option: protocol. Did you mean baseURL?'],
    [{ idempotencyKey: 'k' }, 'Unknown client option: idempotencyKey.'],
    [{ hooks: { 'request:before': 'log' } }, 'hooks must be an object of functions, got object (client option).'],
    [{ fetch: 'https://proxy' }, 'fetch must be a function, got a string of 13 characters (client option).'],
    [{ logger: console }, "logger is gone: use plugins: [logging({ logger, level })] from '@edgestripe/core/logging'."],
    [{ logLevel: 'off' }, "logLevel is gone: use plugins: [logging({ logger, level })] from '@edgestripe/core/logging'."],
  ])('createStripe refuses %o', (extra, message) => {
    expect(() => createStripe({ apiKey: 'sk_test_123', ...(extra as object) })).toThrow(new StripeConfigurationError({ message }))
  })

  it.each([
    [{ maxNetworkRetries: 1 }, 'Unknown request option: maxNetworkRetries. Did you mean maxRetries?'],
    [{ baseURL: 'http://127.0.0.1' }, 'Unknown request option: baseURL.'],
    [{ logger: console }, "logger is gone: use plugins: [logging({ logger, level })] from '@edgestripe/core/logging'."],
    [{ logLevel: 'debug' }, "logLevel is gone: use plugins: [logging({ logger, level })] from '@edgestripe/core/logging'."],
    [{ headers: { Authorization: 'Bearer sk_test_x' } }, 'headers: Authorization is set by the SDK; pass apiKey (createStripe) instead.'],
    [{ headers: { 'Idempotency-Key': 'k1' } }, 'headers: Idempotency-Key is set by the SDK; pass idempotencyKey instead.'],
    [{ headers: { 'stripe-version': '2025-01-27.acacia' } }, 'headers: stripe-version is set by the SDK; pass apiVersion instead.'],
    [{ headers: { 'Stripe-Account': 'acct_1' } }, 'headers: Stripe-Account is set by the SDK; pass stripeAccount instead.'],
  ])('a call refuses %o before sending', async (options, message) => {
    const { stripe, sent } = client()
    await expect(request(stripe, createThing, { params: {} }, options as never)).rejects.toThrow(new StripeConfigurationError({ message }))
    expect(sent).toEqual([])
  })

  it('any unknown option name is refused, per client and per call (fast-check)', async () => {
    // Object.prototype's names too (`constructor`, `toString`, `__proto__`…): once a TypeError.
    const names = fc.oneof(fc.stringMatching(/^[a-z][A-Za-z]{0,15}$/), fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype)))
    await fc.assert(
      fc.asyncProperty(names, fc.anything(), async (name, value) => {
        fc.pre(
          value !== undefined &&
            ![
              'timeout',
              'signal',
              'headers',
              'maxRetries',
              'apiVersion',
              'stripeAccount',
              'openEnums',
              'hooks',
              'plugins',
              'fetch',
              'apiKey',
            ].includes(name),
        )
        const known =
          /^(publishableKey|dangerouslyAllowBrowser|baseURL|filesURL|retryBaseDelay|retryMaxDelay|maxRetryAfter|doNotRetry|validateResponses|validateParams|idempotencyKey)$/.test(
            name,
          )
        fc.pre(!known)
        expect(() => createStripe({ apiKey: 'sk_test_123', [name]: value })).toThrow(StripeConfigurationError)
        const { stripe, sent } = client()
        await expect(request(stripe, createThing, { params: {} }, { [name]: value } as never)).rejects.toThrow(StripeConfigurationError)
        expect(sent).toEqual([])
      }),
    )
  })

  it("a header named like an Object.prototype property is the caller's, not one the SDK sets", async () => {
    const { stripe, sent } = client()
    await request(stripe, createThing, { params: {} }, { headers: { constructor: 'a', toString: 'b' } } as never)
    expect(sent).toHaveLength(1)
  })

  it('the options every README lists are accepted', async () => {
    const stripe = createStripe({
      apiKey: 'sk_test_123',
      apiVersion: '2024-04-10',
      stripeAccount: 'acct_1',
      baseURL: 'http://127.0.0.1:1',
      filesURL: 'http://127.0.0.1:1',
      fetch: async () => Response.json({ id: 'thing_1' }),
      maxRetries: 1,
      timeout: 1000,
      retryBaseDelay: 1,
      retryMaxDelay: 2,
      maxRetryAfter: 3,
      doNotRetry: [400],
      validateParams: true,
      openEnums: false,
      validateResponses: 'warn',
      hooks: { 'request:before': () => {} },
      plugins: [() => {}],
    })
    const options = { idempotencyKey: 'k', stripeAccount: 'acct_2', apiVersion: '2024-04-10', timeout: 10, maxRetries: 0 }
    const extra = { signal: new AbortController().signal, headers: { 'X-Trace': 't' }, validateParams: true, openEnums: false }
    await expect(request(stripe, createThing, { params: {} }, { ...options, ...extra })).resolves.toMatchObject({ id: 'thing_1' })
  })
})

describe('params', () => {
  it('[] where an object or record is expected is refused, in Stripe words', async () => {
    const { stripe, sent } = client()
    await expect(request(stripe, createThing, { params: { metadata: [] as never } })).rejects.toThrow(
      'PostThings: Invalid object: metadata',
    )
    await expect(request(stripe, createThing, { params: { nested: [] as never } })).rejects.toThrow(StripeValidationError)
    expect(sent).toEqual([])
  })

  it('a cyclic object is a StripeValidationError naming the param, never a RangeError', async () => {
    const { stripe, sent } = client()
    const cycle: Record<string, unknown> = { a: 1 }
    cycle.b = { c: [cycle] }
    const error = await request(stripe, createThing, { params: { any: { deep: cycle } } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StripeValidationError)
    expect((error as Error).message).toContain('any[deep][b][c][0]: a cyclic object cannot be sent')
    await expect(request(stripe, createThing, { params: { any: { x: cycle } } }, { validateParams: false })).rejects.toThrow(
      StripeValidationError,
    )
    expect(sent).toEqual([])
  })

  it('the same object twice (not a cycle) is sent', async () => {
    const { stripe, sent } = client()
    const shared = { k: 'v' }
    await request(stripe, createThing, { params: { any: { a: shared, b: shared } } })
    expect(sent).toHaveLength(1)
  })
})

describe('lastResponse never overwrites a field of the response', () => {
  it('a response with its own lastResponse keeps it; the metadata is on LAST_RESPONSE and lastResponseOf', async () => {
    const { stripe } = client({ id: 'thing_1', lastResponse: 'theirs' })
    const result = await request(stripe, createThing, { params: {} })
    expect((result as unknown as { lastResponse: unknown }).lastResponse).toBe('theirs')
    expect(lastResponseOf(result).statusCode).toBe(200)
    expect((result as unknown as Record<symbol, unknown>)[LAST_RESPONSE]).toBe(lastResponseOf(result))
    expect(JSON.parse(JSON.stringify(result))).toEqual({ id: 'thing_1', lastResponse: 'theirs' })
  })

  it('otherwise the metadata is the non-enumerable lastResponse', async () => {
    const { stripe } = client()
    const result = await request(stripe, createThing, { params: {} })
    expect(result.lastResponse.statusCode).toBe(200)
    expect(lastResponseOf(result)).toBe(result.lastResponse)
    expect(Object.keys(result)).toEqual(['id'])
  })
})
