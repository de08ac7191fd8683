// Every invalid input is refused before the network (issue 18): over every operation of the seven
// domain packages, inputs made invalid by construction — an unknown param (at the root or inside
// an object param), a value of a type the spec does not allow, `[]` where an object is expected,
// a cyclic object, a string outside a closed enum — each throws StripeValidationError and none
// reaches `fetch`. The oracle is the spec (spec/spec.json with its overlays, as the generator reads
// it), walked here as JSON Schema, not the generated valibot schemas. And the minimal valid input
// the oracle builds for each operation does reach `fetch` (the oracle is not refusing everything).
import { createStripe, type Operation, request, StripeValidationError } from '@edgestripe/core'
import * as financialConnections from '@edgestripe/financial-connections/operations'
import * as identity from '@edgestripe/identity/operations'
import * as reporting from '@edgestripe/reporting/operations'
import * as sigma from '@edgestripe/sigma/operations'
import * as sources from '@edgestripe/sources/operations'
import * as treasury from '@edgestripe/treasury/operations'
import * as treasuryTestHelpers from '@edgestripe/treasury/test-helpers'
import * as webhookEndpoints from '@edgestripe/webhook-endpoints/operations'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { listOperations, loadSpec, paramsSchema } from '../scripts/codegen/domains-spec'

type Json = Record<string, any>
const spec = loadSpec()
const infos = new Map(listOperations(spec).map((info) => [info.operationId, info]))

const operations = [financialConnections, identity, reporting, sigma, sources, treasury, treasuryTestHelpers, webhookEndpoints]
  .flatMap((module) => Object.values(module))
  .filter((value): value is Operation => !!value && typeof value === 'object' && 'operationId' in value && 'response' in value)
  .filter((operation, i, all) => all.findIndex((o) => o.operationId === operation.operationId) === i)

const alternativesOf = (schema: Json): Json[] => schema.anyOf ?? schema.oneOf ?? [schema]
const isPlain = (value: unknown): value is Json => !!value && typeof value === 'object' && !Array.isArray(value)
const objectOf = (schema: Json): Json | undefined => alternativesOf(schema).find((a) => a.properties && Object.keys(a.properties).length)

/** Whether the spec allows `value` for `schema` (JSON Schema as Stripe writes it; `null` never generated). */
function accepts(schema: Json, value: unknown): boolean {
  const alternatives = schema.anyOf ?? schema.oneOf
  if (alternatives) return alternatives.some((a: Json) => accepts(a, value))
  if (Array.isArray(schema.enum)) return typeof value === 'string' && (schema['x-stripeBypassValidation'] || schema.enum.includes(value))
  switch (schema.type) {
    case 'string':
      return typeof value === 'string' && value.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY)
    case 'integer':
      return Number.isSafeInteger(value)
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && !String(value).includes('e')
    case 'boolean':
      return typeof value === 'boolean'
    case 'array':
      return Array.isArray(value) && value.every((item) => accepts(schema.items ?? {}, item))
  }
  if (schema.type === 'object' || schema.properties || schema.additionalProperties) {
    if (!isPlain(value)) return false
    const properties: Json | undefined = schema.properties
    if (properties && (Object.keys(properties).length || !schema.additionalProperties)) {
      return (
        (schema.required ?? []).every((name: string) => name in value) &&
        Object.entries(value).every(([k, item]) => properties[k] && accepts(properties[k], item))
      )
    }
    const extra = schema.additionalProperties
    return !extra || typeof extra !== 'object' || Object.values(value).every((item) => accepts(extra, item))
  }
  return true // no type: anything
}

/** A value the spec accepts for `schema`, as small as can be (required properties only). */
function validFor(schema: Json): unknown {
  const alternatives = (schema.anyOf ?? schema.oneOf)?.filter((a: Json) => !(a.enum?.length === 1 && a.enum[0] === ''))
  if (alternatives) return validFor(alternatives[0])
  if (Array.isArray(schema.enum)) return schema.enum.find((v: unknown) => v !== '')
  switch (schema.type) {
    case 'string':
      return 'x_1'
    case 'integer':
    case 'number':
      return 1
    case 'boolean':
      return true
    case 'array':
      return [validFor(schema.items ?? { type: 'string' })]
  }
  const properties: Json = schema.properties ?? {}
  return Object.fromEntries((schema.required ?? []).map((name: string) => [name, validFor(properties[name])]))
}

/** Where to break the input: a property path through object params, and the schema there. */
function sites(schema: Json, path: string[] = [], depth = 0): { path: string[]; schema: Json; parent: Json }[] {
  const object = objectOf(schema)
  if (!object || depth > 2) return []
  return Object.entries(object.properties as Json).flatMap(([name, child]) => [
    { path: [...path, name], schema: child as Json, parent: object },
    ...sites(child as Json, [...path, name], depth + 1),
  ])
}

/** `base` with `value` at `path`, each object on the way given its required properties. */
function put(root: Json, base: Json, path: string[], value: unknown): Json {
  const out = structuredClone(base)
  let node = out
  let schema = root
  for (const key of path.slice(0, -1)) {
    schema = objectOf(schema)!.properties[key]
    node[key] = isPlain(node[key]) ? node[key] : validFor(objectOf(schema)!)
    node = node[key]
  }
  node[path.at(-1)!] = value
  return out
}

const wrongValues = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constant({ judge_unknown: 'x' }),
  fc.array(fc.integer(), { minLength: 1, maxLength: 2 }),
  fc.constant('x'.repeat(5001)),
)
const unknownName = fc.stringMatching(/^[a-z][a-z_]{0,11}$/).map((name) => `judge_${name}`)

function hasCycle(value: unknown, open: unknown[] = []): boolean {
  if (!value || typeof value !== 'object') return false
  if (open.includes(value)) return true
  return Object.values(value).some((item) => hasCycle(item, [...open, value]))
}

function cyclic(): Json {
  const value: Json = { a: 'x' }
  value.self = value
  return value
}

describe('every invalid input is refused before the network (all operations of the seven packages, spec oracle)', () => {
  it('covers every operation of the domain packages', () => {
    expect(operations.map((o) => o.operationId).sort()).toEqual([...infos.keys()].sort())
  })

  for (const operation of operations) {
    const info = infos.get(operation.operationId)!
    const schema = paramsSchema(info)
    const base = validFor(schema) as Json
    const path = Object.fromEntries((operation.path.match(/\{(\w+)\}/g) ?? []).map((p) => [p.slice(1, -1), 'id_1']))
    const places = sites(schema)
    const send = (params: unknown) => {
      const seen: string[] = []
      const stripe = createStripe({
        apiKey: 'sk_test_fuzz',
        maxRetries: 0,
        fetch: async (input) => {
          seen.push(String(input))
          return Response.json({})
        },
      })
      return request(stripe, operation, { path, params } as never).then(
        () => ({ seen, error: undefined }),
        (error: unknown) => ({ seen, error }),
      )
    }

    it(`${operation.operationId}`, async () => {
      // The oracle's minimal valid input is sent (the reply `{}` then fails the kind check: not a validation error).
      const valid = await send(base)
      expect(valid.error).not.toBeInstanceOf(StripeValidationError)
      expect(valid.seen).toHaveLength(1)

      const invalid = fc.oneof(
        // an unknown param at the root, or inside an object param
        fc
          .tuple(unknownName, fc.constantFrom(undefined, ...places.filter((p) => objectOf(p.schema)).map((p) => p.path)))
          .map(([name, at]) => (at ? put(schema, base, [...at, name], 'x') : { ...base, [name]: 'x' })),
        // a value the spec does not allow at a param
        ...(places.length
          ? [
              fc
                .tuple(fc.constantFrom(...places), wrongValues)
                .filter(([place, value]) => !accepts(place.schema, value))
                .map(([place, value]) => put(schema, base, place.path, value)),
              // `[]` where an object is expected, and a cycle anywhere
              fc.constantFrom(...places).map((place) => put(schema, base, place.path, cyclic())),
            ]
          : []),
        ...(places.some(
          (p) =>
            alternativesOf(p.schema).some((a) => a.type === 'object' || a.properties || a.additionalProperties) &&
            !alternativesOf(p.schema).some((a) => a.type === 'array'),
        )
          ? [
              fc
                .constantFrom(
                  ...places.filter(
                    (p) =>
                      alternativesOf(p.schema).some((a) => a.type === 'object' || a.properties || a.additionalProperties) &&
                      !alternativesOf(p.schema).some((a) => a.type === 'array'),
                  ),
                )
                .map((place) => put(schema, base, place.path, [])),
            ]
          : []),
        // a string outside a closed enum (array items too)
        ...places
          .flatMap((p) => {
            const item = alternativesOf(p.schema).find((a) => a.type === 'array')?.items
            const list = [...alternativesOf(p.schema), ...(item ? alternativesOf(item) : [])].find(
              (a) => Array.isArray(a.enum) && a.enum.some((v: unknown) => v !== '') && !a['x-stripeBypassValidation'],
            )
            return list ? [{ place: p, inArray: !!item && alternativesOf(item).includes(list) }] : []
          })
          .map(({ place, inArray }) => fc.constant(put(schema, base, place.path, inArray ? ['judge.recieved_typo'] : 'judge_typo'))),
      )
      await fc.assert(
        fc.asyncProperty(invalid, async (params) => {
          expect(hasCycle(params) || !accepts(schema, params)).toBe(true) // invalid by the spec, or not data at all
          const { seen, error } = await send(params)
          expect(seen).toEqual([])
          expect(error).toBeInstanceOf(StripeValidationError)
        }),
        { numRuns: 40 },
      )
    })
  }
})

describe('open enums keep working on a newer apiVersion', () => {
  it('an event or API version beyond the closed lists is sent and reported through enum:unknown', async () => {
    const seen: string[] = []
    const unknown: string[] = []
    const stripe = createStripe({
      apiKey: 'sk_test_open',
      apiVersion: '2027-01-27.future',
      hooks: { 'enum:unknown': ({ path, value }) => void unknown.push(`${path}=${value}`) },
      fetch: async (_input, init) => {
        seen.push(String(init?.body))
        return Response.json({ id: 'we_1', object: 'webhook_endpoint' })
      },
    })
    const params = { url: 'https://example.com/hook', enabled_events: ['future.event.created'], api_version: '2027-01-27.future' }
    await request(stripe, webhookEndpoints.PostWebhookEndpoints, { params } as never)
    expect(unknown.sort()).toEqual(['api_version=2027-01-27.future', 'enabled_events[0]=future.event.created'])
    expect(seen).toHaveLength(1)
    // The same on the spec's version is refused, with Stripe's words.
    const closed = createStripe({ apiKey: 'sk_test_open', fetch: async () => Response.json({}) })
    await expect(request(closed, webhookEndpoints.PostWebhookEndpoints, { params } as never)).rejects.toThrow(StripeValidationError)
  })
})
