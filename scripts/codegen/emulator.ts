// Writes packages/testing/src/generated/*: the emulator's compact digest of spec/spec.json (with
// spec/overlay.json merged, as the SDK's generator does)
// (route table + validation schemas) and the fixtures it uses as object templates.
// Run by `pnpm codegen` (or `tsx scripts/codegen/emulator.ts`); output is committed.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { DECLARATIONS } from './domain-declarations'
import { flatType, literal, pascal, printAlias, printInterface, type TypeNode, union } from './domains-print'
import { type TypeContext, typeOf } from './domains-resources'
import { DOMAIN_RESOURCES, type Json, loadFixtures, loadSpec, pathParams, refName, root } from './domains-spec'
import { inspectorAssetsModule } from './inspector'

/** Fixture resources the emulator uses as templates for new objects: the SDK's domain resources. */
const TEMPLATE_RESOURCES = [...new Set(Object.values(DOMAIN_RESOURCES).flat())].sort()

/** Operations a publishable key may call (Stripe.js-style client-side calls). */
const PUBLISHABLE_OPERATIONS = new Set(DECLARATIONS.flatMap((d) => Object.keys(d.auth ?? {})))

function resolve(spec: Json, node: Json, seen: Set<string>): Json {
  if (node && typeof node === 'object' && typeof node.$ref === 'string') {
    const name = refName(node.$ref)
    if (seen.has(name)) return {}
    return resolve(spec, spec.components.schemas[name], new Set([...seen, name]))
  }
  return node
}

/** Converts an OpenAPI schema into the compact validation tree (see digest-types.ts). */
function compact(spec: Json, raw: Json, seen: Set<string> = new Set()): Json {
  const node = resolve(spec, raw, seen)
  if (!node || typeof node !== 'object') return {}
  const out: Json = {}
  // `x-stripeBypassValidation`: Stripe accepts values outside the schema (e.g. newer enum values)
  const bypass = node['x-stripeBypassValidation'] === true
  if (bypass && (node.anyOf || node.oneOf)) return {}
  if (typeof node.type === 'string') out.t = node.type
  if (Array.isArray(node.enum) && !bypass) out.e = node.enum
  if (typeof node.maxLength === 'number') out.m = node.maxLength
  if (Array.isArray(node.required) && node.required.length) out.r = [...node.required].sort()
  if (node.properties) {
    out.p = {}
    for (const key of Object.keys(node.properties).sort()) out.p[key] = compact(spec, node.properties[key], seen)
  }
  if (node.additionalProperties && typeof node.additionalProperties === 'object') {
    out.a = compact(spec, node.additionalProperties, seen)
  }
  if (node.items) out.i = compact(spec, node.items, seen)
  const alternatives = node.anyOf ?? node.oneOf
  if (Array.isArray(alternatives)) out.o = alternatives.map((alt: Json) => compact(spec, alt, seen))
  return out
}

function routeDigests(spec: Json): Json[] {
  const routes: Json[] = []
  for (const path of Object.keys(spec.paths).sort()) {
    const item = spec.paths[path]
    for (const method of ['get', 'post', 'delete']) {
      const op = item[method]
      if (!op?.operationId) continue
      const parameters: Json[] = op.parameters ?? []
      let params: Json
      if (method === 'post') {
        const body = op.requestBody?.content?.['application/x-www-form-urlencoded']?.schema
        params = body ? compact(spec, body) : { t: 'object' }
        params.t = 'object'
      } else {
        // GET/DELETE params travel in the query: the `in: query` parameters plus any properties of
        // the (form) requestBody schema, e.g. `expand` on DELETE /v1/customers/{customer}/sources/{id}
        const body = op.requestBody?.content?.['application/x-www-form-urlencoded']?.schema
        const fromBody = body ? compact(spec, body) : {}
        const query = parameters.filter((p) => p.in === 'query')
        const properties: Json = { ...(fromBody.p ?? {}) }
        const required = new Set<string>(fromBody.r ?? [])
        for (const p of query) {
          properties[p.name] = compact(spec, p.schema)
          if (p.required) required.add(p.name)
        }
        params = {
          t: 'object',
          p: Object.fromEntries(
            Object.keys(properties)
              .sort()
              .map((k) => [k, properties[k]]),
          ),
        }
        if (required.size) params.r = [...required].sort()
      }
      const route: Json = { id: op.operationId, method: method.toUpperCase(), path, pathParams: pathParams(path), params }
      if (PUBLISHABLE_OPERATIONS.has(op.operationId)) route.publishable = true
      routes.push(route)
    }
  }
  return routes
}

function templateFixtures(fixtures: Json): Json {
  const out: Json = {}
  for (const name of TEMPLATE_RESOURCES) {
    const value = structuredClone(fixtures.resources[name])
    if (!value) throw new Error(`fixture ${name} missing`)
    if (name === 'file') value.links = { data: [], has_more: false, object: 'list', url: value.links.url }
    out[name] = value
  }
  return out
}

// --- types: the validated params of each route, and the stored resources ---
// Built as the domain packages' types are (domains-print.ts trees, printed by its printer); the
// stored resources walked by the same walker (domains-resources.ts `typeOf`, in its `stored` view).

/**
 * The TypeScript type of what `validate.ts` outputs for a compact param schema: integers and
 * numbers as `number`, booleans as `boolean`, and `''` (Stripe's "unset") wherever the validator
 * lets it through — every value that is not required (a required param given `''` is refused).
 */
function paramType(schema: Json, required: boolean): TypeNode {
  const unset = required ? [] : ["''"]
  if (schema.o) return union([...schema.o.map((alt: Json) => paramType(alt, true)), ...unset])
  if (schema.e && (schema.t === 'string' || schema.t === 'integer' || schema.t === 'number')) {
    return union([...schema.e.map(literal), ...unset])
  }
  switch (schema.t) {
    case 'string':
      return 'string'
    case 'integer':
    case 'number':
      return union(['number', ...unset])
    case 'boolean':
      return union(['boolean', ...unset])
    case 'array':
      return union([{ array: schema.i ? paramType(schema.i, false) : 'ParamValue' }, ...unset])
  }
  if (schema.p || schema.a || schema.t === 'object') return union([objectParamType(schema), ...unset])
  return 'ParamValue'
}

function objectParamType(schema: Json): TypeNode {
  if (!schema.p) return `{ [key: string]: ${schema.a ? flatType(paramType(schema.a, false)) : 'ParamValue'} }`
  const required = new Set<string>(schema.r ?? [])
  return {
    props: Object.keys(schema.p).map((name) => ({
      name,
      optional: !required.has(name),
      type: paramType(schema.p[name], required.has(name)),
    })),
  }
}

function routeTypes(routes: Json[]): string {
  const byRoute = (type: (route: Json) => TypeNode): TypeNode => ({
    props: routes.map((route) => ({ name: route.id, optional: false, type: type(route) })),
  })
  const path = (route: Json): TypeNode =>
    flatType({ props: route.pathParams.map((name: string) => ({ name, optional: false, type: 'string' })) })
  return (
    `import type { ParamValue } from '../validate.js'\n\n` +
    printInterface(
      'RouteParams',
      byRoute((route) => objectParamType(route.params)),
      'The validated params of each operation (query for GET/DELETE, form body for POST).',
    ) +
    `\n${printInterface('RoutePathParams', byRoute(path), 'The path params of each operation, decoded.')}\n` +
    `/** An operationId of the spec. */\nexport type RouteId = keyof RouteParams\n`
  )
}

/**
 * Stored resource types: the spec's response schemas, full depth, with expandable fields as the
 * id string the store holds (expansion happens on the copy sent out) and objects outside the
 * emulator's resources as `StripeObject`.
 */
function resourceTypes(spec: Json): string {
  const schemas: Record<string, Json> = spec.components.schemas
  const ctx: TypeContext = { schemas, domain: new Set(TEMPLATE_RESOURCES), reached: new Map(), external: new Set(), stored: true }
  const byResource = TEMPLATE_RESOURCES.map((rid) => {
    const schema = Object.keys(schemas).find((name) => schemas[name]['x-resourceId'] === rid && !schemas[name].anyOf)
    if (!schema) throw new Error(`no schema for resource ${rid}`)
    ctx.reached.set(schema, pascal(schema))
    return { name: rid, optional: false, type: pascal(schema) }
  })
  const out: string[] = []
  // Every type reached, in the order reached (a Map's iteration visits what the loop adds).
  for (const [schema, name] of ctx.reached) {
    const rid = schemas[schema]['x-resourceId']
    // type aliases, not interfaces: they are assignable to `{ [key: string]: unknown }` (StripeObject)
    out.push(
      printAlias(name, typeOf(ctx, { ...schemas[schema], nullable: false }), rid && `The \`${rid}\` object as the emulator stores it.`),
    )
  }
  return (
    `import type { StripeObject } from '../store.js'\n\n` +
    printInterface('Resources', { props: byResource }, 'Stored resources by their `object` value.') +
    `\n/** An \`object\` value the emulator stores with a typed shape. */\nexport type ResourceName = keyof Resources\n\n` +
    out.join('\n')
  )
}

/**
 * Stripe's lists for webhook endpoints (spec + the stripe-node overlay): the event types
 * `enabled_events` accepts and the API versions `api_version` accepts. The spec marks both
 * `x-stripeBypassValidation`, so the route digest keeps no enum for them; the emulator checks them
 * against these lists (domains/webhook-endpoints.ts), as Stripe answers an unknown one with a 400.
 */
function webhookLists(spec: Json): string {
  const body = spec.paths['/v1/webhook_endpoints'].post.requestBody.content['application/x-www-form-urlencoded'].schema.properties
  const events: string[] = [...new Set<string>(body.enabled_events.items.enum)].sort()
  const versions: string[] = [...new Set<string>(body.api_version.enum)].sort()
  return (
    `/** Event types a webhook endpoint's \`enabled_events\` accepts (\`*\` included). */\n` +
    `export const WEBHOOK_EVENT_TYPES: readonly string[] = ${JSON.stringify(events)}\n\n` +
    `/** API versions a webhook endpoint's \`api_version\` (and a request's \`Stripe-Version\`) may name, oldest first. */\n` +
    `export const API_VERSIONS: readonly string[] = ${JSON.stringify(versions)}\n`
  )
}

/** The emulator's generated files from `spec` (`pnpm codegen` hands it the spec it read for the domains). */
export function writeEmulatorDigest(spec: Json = loadSpec()): Record<string, string> {
  const fixtures = loadFixtures()
  const header = '// Generated by scripts/codegen/emulator.ts from spec/; do not edit.\n'
  const routes = routeDigests(spec)
  const files: Record<string, string> = {
    'packages/testing/src/generated/routes.ts':
      `${header}import type { RouteDigest } from '../digest-types.js'\n\n` +
      `export const API_VERSION = ${JSON.stringify(spec.info.version)}\n\n` +
      `export const routes: readonly RouteDigest[] = ${JSON.stringify(routes)}\n`,
    'packages/testing/src/generated/route-types.ts': `${header}${routeTypes(routes)}`,
    'packages/testing/src/generated/resources.ts': `${header}${resourceTypes(spec)}`,
    'packages/testing/src/generated/webhook-lists.ts': `${header}\n${webhookLists(spec)}`,
    'packages/testing/src/generated/fixtures.ts':
      `${header}\n` +
      `export const fixtures: Readonly<Record<FixtureName, Readonly<Record<string, unknown>>>> = ${JSON.stringify(templateFixtures(fixtures))}\n\n` +
      `export type FixtureName = ${TEMPLATE_RESOURCES.map((n) => JSON.stringify(n)).join(' | ')}\n`,
    // the inspector page, built with Vite (scripts/codegen/inspector.ts)
    'packages/testing/src/generated/inspector-assets.ts': inspectorAssetsModule(),
  }
  return files
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [file, text] of Object.entries(writeEmulatorDigest())) {
    mkdirSync(dirname(join(root, file)), { recursive: true })
    writeFileSync(join(root, file), text)
  }
}
