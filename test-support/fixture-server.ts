// A spec-checking fixture server for the domain packages' tests: an in-process `fetch` that finds
// the operation by method + path with the emulator's router, decodes the bracket form params
// (query for GET/DELETE, body for POST) and checks them with the emulator's validator against the
// route digest the generator wrote from spec/spec.json (+ spec/overlay.json) — known keys, required
// ones, types, enums, lengths: the spec, read once by the generator, not hand-written expectations —
// and answers with the fixture of the operation's response resource (`x-resourceId`; for an `anyOf`
// response, the domain's own alternative, or the one named by the `variant` option).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { EmulatorError } from '../packages/testing/src/errors'
import { decodeForm, type FormObject } from '../packages/testing/src/form-decode'
import { routes as routeDigests } from '../packages/testing/src/generated/routes'
import { compileRoutes, matchRoute } from '../packages/testing/src/router'
import { validateParams } from '../packages/testing/src/validate'
import {
  DOMAIN_RESOURCES,
  type Domain,
  type Json,
  listOperations,
  loadSpec,
  type OperationInfo,
  paramsSchema,
  refName,
  responseSchema,
  root,
} from '../scripts/codegen/domains-spec'

export const spec: Json = loadSpec()
export const specOperations: OperationInfo[] = listOperations(spec)

const readFixtures = (name: string): Record<string, Json> => JSON.parse(readFileSync(join(root, 'spec', name), 'utf8')).resources

/** Fixture sets: API 2024-04-10 (the spec's) and objects from a 2026 API version. */
export const FIXTURES = {
  '2024-04-10': readFixtures('fixtures.json'),
  latest: readFixtures('fixtures.latest.json'),
} as const
export type FixtureSet = keyof typeof FIXTURES

const DOMAIN_IDS = new Set(Object.values(DOMAIN_RESOURCES).flat())

export function operationsOf(domain: Domain, entry: OperationInfo['entry']): OperationInfo[] {
  return specOperations.filter((o) => o.domain === domain && o.entry === entry)
}

/**
 * The object the fixture server answers with for a response schema. Where the response is an
 * `anyOf` (customer sources: `payment_source` = account | bank_account | card | source), `variant`
 * (a component schema name, see `responseVariants`) picks the alternative; else the domain's own
 * resource is preferred.
 */
export function fixtureFor(schema: Json, set: FixtureSet = '2024-04-10', url = '/v1/x', variant?: string): Json {
  if (schema.$ref) {
    const name = refName(schema.$ref)
    const target = spec.components.schemas[name]
    if (target.anyOf) return fixtureFor(target, set, url, variant)
    return leafFixture(name, set)
  }
  if (schema.anyOf) {
    const ids = (s: Json): string[] => {
      if (!s.$ref) return []
      const target = spec.components.schemas[refName(s.$ref)]
      return target.anyOf ? target.anyOf.flatMap(ids) : [target['x-resourceId']]
    }
    const chosen = variant === undefined ? undefined : schema.anyOf.find((s: Json) => leafNames(s).includes(variant))
    const preferred = chosen ?? schema.anyOf.find((s: Json) => ids(s).some((id) => DOMAIN_IDS.has(id))) ?? schema.anyOf[0]
    return fixtureFor(preferred, set, url, variant)
  }
  if (schema.properties?.object?.enum?.[0] === 'list') {
    return { object: 'list', data: [fixtureFor(schema.properties.data.items, set, url, variant)], has_more: false, url }
  }
  throw new Error(`no fixture for ${JSON.stringify(schema).slice(0, 80)}`)
}

/** The component schemas an (`anyOf`, list or `$ref`) response schema can resolve to. */
function leafNames(schema: Json): string[] {
  if (schema.$ref) {
    const name = refName(schema.$ref)
    const target = spec.components.schemas[name]
    return target.anyOf ? leafNames(target) : [name]
  }
  if (schema.anyOf) return schema.anyOf.flatMap(leafNames)
  if (schema.properties?.object?.enum?.[0] === 'list') return leafNames(schema.properties.data.items)
  return []
}

/**
 * The `anyOf` alternatives of a response (component schema names, for `fixtureFor`'s `variant`):
 * `[]` when the response has a single shape.
 */
export function responseVariants(schema: Json): string[] {
  const names = [...new Set(leafNames(schema))]
  return names.length > 1 ? names : []
}

/**
 * A component schema's fixture: the recorded one of its `x-resourceId`; for the deleted variants
 * that have none (`deleted_card`, `deleted_bank_account`), the recorded deleted object of that
 * kind (`deleted_payment_source` is one) or else `{ deleted, id, object }` of the live fixture.
 */
function leafFixture(name: string, set: FixtureSet): Json {
  const fixtures = FIXTURES[set]
  const target = spec.components.schemas[name]
  const recorded = target['x-resourceId'] ? fixtures[target['x-resourceId']] : undefined
  if (recorded) return structuredClone(recorded)
  const object: unknown = target.properties?.object?.enum?.[0]
  if (!target['x-resourceId'] && target.properties?.deleted && typeof object === 'string') {
    const deleted = Object.values(fixtures).find((f) => f?.deleted === true && f.object === object)
    const live = fixtures[object]
    if (deleted) return structuredClone(deleted)
    if (live) return { deleted: true, id: live.id, object }
  }
  throw new Error(`no fixture for ${name}`)
}

// --- the server ---

export interface SeenRequest {
  operationId: string
  method: string
  path: string
  pathParams: Record<string, string>
  params: FormObject
  headers: Headers
}

const compiledRoutes = compileRoutes(routeDigests)
const operationsById = new Map(specOperations.map((info) => [info.operationId, info]))

function fail(status: number, message: string): Response {
  return Response.json({ error: { type: 'invalid_request_error', message } }, { status, headers: { 'request-id': 'req_fixture' } })
}

/** `fetch` of a fixture server; `requests` lists what it accepted. */
export function createFixtureServer(options: { fixtures?: FixtureSet; variant?: string } = {}) {
  const requests: SeenRequest[] = []
  const rejected: string[] = []
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    const method = request.method.toUpperCase()
    const match = matchRoute(compiledRoutes, method, url.pathname)
    const info = match && operationsById.get(match.route.id)
    if (!match || !info) {
      rejected.push(`${method} ${url.pathname}: no such operation`)
      return fail(404, `Unrecognized request URL (${method}: ${url.pathname}).`)
    }
    const values = match.pathParams
    const body = method === 'POST' ? await request.text() : ''
    if (method === 'POST' && url.search) return fail(400, 'POST with a query string')
    if (method === 'POST' && body && request.headers.get('content-type') !== 'application/x-www-form-urlencoded') {
      return fail(400, 'POST body is not form encoded')
    }
    const errors: string[] = []
    let params: FormObject = {}
    try {
      params = method === 'POST' ? decodeForm(body) : decodeForm(url.searchParams)
      // the emulator's validator: Stripe's messages (`Received unknown parameter: x`, `Missing required param: x.`, …)
      validateParams(match.route.params, params)
    } catch (error) {
      if (!(error instanceof EmulatorError)) throw error
      errors.push(`${error.body.param ?? ''}: ${error.body.message}`)
    }
    for (const [name, value] of Object.entries(values)) if (!value) errors.push(`${name}: empty path param`)
    if (!request.headers.get('authorization')?.startsWith('Bearer ')) errors.push('no Authorization header')
    if (errors.length) {
      rejected.push(`${info.operationId}: ${errors.join('; ')}`)
      return fail(400, errors.join('; '))
    }
    requests.push({ operationId: info.operationId, method, path: url.pathname, pathParams: values, params, headers: request.headers })
    const data = fixtureFor(responseSchema(info.op), options.fixtures, url.pathname, options.variant)
    return Response.json(data, { headers: { 'request-id': `req_${requests.length}` } })
  }
  return { fetch, requests, rejected }
}

// --- sample params from the spec ---

/** Params for an operation made from its spec: `required` only, or `all` (every param, nested too). */
export function sampleParams(info: OperationInfo, mode: 'required' | 'all'): Record<string, unknown> {
  return sample(paramsSchema(info), mode, 0) as Record<string, unknown>
}

function sample(schema: Json, mode: 'required' | 'all', depth: number): unknown {
  const alternatives: Json[] | undefined = schema.anyOf ?? schema.oneOf
  if (alternatives) {
    const first = alternatives.find((a) => !(a.enum?.length === 1 && a.enum[0] === '')) ?? alternatives[0]
    return sample(first, mode, depth)
  }
  if (Array.isArray(schema.enum)) return schema.enum.find((v: unknown) => v !== '') ?? schema.enum[0]
  switch (schema.type) {
    case 'string':
      return schema.maxLength && schema.maxLength < 3 ? 'x' : 'xyz'
    case 'integer':
      return 42
    case 'number':
      return 1.5
    case 'boolean':
      return true
    case 'array':
      return [sample(schema.items ?? {}, mode, depth + 1)]
    default: {
      if (schema.properties) {
        const required = new Set<string>(schema.required ?? [])
        const out: Record<string, unknown> = {}
        for (const [key, sub] of Object.entries(schema.properties) as [string, Json][]) {
          if (required.has(key) || (mode === 'all' && depth < 6)) out[key] = sample(sub, mode, depth + 1)
        }
        return out
      }
      if (schema.additionalProperties) return { order_id: 'xyz' }
      return {}
    }
  }
}

/** What the fixture server decodes from `params` once encoded (strings at the leaves, arrays as index keys). */
export function formShape(value: unknown): unknown {
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), formShape(v)]))
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, formShape(v)]),
    )
  }
  return value === null ? '' : String(value)
}
