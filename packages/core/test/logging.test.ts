// logging() from @edgestripe/core/logging: one line per attempt at info/debug, bodies only at debug
// (through logger.debug) with secrets redacted, nothing at the default level for a call that
// succeeds, EDGESTRIPE_LOG read when the plugin is installed (never at import), structured fields
// beside each line, and nothing at all without the plugin. Server behaviours are generated
// (fast-check): any mix of answers, retryable failures and network errors.
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createStripe, request, StripeConfigurationError, StripeError } from '../src'
import { _redact } from '../src/log'
import { type LogFields, type Logger, type LogLevel, logging } from '../src/logging'
import { createThing, retrieveThing } from './support/operations'

type Step = { status: number; body?: unknown } | { network: true }

const API_KEY = 'sk_test_51SecretKeyValue0000'

/** A logger that records every line with its level and fields. */
function recorder() {
  const lines: { level: keyof Logger; text: string; fields: LogFields }[] = []
  const line = (level: keyof Logger) => (text: string, fields: LogFields) => void lines.push({ level, text, fields })
  const logger: Logger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') }
  return { lines, logger }
}

/** A transport answering from `steps` (then 200), counting attempts. */
function scripted(steps: Step[]) {
  let n = 0
  const fetch = async (_input: RequestInfo | URL, _init?: RequestInit): Promise<Response> => {
    const step = steps[n++] ?? { status: 200, body: { id: 'obj_ok', object: 'thing' } }
    if ('network' in step) throw new TypeError('fetch failed')
    return new Response(
      JSON.stringify(step.body ?? (step.status < 300 ? { id: 'obj_1', object: 'thing' } : { error: { type: 'api_error' } })),
      {
        status: step.status,
        headers: { 'content-type': 'application/json', 'request-id': `req_${n}` },
      },
    )
  }
  return { fetch: fetch as typeof globalThis.fetch, attempts: () => n }
}

const client = (steps: Step[], level?: LogLevel, extra: Record<string, unknown> = {}) => {
  const { lines, logger } = recorder()
  const transport = scripted(steps)
  const stripe = createStripe({
    apiKey: API_KEY,
    fetch: transport.fetch,
    retryBaseDelay: 1,
    retryMaxDelay: 2,
    maxRetries: 3,
    plugins: [logging({ logger, ...(level ? { level } : {}) })],
    ...extra,
  })
  return { stripe, lines, attempts: transport.attempts }
}

const step = fc.oneof(
  fc.constantFrom<Step>({ status: 200 }, { status: 500 }, { status: 503 }, { status: 429 }, { status: 409 }, { network: true }),
  fc.constantFrom<Step>(
    { status: 400, body: { error: { type: 'invalid_request_error', message: 'bad' } } },
    { status: 404 },
    { status: 402 },
  ),
)

// The test run sets EDGESTRIPE_LOG=off (vitest.config.ts); these tests start from no variable at all.
beforeEach(() => vi.stubEnv('EDGESTRIPE_LOG', undefined))
afterEach(() => vi.unstubAllEnvs())

describe('logging', () => {
  it('info: exactly one line per attempt, each with method, path, status, request id, attempt and duration', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 5 }), async (steps) => {
        const { stripe, lines, attempts } = client(steps, 'info')
        const outcome = await request(stripe, createThing, { params: { amount: 1 } }).then(
          () => 'ok',
          (error: unknown) => error,
        )
        const attemptLines = lines.filter((l) => / attempt \d+ \d+ms/.test(l.text))
        expect(attemptLines).toHaveLength(attempts())
        for (const [i, l] of attemptLines.entries()) {
          expect(l.text).toMatch(new RegExp(`^\\[edgestripe\\] POST /v1/things (\\d{3}|-)( req_\\d+)? attempt ${i + 1} \\d+ms`))
        }
        // Retried attempts say why and when; the last line is the outcome.
        for (const l of attemptLines.slice(0, -1))
          expect(l.text).toMatch(/→ retry \d+ in \d+ms \((status \d+|network|stripe-should-retry)\)/)
        if (outcome === 'ok') expect(lines.at(-1)?.level).toBe('info')
        else {
          expect(outcome).toBeInstanceOf(StripeError)
          expect(lines.at(-1)?.text).toContain(`failed: ${(outcome as Error).name}`)
        }
        expect(lines.length).toBe(attempts())
      }),
      { numRuns: 60 },
    )
  })

  it('default level (warn): nothing for a call that succeeds, retries included; one line for a call that fails for good', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 5 }), async (steps) => {
        const { stripe, lines } = client(steps)
        const failed = await request(stripe, createThing, { params: { amount: 1 } }).then(
          () => undefined,
          (error: StripeError) => error,
        )
        if (!failed) expect(lines).toEqual([])
        else {
          expect(lines).toHaveLength(1)
          const serious = failed.statusCode === undefined || failed.statusCode >= 500 || failed.statusCode === 429
          expect(lines[0]?.level).toBe(serious ? 'error' : 'warn')
          expect(lines[0]?.text).toMatch(/^\[edgestripe\] POST \/v1\/things (\d{3}|-)/)
        }
      }),
      { numRuns: 60 },
    )
  })

  it('error level: only 5xx, 429, network and timeout failures; off: nothing at all', async () => {
    const a = client([{ status: 404 }], 'error')
    await expect(request(a.stripe, createThing, { params: {} })).rejects.toThrow()
    expect(a.lines).toEqual([])
    const b = client([{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }], 'error')
    await expect(request(b.stripe, createThing, { params: {} })).rejects.toThrow()
    expect(b.lines.map((l) => l.level)).toEqual(['error'])
    const c = client([{ status: 500 }, { status: 404 }], 'off')
    await expect(request(c.stripe, createThing, { params: {} })).rejects.toThrow()
    expect(c.lines).toEqual([])
  })

  it('nothing is logged for a call that was never sent (bad params)', async () => {
    const { stripe, lines, attempts } = client([], 'debug')
    await expect(request(stripe, createThing, { params: { amount: 'x' as never } })).rejects.toThrow()
    expect(attempts()).toBe(0)
    expect(lines).toEqual([])
  })

  it('debug: request and response bodies, with the key, client_secret values and other secrets redacted', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9]{8,24}$/),
        fc.constantFrom<Step['status' & keyof Step] | number>(200, 500, 404),
        async (secret, status) => {
          const clientSecret = `src_client_secret_${secret}`
          const leakedKey = `sk_live_${secret}XYZ`
          const steps: Step[] = [
            {
              status,
              body:
                status === 200
                  ? { id: 'src_1', object: 'thing', client_secret: clientSecret, note: `key ${leakedKey}` }
                  : { error: { type: 'api_error', message: `bad ${leakedKey}` } },
            },
          ]
          const { stripe, lines } = client(steps, 'debug', { maxRetries: 0 })
          await request(stripe, retrieveThing, { path: { thing: 'src_1' }, params: { client_secret: clientSecret } }).catch(() => {})
          // The bodies are on a line of their own, through logger.debug, after the attempt's line.
          expect(lines.map((l) => l.level)).toEqual([status === 200 ? 'info' : status === 500 ? 'error' : 'warn', 'debug'])
          const debug = lines[1]
          expect(debug?.text).toMatch(
            /^\[edgestripe\] GET \/v1\/things\/src_1 \d{3} req_1 attempt 1\n {2}request: client_secret=\[redacted\]\n {2}response: /,
          )
          expect(debug?.fields).toMatchObject({ request: 'client_secret=[redacted]', response: expect.any(String) })
          for (const l of lines.filter((l) => l.level !== 'debug')) expect(l.text).not.toContain('request: ')
          const all = JSON.stringify(lines)
          for (const leak of [clientSecret, secret, API_KEY, leakedKey]) expect(all).not.toContain(leak)
          if (status === 200) expect(debug?.text).toContain('"client_secret":"[redacted]"')
        },
      ),
      { numRuns: 30 },
    )
  })

  it('debug: a failure line, then its bodies redacted; fields beside each line', async () => {
    const { stripe, lines } = client(
      [
        { status: 500, body: { error: { message: 'boom', secret: 'x' } } },
        { status: 500, body: { error: { message: 'boom', secret: 'x' } } },
      ],
      'debug',
      { maxRetries: 1 },
    )
    const error = await request(stripe, createThing, { params: { owner: { address: { city: 'sk_test_0123456789abcd' } } } }).catch(
      (e: StripeError) => e,
    )
    expect(lines.map((l) => [l.level, l.text])).toEqual([
      ['info', expect.stringMatching(/^\[edgestripe\] POST \/v1\/things 500 req_1 attempt 1 \d+ms → retry 2 in \d+ms \(status 500\)$/)],
      [
        'debug',
        '[edgestripe] POST /v1/things 500 req_1 attempt 1\n  request: owner[address][city]=sk_test_…abcd\n  response: {"error":{"message":"boom","secret":"[redacted]"}}',
      ],
      ['error', expect.stringMatching(/^\[edgestripe\] POST \/v1\/things 500 req_2 attempt 2 \d+ms failed: StripeAPIError: boom$/)],
      ['debug', expect.stringMatching(/^\[edgestripe\] POST \/v1\/things 500 req_2 attempt 2\n {2}request: /)],
    ])
    const callId = lines[0]?.fields.callId
    expect(callId).toMatch(/^[0-9a-f-]{36}$/)
    expect(lines[0]?.fields).toMatchObject({
      callId,
      operationId: 'PostThings',
      method: 'POST',
      path: '/v1/things',
      status: 500,
      requestId: 'req_1',
      attempt: 1,
      durationMs: expect.any(Number),
      retry: { attempt: 2, delayMs: expect.any(Number), reason: 'status 500' },
    })
    expect(lines[2]?.fields).toMatchObject({
      callId,
      status: 500,
      requestId: 'req_2',
      attempt: 2,
      error: { name: 'StripeAPIError', message: 'boom' },
    })
    expect(lines.every((l) => l.fields.callId === callId)).toBe(true)
    expect(error).toBeInstanceOf(StripeError)
  })

  it('concurrent calls: every line carries its own call id, attempt and request id', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(step, { maxLength: 3 }), { minLength: 2, maxLength: 6 }), async (scripts) => {
        const { lines, logger } = recorder()
        const counts = new Map<string, number>()
        const fetch = async (input: RequestInfo | URL): Promise<Response> => {
          const tag = String(input).split('/').pop() ?? ''
          const n = (counts.get(tag) ?? 0) + 1
          counts.set(tag, n)
          const s = scripts[Number(tag.slice(1))]?.[n - 1] ?? { status: 200 }
          await new Promise((resolve) => setTimeout(resolve, (n * 3 + tag.length) % 4))
          if ('network' in s) throw new TypeError('fetch failed')
          return Response.json(s.status < 300 ? { id: tag, object: 'thing' } : { error: { type: 'api_error' } }, {
            status: s.status,
            headers: { 'request-id': `req_${tag}_${n}` },
          })
        }
        const stripe = createStripe({
          apiKey: API_KEY,
          fetch: fetch as typeof globalThis.fetch,
          retryBaseDelay: 1,
          retryMaxDelay: 2,
          maxRetries: 3,
          plugins: [logging({ logger, level: 'info' })],
        })
        const ids = new Map<string, string>()
        stripe.hooks.hook('request:before', (ctx) => void ids.set(ctx.call.id, ctx.url.split('/').pop() ?? ''))
        await Promise.all(scripts.map((_, i) => request(stripe, retrieveThing, { path: { thing: `t${i}` } }).catch(() => {})))
        for (const l of lines) {
          const tag = ids.get(l.fields.callId) as string
          expect(l.fields.path).toBe(`/v1/things/${tag}`)
          if (l.fields.requestId) expect(l.fields.requestId).toBe(`req_${tag}_${l.fields.attempt}`)
        }
        for (const [tag, n] of counts) expect(lines.filter((l) => ids.get(l.fields.callId) === tag)).toHaveLength(n)
      }),
      { numRuns: 30 },
    )
  })

  it('info: no bodies, and the query string (which may hold a client_secret) is not printed', async () => {
    const { stripe, lines } = client([], 'info')
    await request(stripe, retrieveThing, { path: { thing: 'src_1' }, params: { client_secret: 'src_client_secret_abc' } })
    expect(lines.map((l) => l.text)).toEqual([expect.stringMatching(/^\[edgestripe\] GET \/v1\/things\/src_1 200 req_1 attempt 1 \d+ms$/)])
  })

  it('redacts secret form fields and JSON fields at any depth, and keys inside any value', () => {
    expect(_redact('card[number]=4242424242424242&card%5Bcvc%5D=123&amount=100&owner[name]=sk_test_abcdefghijkl&client_secret=x')).toBe(
      'card[number]=[redacted]&card%5Bcvc%5D=[redacted]&amount=100&owner[name]=sk_test_…ijkl&client_secret=[redacted]',
    )
    expect(
      _redact({ a: { secret: 'x"y', client_secret: null, number: 4242 }, b: ['whsec_abc123', 'rk_live_0123456789ab'], tokens: 1 }),
    ).toBe('{"a":{"secret":"[redacted]","client_secret":null,"number":"[redacted]"},"b":["…c123","rk_live_…89ab"],"tokens":1}')
    expect(_redact('x'.repeat(3000))).toMatch(/… \(3000 chars\)$/)
  })

  it('redaction: no generated secret value survives in a form or a JSON body', () => {
    const name = fc.constantFrom('client_secret', 'secret', 'password', 'token', 'cvc', 'number', 'account_number')
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('', 'card', 'owner'), name), { minLength: 1, maxLength: 4 }),
        fc.stringMatching(/^[A-Za-z0-9]{6,20}$/),
        (fields, secret) => {
          const value = `S3cr${secret}`
          const form = fields.map(([parent, field]) => `${parent ? `${parent}[${field}]` : field}=${value}`).join('&')
          expect(_redact(form)).not.toContain(value)
          const json: Record<string, unknown> = {}
          for (const [parent, field] of fields) {
            if (parent) json[parent] = { ...(json[parent] as object), [field]: value }
            else json[field] = value
          }
          expect(_redact(json)).not.toContain(value)
          expect(_redact(`key sk_live_${value}`)).not.toContain(value)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('EDGESTRIPE_LOG sets the level when the option is absent, read when the plugin is installed (not at import)', async () => {
    vi.stubEnv('EDGESTRIPE_LOG', 'info')
    const a = client([])
    await request(a.stripe, createThing, { params: {} })
    expect(a.lines.map((l) => l.level)).toEqual(['info'])
    // The option wins over the environment; a wrong value in the environment falls back to warn.
    const b = client([], 'warn')
    await request(b.stripe, createThing, { params: {} })
    expect(b.lines).toEqual([])
    vi.stubEnv('EDGESTRIPE_LOG', 'loud')
    const c = client([])
    await request(c.stripe, createThing, { params: {} })
    expect(c.lines).toEqual([])
  })

  it('a wrong level is a StripeConfigurationError; the default logger is console, called with the line and its fields', async () => {
    expect(() => createStripe({ apiKey: API_KEY, plugins: [logging({ level: 'verbose' as LogLevel })] })).toThrow(StripeConfigurationError)
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    try {
      const stripe = createStripe({ apiKey: API_KEY, fetch: scripted([]).fetch, plugins: [logging({ level: 'info' })] })
      await request(stripe, createThing, { params: {} })
      expect(info).toHaveBeenCalledTimes(1)
      expect(info.mock.calls[0]?.[1]).toMatchObject({ operationId: 'PostThings', status: 200 })
    } finally {
      info.mockRestore()
    }
  })

  it('without the plugin nothing is printed, a failed call included; the old options are refused with a pointer to it', async () => {
    vi.stubEnv('EDGESTRIPE_LOG', 'debug')
    const spies = (['debug', 'info', 'warn', 'error', 'log'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}))
    try {
      const stripe = createStripe({ apiKey: API_KEY, fetch: scripted([{ status: 404 }]).fetch })
      await expect(request(stripe, createThing, { params: {} })).rejects.toMatchObject({ statusCode: 404 })
      const flaky = createStripe({
        apiKey: API_KEY,
        fetch: scripted([{ network: true }, { status: 500 }]).fetch,
        retryBaseDelay: 1,
        maxRetries: 1,
      })
      await expect(request(flaky, createThing, { params: {} })).rejects.toThrow()
      for (const spy of spies) expect(spy).not.toHaveBeenCalled()
    } finally {
      for (const spy of spies) spy.mockRestore()
    }
    for (const options of [{ logger: console }, { logLevel: 'info' }]) {
      expect(() => createStripe({ apiKey: API_KEY, ...(options as object) })).toThrow(
        expect.objectContaining({ name: 'StripeConfigurationError', message: expect.stringContaining("'@edgestripe/core/logging'") }),
      )
    }
  })
})
