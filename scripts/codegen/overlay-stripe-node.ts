// spec/overlay.stripe-node.json: what the official `stripe` package 23.1.0's types accept or
// return beyond spec.json + overlay.json, as a list of changes per operation (params) and per
// component schema (responses). Written by stripe-node-overlay.ts from node_modules/stripe's
// `.d.ts` (never by hand), merged here by `loadSpec()`. A change is one of:
//   { at, add, schema }     a property `add` on the object at `at` (params: optional; responses: optional)
//   { at, enum }            enum values added to the (string) enum at `at`
//   { at, alternative }     a type the value at `at` may also have (e.g. numbers in `metadata[*]`)
//   { at, nullable: true }  (responses) the value at `at` may be null
//   { at, closed: true }    (params) the spec marks the enum at `at` `x-stripeBypassValidation`
//                           (open) but stripe-node's type lists it closed: it is checked as a closed list
// `at` is the param path in Stripe's bracket form (`destination_payment_method_data[type]`), `[]`
// for array items and `[*]` for the values of a record; '' is the root.

export type Json = any

export interface OverlayChange {
  at: string
  add?: string
  schema?: Json
  enum?: string[]
  alternative?: Json
  nullable?: true
  closed?: true
}

export interface StripeNodeOverlay {
  info?: Json
  /** operationId → changes to its params (query params and form body, as one object) */
  params: Record<string, OverlayChange[]>
  /** component schema name → changes to it (responses) */
  schemas: Record<string, OverlayChange[]>
}

/** `a[b][]` → `['a', 'b', '[]']`. */
export function tokens(at: string): string[] {
  if (!at) return []
  const head = at.match(/^[^[]+/)?.[0] ?? ''
  const rest = [...at.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => (m[1] === '' ? '[]' : m[1] === '*' ? '[*]' : m[1]))
  return [head, ...(rest as string[])]
}

export function joinAt(at: string, token: string): string {
  if (!at) return token
  return `${at}[${token === '[]' ? '' : token === '[*]' ? '*' : token}]`
}

/** The alternatives of a node: `$ref`s resolved, `anyOf`/`oneOf` flattened. */
export function alternatives(node: Json, schemas: Record<string, Json>): Json[] {
  if (!node || typeof node !== 'object') return []
  if (node.$ref) return alternatives(schemas[node.$ref.replace('#/components/schemas/', '')], schemas)
  const alts = node.anyOf ?? node.oneOf
  if (alts) return alts.flatMap((a: Json) => alternatives(a, schemas))
  return [node]
}

/** The child of `node` at `token`, through `$ref`s and unions; undefined when there is none. */
export function child(node: Json, token: string, schemas: Record<string, Json>): Json {
  for (const alt of alternatives(node, schemas)) {
    if (token === '[]' && alt.type === 'array') return alt.items
    if (token === '[*]' && alt.additionalProperties && typeof alt.additionalProperties === 'object') return alt.additionalProperties
    if (alt.properties && Object.hasOwn(alt.properties, token)) return alt.properties[token]
  }
  return undefined
}

function sortKeys(record: Record<string, Json>): Record<string, Json> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]]),
  )
}

/** Applies one change to the schema `node` (mutated). */
export function applyChange(
  node: Json,
  change: OverlayChange,
  schemas: Record<string, Json>,
  label: string,
  path: string[] = tokens(change.at),
): void {
  let target = node
  for (const token of path) {
    target = child(target, token, schemas)
    if (!target) throw new Error(`overlay.stripe-node: ${label}: no ${change.at}`)
  }
  if (change.add !== undefined) {
    const object = alternatives(target, schemas).find((a) => a.properties)
    if (!object) throw new Error(`overlay.stripe-node: ${label}: ${change.at} is not an object`)
    object.properties = sortKeys({ ...object.properties, [change.add]: structuredClone(change.schema) })
  } else if (change.enum) {
    const list = alternatives(target, schemas).find((a) => Array.isArray(a.enum) && a.enum.some((v: unknown) => v !== ''))
    if (!list) throw new Error(`overlay.stripe-node: ${label}: ${change.at} has no enum`)
    list.enum = [...list.enum, ...change.enum.filter((v) => !list.enum.includes(v))]
  } else if (change.closed) {
    const list = alternatives(target, schemas).find((a) => Array.isArray(a.enum) && a['x-stripeBypassValidation'])
    if (!list) throw new Error(`overlay.stripe-node: ${label}: ${change.at} has no open enum`)
    delete list['x-stripeBypassValidation']
  } else if (change.alternative) {
    const alt = structuredClone(change.alternative)
    if (target.anyOf) target.anyOf.push(alt)
    else {
      const copy = { ...target }
      delete copy.nullable
      for (const k of Object.keys(target)) if (k !== 'nullable') delete target[k]
      target.anyOf = [copy, alt]
    }
  } else if (change.nullable) target.nullable = true
}

/** spec with the overlay's changes applied (a copy). */
export function applyStripeNodeOverlay(spec: Json, overlay: StripeNodeOverlay | undefined): Json {
  if (!overlay) return spec
  const out = structuredClone(spec)
  const schemas = out.components.schemas
  for (const [name, changes] of Object.entries(overlay.schemas ?? {})) {
    const schema = schemas[name]
    if (!schema) throw new Error(`overlay.stripe-node: unknown schema ${name}`)
    for (const change of changes) applyChange(schema, change, schemas, name)
  }
  const byId = new Map<string, { method: string; op: Json }>()
  for (const item of Object.values(out.paths) as Json[]) {
    for (const [method, op] of Object.entries(item) as [string, Json][]) if (op?.operationId) byId.set(op.operationId, { method, op })
  }
  for (const [id, changes] of Object.entries(overlay.params ?? {})) {
    const found = byId.get(id)
    if (!found) throw new Error(`overlay.stripe-node: unknown operation ${id}`)
    const { method, op } = found
    const media = op.requestBody?.content?.['application/x-www-form-urlencoded']
    for (const change of changes) {
      // The params root is two places in the spec: query parameters (GET/DELETE) and the form body.
      if (!change.at && change.add !== undefined) {
        if (method === 'post') {
          media.schema.properties = sortKeys({ ...media.schema.properties, [change.add]: structuredClone(change.schema) })
          if (alternatives(change.schema, schemas).some((a) => a.type === 'object' || a.type === 'array')) {
            media.encoding = sortKeys({ ...media.encoding, [change.add]: { explode: true, style: 'deepObject' } })
          }
        } else {
          op.parameters = [
            ...(op.parameters ?? []),
            { in: 'query', name: change.add, required: false, schema: structuredClone(change.schema), style: 'deepObject' },
          ].sort((a: Json, b: Json) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        }
        continue
      }
      const [head, ...rest] = tokens(change.at)
      const param = (op.parameters ?? []).find((p: Json) => p.in === 'query' && p.name === head)
      const node = param ? param.schema : media?.schema?.properties?.[head as string]
      if (!node) throw new Error(`overlay.stripe-node: ${id}: no param ${head}`)
      applyChange(node, change, schemas, id, rest)
    }
  }
  return out
}
