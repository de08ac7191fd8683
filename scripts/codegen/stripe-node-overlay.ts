// Writes spec/overlay.stripe-node.json: for every operation, what stripe-node 23.1.0's params type
// accepts that spec.json + overlay.json do not (properties at any depth, enum values, value types
// such as numeric metadata); for every domain resource (and the objects nested in it), the fields,
// enum values and nulls its response interface has that the spec lacks. Derived mechanically from
// node_modules/stripe's `.d.ts` (stripe-node-types.ts). Run `pnpm codegen:stripe-node` after
// bumping the `stripe` devDependency, review the diff, then `pnpm codegen`.
//
// An enum the spec marks `x-stripeBypassValidation` (open) that stripe-node types as a closed
// literal union (no `OtherString`) becomes closed (`{ at, closed: true }`): webhook endpoints'
// `enabled_events` and `api_version`, Financial Connections' subscribe/unsubscribe `features`.
//
// Kept closed on purpose (reported in `info.notApplied`, not applied): a param stripe-node types
// as `string` where the spec lists an enum (the spec's values stay the check), and params that are
// required in one and optional in the other (the spec's required list stays).
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DOMAIN_RESOURCES, DOMAINS, type Json, listOperations, loadSpec, paramsSchema, specDir } from './domains-spec'
import { alternatives, child, joinAt, type OverlayChange, type StripeNodeOverlay, tokens } from './overlay-stripe-node'
import { closedEnums, loadStripeNodeTypes, stripeDir, toSchema } from './stripe-node-types'

export const overlayPath = join(specDir, 'overlay.stripe-node.json')

const isEmptyEnum = (a: Json) => Array.isArray(a.enum) && a.enum.every((v: unknown) => v === '')
const isNumber = (a: Json) => a.type === 'integer' || a.type === 'number'

interface DiffContext {
  schemas: Record<string, Json>
  responses: boolean
  /** component name → changes (responses: changes inside a `$ref`'d component are keyed by it) */
  byComponent: Map<string, OverlayChange[]>
  notApplied: string[]
  label: string
}

/** Pushes onto `out` what `ts` (from stripe-node) accepts at `at` that `spec` does not. */
function diff(spec: Json, ts: Json, at: string, out: OverlayChange[], ctx: DiffContext): void {
  // Inside a `$ref` (responses): changes belong to that component, once, whoever reaches it.
  if (spec?.$ref) {
    const name = spec.$ref.replace('#/components/schemas/', '')
    const target = ctx.schemas[name]
    if (target['x-resourceId'] || ctx.byComponent.has(name)) return // resources are their own roots
    const list: OverlayChange[] = []
    ctx.byComponent.set(name, list)
    diff(target, ts, '', list, { ...ctx, label: name })
    return
  }
  const specAlts = alternatives(spec, ctx.schemas)
  const specNullable = spec?.nullable || specAlts.some((a) => a.nullable)
  if (ctx.responses && ts.nullable && !specNullable) out.push({ at, nullable: true })
  const tsAlts: Json[] = ts.anyOf ?? [ts]
  for (const t of tsAlts) {
    if (t.$ref || !t.type) continue
    const add = () => out.push({ at, alternative: t })
    if (t.type === 'string' && isEmptyEnum(t)) {
      if (!ctx.responses && !specAlts.some((a) => isEmptyEnum(a) || (a.enum ?? []).includes(''))) add()
      continue
    }
    if (t.type === 'string') {
      const strings = specAlts.filter((a) => a.type === 'string' && !isEmptyEnum(a))
      if (!strings.length) {
        if (!ctx.responses || !specAlts.some((a) => a.$ref || a.anyOf)) add()
        continue
      }
      if (strings.some((a) => !a.enum)) continue // any string already
      const known = new Set(strings.flatMap((a) => a.enum))
      if (!t.enum) {
        ctx.notApplied.push(`${ctx.label} ${at}: stripe-node accepts any string, the spec lists ${known.size} values`)
        continue
      }
      const missing = (t.enum as string[]).filter((v) => !known.has(v))
      if (missing.length) out.push({ at, enum: missing })
      // The spec leaves the list open (`x-stripeBypassValidation`), stripe-node closes it: closed.
      if (!ctx.responses && closedEnums.has(t) && strings.some((a) => a['x-stripeBypassValidation'])) out.push({ at, closed: true })
      continue
    }
    if (t.type === 'number') {
      if (!specAlts.some(isNumber)) add()
      continue
    }
    if (t.type === 'boolean') {
      if (!specAlts.some((a) => a.type === 'boolean')) add()
      continue
    }
    if (t.type === 'array') {
      const array = specAlts.find((a) => a.type === 'array')
      if (array) diff(array.items ?? {}, t.items ?? {}, joinAt(at, '[]'), out, ctx)
      else add()
      continue
    }
    if (t.type === 'object') {
      if (t.properties) {
        const object = specAlts.find((a) => a.properties && Object.keys(a.properties).length)
        if (!object) {
          if (!specAlts.some((a) => a.type === 'object' || a.additionalProperties)) add()
          continue
        }
        for (const [name, schema] of Object.entries(t.properties) as [string, Json][]) {
          const existing = object.properties[name]
          if (existing) diff(existing, schema, joinAt(at, name), out, ctx)
          else out.push({ at, add: name, schema: ctx.responses ? schema : stripRequiredNull(schema) })
        }
        if (!ctx.responses) {
          const required = new Set<string>(object.required ?? [])
          for (const name of t.required ?? []) {
            if (!required.has(name) && object.properties[name])
              ctx.notApplied.push(`${ctx.label} ${joinAt(at, name)}: required in stripe-node, optional in the spec`)
          }
        }
        continue
      }
      if (t.additionalProperties) {
        const record = specAlts.find((a) => a.additionalProperties && typeof a.additionalProperties === 'object')
        if (record) diff(record.additionalProperties, t.additionalProperties, joinAt(at, '[*]'), out, ctx)
        else if (!specAlts.some((a) => a.type === 'object')) add()
      }
    }
  }
}

/** Bracket paths of every `metadata` string record in a params schema. */
function metadataPaths(schema: Json, at: string): string[] {
  const out: string[] = []
  for (const alt of schema.anyOf ?? [schema]) {
    if (alt.type === 'array' && alt.items) out.push(...metadataPaths(alt.items, joinAt(at, '[]')))
    for (const [name, child] of Object.entries(alt.properties ?? {}) as [string, Json][]) {
      const path = joinAt(at, name)
      const records = (child.anyOf ?? [child]).filter((c: Json) => c.additionalProperties?.type === 'string')
      if (name === 'metadata' && records.length) out.push(path)
      else out.push(...metadataPaths(child, path))
    }
  }
  return out
}

/** `diff` of the schema at bracket path `at` (params) against `ts`. */
function diffAt(root: Json, at: string, ts: Json, out: OverlayChange[], ctx: DiffContext): void {
  let node = root
  for (const token of tokens(at)) node = child(node, token, ctx.schemas)
  diff(node, ts, at, out, ctx)
}

/** Params: `nullable` is how stripe-node types "unset" (`Emptyable`); the spec says it with `''`. */
function stripRequiredNull(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(stripRequiredNull)
  if (!schema || typeof schema !== 'object') return schema
  const out: Json = {}
  for (const [k, v] of Object.entries(schema)) if (k !== 'nullable') out[k] = stripRequiredNull(v)
  return out
}

/** The overlay, computed from spec.json + overlay.json and node_modules/stripe. */
export function computeStripeNodeOverlay(): StripeNodeOverlay {
  const spec = loadSpec({ stripeNode: false })
  const schemas = spec.components.schemas
  const types = loadStripeNodeTypes()
  const version = JSON.parse(readFileSync(join(stripeDir, 'package.json'), 'utf8')).version
  const notApplied: string[] = []
  const params: Record<string, OverlayChange[]> = {}
  const noMethod: string[] = []
  for (const info of listOperations(spec)) {
    const found = types.paramsType(info.method, info.path)
    if (!found) {
      noMethod.push(info.operationId)
      continue
    }
    const ts = toSchema(types.checker, found.type)
    const out: OverlayChange[] = []
    const ctx: DiffContext = { schemas, responses: false, byComponent: new Map(), notApplied, label: info.operationId }
    diff(paramsSchema(info), ts, '', out, ctx)
    if (out.length) params[info.operationId] = out
  }
  // stripe-node types every `metadata` param as `MetadataParam` (string | number values): the
  // same for the metadata params it does not list (inside params it omits, e.g. `card[metadata]`).
  const metadataParam = toSchema(types.checker, types.namedType('MetadataParam'))
  for (const info of listOperations(spec)) {
    const out = params[info.operationId] ?? []
    for (const at of metadataPaths(paramsSchema(info), '')) {
      const existing = new Set(out.map((c) => c.at))
      if (existing.has(joinAt(at, '[*]'))) continue
      const before = out.length
      diffAt(paramsSchema(info), at, metadataParam, out, {
        schemas,
        responses: false,
        byComponent: new Map(),
        notApplied,
        label: info.operationId,
      })
      if (out.length > before) params[info.operationId] = out
    }
  }

  // Responses: each domain resource against the stripe-node interface with the same `object`.
  const refs = new Map<string, string>()
  for (const [name, schema] of Object.entries(schemas) as [string, Json][]) {
    const rid = schema['x-resourceId']
    if (rid && !schema.anyOf && schema.properties?.object?.enum?.length === 1 && !refs.has(schema.properties.object.enum[0]))
      refs.set(schema.properties.object.enum[0], name)
  }
  const byComponent = new Map<string, OverlayChange[]>()
  const resources = [...new Set(DOMAINS.flatMap((d) => DOMAIN_RESOURCES[d] ?? []))].sort()
  for (const name of resources) {
    const schema = schemas[name]
    const objectName = schema?.properties?.object?.enum?.[0]
    const type = objectName && types.resourceTypes.get(objectName)
    if (!type) {
      notApplied.push(`${name}: no stripe-node interface with object '${objectName}'`)
      continue
    }
    const list: OverlayChange[] = []
    byComponent.set(name, list)
    const ctx: DiffContext = { schemas, responses: true, byComponent, notApplied, label: name }
    diff(schema, toSchema(types.checker, type, refs), '', list, ctx)
  }
  const schemasOut: Record<string, OverlayChange[]> = {}
  for (const name of [...byComponent.keys()].sort()) {
    const list = byComponent.get(name) as OverlayChange[]
    if (list.length) schemasOut[name] = list
  }
  return {
    info: {
      source: `stripe ${version} (node_modules/stripe/esm/resources/**/*.d.ts), written by scripts/codegen/stripe-node-overlay.ts`,
      operationsWithoutStripeNodeMethod: noMethod,
      notApplied: [...new Set(notApplied)].sort(),
    },
    params,
    schemas: schemasOut,
  }
}

export function writeStripeNodeOverlay(): void {
  writeFileSync(overlayPath, `${JSON.stringify(computeStripeNodeOverlay(), null, 1)}\n`)
}

if (import.meta.url === `file://${process.argv[1]}`) writeStripeNodeOverlay()
