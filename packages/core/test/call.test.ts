// The call as the unit: one StripeCall per logical call, the same value in every hook of every
// attempt (with the attempt number); `client.wrap` runs around the whole call; `call.hook` hears
// its own call only. Concurrent calls with generated latencies and failures (fast-check).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  buildRequest,
  type CallWrapper,
  createStripe,
  downloadFile,
  request,
  type StripeCall,
  StripeError,
  StripeValidationError,
} from '../src'
import { createThing, retrieveThing } from './support/operations'

type Step = { status: number } | { network: true }

/** A transport answering each call from its own script (by tag: POST param `metadata[tag]` or GET path id). */
function scripted(scripts: Step[][], latency: number[]) {
  const attempts = new Map<string, number>()
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input))
    const tag = tagOf(String(input), init?.body ? String(init.body) : undefined)
    const n = (attempts.get(tag) ?? 0) + 1
    attempts.set(tag, n)
    const index = Number(tag.slice(1))
    await new Promise((resolve) => setTimeout(resolve, latency[(index + n) % latency.length] ?? 0))
    const step = scripts[index]?.[n - 1] ?? { status: 200 }
    if ('network' in step) throw new TypeError('fetch failed')
    const body = step.status < 300 ? { id: `${tag}`, object: 'thing' } : { error: { type: 'api_error', message: url.pathname } }
    return Response.json(body, { status: step.status, headers: { 'request-id': `req_${tag}_${n}` } })
  }
  return { fetch: fetch as typeof globalThis.fetch, attempts }
}

/** The tag a request was sent for, read from the wire: `metadata[tag]=t3` or `/v1/things/t3`. */
function tagOf(url: string, body: string | undefined): string {
  return body ? (new URLSearchParams(body).get('metadata[tag]') ?? '') : (new URL(url).pathname.split('/').pop() ?? '')
}

/** The tag a call was made for, read from the call object. */
const callTag = (call: StripeCall) =>
  call.operation === createThing ? (call.params as { metadata: { tag: string } }).metadata.tag : String(call.path?.thing)

const step = fc.constantFrom<Step>({ status: 200 }, { status: 500 }, { status: 429 }, { network: true }, { status: 404 })

describe('the call object', () => {
  it('is one value per call, handed to every hook of every attempt with the attempt number, for concurrent calls (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ post: fc.boolean(), steps: fc.array(step, { maxLength: 3 }) }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 8 }),
        async (calls, latency) => {
          const server = scripted(
            calls.map((c) => c.steps),
            latency,
          )
          const stripe = createStripe({ apiKey: 'sk_test_123', fetch: server.fetch, maxRetries: 3, retryBaseDelay: 1, retryMaxDelay: 4 })
          /** Per tag: the call object every hook saw, and the attempt numbers in hook order. */
          const seen = new Map<string, { calls: Set<StripeCall>; events: string[]; own: string[] }>()
          const record = (call: StripeCall, event: string) => {
            const tag = callTag(call)
            const entry = seen.get(tag) ?? { calls: new Set(), events: [], own: [] }
            seen.set(tag, entry)
            entry.calls.add(call)
            entry.events.push(event)
          }
          stripe.hooks.hook('request:before', (ctx) => {
            // The call is the one this attempt is sent for (read from the URL and body, not from the call).
            expect(callTag(ctx.call)).toBe(tagOf(ctx.url, ctx.body))
            expect(ctx.operation).toBe(ctx.call.operation)
            expect(ctx.headers.get('idempotency-key') ?? undefined).toBe(ctx.call.idempotencyKey)
            record(ctx.call, `before ${ctx.attempt}`)
          })
          stripe.hooks.hook('response:after', (ctx, meta) => {
            expect(meta.requestId).toBe(`req_${callTag(ctx.call)}_${ctx.attempt}`)
            record(ctx.call, `after ${ctx.attempt}`)
          })
          stripe.hooks.hook('retry:before', (ctx) => record(ctx.call, `retry ${ctx.attempt}`))
          stripe.hooks.hook('error', (_error, ctx) => record(ctx.call, 'error'))
          // Each wrapper hears its own call's attempts only, through call.hook.
          stripe.wrap(async (call, next) => {
            const tag = callTag(call)
            const own: string[] = []
            call.hook('request:before', (ctx) => void own.push(`before ${ctx.attempt}`))
            call.hook('response:after', (ctx) => void own.push(`after ${ctx.attempt}`))
            call.hook('retry:before', (ctx) => void own.push(`retry ${ctx.attempt}`))
            try {
              return await next()
            } finally {
              ;(seen.get(tag) as { own: string[] }).own = own
            }
          })
          const outcomes = await Promise.all(
            calls.map((c, i) =>
              (c.post
                ? request(stripe, createThing, { params: { metadata: { tag: `t${i}` } } })
                : request(stripe, retrieveThing, { path: { thing: `t${i}` } })
              ).then(
                (result) => result,
                (error: StripeError) => error,
              ),
            ),
          )
          calls.forEach((_, i) => {
            const tag = `t${i}`
            const entry = seen.get(tag)
            const attempts = server.attempts.get(tag) ?? 0
            expect(entry?.calls.size).toBe(1)
            const [call] = entry?.calls ?? []
            expect(call?.id).toMatch(/^[0-9a-f-]{36}$/)
            // Every attempt: before, after (when answered); a retry between attempts; the error last.
            const expected: string[] = []
            for (let n = 1; n <= attempts; n++) {
              expected.push(`before ${n}`)
              if (entry?.events.includes(`after ${n}`)) expected.push(`after ${n}`)
              if (n < attempts) expected.push(`retry ${n + 1}`)
            }
            const outcome = outcomes[i]
            expect(entry?.events).toEqual(outcome instanceof StripeError ? [...expected, 'error'] : expected)
            expect(entry?.own).toEqual(expected)
            if (!(outcome instanceof StripeError)) {
              expect(outcome?.lastResponse.attempts).toBe(attempts)
              expect(outcome?.lastResponse.idempotencyKey).toBe(call?.idempotencyKey)
            }
          })
          expect(new Set([...seen.values()].map((e) => [...e.calls][0]?.id)).size).toBe(calls.length)
        },
      ),
      { numRuns: 60 },
    )
  })

  it('holds the operation, path, params and options as given, and the idempotency key made once per call', async () => {
    const sent: string[] = []
    const fetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
      sent.push(new Headers(init?.headers).get('idempotency-key') ?? '-')
      return Response.json({ id: 'obj_1', object: 'thing' })
    }
    const calls: StripeCall[] = []
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch: fetch as typeof globalThis.fetch })
    stripe.hooks.hook('request:before', (ctx) => void calls.push(ctx.call))
    const options = { timeout: 5000 }
    await request(stripe, createThing, { params: { amount: 5 } }, options)
    await request(stripe, createThing, { params: { amount: 5 } }, { idempotencyKey: 'mine' })
    await request(stripe, retrieveThing, { path: { thing: 'obj_1' } })
    expect(calls[0]).toMatchObject({ operation: createThing, params: { amount: 5 }, path: undefined, options })
    expect(calls[0]?.options).toBe(options)
    expect(calls[0]?.idempotencyKey).toBe(sent[0])
    expect(calls[1]?.idempotencyKey).toBe('mine')
    expect(calls[2]).toMatchObject({ operation: retrieveThing, path: { thing: 'obj_1' }, idempotencyKey: undefined })
    expect(sent).toEqual([calls[0]?.idempotencyKey, 'mine', '-'])
  })

  it('reaches a download too (path { file })', async () => {
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch: async () => new Response('a,b\n1,2\n') })
    const seen: StripeCall[] = []
    stripe.wrap((call, next) => {
      seen.push(call)
      return next()
    })
    const file = await downloadFile(stripe, 'file_1')
    await file.body.cancel()
    expect(seen.map((c) => [c.operation.operationId, c.path])).toEqual([['GetFilesFileContents', { file: 'file_1' }]])
  })
})

describe('client.wrap', () => {
  it('runs around the whole call, the first registered outermost; the remover unregisters', async () => {
    const order: string[] = []
    const { fetch } = scripted([[{ status: 500 }]], [0])
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch, retryBaseDelay: 1, retryMaxDelay: 1 })
    stripe.hooks.hook('request:before', (ctx) => void order.push(`attempt ${ctx.attempt}`))
    const wrapper =
      (name: string): CallWrapper =>
      async (call, next) => {
        order.push(`${name} start ${callTag(call)}`)
        const result = await next()
        order.push(`${name} end ${result.meta.attempts}`)
        return result
      }
    stripe.wrap(wrapper('a'))
    const remove = stripe.wrap(wrapper('b'))
    const thing = await request(stripe, retrieveThing, { path: { thing: 't0' } })
    expect(thing.id).toBe('t0')
    expect(order).toEqual(['a start t0', 'b start t0', 'attempt 1', 'attempt 2', 'b end 2', 'a end 2'])
    remove()
    expect(() => stripe.wrap('nope' as never)).toThrow('wrap needs a function')
    order.length = 0
    await request(stripe, retrieveThing, { path: { thing: 't0' } })
    expect(order).toEqual(['a start t0', 'attempt 1', 'a end 1'])
  })

  it('sees the final error; a call refused before sending is not wrapped but reaches the error hook with its call', async () => {
    const { fetch } = scripted([[{ status: 404 }]], [0])
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch })
    const wrapped: unknown[] = []
    const errors: [string, StripeCall][] = []
    stripe.wrap(async (_call, next) => {
      try {
        return await next()
      } catch (error) {
        wrapped.push(error)
        throw error
      }
    })
    stripe.hooks.hook('error', (error, ctx) => void errors.push([error.name, ctx.call]))
    const failed = await request(stripe, retrieveThing, { path: { thing: 't0' } }).catch((e: StripeError) => e)
    expect(wrapped).toEqual([failed])
    await expect(request(stripe, createThing, { params: { amount: 'x' as never } })).rejects.toThrow(StripeValidationError)
    expect(wrapped).toHaveLength(1)
    expect(errors.map(([name, call]) => [name, call.operation.operationId])).toEqual([
      ['StripeAPIError', 'GetThingsThing'],
      ['StripeValidationError', 'PostThings'],
    ])
  })
})

describe('client.use', () => {
  it('registers a plugin once, however often it is used', async () => {
    let installs = 0
    const plugin = (client: { wrap: (w: CallWrapper) => void }) => {
      installs++
      client.wrap((_call, next) => next())
      return { extra: 1 }
    }
    const stripe = createStripe({ apiKey: 'sk_test_123', plugins: [plugin, plugin] })
    expect(stripe.use(plugin).extra).toBe(1)
    expect(installs).toBe(1)
    expect(stripe._wrappers).toHaveLength(1)
  })
})

describe('buildRequest', () => {
  it('is pure: the same arguments give the same request, with no idempotency key unless given', () => {
    const stripe = createStripe({ apiKey: 'sk_test_123' })
    const input = { params: { amount: 5 } }
    const a = buildRequest(stripe, createThing, input)
    expect(buildRequest(stripe, createThing, input)).toEqual(a)
    expect(a.idempotencyKey).toBeUndefined()
    expect(a.headers['idempotency-key']).toBeUndefined()
    expect(buildRequest(stripe, createThing, input, { idempotencyKey: 'k1' }).headers['idempotency-key']).toBe('k1')
  })
})
