// spec/overlay.stripe-node.json is what stripe-node 23.1.0's types say (staleness), and the
// generated param schemas accept every param object stripe-node's types allow: for every
// operation, one object with every property (at every depth), then one variant per enum literal
// and per union alternative (`''`/`null` unset, numeric metadata, …).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { GenericSchema } from 'valibot'
import { describe, expect, it } from 'vitest'
import { check } from '../../packages/core/src/validate'
import { DOMAINS, type Json, listOperations, loadSpec, paramsSchema, root } from './domains-spec'
import { computeStripeNodeOverlay, overlayPath } from './stripe-node-overlay'
import { loadStripeNodeTypes, toSchema } from './stripe-node-types'

/** A value for each choice (enum literal, union alternative) at each place; `pick` names the place and the choice to vary. */
function sample(schema: Json, at: string, pick: { at: string; index: number } | undefined, places: Map<string, number>): unknown {
  const alternatives: Json[] = schema.anyOf ?? [schema]
  const withNull = schema.nullable ? [...alternatives, { null: true }] : alternatives
  if (withNull.length > 1) places.set(`${at}|alt`, withNull.length)
  const chosen = withNull[pick?.at === `${at}|alt` ? pick.index : 0] as Json
  if (chosen.null) return null
  if (chosen.enum) {
    places.set(`${at}|enum`, chosen.enum.length)
    return chosen.enum[pick?.at === `${at}|enum` ? pick.index : 0]
  }
  switch (chosen.type) {
    case 'string':
      return 'x'
    case 'number':
      return 6735
    case 'boolean':
      return true
    case 'array':
      return [sample(chosen.items ?? {}, `${at}[]`, pick, places)]
    case 'object':
      if (chosen.properties) {
        return Object.fromEntries(
          Object.entries(chosen.properties).map(([k, v]) => [k, sample(v as Json, at ? `${at}[${k}]` : k, pick, places)]),
        )
      }
      if (chosen.additionalProperties) return { order_id: sample(chosen.additionalProperties, `${at}[*]`, pick, places) }
      return {}
    default:
      return 'x'
  }
}

/** Every params object to try: all choices 0, then each place's every other choice. */
function paramVariants(schema: Json): unknown[] {
  const places = new Map<string, number>()
  const out = [sample(schema, '', undefined, places)]
  for (const [at, count] of places) for (let index = 1; index < count; index++) out.push(sample(schema, '', { at, index }, places))
  return out
}

const operations: Record<string, { params: GenericSchema }> = {}
for (const domain of DOMAINS) {
  for (const file of ['operations', 'test-helpers-operations']) {
    const path = join(root, 'packages', domain, 'src', 'generated', `${file}.ts`)
    if (existsSync(path)) Object.assign(operations, (await import(path)).operations)
  }
}

describe('spec/overlay.stripe-node.json', () => {
  it('is what scripts/codegen/stripe-node-overlay.ts derives from node_modules/stripe (run `pnpm codegen:stripe-node`)', () => {
    expect(JSON.parse(readFileSync(overlayPath, 'utf8'))).toEqual(computeStripeNodeOverlay())
  })
})

describe('generated params accept what stripe-node 23.1.0 types accept', () => {
  const types = loadStripeNodeTypes()
  const infos = listOperations(loadSpec())
  const cases = infos.flatMap((info) => {
    const found = types.paramsType(info.method, info.path)
    return found ? [{ id: info.operationId, schema: toSchema(types.checker, found.type) }] : []
  })

  it('covers every operation stripe-node has', () => {
    expect(cases.length).toBeGreaterThanOrEqual(infos.length - 2)
    expect(Object.keys(operations).sort()).toEqual(infos.map((i) => i.operationId).sort())
  })

  it.each(cases)('$id', ({ id, schema }) => {
    const variants = paramVariants(schema)
    expect(variants.length).toBeGreaterThan(0)
    for (const params of variants) {
      const issues = check((operations[id] as { params: GenericSchema }).params, params)
      expect(issues, JSON.stringify(params)).toBeUndefined()
    }
  })

  it('the variants reach nested params, enum literals and numeric metadata', () => {
    const all = (id: string) => paramVariants(cases.find((c) => c.id === id)?.schema).map((p) => JSON.stringify(p))
    expect(all('PostTreasuryOutboundPayments').some((p) => p.includes('"destination_payment_method_data":{"billing_details"'))).toBe(true)
    expect(all('PostTreasuryOutboundPayments').some((p) => p.includes('"metadata":{"order_id":6735}'))).toBe(true)
    expect(all('PostTestHelpersTreasuryReceivedCredits').some((p) => p.includes('"network":"rtp"'))).toBe(true)
    expect(all('PostTestHelpersTreasuryOutboundPaymentsId').some((p) => p.includes('"chips":"x"'))).toBe(true)
    expect(all('PostCustomersCustomerSources').some((p) => p.includes('"validate":true'))).toBe(true)
    expect(all('PostReportingReportRuns').length).toBeGreaterThan(400) // every timezone
  })

  it('every metadata param, at any depth, takes numbers (stripe-node MetadataParam), card[metadata] included', () => {
    const stringOnly: string[] = []
    const walk = (schema: Json, at: string, id: string): void => {
      for (const alt of schema.anyOf ?? [schema]) {
        if (alt.items) walk(alt.items, `${at}[]`, id)
        if (alt.additionalProperties && at.endsWith('metadata')) {
          const values = alt.additionalProperties.anyOf ?? [alt.additionalProperties]
          if (!values.some((v: Json) => v.type === 'number')) stringOnly.push(`${id} ${at}`)
        }
        for (const [name, child] of Object.entries(alt.properties ?? {})) walk(child as Json, at ? `${at}[${name}]` : name, id)
      }
    }
    for (const info of infos) walk(paramsSchema(info), '', info.operationId)
    expect(stringOnly).toEqual([])
    const attach = operations.PostCustomersCustomerSources as { params: GenericSchema }
    expect(check(attach.params, { card: { exp_month: 1, exp_year: 2030, number: '4242', metadata: { order_id: 6735 } } })).toBeUndefined()
  })

  it('still refuses what neither accepts', () => {
    const op = operations.PostTreasuryOutboundPayments as { params: GenericSchema }
    const base = { amount: 1, currency: 'usd', financial_account: 'fa_1' }
    expect(check(op.params, { ...base, metadata: { a: true } })).toBeDefined()
    expect(check(op.params, { ...base, destinaton_payment_method: 'pm_1' })).toBeDefined()
    expect(check(op.params, { ...base, amount: 1.5 })).toBeDefined()
  })
})
