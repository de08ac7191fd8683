// openTelemetry(): one span per call, retries as events, errors recorded, checked with the SDK's
// InMemorySpanExporter over generated server behaviours and concurrent calls.
import { createStripe, defineOperation, request, type StripeError } from '@edgestripe/core'
import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { build } from 'esbuild'
import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { openTelemetry } from '../src'

const createThing = defineOperation({
  operationId: 'PostThings',
  method: 'POST',
  path: '/v1/things',
  params: v.strictObject({ amount: v.optional(v.number()), tag: v.optional(v.string()) }),
  response: v.looseObject({ id: v.string() }),
  auth: 'secret',
})
const retrieveThing = defineOperation({
  operationId: 'GetThingsThing',
  method: 'GET',
  path: '/v1/things/{thing}',
  params: v.strictObject({ client_secret: v.optional(v.string()) }),
  response: v.looseObject({ id: v.string() }),
  auth: 'secret',
})

/** What the server does with one attempt, after `ms` milliseconds. */
type Step = ({ status: number } | { network: true } | { hang: true }) & { ms?: number }

/**
 * A transport that answers each call from its own script, found by the call's tag (a POST param or
 * the GET path id), after each step's latency, and records what each call saw: attempts, the
 * request ids it was given (`req_<tag>_<n>`, so an id names its call). A network failure's message
 * names its call too; a `hang` answers nothing until the attempt's signal aborts (a timeout).
 */
function scriptedServer(scripts: Record<string, Step[]>) {
  let n = 0
  const seen: Record<string, { attempts: number; requestIds: string[]; statuses: (number | undefined)[] }> = {}
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input))
    const tag = init?.body ? (new URLSearchParams(String(init.body)).get('tag') ?? '') : (url.pathname.split('/').pop() ?? '')
    const record = (seen[tag] ??= { attempts: 0, requestIds: [], statuses: [] })
    const step = scripts[tag]?.[record.attempts++] ?? { status: 200 }
    const signal = init?.signal
    if ('hang' in step) {
      record.statuses.push(undefined)
      return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)))
    }
    // Answers arrive in a scrambled order across concurrent calls.
    await new Promise((resolve) => setTimeout(resolve, step.ms ?? (n * 7) % 5))
    // Timed out meanwhile (a busy machine): no answer was given, like a server that never got there.
    if (signal?.aborted) {
      record.statuses.push(undefined)
      throw signal.reason
    }
    if ('network' in step) {
      record.statuses.push(undefined)
      throw new TypeError(`fetch failed (${tag})`)
    }
    const requestId = `req_${tag}_${++n}`
    record.requestIds.push(requestId)
    record.statuses.push(step.status)
    return new Response(
      JSON.stringify(step.status < 300 ? { id: tag } : { error: { type: 'api_error', message: `status ${step.status}` } }),
      {
        status: step.status,
        headers: { 'content-type': 'application/json', 'request-id': requestId },
      },
    )
  }
  return { fetch: fetch as typeof globalThis.fetch, seen }
}

function tracing() {
  const exporter = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  return { exporter, tracer: provider.getTracer('test') }
}

const outcome = fc.constantFrom<Step>(
  { status: 200 },
  { status: 500 },
  { status: 503 },
  { status: 429 },
  { network: true },
  { hang: true },
  { status: 404 },
  { status: 400 },
)
const step = fc.tuple(outcome, fc.integer({ min: 0, max: 12 })).map(([s, ms]) => ({ ...s, ms }))

describe('openTelemetry()', () => {
  it('every span belongs to its own call: request id, status, attempts and retry events, for many concurrent calls with random latencies and failures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ get: fc.boolean(), delay: fc.integer({ min: 0, max: 10 }), steps: fc.array(step, { maxLength: 4 }) }), {
          minLength: 1,
          maxLength: 16,
        }),
        async (calls) => {
          const scripts = Object.fromEntries(calls.map((c, i) => [`t${i}`, c.steps]))
          const server = scriptedServer(scripts)
          const { exporter, tracer } = tracing()
          const stripe = createStripe({
            apiKey: 'sk_test_123',
            fetch: server.fetch,
            maxRetries: 3,
            timeout: 30,
            retryBaseDelay: 1,
            retryMaxDelay: 8,
            plugins: [openTelemetry({ tracer })],
          })
          // Which tag each call id was sent for, read from what went on the wire.
          const tagOf = new Map<string, string>()
          stripe.hooks.hook('request:before', (ctx) => {
            const tag = ctx.body ? new URLSearchParams(ctx.body).get('tag') : ctx.url.split('/').pop()
            expect(tagOf.get(ctx.call.id) ?? tag).toBe(tag)
            tagOf.set(ctx.call.id, tag ?? '')
          })
          const outcomes = await Promise.all(
            calls.map(async (c, i) => {
              await new Promise((resolve) => setTimeout(resolve, c.delay))
              return (
                c.get
                  ? request(stripe, retrieveThing, { path: { thing: `t${i}` } })
                  : request(stripe, createThing, { params: { tag: `t${i}` } })
              ).then(
                () => undefined,
                (error: StripeError) => error,
              )
            }),
          )
          const spans = exporter.getFinishedSpans()
          expect(spans).toHaveLength(calls.length)
          const byTag = new Map<string, ReadableSpan>()
          for (const span of spans) {
            const tag = tagOf.get(String(span.attributes['stripe.call_id']))
            expect(tag).toBeDefined()
            expect(byTag.has(tag as string)).toBe(false)
            byTag.set(tag as string, span)
          }
          calls.forEach((c, i) => {
            const tag = `t${i}`
            const seen = server.seen[tag] as (typeof server.seen)[string]
            const span = byTag.get(tag) as ReadableSpan
            const error = outcomes[i]
            expect(span.name).toBe(c.get ? 'GET /v1/things/{thing}' : 'POST /v1/things')
            expect(span.kind).toBe(SpanKind.CLIENT)
            expect(span.attributes).toMatchObject({
              'http.request.method': c.get ? 'GET' : 'POST',
              'url.template': c.get ? '/v1/things/{thing}' : '/v1/things',
              'server.address': 'api.stripe.com',
              'server.port': 443,
              'stripe.operation_id': c.get ? 'GetThingsThing' : 'PostThings',
            })
            // Its own answers only: the request id names the call it was given to.
            expect(span.attributes['stripe.request_id']).toBe(seen.requestIds.at(-1))
            expect(span.attributes['http.response.status_code']).toBe(seen.statuses.filter((s) => s !== undefined).at(-1))
            // One retry event per attempt after the first, in order, each naming the attempt that failed.
            const retries = span.events.filter((e) => e.name === 'retry')
            expect(retries.map((e) => e.attributes?.['stripe.retry.attempt'])).toEqual(
              Array.from({ length: seen.attempts - 1 }, (_, k) => k + 2),
            )
            retries.forEach((event, k) => {
              const status = seen.statuses[k]
              expect(event.attributes?.['http.response.status_code']).toBe(status)
              if (status === undefined) expect(['StripeConnectionError', 'StripeTimeoutError']).toContain(event.attributes?.['error.type'])
            })
            expect(span.events.map((e) => e.name)).toEqual([...retries.map(() => 'retry'), ...(error ? ['exception'] : [])])
            expect(span.attributes['http.request.resend_count']).toBe(seen.attempts > 1 ? seen.attempts - 1 : undefined)
            if (error) {
              expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: error.message })
              expect(span.attributes['error.type']).toBe(error.name)
              expect(span.events.at(-1)?.attributes?.['exception.message']).toBe(error.message)
              // A network failure's message names the call whose fetch failed.
              if (error.message.includes('fetch failed')) expect(error.message).toContain(`(${tag})`)
            } else {
              expect(span.status.code).toBe(SpanStatusCode.UNSET)
              expect(span.attributes['http.response.status_code']).toBe(200)
            }
          })
        },
      ),
      { numRuns: 40 },
    )
  }, 120_000)

  it('records the exception and a retry event with the reason, delay and status', async () => {
    const { exporter, tracer } = tracing()
    const server = scriptedServer({ t0: [{ status: 503 }, { status: 404 }] })
    const stripe = createStripe({
      apiKey: 'sk_test_123',
      fetch: server.fetch,
      retryBaseDelay: 1,
      plugins: [openTelemetry({ tracer })],
    })
    const error = await request(stripe, retrieveThing, { path: { thing: 't0' }, params: { client_secret: 'src_client_secret_x' } }).catch(
      (e: StripeError) => e,
    )
    expect(error).toMatchObject({ statusCode: 404 })
    const [span] = exporter.getFinishedSpans()
    expect(span?.events[0]).toMatchObject({
      name: 'retry',
      attributes: { 'stripe.retry.attempt': 2, 'stripe.retry.reason': 'status 503', 'http.response.status_code': 503, 'error.type': '503' },
    })
    expect(span?.events[0]?.attributes?.['stripe.retry.delay_ms']).toBeTypeOf('number')
    const name = (error as StripeError).name
    expect(span?.events[1]).toMatchObject({ name: 'exception', attributes: { 'exception.type': name, 'exception.message': 'status 404' } })
    expect(span?.attributes).toMatchObject({ 'http.response.status_code': 404, 'error.type': name })
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'status 404' })
    // The query string (a client_secret here) is never recorded.
    expect(JSON.stringify([span?.attributes, span?.events])).not.toContain('client_secret')
  })

  it('ends the span of a call aborted by its caller, and of a response that fails strict validation, with status ERROR', async () => {
    const { exporter, tracer } = tracing()
    const controller = new AbortController()
    const hanging = (async (_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as typeof globalThis.fetch
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch: hanging, plugins: [openTelemetry({ tracer })] })
    const aborted = request(stripe, retrieveThing, { path: { thing: 't0' } }, { signal: controller.signal })
    setTimeout(() => controller.abort(new Error('user left')), 5)
    await expect(aborted).rejects.toThrow('user left')
    const strict = createStripe({
      apiKey: 'sk_test_123',
      fetch: scriptedServer({}).fetch,
      validateResponses: 'strict',
      plugins: [openTelemetry({ tracer })],
    })
    const mismatched = { ...retrieveThing, response: v.looseObject({ id: v.number() }) }
    await expect(request(strict, mismatched, { path: { thing: 't1' } })).rejects.toThrow('does not match the schema')
    const spans = exporter.getFinishedSpans()
    expect(spans.map((s) => [s.status, s.attributes['error.type']])).toEqual([
      [{ code: SpanStatusCode.ERROR, message: 'user left' }, 'Error'],
      [{ code: SpanStatusCode.ERROR, message: expect.stringContaining('does not match the schema') }, 'StripeResponseValidationError'],
    ])
    expect(spans[1]?.attributes['http.response.status_code']).toBe(200)
  })

  it('no span for a call that was never sent (bad params)', async () => {
    const { exporter, tracer } = tracing()
    const stripe = createStripe({
      apiKey: 'sk_test_123',
      fetch: scriptedServer({}).fetch,
      plugins: [openTelemetry({ tracer })],
    })
    await expect(request(stripe, createThing, { params: { amount: 'x' as never } })).rejects.toThrow()
    expect(exporter.getFinishedSpans()).toEqual([])
  })

  it('zero bytes in a bundle that imports it without using it', async () => {
    const out = await build({
      stdin: { contents: "import '@edgestripe/opentelemetry'", resolveDir: import.meta.dirname },
      bundle: true,
      minify: true,
      format: 'esm',
      write: false,
      alias: { '@edgestripe/opentelemetry': `${import.meta.dirname}/../src/index.ts` },
      logLevel: 'silent',
    })
    expect(out.outputFiles[0]?.text.trim()).toBe('')
  })
})
