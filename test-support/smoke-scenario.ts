// The smoke contract every runtime runs (node, happy-dom, workerd, Chromium, Deno): one shared
// list of cases, like unstorage's test/drivers/utils.ts. A runtime's test file only says where
// the server is (and how to reach it) and registers the cases with its own test runner.
//
// `@edgestripe/core` resolves to packages/core/src under vitest and to the BUILT
// packages/core/dist under Deno (test/deno/deno.json), so the same code checks both.
import {
  createStripe,
  defineOperation,
  type RetryContext,
  request,
  StripeCardError,
  StripeConfigurationError,
  StripeError,
} from '@edgestripe/core'
import * as v from 'valibot'
import { SMOKE_PUBLISHABLE_KEY, SMOKE_SECRET_KEY } from './smoke-handler'

export interface SmokeOptions {
  /** Where the smoke server answers, e.g. `http://127.0.0.1:40123`. */
  baseURL: string
  /** The client's transport; defaults to the runtime's global fetch. */
  fetch?: typeof globalThis.fetch
  /** Passed to every secret-key client. Needed where `window`/`document` exist. */
  dangerouslyAllowBrowser?: boolean
  /** The runtime has `window`/`document`: a secret key must be refused without the opt-in. */
  browserLike: boolean
}

interface Matchers {
  toBe(expected: unknown): void
  toEqual(expected: unknown): void
  toMatch(expected: RegExp): void
  toBeInstanceOf(expected: abstract new (...args: never[]) => unknown): void
  toHaveLength(expected: number): void
  toThrow(expected: abstract new (...args: never[]) => unknown): void
}
/** The subset of vitest's `expect` the contract uses (Deno gets a small adapter with the same shape). */
export type SmokeExpect = (actual: unknown) => Matchers

export interface SmokeCase {
  name: string
  run: () => Promise<void>
}

const Owner = v.object({ name: v.string(), address: v.object({ city: v.string() }) })
const SmokeCreateParams = v.object({
  amount: v.pipe(v.number(), v.integer()),
  owner: Owner,
  expand: v.optional(v.array(v.string())),
  metadata: v.optional(v.record(v.string(), v.string())),
})
const Smoke = v.looseObject({
  id: v.string(),
  object: v.literal('smoke'),
  attempts: v.number(),
  idempotency_keys: v.array(v.string()),
})
const smokeCreate = defineOperation({
  operationId: 'PostSmoke',
  method: 'POST',
  path: '/v1/smoke/{run}',
  params: SmokeCreateParams,
  response: Smoke,
  auth: 'secret',
})
const smokeRetrieve = defineOperation({
  operationId: 'GetSmokePublic',
  method: 'GET',
  path: '/v1/smoke_public/{id}',
  params: v.object({ client_secret: v.string() }),
  response: v.looseObject({ id: v.string(), object: v.literal('smoke') }),
  auth: 'client_secret',
})
const smokeDecline = defineOperation({
  operationId: 'PostSmokeCards',
  method: 'POST',
  path: '/v1/smoke_cards',
  params: v.object({ card: v.optional(v.string()) }),
  response: v.looseObject({ id: v.string() }),
  auth: 'secret',
})

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the request to fail, it succeeded')
}

export function smokeCases(options: SmokeOptions, expect: SmokeExpect): SmokeCase[] {
  const retries: RetryContext[] = []
  const secretClient = () =>
    createStripe({
      apiKey: SMOKE_SECRET_KEY,
      baseURL: options.baseURL,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.dangerouslyAllowBrowser ? { dangerouslyAllowBrowser: true } : {}),
      retryBaseDelay: 5,
      retryMaxDelay: 20,
      timeout: 10_000,
      hooks: { 'retry:before': (ctx: RetryContext) => void retries.push(ctx) },
    })
  const publishableClient = () =>
    createStripe({
      publishableKey: SMOKE_PUBLISHABLE_KEY,
      baseURL: options.baseURL,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      timeout: 10_000,
    })

  return [
    {
      name: 'auth header + bracket form encoding + one retry (503) with one Idempotency-Key',
      async run() {
        retries.length = 0
        const run = crypto.randomUUID()
        const result = await request(secretClient(), smokeCreate, {
          path: { run },
          params: {
            amount: 1099,
            owner: { name: 'Jenny Rosen', address: { city: 'Zürich & Co' } },
            expand: ['customer', 'owner.address'],
            metadata: { order_id: '42' },
          },
        })
        expect(result.id).toBe(`smoke_${run}`)
        expect(result.attempts).toBe(2)
        expect(result.idempotency_keys).toHaveLength(2)
        expect(result.idempotency_keys[1]).toBe(result.idempotency_keys[0])
        expect(result.lastResponse.idempotencyKey).toBe(result.idempotency_keys[0])
        expect(result.lastResponse.attempts).toBe(2)
        expect(result.lastResponse.statusCode).toBe(200)
        expect(result.lastResponse.requestId ?? '').toMatch(/^req_smoke_200_\d+$/)
        expect((result as { stripe_version?: unknown }).stripe_version).toBe('2024-04-10')
        expect(retries.map((r) => [r.attempt, r.reason])).toEqual([[2, 'status 503']])
      },
    },
    {
      name: '402 → StripeCardError (instanceof) with requestId from Request-Id, not retried',
      async run() {
        retries.length = 0
        const error = await caught(request(secretClient(), smokeDecline, { params: { card: 'tok_chargeDeclined' } }))
        expect(error).toBeInstanceOf(StripeCardError)
        expect(error).toBeInstanceOf(StripeError)
        const e = error as InstanceType<typeof StripeCardError>
        expect(e.name).toBe('StripeCardError')
        expect(e.statusCode).toBe(402)
        expect(e.type).toBe('card_error')
        expect(e.code).toBe('card_declined')
        expect(e.decline_code).toBe('insufficient_funds')
        expect(e.requestId ?? '').toMatch(/^req_smoke_402_\d+$/)
        expect(retries).toHaveLength(0)
      },
    },
    {
      name: 'a publishable-key client works without dangerouslyAllowBrowser (and is limited)',
      async run() {
        const client = publishableClient()
        const source = await request(client, smokeRetrieve, {
          path: { id: 'src_smoke 1/ü' },
          params: { client_secret: 'src_smoke_secret_1' },
        })
        expect(source.id).toBe('src_smoke 1/ü')
        expect((source as { key_kind?: unknown }).key_kind).toBe('pk')
        expect((source as { new_field?: unknown }).new_field).toBe('kept')
        const refused = await caught(request(client, smokeDecline, { params: {} }))
        expect(refused).toBeInstanceOf(StripeConfigurationError)
      },
    },
    options.browserLike
      ? {
          name: 'browser-like scope: a secret key is refused without dangerouslyAllowBrowser',
          async run() {
            expect('window' in globalThis || 'document' in globalThis).toBe(true)
            expect(() => createStripe({ apiKey: SMOKE_SECRET_KEY, baseURL: options.baseURL })).toThrow(StripeConfigurationError)
            const optedIn = createStripe({ apiKey: SMOKE_SECRET_KEY, baseURL: options.baseURL, dangerouslyAllowBrowser: true })
            expect(optedIn.config.keyKind).toBe('secret')
          },
        }
      : {
          name: 'server runtime: a secret key needs no opt-in',
          async run() {
            expect('window' in globalThis || 'document' in globalThis).toBe(false)
            expect(createStripe({ apiKey: SMOKE_SECRET_KEY, baseURL: options.baseURL }).config.keyKind).toBe('secret')
          },
        },
  ]
}
