// Writes packages/testing/src/generated/*: the emulator's compact digest of spec/spec.json (with
// spec/overlay.json merged, as the SDK's generator does)
// (route table + validation schemas) and the fixtures it uses as object templates.
// Run by `pnpm codegen` (or `tsx scripts/codegen/emulator.ts`); output is committed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DOMAIN_RESOURCES, loadSpec } from './domains-spec'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const specDir = join(root, 'spec')
export const emulatorGeneratedDir = join(root, 'packages', 'testing', 'src', 'generated')

type Json = any

/** Fixture resources the emulator uses as templates for new objects: the SDK's domain resources. */
const TEMPLATE_RESOURCES = [...new Set(Object.values(DOMAIN_RESOURCES).flat())].sort()

/** Operations a publishable key may call (Stripe.js-style client-side calls). */
const PUBLISHABLE_OPERATIONS = new Set(['GetSourcesSource', 'PostSources'])

function resolve(spec: Json, node: Json, seen: Set<string>): Json {
  if (node && typeof node === 'object' && typeof node.$ref === 'string') {
    const name = node.$ref.replace('#/components/schemas/', '')
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
      const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])
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
      const route: Json = { id: op.operationId, method: method.toUpperCase(), path, pathParams, params }
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

export function writeEmulatorDigest(): Record<string, string> {
  const spec = loadSpec(specDir)
  const fixtures = JSON.parse(readFileSync(join(specDir, 'fixtures.json'), 'utf8'))
  const header = '// Generated by scripts/codegen/emulator.ts from spec/; do not edit.\n'
  const routes = routeDigests(spec)
  const files: Record<string, string> = {
    'packages/testing/src/generated/routes.ts':
      `${header}import type { RouteDigest } from '../digest-types.js'\n\n` +
      `export const API_VERSION = ${JSON.stringify(spec.info.version)}\n\n` +
      `export const routes: readonly RouteDigest[] = ${JSON.stringify(routes)}\n`,
    'packages/testing/src/generated/fixtures.ts':
      `${header}\n` +
      `export const fixtures: Readonly<Record<FixtureName, Readonly<Record<string, unknown>>>> = ${JSON.stringify(templateFixtures(fixtures))}\n\n` +
      `export type FixtureName = ${TEMPLATE_RESOURCES.map((n) => JSON.stringify(n)).join(' | ')}\n`,
  }
  return files
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [file, text] of Object.entries(writeEmulatorDigest())) {
    mkdirSync(dirname(join(root, file)), { recursive: true })
    writeFileSync(join(root, file), text)
  }
}
