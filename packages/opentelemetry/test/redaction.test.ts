// One redaction for every output (issue 18): whatever secret a request carries or a response
// (or a proxy's page echoing the request) holds, it reaches neither a log line, nor a span's
// attributes, events or status, nor the message or stack of the error the SDK builds. Secrets:
// keys (sk_/rk_/pk_), webhook secrets, client secrets (in a query string too), account numbers,
// Identity verification URLs.
import { createStripe, defineOperation, redact, request } from '@edgestripe/core'
import { type LogLevel, logging } from '@edgestripe/core/logging'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { openTelemetry } from '../src'

const getThing = defineOperation({
  operationId: 'GetThingsThing',
  method: 'GET',
  path: '/v1/things/{thing}',
  params: v.strictObject({ client_secret: v.optional(v.string()) }),
  response: v.looseObject({ id: v.string() }),
  auth: 'secret',
})
const postThing = defineOperation({
  operationId: 'PostThings',
  method: 'POST',
  path: '/v1/things',
  params: v.strictObject({ account_number: v.optional(v.string()), note: v.optional(v.string()) }),
  response: v.looseObject({ id: v.string() }),
  auth: 'secret',
})

const token = fc.stringMatching(/^[A-Za-z0-9]{14,24}$/)
/** A secret as it appears in text, and the part of it that must never be seen (a key's last 4 may). */
const secret = fc.oneof(
  fc
    .tuple(fc.constantFrom('sk_test_', 'sk_live_', 'rk_test_', 'rk_live_', 'pk_test_', 'whsec_'), token)
    .map(([p, t]) => ({ kind: 'key', text: p + t, core: t.slice(0, -4) })),
  fc
    .tuple(fc.constantFrom('src_client_secret_', 'pi_3Nx_secret_', 'seti_1Q_secret_', 'vs_1P_secret_'), token)
    .map(([p, t]) => ({ kind: 'client_secret', text: p + t, core: t })),
  token.map((t) => ({ kind: 'url', text: `https://verify.stripe.com/start/test_${t}`, core: t })),
)
const accountNumber = fc.stringMatching(/^[0-9]{9,14}$/)

type Answer = 'json' | 'error-json' | 'proxy-page' | 'network'

function run(answer: Answer, level: LogLevel, s: { text: string }, account: string, get: boolean) {
  const lines: string[] = []
  const logger = {
    debug: (l: string) => lines.push(l),
    info: (l: string) => lines.push(l),
    warn: (l: string) => lines.push(l),
    error: (l: string) => lines.push(l),
  }
  const exporter = new InMemorySpanExporter()
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test')
  const apiKey = `sk_test_${s.text.replace(/\W/g, '')}KEY`
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const echo = `${init?.method} ${String(input)} Authorization: ${(init?.headers as Record<string, string> | undefined)?.authorization} ${init?.body ?? ''} ${s.text}`
    if (answer === 'network') throw new TypeError(`connect failed: ${echo}`)
    if (answer === 'proxy-page') return new Response(`<h1>Bad gateway</h1><pre>${echo}</pre>`, { status: 502 })
    const body = { id: 'thing_1', object: 'thing', url: s.text, client_secret: s.text, account_number: account, note: echo }
    return answer === 'json'
      ? Response.json(body)
      : Response.json({ error: { type: 'invalid_request_error', message: `Bad: ${echo}`, ...body } }, { status: 400 })
  }
  const stripe = createStripe({ apiKey, fetch, maxRetries: 0, plugins: [logging({ logger, level }), openTelemetry({ tracer })] })
  const call = get
    ? request(stripe, getThing, { path: { thing: 'thing_1' }, params: { client_secret: s.text } })
    : request(stripe, postThing, { params: { account_number: account, note: s.text } })
  return call.then(
    () => ({ lines, exporter, error: undefined, apiKey }),
    (error: Error) => ({ lines, exporter, error, apiKey }),
  )
}

describe('one redaction for log lines, spans and error messages', () => {
  it('no secret of a request or response reaches any output (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Answer>('json', 'error-json', 'proxy-page', 'network'),
        fc.constantFrom<LogLevel>('debug', 'info', 'warn'),
        secret,
        accountNumber,
        fc.boolean(),
        async (answer, level, s, account, get) => {
          const { lines, exporter, error, apiKey } = await run(answer, level, s, account, get)
          const spans = exporter.getFinishedSpans()
          expect(spans).toHaveLength(1)
          const outputs = {
            log: lines.join('\n'),
            span: JSON.stringify(spans.map((span) => [span.attributes, span.events, span.status])),
            error: error ? `${error.message}\n${error.stack}` : '',
          }
          for (const [where, text] of Object.entries(outputs)) {
            expect(text, where).not.toContain(s.core)
            expect(text, where).not.toContain(apiKey.slice(8, -4))
            if (!get) expect(text, where).not.toContain(account)
          }
          if (answer !== 'json') expect(error).toBeDefined()
          if (level === 'debug' && answer === 'json') expect(outputs.log).toContain('[redacted]')
        },
      ),
      { numRuns: 300 },
    )
  })

  it('redact() is idempotent and leaves text without secrets alone', () => {
    fc.assert(
      fc.property(fc.string(), secret, (text, s) => {
        const once = redact(`${text} ${s.text}`)
        expect(redact(once)).toBe(once)
        expect(once).not.toContain(s.core)
      }),
    )
    expect(redact('GET /v1/sources/src_1 404 req_1 attempt 1 3ms')).toBe('GET /v1/sources/src_1 404 req_1 attempt 1 3ms')
    expect(redact('/v1/sources/src_1?client_secret=src_client_secret_abc&expand[]=x')).toBe(
      '/v1/sources/src_1?client_secret=[redacted]&expand[]=x',
    )
  })
})
