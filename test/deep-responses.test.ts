// Deep response validation (`@edgestripe/<domain>/deep`): both fixture sets (API 2024-04-10 and
// 2026) produce zero issues for every operation of every domain; a wrong type, a null or a missing
// required field at any depth of any fixture is caught at its path (property test, the spec as
// the oracle); through the client, 'deep' reports via `response:invalid`, 'deep-strict' throws,
// and a newer enum value is reported via `enum:unknown`, never a failure.
import { createStripe, StripeResponseValidationError, type ValidationIssue } from '@edgestripe/core'
import { deepSchemas as sourcesDeep } from '@edgestripe/sources/deep'
import { retrieveOutboundPayment } from '@edgestripe/treasury'
import { deepSchemas as treasuryDeep } from '@edgestripe/treasury/deep'
import fc from 'fast-check'
import type { GenericSchema } from 'valibot'
import { describe, expect, it } from 'vitest'
import { _isUnknownEnum } from '../packages/core/src/open-enums'
import { _issueOf, check } from '../packages/core/src/validate'
import { DOMAIN_RESOURCES, DOMAINS, type Json, refName, responseSchema } from '../scripts/codegen/domains-spec'
import { FIXTURES, type FixtureSet, fixtureFor, responseVariants, spec, specOperations } from '../test-support/fixture-server'

const deep: Record<string, GenericSchema> = {}
for (const domain of DOMAINS) Object.assign(deep, (await import(`../packages/${domain}/src/generated/deep.ts`)).deepResponses)

const failures = (id: string, data: unknown) => (check(deep[id]!, data) ?? []).filter((issue) => !_isUnknownEnum(_issueOf(issue)))

const cases = (['2024-04-10', 'latest'] as FixtureSet[]).flatMap((set) =>
  specOperations.flatMap((op) => {
    const schema = responseSchema(op.op)
    return [undefined, ...responseVariants(schema)].map((variant) => ({
      set,
      id: op.operationId,
      variant: variant ?? '',
      data: fixtureFor(schema, set, '/v1/x', variant),
    }))
  }),
)

describe('deep schemas: the fixtures of both API versions pass', () => {
  it('every operation has a deep schema', () => {
    expect(Object.keys(deep).sort()).toEqual(specOperations.map((o) => o.operationId).sort())
  })
  it.each(cases)('$set $id $variant', ({ id, data }) => {
    expect(failures(id, data)).toEqual([])
  })
})

// --- mutation sites, from the spec (not from the generated schemas) ---

interface Site {
  path: string[]
  kind: 'null' | 'wrong type' | 'missing'
  depth: number
}

const resolve = (schema: Json): Json => (schema?.$ref ? spec.components.schemas[refName(schema.$ref)] : schema)
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

/** Every place in `value` where a mutation is invalid by the spec, descending into objects and arrays. */
function sites(schema: Json, value: unknown, path: string[], out: Site[]): void {
  schema = resolve(schema)
  const alternatives: Json[] | undefined = schema?.anyOf
  if (alternatives) {
    // the alternative the value is: an object one for objects (matching `object` when stated)
    const flat = (list: Json[]): Json[] => list.map(resolve).flatMap((a) => (a.anyOf ? flat(a.anyOf) : [a]))
    const objects = flat(alternatives).filter((a) => a.properties)
    const same = objects.filter((a) => isObject(value) && a.properties.object?.enum?.[0] === value.object)
    // Two shapes with the same `object` (a bank_account and a deleted one): a mutation may just
    // make it the other, valid one. Not a site.
    if (same.length > 1) return
    const match = isObject(value) ? (same[0] ?? objects[0]) : undefined
    if (match) sites(match, value, path, out)
    return
  }
  if (Array.isArray(value) && schema?.type === 'array') {
    for (const [i, item] of value.entries()) sites(schema.items ?? {}, item, [...path, String(i)], out)
    return
  }
  if (!isObject(value) || !schema?.properties) return
  const required = new Set<string>(schema.required ?? [])
  // outside the package's domains, only `id` and `object` are checked
  const external = schema['x-resourceId'] && !DOMAIN_IDS.has(schema['x-resourceId'])
  for (const [key, child] of Object.entries(value)) {
    const prop = schema.properties[key]
    if (!prop || (external && key !== 'object')) continue
    const at = [...path, key]
    const resolved = resolve(prop)
    const typed = !!(resolved.type || resolved.anyOf || resolved.enum || resolved.properties)
    if (!typed) continue
    if (!prop.nullable && !resolved.nullable && !resolved.anyOf?.some((a: Json) => resolve(a).nullable))
      out.push({ path: at, kind: 'null', depth: at.length })
    out.push({ path: at, kind: 'wrong type', depth: at.length })
    if (required.has(key)) out.push({ path: at, kind: 'missing', depth: at.length })
    sites(prop, child, at, out)
  }
}
const DOMAIN_IDS = new Set(Object.values(DOMAIN_RESOURCES).flat())

/** The JSON types a schema accepts (anyOf flattened, `$ref`s resolved). */
function accepted(schema: Json): Set<string> {
  const out = new Set<string>()
  const visit = (node: Json) => {
    node = resolve(node)
    if (!node) return
    if (node.anyOf) {
      for (const alt of node.anyOf) visit(alt)
      return
    }
    if (Array.isArray(node.enum)) for (const v of node.enum) out.add(typeof v)
    else if (node.type === 'integer') out.add('number')
    else if (node.type === 'array') out.add('array')
    else if (node.type === 'object' || node.properties || node.additionalProperties) out.add('object')
    else if (node.type) out.add(node.type)
  }
  visit(schema)
  return out
}

/** A value of a JSON type the schema at that place does not accept. */
function wrongValue(schema: Json): unknown {
  const types = accepted(schema)
  return [true, 12345, 'x', [], {}].find((v) => !types.has(Array.isArray(v) ? 'array' : typeof v))
}

function mutate(data: Json, schemaAt: (path: string[]) => Json, site: Site): Json {
  const copy = structuredClone(data)
  let parent = copy
  for (const key of site.path.slice(0, -1)) parent = parent[key]
  const key = site.path[site.path.length - 1] as string
  if (site.kind === 'missing') delete parent[key]
  else parent[key] = site.kind === 'null' ? null : wrongValue(schemaAt(site.path))
  return copy
}

describe('deep schemas catch a wrong type, a null or a missing field at any depth', () => {
  const all = cases.flatMap(({ id, set, variant, data }) => {
    const op = specOperations.find((o) => o.operationId === id)!
    const root = responseSchema(op.op)
    const found: Site[] = []
    const listed = root.properties?.object?.enum?.[0] === 'list'
    const rootSchema = listed ? root.properties.data.items : root
    const value = listed ? data.data[0] : data
    sites(rootSchema, value, listed ? ['data', '0'] : [], found)
    return found.map((site) => ({ id, set, variant, data, site }))
  })

  it('finds mutation sites at depth 3 and more', () => {
    expect(all.length).toBeGreaterThan(1000)
    expect(all.some((c) => c.site.depth >= 3 && c.site.kind === 'null')).toBe(true)
    expect(all.some((c) => c.site.depth >= 3 && c.site.kind === 'missing')).toBe(true)
  })

  it('each mutation is reported at its path', () => {
    fc.assert(
      fc.property(fc.constantFrom(...all), ({ id, data, site }) => {
        const broken = mutate(data, (path) => propAt(id, data, path), site)
        const issues = failures(id, broken)
        const path = site.path.join('.')
        expect(
          issues.some((issue: ValidationIssue) => issue.path === path || issue.path.startsWith(`${path}.`)),
          `${id} ${site.kind} at ${path}: ${JSON.stringify(issues)}`,
        ).toBe(true)
      }),
      { numRuns: 1500 },
    )
  })
})

/** The spec schema of the field at `path` in an operation's response (for `wrongValue`), following the data's `object`. */
function propAt(id: string, data: Json, path: string[]): Json {
  let schema: Json = responseSchema(specOperations.find((o) => o.operationId === id)!.op)
  let value = data
  for (const key of path) {
    schema = resolve(schema)
    if (schema.anyOf) {
      const flat = (list: Json[]): Json[] => list.map(resolve).flatMap((a) => (a.anyOf ? flat(a.anyOf) : [a]))
      const options = flat(schema.anyOf).filter((a) => a.properties || a.type === 'array')
      schema = options.find((a) => a.properties?.object?.enum?.[0] === value?.object) ?? options.find((a) => a.properties?.[key]) ?? {}
    }
    schema = /^\d+$/.test(key) && schema.type === 'array' ? schema.items : (schema.properties?.[key] ?? {})
    value = value?.[key]
  }
  return schema
}

describe("through the client: validateResponses 'deep' and 'deep-strict'", () => {
  const payment = structuredClone(FIXTURES['2024-04-10']['treasury.outbound_payment'])
  function client(mode: 'deep' | 'deep-strict' | 'warn', body: unknown) {
    const invalid: ValidationIssue[][] = []
    const unknown: string[] = []
    const stripe = createStripe({
      apiKey: 'sk_test_123',
      maxRetries: 0,
      validateResponses: mode,
      plugins: [treasuryDeep, sourcesDeep],
      fetch: async () => Response.json(body),
      hooks: {
        'response:invalid': ({ issues }) => void invalid.push([...issues]),
        'enum:unknown': ({ where, path, value }) => void unknown.push(`${where} ${path}=${value}`),
      },
    })
    return { stripe, invalid, unknown }
  }

  it('reports a depth-3 mistake the shallow check does not see', async () => {
    const broken = structuredClone(payment)
    broken.status_transitions.posted_at = 'yesterday'
    broken.destination_payment_method_details = { type: 'us_bank_account', billing_details: { address: {}, email: 3, name: null } }
    const shallow = client('warn', broken)
    await retrieveOutboundPayment(shallow.stripe, 'obp_1')
    expect(shallow.invalid).toEqual([])
    const deepClient = client('deep', broken)
    const result = await retrieveOutboundPayment(deepClient.stripe, 'obp_1')
    expect(result).toEqual(broken) // returned untouched
    expect(deepClient.invalid).toHaveLength(1)
    expect(deepClient.invalid[0]!.map((i) => i.path).sort()).toEqual([
      'destination_payment_method_details.billing_details.email',
      'status_transitions.posted_at',
    ])
    const strict = client('deep-strict', broken)
    const error = await retrieveOutboundPayment(strict.stripe, 'obp_1').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StripeResponseValidationError)
    expect((error as Error).message).toMatch(/^retrieveOutboundPayment: Stripe processed the request .*does not match the schema: /)
  })

  it('a newer enum value passes and is reported as unknown', async () => {
    const newer = { ...structuredClone(payment), status: 'teleported' }
    const { stripe, invalid, unknown } = client('deep-strict', newer)
    await retrieveOutboundPayment(stripe, 'obp_1')
    expect(invalid).toEqual([])
    expect(unknown).toEqual(['response status=teleported'])
  })

  it('an expanded object is checked against its own schema', async () => {
    const transaction = structuredClone(FIXTURES['2024-04-10']['treasury.transaction'])
    const expanded = { ...structuredClone(payment), transaction }
    const ok = client('deep-strict', expanded)
    const result = await retrieveOutboundPayment(ok.stripe, 'obp_1', { expand: ['transaction'] })
    expect(result.transaction.object).toBe('treasury.transaction') // typed as Transaction (Expand)
    const shallow = createStripe({ apiKey: 'sk_test_123', validateResponses: 'strict', fetch: async () => Response.json(expanded) })
    await retrieveOutboundPayment(shallow, 'obp_1', { expand: ['transaction'] })
    const bad = client('deep', { ...expanded, transaction: { ...transaction, amount: 'ten' } })
    await retrieveOutboundPayment(bad.stripe, 'obp_1', { expand: ['transaction'] })
    expect(bad.invalid[0]!.map((i) => i.path)).toEqual(['transaction.amount'])
  })
})
