// Hostile input cannot reach Object.prototype (issue 8.12) and fault patterns cannot backtrack
// catastrophically (8.14). Properties over generated keys and patterns, in-process.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_REGEX_PATH, unsafePattern } from '../src/faults.js'
import { routes } from '../src/generated/routes.js'
import { createEmulator, DEFAULT_NOW, decodeForm, EmulatorError } from '../src/index.js'
import { ORIGIN } from './helpers.js'

const FORBIDDEN = ['__proto__', 'constructor', 'prototype'] as const
const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort()

/** A bracket-form key: segments from hostile names, ordinary names, indexes and `[]` appends. */
const segment = fc.oneof(
  fc.constantFrom(...FORBIDDEN),
  fc.constantFrom('metadata', 'owner', 'address', 'expand', 'a', 'b', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'),
  fc.nat(3).map(String),
  fc.constant(''),
  fc.string({ maxLength: 6 }).filter((s) => !s.includes('[') && !s.includes(']')),
)
const formKey = fc
  .tuple(
    segment.filter((s) => s !== ''),
    fc.array(segment, { maxLength: 4 }),
  )
  .map(([head, rest]) => head + rest.map((part) => `[${part}]`).join(''))
const hostileForm = fc.array(fc.tuple(formKey, fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 6 })

const hasForbidden = (key: string) => {
  const head = key.split('[')[0] as string
  const rest = [...key.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1])
  const parts = key.includes('[') && key.endsWith(']') && key.indexOf('[') > 0 ? [head, ...rest] : [key]
  return parts.some((part) => (FORBIDDEN as readonly string[]).includes(part as string))
}

function allNullPrototype(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(allNullPrototype)
  if (value && typeof value === 'object') return Object.getPrototypeOf(value) === null && Object.values(value).every(allNullPrototype)
  return true
}

describe('prototype pollution', () => {
  it('decodeForm builds null-prototype objects and refuses __proto__/constructor/prototype keys, naming the param (property)', () => {
    const before = prototypeNames()
    fc.assert(
      fc.property(hostileForm, (pairs) => {
        const text = new URLSearchParams(pairs).toString()
        const forbidden = pairs.find(([key]) => hasForbidden(key))
        let decoded: unknown
        let error: unknown
        try {
          decoded = decodeForm(text)
        } catch (caught) {
          error = caught
        }
        if (forbidden) {
          expect(error).toBeInstanceOf(EmulatorError)
          const body = (error as EmulatorError).body
          expect(body.type).toBe('invalid_request_error')
          expect(FORBIDDEN.some((name) => body.param?.endsWith(name) || body.param?.endsWith(`[${name}]`))).toBe(true)
        } else {
          expect(error).toBeUndefined()
          expect(allNullPrototype(decoded)).toBe(true)
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      }),
      { numRuns: 1000 },
    )
    expect(prototypeNames()).toEqual(before)
  })

  it('every operation answers hostile bodies and queries with a 400 naming the param, and Object.prototype stays untouched (property)', async () => {
    const before = prototypeNames()
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const route = fc.constantFrom(...routes)
    // a prototype key at the top or under a hash param, with more segments after it
    const hostile = fc
      .tuple(fc.boolean(), fc.constantFrom(...FORBIDDEN), fc.array(segment, { maxLength: 3 }))
      .map(([nested, name, rest]) => `${nested ? `metadata[${name}]` : name}${rest.map((part) => `[${part}]`).join('')}`)
    await fc.assert(
      fc.asyncProperty(route, hostile, fc.string({ maxLength: 8 }), async (target, key, value) => {
        const path = target.path.replace(/\{[^}]+\}/g, 'x_1')
        const body = new URLSearchParams([
          [key, value],
          ['polluted', 'yes'],
        ]).toString()
        const init: RequestInit =
          target.method === 'POST'
            ? { method: 'POST', body, headers: { Authorization: 'Bearer sk_test_1', 'Content-Type': 'application/x-www-form-urlencoded' } }
            : { method: target.method, headers: { Authorization: 'Bearer sk_test_1' } }
        const url = target.method === 'POST' ? `${ORIGIN}${path}` : `${ORIGIN}${path}?${body}`
        const res = await emulator.fetch(url, init)
        expect(res.status).toBe(400)
        const error = ((await res.json()) as { error: { type: string; param: string } }).error
        expect(error.type).toBe('invalid_request_error')
        expect(FORBIDDEN.some((name) => error.param.endsWith(name) || error.param.endsWith(`[${name}]`))).toBe(true)
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      }),
      { numRuns: 300 },
    )
    expect(prototypeNames()).toEqual(before)
    expect(emulator.control.stats().objects).toBe(0)
  })

  it('ordinary keys named like Object.prototype members are plain params (unknown ones refused, metadata kept)', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const headers = { Authorization: 'Bearer sk_test_1', 'Content-Type': 'application/x-www-form-urlencoded' }
    const unknown = await emulator.fetch(`${ORIGIN}/v1/treasury/financial_accounts`, {
      method: 'POST',
      headers,
      body: 'supported_currencies[]=usd&toString=1',
    })
    expect(unknown.status).toBe(400)
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe('Received unknown parameter: toString')
    const kept = await emulator.fetch(`${ORIGIN}/v1/treasury/financial_accounts`, {
      method: 'POST',
      headers,
      body: 'supported_currencies[]=usd&metadata[toString]=a&metadata[hasOwnProperty]=b',
    })
    expect(kept.status).toBe(200)
    expect(((await kept.json()) as { metadata: unknown }).metadata).toEqual({ toString: 'a', hasOwnProperty: 'b' })
  })

  it('control JSON bodies with prototype keys at any depth are refused', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    for (const body of [
      '{"kind":"source","object":{"__proto__":{"polluted":"yes"}}}',
      '{"kind":"source","object":{"metadata":{"constructor":{"prototype":{"polluted":"yes"}}}}}',
      '{"__proto__":{"polluted":"yes"}}',
    ]) {
      const res = await emulator.fetch(`${ORIGIN}/_emulator/seed`, { method: 'POST', body })
      expect(res.status).toBe(400)
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/is not allowed/)
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(emulator.control.stats().objects).toBe(0)
  })
})

describe('regex fault paths', () => {
  /** Patterns that backtrack catastrophically: a quantified group holding a quantifier or an alternation. */
  const atom = fc.constantFrom('a', '.', '\\w', '[a-z]', '\\/', 'v1')
  const quantifier = fc.constantFrom('*', '+', '{1,}', '{2,5}', '*?')
  const nested = fc.oneof(
    fc.tuple(atom, quantifier, quantifier).map(([a, q1, q2]) => `(${a}${q1})${q2}`),
    fc.tuple(atom, atom, quantifier).map(([a, b, q]) => `(${a}|${b})${q}`),
    fc.tuple(atom, quantifier, quantifier).map(([a, q1, q2]) => `(?:x(${a}${q1})y)${q2}`),
    fc.tuple(atom, quantifier).map(([a, q]) => `(${a})\\1${q}`),
  )

  it('refuses nested repetition, alternation under a quantifier and backreferences over HTTP (property)', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.constantFrom('', '^', '^\\/v1'), nested, fc.constantFrom('', '$', 'x$')),
        async ([prefix, core, suffix]) => {
          const pattern = `/${prefix}${core}${suffix}/`
          expect(unsafePattern(pattern.slice(1, -1))).toBeDefined()
          const res = await emulator.fetch(`${ORIGIN}/_emulator/faults`, {
            method: 'POST',
            body: JSON.stringify({ count: 1, match: { path: pattern }, fault: { status: 500 } }),
          })
          expect(res.status).toBe(400)
          expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/refused/)
        },
      ),
      { numRuns: 200 },
    )
    // nothing was queued: requests are served normally
    const res = await emulator.fetch(`${ORIGIN}/v1/treasury/financial_accounts`, { headers: { Authorization: 'Bearer sk_test_1' } })
    expect(res.status).toBe(200)
  })

  it('keeps ordinary patterns working, and refuses lookarounds, long patterns and many unbounded quantifiers', async () => {
    for (const ok of [
      '^\\/v1\\/treasury\\/.*$',
      '\\/outbound_payments$',
      '^\\/v1\\/(sources|customers)\\/',
      '(?:ab)+c',
      '[a-z]+_\\d{2,4}',
    ]) {
      expect(unsafePattern(ok), ok).toBeUndefined()
    }
    for (const bad of ['(?=a)b', 'a(?!b)', `${'a'.repeat(201)}`, 'a*b*c*d*', '.+.+.+.+']) expect(unsafePattern(bad), bad).toBeDefined()
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    await emulator.fetch(`${ORIGIN}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ count: 1, match: { path: '/^\\/v1\\/treasury\\/.*$/' }, fault: { status: 503 } }),
    })
    const res = await emulator.fetch(`${ORIGIN}/v1/treasury/financial_accounts`, { headers: { Authorization: 'Bearer sk_test_1' } })
    expect(res.status).toBe(503)
  })

  it(`never runs a pattern over more than ${MAX_REGEX_PATH} characters of path`, async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    let tested = 0
    const spy = /./
    const test = spy.test.bind(spy)
    spy.test = (input: string) => {
      tested++
      return test(input)
    }
    emulator.control.injectFaults({ count: 5, match: { path: spy }, fault: { status: 503 } })
    const long = await emulator.fetch(`${ORIGIN}/v1/sources/${'x'.repeat(MAX_REGEX_PATH)}`, {
      headers: { Authorization: 'Bearer sk_test_1' },
    })
    expect(long.status).toBe(404)
    expect(tested).toBe(0)
    const short = await emulator.fetch(`${ORIGIN}/v1/sources/src_1`, { headers: { Authorization: 'Bearer sk_test_1' } })
    expect(short.status).toBe(503)
    expect(tested).toBe(1)
  })
})
