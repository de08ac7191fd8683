// The spec as the generator and the tests see it: spec/spec.json with spec/overlay.json merged in
// (operations and params from newer API versions, see spec/OVERLAY.md), and each operation's
// package, entry, function name, plugin path and auth, from the declarations
// (domain-declarations.ts) and the names derived from its path.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DECLARATIONS, type DomainDeclaration } from './domain-declarations'
import { camel } from './domains-print'
import { applyStripeNodeOverlay } from './overlay-stripe-node'

export type Json = any

/** The repository's root: every path the generator reads or writes is under it. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
/** spec/: the spec, its overlays and fixtures (`pnpm spec:update` writes it, copy-spec.ts). */
export const specDir = join(root, 'spec')

const readJson = (name: string, dir = specDir): Json => JSON.parse(readFileSync(join(dir, name), 'utf8'))

/** A domain package's name (`packages/<name>`), as declared in domain-declarations.ts. */
export type Domain = string

/** The declarations, by name. */
export const DECLARED: ReadonlyMap<string, DomainDeclaration> = new Map(DECLARATIONS.map((d) => [d.name, d]))
export const DOMAINS: readonly Domain[] = DECLARATIONS.map((d) => d.name)

/** Resources modelled in full (types and runtime schemas); every other object is `StripeObject` (+ its `object` literal). */
export const DOMAIN_RESOURCES: Readonly<Record<Domain, readonly string[]>> = Object.fromEntries(
  DECLARATIONS.map((d) => [d.name, d.resources]),
)

/** Prefixes dropped from type names (`treasury.outbound_payment` → `OutboundPayment`). */
export const TYPE_PREFIXES: readonly string[] = DECLARATIONS.flatMap((d) => (d.typePrefix ? [d.typePrefix] : []))

const singular = (plural: string): string =>
  plural.endsWith('ies') ? `${plural.slice(0, -3)}y` : plural.endsWith('s') ? plural.slice(0, -1) : plural
/** `source` + `source_transaction` → `source_transaction`; `account` + `owner` → `account_owner`. */
const joined = (parent: string, child: string): string => (child.startsWith(`${parent}_`) ? child : `${parent}_${child}`)
const isParam = (segment: string) => segment.startsWith('{')

/**
 * Function name and plugin path, derived from the path and method as stripe-node names them:
 * `GET /v1/treasury/received_credits` → `listReceivedCredits`, `treasury.receivedCredits.list`;
 * `…/{id}` → retrieve (GET), update (POST), del / delete (DELETE); `…/{id}/cancel` (POST) → an
 * action, `cancelInboundTransfer`; `…/{account}/owners` (a plural) → a sub-collection,
 * `listAccountOwners`, `accounts.listOwners`; `…/{customer}/sources/{id}/verify` →
 * `verifyCustomerSource`, `customers.verifySource`.
 */
export function deriveNames(method: string, path: string): { fn: string; plugin: string } {
  const segments = path.split('/').slice(2)
  const firstParam = segments.findIndex(isParam)
  const head = firstParam === -1 ? segments : segments.slice(0, firstParam)
  const collection = head[head.length - 1]!
  const namespace = [...head.map(camel)].join('.')
  const tail = firstParam === -1 ? [] : segments.slice(firstParam + 1)
  const one = singular(collection)
  const verb = { GET: 'retrieve', POST: 'update', DELETE: 'delete' }[method]!
  const out = (fn: string, member: string) => ({ fn: camel(fn), plugin: `${namespace}.${member}` })
  if (firstParam === -1) {
    if (method === 'GET') return out(`list_${collection}`, 'list')
    return out(`create_${one}`, 'create')
  }
  if (tail.length === 0) return out(`${verb}_${one}`, method === 'DELETE' ? 'del' : camel(verb))
  const [sub, subParam, action] = tail as [string, string | undefined, string | undefined]
  if (subParam === undefined) {
    if (!sub.endsWith('s')) return out(`${sub}_${one}`, camel(sub))
    if (method === 'GET') return out(`list_${joined(one, sub)}`, camel(`list_${sub}`))
    return out(`create_${joined(one, singular(sub))}`, camel(`create_${singular(sub)}`))
  }
  const child = singular(sub)
  if (action !== undefined) return out(`${action}_${joined(one, child)}`, camel(`${action}_${child}`))
  return out(`${verb}_${joined(one, child)}`, camel(`${verb}_${child}`))
}

/**
 * spec/spec.json with spec/overlay.json and spec/overlay.stripe-node.json merged in: what `pnpm
 * codegen` reads, once, for the domain packages and the emulator alike. `stripeNode: false`
 * leaves out the stripe-node overlay (what stripe-node-overlay.ts computes it against).
 */
export function loadSpec({ dir = specDir, stripeNode = true }: { dir?: string; stripeNode?: boolean } = {}): Json {
  const spec = mergeOverlay(readJson('spec.json', dir), readJson('overlay.json', dir))
  // Then what stripe-node's types add (written by stripe-node-overlay.ts, see overlay-stripe-node.ts).
  return stripeNode ? applyStripeNodeOverlay(spec, readJson('overlay.stripe-node.json', dir)) : spec
}

/** spec/fixtures.json: Stripe's example objects (the emulator's templates). */
export const loadFixtures = (dir = specDir): Json => readJson('fixtures.json', dir)

/** Adds the overlay's paths, params and response fields to a copy of the spec (see spec/OVERLAY.md). */
export function mergeOverlay(spec: Json, overlay: Json): Json {
  const out = structuredClone(spec)
  const shared = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(shared)
    if (node && typeof node === 'object') {
      if (typeof node.$ref === 'string' && node.$ref.startsWith('#/x-overlay/')) {
        return shared(overlay.shared[node.$ref.slice('#/x-overlay/'.length)])
      }
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, shared(v)]))
    }
    return node
  }
  for (const [path, item] of Object.entries(overlay.paths ?? {})) {
    out.paths[path] = { ...out.paths[path], ...shared(item) }
  }
  for (const [name, change] of Object.entries(overlay.schemas ?? {}) as [string, Json][]) {
    const schema = out.components.schemas[name]
    if (!schema) throw new Error(`overlay: unknown schema ${name}`)
    // Response fields only ever arrive optional: responses of 2024-04-10 do not carry them.
    schema.properties = sortKeys({ ...schema.properties, ...shared(change.properties) })
  }
  const byId = new Map<string, Json>()
  for (const item of Object.values(out.paths) as Json[]) {
    for (const op of Object.values(item) as Json[]) if (op?.operationId) byId.set(op.operationId, op)
  }
  for (const [id, change] of Object.entries(overlay.params ?? {}) as [string, Json][]) {
    const op = byId.get(id)
    if (!op) throw new Error(`overlay: unknown operation ${id}`)
    for (const [name, schema] of Object.entries(change.query ?? {})) {
      op.parameters = [...(op.parameters ?? []), { in: 'query', name, required: false, schema: shared(schema), style: 'form' }]
      op.parameters.sort((a: Json, b: Json) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    }
    const media = op.requestBody?.content?.['application/x-www-form-urlencoded']
    for (const [name, schema] of Object.entries(change.body ?? {})) {
      media.schema.properties = sortKeys({ ...media.schema.properties, [name]: shared(schema) })
      if ((schema as Json).properties || (schema as Json).$ref) {
        media.encoding = sortKeys({ ...media.encoding, [name]: { explode: true, style: 'deepObject' } })
      }
    }
  }
  return out
}

function sortKeys(record: Record<string, Json>): Record<string, Json> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]]),
  )
}

export interface OperationInfo {
  operationId: string
  method: 'GET' | 'POST' | 'DELETE'
  path: string
  op: Json
  domain: Domain
  /** `index` or `test-helpers` */
  entry: 'index' | 'test-helpers'
  fn: string
  plugin: string
  auth: 'secret' | 'publishable' | 'client_secret'
}

/** The declared domain holding a path (by its longest matching prefix). */
export function domainOf(path: string): Domain {
  let best: [Domain, number] | undefined
  for (const d of DECLARATIONS)
    for (const prefix of d.paths) if (path.startsWith(prefix) && (!best || prefix.length > best[1])) best = [d.name, prefix.length]
  if (!best) throw new Error(`no domain declares ${path} (scripts/codegen/domain-declarations.ts)`)
  return best[0]
}

/** Every operation, sorted by operationId (deterministic output). */
export function listOperations(spec: Json): OperationInfo[] {
  const out: OperationInfo[] = []
  for (const [path, item] of Object.entries(spec.paths) as [string, Json][]) {
    for (const method of ['get', 'post', 'delete'] as const) {
      const op = item[method]
      if (!op?.operationId) continue
      const domain = domainOf(path)
      const declaration = DECLARED.get(domain)!
      const derived = deriveNames(method.toUpperCase(), path)
      const names = { ...derived, ...declaration.names?.[op.operationId] }
      out.push({
        operationId: op.operationId,
        method: method.toUpperCase() as OperationInfo['method'],
        path,
        op,
        domain,
        entry: path.startsWith('/v1/test_helpers/') ? 'test-helpers' : 'index',
        fn: names.fn,
        plugin: names.plugin,
        auth: declaration.auth?.[op.operationId] ?? 'secret',
      })
    }
  }
  for (const d of DECLARATIONS) {
    for (const id of [...Object.keys(d.names ?? {}), ...Object.keys(d.auth ?? {})]) {
      if (!out.some((o) => o.operationId === id && o.domain === d.name))
        throw new Error(`${d.name}: names or auth for unknown operation ${id}`)
    }
  }
  const seen = new Map<string, string>()
  for (const o of out) {
    const key = `${o.domain} ${o.entry} ${o.fn}`
    if (seen.has(key)) throw new Error(`${o.domain}: ${o.operationId} and ${seen.get(key)} are both named ${o.fn}`)
    seen.set(key, o.operationId)
  }
  return out.sort((a, b) => (a.operationId < b.operationId ? -1 : 1))
}

/** The params of an operation as one object schema: query params (GET/DELETE) merged with the form body schema. */
export function paramsSchema(info: { method: string; op: Json }): Json {
  const properties: Record<string, Json> = {}
  const required: string[] = []
  for (const p of info.op.parameters ?? []) {
    if (p.in !== 'query') continue
    properties[p.name] = p.schema
    if (p.required) required.push(p.name)
  }
  const body = info.op.requestBody?.content?.['application/x-www-form-urlencoded']?.schema
  for (const [name, schema] of Object.entries(body?.properties ?? {})) properties[name] = schema
  for (const name of body?.required ?? []) required.push(name)
  return { type: 'object', properties: sortKeys(properties), required: [...new Set(required)].sort() }
}

export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string)
}

/** The `200` response schema of an operation. */
export function responseSchema(op: Json): Json {
  return op.responses['200'].content['application/json'].schema
}

export function refName(ref: string): string {
  return ref.replace('#/components/schemas/', '')
}
