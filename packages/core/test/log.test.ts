// createStripe({ logger, logLevel }): one line per attempt at info/debug, bodies only at debug with
// secrets redacted, nothing at the default level for a call that succeeds, EDGESTRIPE_LOG read at
// client creation (never at import). Server behaviours are generated (fast-check): any mix of
// answers, retryable failures and network errors.
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createStripe, type Logger, type LogLevel, request, StripeAPIError, StripeConfigurationError, StripeError } from '../src'
import { _redact } from '../src/log'
import { createThing, retrieveThing } from './support/operations'

type Step = { status: number; body?: unknown } | { network: true }

const API_KEY = 'sk_test_51SecretKeyValue0000'

/** A logger that records every line with its level. */
function recorder() {
  const lines: { level: keyof Logger; text: string }[] = []
  const logger = Object.fromEntries(
    (['debug', 'info', 'warn', 'error'] as const).map((level) => [level, (text: string) => lines.push({ level, text })]),
  ) as unknown as Logger
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

const client = (steps: Step[], logLevel?: LogLevel, extra: Record<string, unknown> = {}) => {
  const { lines, logger } = recorder()
  const transport = scripted(steps)
  const stripe = createStripe({
    apiKey: API_KEY,
    fetch: transport.fetch,
    retryBaseDelay: 1,
    retryMaxDelay: 2,
    maxRetries: 3,
    logger,
    ...(logLevel ? { logLevel } : {}),
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
          // The core hands `response:after` the body as read (third argument) once the request path
          // passes it; until then there is no response body to log.
          let bodySeen = false
          stripe.hooks.hook('response:after', (...args: unknown[]) => {
            bodySeen = args[2] !== undefined
          })
          await request(stripe, retrieveThing, { path: { thing: 'src_1' }, params: { client_secret: clientSecret } }).catch(() => {})
          const all = lines.map((l) => l.text).join('\n')
          expect(all).toContain('request: client_secret=[redacted]')
          expect(all.includes('response: ')).toBe(bodySeen)
          for (const leak of [clientSecret, secret, API_KEY, leakedKey]) expect(all).not.toContain(leak)
          if (status === 200 && bodySeen) expect(all).toContain('"client_secret":"[redacted]"')
        },
      ),
      { numRuns: 30 },
    )
  })

  it('debug: the response body handed to response:after is logged redacted, for answers and failures alike', async () => {
    const { stripe, lines } = client([], 'debug')
    const ctx = {
      operation: retrieveThing,
      method: 'GET',
      url: 'https://api.stripe.com/v1/things/src_1?client_secret=src_client_secret_zz',
      headers: new Headers(),
      body: undefined,
      attempt: 1,
    }
    await stripe.hooks.callHook('request:before', ctx)
    const meta = {
      requestId: 'req_9',
      statusCode: 200,
      headers: new Headers(),
      apiVersion: '2024-04-10',
      idempotencyKey: undefined,
      attempts: 1,
    }
    const call = stripe.hooks.callHook.bind(stripe.hooks) as (name: string, ...args: unknown[]) => Promise<void>
    await call('response:after', ctx, meta, {
      id: 'src_1',
      client_secret: 'src_client_secret_zz',
      owner: { name: 'sk_test_0123456789abcd' },
    })
    expect(lines.map((l) => l.text)).toEqual([
      expect.stringMatching(
        /^\[edgestripe\] GET \/v1\/things\/src_1 200 req_9 attempt 1 \d+ms\n {2}request: client_secret=\[redacted\]\n {2}response: \{"id":"src_1","client_secret":"\[redacted\]","owner":\{"name":"sk_test_…abcd"\}\}$/,
      ),
    ])
    // A failure: the line is written by the error hook, matched to its attempt by the response's headers.
    const failed = {
      ...ctx,
      url: 'https://api.stripe.com/v1/things',
      method: 'POST',
      operation: createThing,
      body: 'card[cvc]=123&amount=5',
    }
    await stripe.hooks.callHook('request:before', failed)
    const headers = new Headers({ 'request-id': 'req_10' })
    await call(
      'response:after',
      failed,
      { ...meta, requestId: 'req_10', statusCode: 500, headers },
      { error: { message: 'boom', secret: 'x' } },
    )
    await stripe.hooks.callHook('error', new StripeAPIError({ message: 'boom', statusCode: 500, requestId: 'req_10', headers }), {
      operation: createThing,
    })
    expect(lines.at(-1)).toEqual({
      level: 'error',
      text: expect.stringMatching(
        /^\[edgestripe\] POST \/v1\/things 500 req_10 attempt 1 \d+ms failed: StripeAPIError: boom\n {2}request: card\[cvc\]=\[redacted\]&amount=5\n {2}response: \{"error":\{"message":"boom","secret":"\[redacted\]"\}\}$/,
      ),
    })
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

  it('EDGESTRIPE_LOG sets the level when the option is absent, read at createStripe (not at import)', async () => {
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

  it('a wrong logLevel option is a StripeConfigurationError; the default logger is console', async () => {
    expect(() => createStripe({ apiKey: API_KEY, logLevel: 'verbose' as LogLevel })).toThrow(StripeConfigurationError)
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    try {
      const stripe = createStripe({ apiKey: API_KEY, fetch: scripted([]).fetch, logLevel: 'info' })
      await request(stripe, createThing, { params: {} })
      expect(info).toHaveBeenCalledTimes(1)
    } finally {
      info.mockRestore()
    }
  })
})
