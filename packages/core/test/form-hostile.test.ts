// Issue 8.5: no input is silently dropped or mangled. Hostile values (Map, Set, Date, URL, boxed
// primitives, class instances, sparse arrays, arrays with extra properties, unsafe numbers, lone
// surrogates, reserved or bracketed keys) are put at every position of every generated
// operation's params, with validation on and off: each call is refused with a
// StripeValidationError naming the param, nothing reaches the transport, Object.prototype stays clean.

import { runInNewContext } from 'node:vm'
import { createStripe, type Operation, request, StripeValidationError } from '@edgestripe/core'
import { operations as reporting } from '@edgestripe/reporting/operations'
import { operations as sigma } from '@edgestripe/sigma/operations'
import { operations as sources } from '@edgestripe/sources/operations'
import { operations as treasury } from '@edgestripe/treasury/operations'
import { operations as treasuryTestHelpers } from '@edgestripe/treasury/test-helpers'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { encodeForm } from '../src'

const allOperations: Operation[] = Object.values({ ...sources, ...treasury, ...treasuryTestHelpers, ...sigma, ...reporting })

/** One step into a params object: a property, an array index or a record key. */
type Step = { key: string; array: boolean }

interface SchemaLike {
  type: string
  wrapped?: SchemaLike
  options?: SchemaLike[]
  entries?: Record<string, SchemaLike>
  item?: SchemaLike
  value?: SchemaLike
}

/** Every position a value can take in params of this schema (objects, array items, record values). */
function positions(schema: SchemaLike, at: Step[] = [], out = new Map<string, Step[]>()): Map<string, Step[]> {
  const add = (step: Step, child: SchemaLike | undefined) => {
    const path = [...at, step]
    out.set(bracket(path), path)
    if (child && path.length < 8) positions(child, path, out)
  }
  if (schema.wrapped) positions(schema.wrapped, at, out)
  for (const option of schema.options ?? []) positions(option, at, out)
  for (const [key, child] of Object.entries(schema.entries ?? {})) add({ key, array: false }, child)
  if (schema.type === 'array') add({ key: '0', array: true }, schema.item)
  if (schema.type === 'record') add({ key: 'order_id', array: false }, schema.value)
  return out
}

const bracket = (path: Step[]) => path.map((step, i) => (i ? `[${step.key}]` : step.key)).join('')

/** `{ a: [ { b: value } ] }` for the path a[0][b]. */
function place(path: Step[], value: unknown): Record<string, unknown> {
  const root: Record<string, unknown> = {}
  let node: Record<string, unknown> | unknown[] = root
  path.forEach((step, i) => {
    const next = path[i + 1]
    const child = i === path.length - 1 ? value : next!.array ? [] : {}
    ;(node as Record<string, unknown>)[step.key] = child
    node = child as Record<string, unknown>
  })
  return root
}

const withKey = (key: string, value: unknown) =>
  Object.defineProperty({}, key, { value, enumerable: true, writable: true, configurable: true })

class Thing {
  constructor(readonly amount: number) {}
}

/** A hostile value and the suffix the refused param ends with, relative to where it is placed. */
const leaf: fc.Arbitrary<{ value: unknown; suffix: string }> = fc.oneof(
  fc.date({ noInvalidDate: false }).map((value) => ({ value, suffix: '' })),
  fc.string().map((s) => ({ value: new Map([['order_id', s]]), suffix: '' })),
  fc.array(fc.string()).map((a) => ({ value: new Set(a), suffix: '' })),
  fc.webUrl().map((u) => ({ value: new URL(u), suffix: '' })),
  fc.string().map((s) => ({ value: new String(s), suffix: '' })),
  fc.integer().map((n) => ({ value: new Number(n), suffix: '' })),
  fc.boolean().map((b) => ({ value: new Boolean(b), suffix: '' })),
  fc.integer().map((n) => ({ value: new Thing(n), suffix: '' })),
  fc.string().map((s) => ({ value: Object.create({ inherited: s }), suffix: '' })),
  fc.tuple(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), fc.nat()).map(([items, hole]) => {
    const value = [...items]
    delete value[hole % value.length]
    return { value, suffix: '' }
  }),
  fc.tuple(fc.array(fc.string(), { maxLength: 3 }), fc.constantFrom('extra', 'x', '-1', '01')).map(([items, key]) => ({
    value: Object.assign([...items], { [key]: 'v' }),
    suffix: '',
  })),
  fc.constantFrom([undefined], ['a', undefined]).map((value) => ({ value, suffix: `[${value.length - 1}]` })),
  fc
    .oneof(
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, 1e21, -1e21, 1e-7, -5e-324),
      fc.double({ min: 2 ** 53, noNaN: true }),
      fc.double({ max: -(2 ** 53), noNaN: true }),
      fc.double({ min: 5e-324, max: 9e-7, noNaN: true }),
    )
    .map((value) => ({ value, suffix: '' })),
  fc.bigInt().map((value) => ({ value, suffix: '' })),
  fc.constant({ value: Symbol('x'), suffix: '' }),
  fc.constant({ value: () => 'x', suffix: '' }),
  fc
    .tuple(fc.string(), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string())
    .map(([a, unit, b]) => ({ value: `${a}${String.fromCharCode(unit)}${b}`, suffix: '' })),
  fc.constantFrom('__proto__', 'constructor', 'prototype', '', 'a[b', 'x]', 'a[0]', `k${String.fromCharCode(0xdc00)}`).map((key) => ({
    // JSON.parse and defineProperty both make __proto__ an own key, as a decoded body would.
    value: withKey(key, { polluted: 'yes' }),
    suffix: `[${key}]`,
  })),
)

/** A leaf, or a leaf nested in a plain object or an array (the refused param is then deeper). */
const hostile = fc.oneof(
  leaf,
  leaf.map(({ value, suffix }) => ({ value: { ok: 'x', inner: value }, suffix: `[inner]${suffix}` })),
  leaf.map(({ value, suffix }) => ({ value: ['ok', value], suffix: `[1]${suffix}` })),
)

const pathOf = (op: Operation) => Object.fromEntries([...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => [m[1]!, 'x_1']))

let pollutionChecks = 0
afterAll(() => {
  expect(pollutionChecks).toBeGreaterThan(0)
})

function expectNoPollution() {
  pollutionChecks++
  expect(Object.getOwnPropertyNames(Object.prototype).filter((k) => k === 'polluted' || k === 'order_id')).toEqual([])
  expect(({} as { polluted?: unknown }).polluted).toBeUndefined()
  expect(Object.getPrototypeOf({})).toBe(Object.prototype)
}

describe('hostile params at every position of every operation', () => {
  it('covers every operation of the four domains, with positions', () => {
    expect(allOperations.length).toBeGreaterThan(40)
    const total = allOperations.reduce((n, op) => n + positions(op.params as unknown as SchemaLike).size, 0)
    expect(total).toBeGreaterThan(300)
  })

  for (const operation of allOperations) {
    const spots = [...positions(operation.params as unknown as SchemaLike).values()]
    if (!spots.length) continue
    it(`${operation.operationId}: refused before the network, param named (${spots.length} positions)`, async () => {
      const calls: string[] = []
      const fetch = (async (input: RequestInfo | URL) => {
        calls.push(String(input))
        return new Response('{}')
      }) as typeof globalThis.fetch
      const clients = [true, false].map((validateParams) =>
        createStripe({ apiKey: 'sk_test_hostile123', fetch, validateParams, maxRetries: 0 }),
      )
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...spots), hostile, fc.constantFrom(0, 1), async (spot, { value, suffix }, which) => {
          const params = place(spot, value)
          const error = await request(clients[which]!, operation, { path: pathOf(operation), params } as never).then(
            () => undefined,
            (e: unknown) => e,
          )
          expect(error).toBeInstanceOf(StripeValidationError)
          expect(calls).toEqual([])
          // Without validation the encoder itself refuses, naming exactly where the value is.
          if (which === 1) expect((error as StripeValidationError).param).toBe(bracket(spot) + suffix)
          expect(() => encodeForm(params)).toThrow(StripeValidationError)
          expectNoPollution()
        }),
        { numRuns: Math.min(200, spots.length * 12) },
      )
    })
  }
})

describe('encodeForm refuses what it cannot send faithfully', () => {
  it.each([
    [{ metadata: new Map([['order_id', '42']]) }, 'metadata'],
    [{ created: new Date(1_700_000_000_000) }, 'created'],
    [{ amount: 1e21 }, 'amount'],
    [{ amount: 2 ** 53 }, 'amount'],
    [{ metadata: JSON.parse('{"__proto__": {"polluted": "yes"}}') }, 'metadata[__proto__]'],
    [{ metadata: { constructor: 'x' } }, 'metadata[constructor]'],
    [{ metadata: { prototype: 'x' } }, 'metadata[prototype]'],
    [{ metadata: { '': 'x' } }, 'metadata[]'],
    [{ description: `a${String.fromCharCode(0xd800)}b` }, 'description'],
    [{ expand: Object.assign(['a'], { extra: 'b' }) }, 'expand'],
    // biome-ignore lint/suspicious/noSparseArray: the hostile input under test
    [{ expand: [, 'b'] }, 'expand'],
    [{ owner: { address: new URL('https://example.com') } }, 'owner[address]'],
  ])('%o → %s', (params, param) => {
    let error: unknown
    try {
      encodeForm(params)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(StripeValidationError)
    expect((error as StripeValidationError).param).toBe(param)
    expect((error as Error).message).toContain(`${param}:`)
    expectNoPollution()
  })

  it('accepts plain objects of another realm and null-prototype objects', () => {
    expect(encodeForm({ metadata: Object.assign(Object.create(null), { a: '1' }) })).toBe('metadata[a]=1')
    expect(encodeForm(runInNewContext('({ metadata: { a: "1" }, expand: ["x"] })'))).toBe('metadata[a]=1&expand[0]=x')
    expect(encodeForm({ a: -Number.MAX_SAFE_INTEGER, b: 0.5, c: -0 })).toBe(`a=-${Number.MAX_SAFE_INTEGER}&b=0.5&c=0`)
  })
})

/** Positions of required string params (not optional, a plain string schema), any depth. */
function requiredStrings(schema: SchemaLike, at: Step[] = [], out: Step[][] = []): Step[][] {
  if (schema.type === 'optional' || schema.type === 'nullable') return out
  for (const option of schema.options ?? []) requiredStrings(option, at, out)
  for (const [key, child] of Object.entries(schema.entries ?? {})) {
    const path = [...at, { key, array: false }]
    if (child.type === 'string') out.push(path)
    else requiredStrings(child, path, out)
  }
  return out
}

describe("a required string param given '' is refused (Stripe reads '' as unset)", () => {
  const cases = allOperations.flatMap((operation) =>
    requiredStrings(operation.params as unknown as SchemaLike).map((path) => ({ operation, path })),
  )

  it('finds required string params in the generated schemas', () => {
    expect(cases.length).toBeGreaterThan(10)
  })

  it('refuses each one before the network, naming it', async () => {
    const calls: string[] = []
    const fetch = (async (input: RequestInfo | URL) => {
      calls.push(String(input))
      return new Response('{}')
    }) as typeof globalThis.fetch
    const client = createStripe({ apiKey: 'sk_test_hostile123', fetch, maxRetries: 0 })
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cases), async ({ operation, path }) => {
        const error = await request(client, operation, { path: pathOf(operation), params: place(path, '') } as never).then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(error).toBeInstanceOf(StripeValidationError)
        const issues = (error as StripeValidationError).issues.map((issue) => issue.path)
        expect(issues).toContain(path.map((step) => step.key).join('.'))
        expect(calls).toEqual([])
      }),
      { numRuns: cases.length * 3 },
    )
  })
})
