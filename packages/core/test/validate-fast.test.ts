// check()'s fast path (issues 9, 18): the schema walk must say "valid" exactly when valibot
// finds no issue, on every params and response schema of the seven generated domains, for values
// generated from each schema (mostly valid, with wrong types, missing, extra and hostile keys).
import { operations as financialConnections } from '@edgestripe/financial-connections/operations'
import { operations as identity } from '@edgestripe/identity/operations'
import { operations as reporting } from '@edgestripe/reporting/operations'
import { operations as sigma } from '@edgestripe/sigma/operations'
import { operations as sources } from '@edgestripe/sources/operations'
import { operations as treasury } from '@edgestripe/treasury/operations'
import { operations as treasuryTestHelpers } from '@edgestripe/treasury/test-helpers'
import { operations as webhookEndpoints } from '@edgestripe/webhook-endpoints/operations'
import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import type { Operation } from '../src'
import { dict, strict } from '../src/schema'
import { _schemaPasses } from '../src/schema-passes'
import { check } from '../src/validate'

const allOperations: Operation[] = Object.values({
  ...sources,
  ...treasury,
  ...treasuryTestHelpers,
  ...sigma,
  ...reporting,
  ...financialConnections,
  ...identity,
  ...webhookEndpoints,
})

interface Shape {
  type: string
  pipe?: Shape[]
  wrapped?: Shape
  options?: unknown[]
  literal?: unknown
  entries?: Record<string, Shape>
  item?: Shape
  value?: Shape
  requirement?: unknown
}

const wrong = fc.oneof(
  fc.constantFrom(undefined, null, Number.NaN, Number.POSITIVE_INFINITY, [], {}, '', 'list', 0, 1.5, true),
  fc.string(),
  fc.integer(),
  fc.constant(Object.create({ inherited: 1 })),
)

/** Values shaped like the schema, mostly valid, sometimes wrong at some depth. */
function arbitraryFor(schema: Shape, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 7) return wrong
  const lengths = (schema.pipe ?? []).flatMap((a) => (typeof a.requirement === 'number' ? [a.requirement] : []))
  let right: fc.Arbitrary<unknown>
  switch (schema.type) {
    case 'string':
      right = fc.oneof(fc.string({ maxLength: 8 }), ...lengths.flatMap((n) => [fc.constant('x'.repeat(n)), fc.constant('x'.repeat(n + 1))]))
      break
    case 'number':
      right = fc.oneof(fc.integer(), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER + 2))
      break
    case 'boolean':
      right = fc.boolean()
      break
    case 'literal':
      right = fc.constant(schema.literal)
      break
    case 'picklist':
      right = fc.constantFrom(...(schema.options as unknown[]))
      break
    case 'optional':
      right = fc.oneof(fc.constant(undefined), arbitraryFor(schema.wrapped!, depth + 1))
      break
    case 'nullable':
      right = fc.oneof(fc.constant(null), arbitraryFor(schema.wrapped!, depth + 1))
      break
    case 'array':
      right = fc.array(arbitraryFor(schema.item!, depth + 1), { maxLength: 3 })
      break
    case 'union':
      right = fc.oneof(...(schema.options as Shape[]).map((o) => arbitraryFor(o, depth + 1)))
      break
    case 'record':
      right = fc
        .array(
          fc.tuple(fc.constantFrom('a', 'order_id', '__proto__', 'constructor', 'prototype', ''), arbitraryFor(schema.value!, depth + 1)),
          {
            maxLength: 3,
          },
        )
        .map((pairs) => {
          const out: Record<string, unknown> = {}
          for (const [k, value] of pairs) Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true })
          return out
        })
      break
    case 'object':
    case 'loose_object':
    case 'strict_object': {
      const entries = Object.entries(schema.entries ?? {})
      right = fc
        .tuple(
          fc.record(Object.fromEntries(entries.map(([k, s]) => [k, arbitraryFor(s, depth + 1)])), { requiredKeys: [] }),
          fc.array(fc.constantFrom(...entries.map(([k]) => k), 'extra'), { maxLength: 2 }),
          fc.boolean(),
        )
        .map(([record, drop, extra]) => {
          // Mostly complete objects: fill absent keys from a second draw is costly, so keep what
          // fc.record gave and drop/add a few keys.
          const out: Record<string, unknown> = { ...record }
          for (const k of drop) delete out[k]
          if (extra) out.extra_field = 'x'
          return out
        })
      break
    }
    default:
      right = fc.anything()
  }
  return fc.oneof({ arbitrary: right, weight: 12 }, { arbitrary: wrong, weight: 1 })
}

/** A mostly-valid value: every non-optional key present (fc.record with requiredKeys dropped too many). */
function completeOf(schema: Shape, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 7) return fc.constant(undefined)
  if ((schema.type === 'object' || schema.type === 'loose_object' || schema.type === 'strict_object') && schema.entries) {
    const entries = Object.entries(schema.entries)
    return fc.record(Object.fromEntries(entries.map(([k, s]) => [k, completeOf(s, depth + 1)])))
  }
  if (schema.type === 'optional' || schema.type === 'nullable')
    return fc.oneof(fc.constant(schema.type === 'optional' ? undefined : null), completeOf(schema.wrapped!, depth + 1))
  if (schema.type === 'array') return fc.array(completeOf(schema.item!, depth + 1), { maxLength: 2 })
  if (schema.type === 'union') return fc.oneof(...(schema.options as Shape[]).map((o) => completeOf(o, depth + 1)))
  return arbitraryFor(schema, depth)
}

const schemas = allOperations.flatMap((op) => [
  { name: `${op.operationId} params`, schema: op.params as unknown as Shape },
  { name: `${op.operationId} response`, schema: op.response as unknown as Shape },
])

describe('check() fast path agrees with valibot', () => {
  let valid = 0
  let invalid = 0
  for (const { name, schema } of schemas) {
    it(name, () => {
      const slow = (value: unknown) => (schema as unknown as v.GenericSchema)['~run']({ value }, v.getGlobalConfig()).issues === undefined
      fc.assert(
        fc.property(fc.oneof(arbitraryFor(schema), completeOf(schema)), (value) => {
          const expected = slow(value)
          expected ? valid++ : invalid++
          expect(_schemaPasses(schema as never, value)).toBe(expected)
          expect(check(schema as never, value) === undefined).toBe(expected)
        }),
        { numRuns: 150 },
      )
    })
  }

  it('saw both valid and invalid values', () => {
    expect(valid).toBeGreaterThan(1000)
    expect(invalid).toBeGreaterThan(1000)
  })

  it('falls back to valibot for schemas it does not know (transforms, defaults, lazy)', () => {
    const transformed = v.pipe(
      v.string(),
      v.transform((s) => s.length),
    )
    expect(_schemaPasses(transformed, 'abc')).toBe(false)
    expect(_schemaPasses(v.optional(v.string(), 'x'), undefined)).toBe(false)
    expect(_schemaPasses(v.nullable(v.string(), 'x'), null)).toBe(false)
    expect(_schemaPasses(v.optional(v.string(), 'x'), 'y')).toBe(true)
    expect(_schemaPasses(v.object({ a: v.optional(v.string(), 'x') }), {})).toBe(false)
    expect(_schemaPasses(v.union([transformed, v.number()]), 1)).toBe(true)
    expect(check(transformed, 'abc')).toBeUndefined()
    expect(check(v.pipe(v.string(), v.email()), 'nope')).toHaveLength(1)
    expect(check(v.pipe(v.string(), v.email()), 'a@b.co')).toBeUndefined()
  })

  it("refuses what core-inputs' params refuse: [] for strict/dict, an unknown key in strict, a value outside a closed list", () => {
    const params = strict({
      nested: v.optional(strict({ a: v.optional(v.string()) })),
      metadata: v.optional(dict(v.string())),
      features: v.optional(v.array(v.picklist(['transactions']))),
      event: v.optional(v.union([v.literal('source.chargeable'), v.literal('source.failed')])),
    })
    for (const value of [
      [],
      { nested: [] },
      { metadata: [] },
      { judge_unknown: 'x' },
      { nested: { a: 'x', b: 'y' } },
      { features: ['judge'] },
      { features: ['transactions', 'balance'] },
      { event: 'source.recieved' },
    ]) {
      expect(_schemaPasses(params, value)).toBe(false)
      expect(check(params, value)).not.toBeUndefined()
    }
    for (const value of [{}, { nested: {} }, { metadata: { a: 'b' } }, { features: ['transactions'] }, { event: 'source.failed' }]) {
      expect(_schemaPasses(params, value)).toBe(true)
      expect(check(params, value)).toBeUndefined()
    }
    // Plain valibot objects and records still take [] (responses are loose): the fast path agrees.
    expect(_schemaPasses(v.looseObject({ a: v.optional(v.string()) }), [])).toBe(true)
    expect(_schemaPasses(v.record(v.string(), v.string()), [])).toBe(true)
  })

  it('agrees with valibot on strict, dict and closed lists for any value (fast-check)', () => {
    const schema = strict({
      a: v.optional(strict({ b: v.optional(v.picklist(['x', 'y'])) })),
      m: v.optional(dict(v.string())),
      l: v.optional(v.array(v.picklist(['transactions']))),
    })
    const value = fc.oneof(
      fc.anything(),
      fc.record(
        {
          a: fc.oneof(fc.constant([]), fc.record({ b: fc.constantFrom('x', 'y', 'z', []) }, { requiredKeys: [] }), fc.anything()),
          m: fc.oneof(fc.constant([]), fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer()))),
          l: fc.array(fc.constantFrom('transactions', 'judge', 'balances')),
          extra: fc.string(),
        },
        { requiredKeys: [] },
      ),
    )
    fc.assert(
      fc.property(value, (value) => {
        const expected = schema['~run']({ value }, v.getGlobalConfig()).issues === undefined
        expect(_schemaPasses(schema, value)).toBe(expected)
      }),
      { numRuns: 2000 },
    )
  })
})
