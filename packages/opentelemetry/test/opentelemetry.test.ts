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

/** What the server does with one attempt. */
type Step = { status: number } | { network: true }

/**
 * A transport that answers each call from its own script, found by the call's tag (a POST param or
 * the GET path id), and records what each call saw: attempts, final status and request id.
 */
function scriptedServer(scripts: Record<string, Step[]>) {
  let n = 0
  const seen: Record<string, { attempts: number; requestIds: string[] }> = {}
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input))
    const tag = init?.body ? (new URLSearchParams(String(init.body)).get('tag') ?? '') : (url.pathname.split('/').pop() ?? '')
    const record = (seen[tag] ??= { attempts: 0, requestIds: [] })
    const step = scripts[tag]?.[record.attempts++] ?? { status: 200 }
    // Answers arrive in a scrambled order across concurrent calls.
    await new Promise((resolve) => setTimeout(resolve, (n * 7) % 5))
    if ('network' in step) throw new TypeError('fetch failed')
    const requestId = `req_${++n}`
    record.requestIds.push(requestId)
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

const step = fc.constantFrom<Step>(
  { status: 200 },
  { status: 500 },
  { status: 503 },
  { status: 429 },
  { network: true },
  { status: 404 },
  { status: 400 },
)

describe('openTelemetry()', () => {
  it('one span per call, with its retries as events and its outcome, whatever the server does, for concurrent calls', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ get: fc.boolean(), steps: fc.array(step, { maxLength: 4 }) }), { minLength: 1, maxLength: 5 }),
        async (calls) => {
          const scripts = Object.fromEntries(calls.map((c, i) => [`t${i}`, c.steps]))
          const server = scriptedServer(scripts)
          const { exporter, tracer } = tracing()
          const stripe = createStripe({
            apiKey: 'sk_test_123',
            fetch: server.fetch,
            maxRetries: 3,
            retryBaseDelay: 1,
            retryMaxDelay: 8,
            logLevel: 'off',
            plugins: [openTelemetry({ tracer })],
          })
          const outcomes = await Promise.all(
            calls.map((c, i) =>
              (c.get
                ? request(stripe, retrieveThing, { path: { thing: `t${i}` } })
                : request(stripe, createThing, { params: { tag: `t${i}` } })
              ).then(
                () => undefined,
                (error: StripeError) => error,
              ),
            ),
          )
          const spans = exporter.getFinishedSpans()
          expect(spans).toHaveLength(calls.length)
          const byTag = new Map<string, ReadableSpan>()
          for (const span of spans) {
            const id = String(span.attributes['stripe.request_id'] ?? '')
            const tag = Object.entries(server.seen).find(([, s]) => s.requestIds.includes(id))?.[0]
            // A call with no answer at all (network failures only) has no request id: match by elimination below.
            byTag.set(tag ?? `?${byTag.size}`, span)
          }
          calls.forEach((c, i) => {
            const tag = `t${i}`
            const seen = server.seen[tag] as { attempts: number; requestIds: string[] }
            const span = byTag.get(tag)
            if (!span) {
              expect(seen.requestIds).toEqual([]) // no answer, no request id to find its span by
              return
            }
            const error = outcomes[i]
            expect(span.name).toBe(c.get ? 'GET /v1/things/{thing}' : 'POST /v1/things')
            expect(span.kind).toBe(SpanKind.CLIENT)
            expect(span.attributes).toMatchObject({
              'http.request.method': c.get ? 'GET' : 'POST',
              'url.template': c.get ? '/v1/things/{thing}' : '/v1/things',
              'server.address': 'api.stripe.com',
              'server.port': 443,
              'stripe.operation_id': c.get ? 'GetThingsThing' : 'PostThings',
              'stripe.request_id': seen.requestIds.at(-1),
            })
            expect(span.events.map((e) => e.name)).toEqual([...Array(seen.attempts - 1).fill('retry'), ...(error ? ['exception'] : [])])
            expect(span.attributes['http.request.resend_count']).toBe(seen.attempts > 1 ? seen.attempts - 1 : undefined)
            if (error) {
              expect(span.status.code).toBe(SpanStatusCode.ERROR)
              expect(span.attributes['error.type']).toBe(error.name)
            } else {
              expect(span.status.code).toBe(SpanStatusCode.UNSET)
              expect(span.attributes['http.response.status_code']).toBe(200)
            }
          })
        },
      ),
      { numRuns: 50 },
    )
  }, 60_000)

  it('records the exception and a retry event with the reason, delay and status', async () => {
    const { exporter, tracer } = tracing()
    const server = scriptedServer({ t0: [{ status: 503 }, { status: 404 }] })
    const stripe = createStripe({
      apiKey: 'sk_test_123',
      fetch: server.fetch,
      retryBaseDelay: 1,
      logLevel: 'off',
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

  it('no span for a call that was never sent (bad params)', async () => {
    const { exporter, tracer } = tracing()
    const stripe = createStripe({
      apiKey: 'sk_test_123',
      fetch: scriptedServer({}).fetch,
      logLevel: 'off',
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
