// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${name:path}` is the Stripe CLI's reference syntax, not a template
// Stripe CLI fixture files (`stripe fixtures FILE`, and the JSON behind every `stripe trigger`), read
// and run as the Stripe CLI does (stripe/stripe-cli pkg/fixtures, pkg/parsers):
// `{ "_meta": { "template_version": 0 }, "fixtures": [{ "name", "path", "method", "params" }], "env"? }`,
// requests in order; a string may hold `${name:json.path}` (a field of an earlier answer, gjson
// paths such as `id` or `data.0.id`, `${name:path|default}`), `${.env:VAR}` (the environment, then
// `.env` in the working directory), `${time-now-RFC3339}` and `${generate-uuid}`; params go out in
// Stripe's form encoding (a query string for GET and DELETE).
//
// One addition for the emulator: a request whose path starts with `/_emulator/` calls a control
// (JSON body), and `wait: { "path": "status", "while": "pending", "timeout": 30 }` repeats a GET
// until the field changes (a report run finishing).
import { type EmulatorTarget, send } from './emulator-api.js'
import { CliError, type CliIO } from './io.js'

/** Version of the fixture template the Stripe CLI supports (and so do we). */
export const SUPPORTED_TEMPLATE_VERSION = 0

export interface FixtureRequest {
  name: string
  path: string
  method: string
  params?: Record<string, unknown>
  expected_error_type?: string
  idempotency_key?: string
  headers?: Record<string, string>
  /** emulator addition: repeat this GET while the answer's `path` field equals `while` */
  wait?: { path: string; while: string; timeout?: number }
}

export interface FixtureData {
  _meta?: { template_version?: number; exclude_metadata?: boolean; aliases?: string[] }
  fixtures: FixtureRequest[]
  env?: Record<string, string>
}

export interface Rewrites {
  /** `name:path.to.field=value`: sets the field, replacing what is there */
  override?: readonly string[]
  /** `name:path.to.field=value`: sets the field only when it is missing */
  add?: readonly string[]
  /** `name:path.to.field`: deletes the field */
  remove?: readonly string[]
  /** fixture names not run */
  skip?: readonly string[]
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Checks a parsed fixture file's shape; a `CliError` names what is wrong (and `where`, the file). */
export function parseFixtureData(value: unknown, where: string): FixtureData {
  const fail = (message: string): never => {
    throw new CliError(`${where}: ${message}`)
  }
  if (!isObject(value)) return fail('not a fixture file (a JSON object with "_meta" and "fixtures")')
  const meta = value._meta
  if (meta !== undefined && !isObject(meta)) fail('"_meta" must be an object')
  const version = isObject(meta) ? meta.template_version : undefined
  if (version !== undefined && version !== SUPPORTED_TEMPLATE_VERSION) {
    fail(`template_version ${String(version)} is not supported (only ${SUPPORTED_TEMPLATE_VERSION})`)
  }
  if (!Array.isArray(value.fixtures)) return fail('"fixtures" must be an array of requests')
  for (const [index, item] of value.fixtures.entries()) {
    const at = `fixtures[${index}]`
    if (!isObject(item)) return fail(`${at} must be an object`)
    if (typeof item.name !== 'string' || item.name === '') fail(`${at}.name must be a non-empty string`)
    if (typeof item.path !== 'string' || !/^\/(v1|v2|_emulator)\//.test(item.path)) {
      fail(`${at}.path must start with /v1/ (or /_emulator/ for a control)`)
    }
    if (typeof item.method !== 'string' || !/^(get|post|delete)$/i.test(item.method)) fail(`${at}.method must be get, post or delete`)
    if (item.params !== undefined && item.params !== null && !isObject(item.params)) fail(`${at}.params must be an object`)
    if (item.api_base !== undefined) fail(`${at}.api_base is not supported: fixtures run against the emulator only`)
    if (item.headers !== undefined && !isObject(item.headers)) fail(`${at}.headers must be an object`)
  }
  if (value.env !== undefined && !isObject(value.env)) fail('"env" must be an object')
  return value as unknown as FixtureData
}

// --- References ---

const REFERENCE = /\$\{([^|}]+):([^|}]+)(?:\|([^}\n]*))?\}/g

/** A gjson-style path (`id`, `data.0.id`, `accounts.data.#`) into a parsed JSON answer. */
export function readPath(value: unknown, path: string): unknown {
  let current = value
  for (const part of path.split('.')) {
    if (Array.isArray(current)) {
      if (part === '#') current = current.length
      else if (/^\d+$/.test(part)) current = current[Number(part)]
      else return undefined
    } else if (isObject(current) && Object.hasOwn(current, part)) current = current[part]
    else return undefined
  }
  return current
}

const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value))

export interface ReferenceContext {
  responses: Map<string, unknown>
  env: Readonly<Record<string, string | undefined>>
}

/** Replaces every `${…}` reference in a string (an unknown fixture name is a `CliError`). */
export function resolveString(text: string, ctx: ReferenceContext): string {
  if (text === '${time-now-RFC3339}') return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
  if (text === '${generate-uuid}') return crypto.randomUUID()
  return text.replace(REFERENCE, (match, name: string, query: string, fallback: string | undefined) => {
    if (name === '.env') return ctx.env[query] || fallback || match
    if (!ctx.responses.has(name)) {
      const known = [...ctx.responses.keys()]
      throw new CliError(
        `an undeclared fixture name was referenced: ${name}${known.length ? ` (earlier fixtures: ${known.join(', ')})` : ''}`,
      )
    }
    const found = readPath(ctx.responses.get(name), query)
    return found === undefined || found === null || found === '' ? (fallback ?? match) : asText(found)
  })
}

/** Resolves references in every string of a params tree (numbers, booleans and null kept). */
export function resolveParams(value: unknown, ctx: ReferenceContext): unknown {
  if (typeof value === 'string') return resolveString(value, ctx)
  if (Array.isArray(value)) return value.map((item) => resolveParams(item, ctx))
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveParams(item, ctx)]))
  return value
}

// --- Stripe CLI form encoding ---

const encodeValue = (value: string) => encodeURIComponent(value)

/**
 * Params as the Stripe CLI sends them: `a[b]=x`, an array of scalars as `a[]=x&a[]=y`, an array of
 * objects as `a[0][k]=x`; `null` is dropped (as the Stripe CLI drops it).
 */
export function encodeFixtureForm(params: Record<string, unknown>): string {
  const pairs: string[] = []
  const walk = (value: unknown, key: string): void => {
    if (value === null || value === undefined) return
    if (typeof value === 'string') pairs.push(`${key}=${encodeValue(value)}`)
    else if (typeof value === 'number' || typeof value === 'boolean') pairs.push(`${key}=${String(value)}`)
    else if (Array.isArray(value)) {
      let index = -1
      for (const item of value) {
        if (isObject(item)) {
          index++
          for (const [name, inner] of Object.entries(item)) walk(inner, `${key}[${index}][${name}]`)
        } else walk(item, `${key}[]`)
      }
    } else if (isObject(value)) for (const [name, inner] of Object.entries(value)) walk(inner, `${key}[${name}]`)
  }
  for (const [name, value] of Object.entries(params)) walk(value, name)
  return pairs.join('&')
}

// --- --override / --add / --remove ---

/** `name:path.to.field=value` → [name, [path, to, field], value]; `CliError` like the Stripe CLI's. */
function parseRewrite(rule: string, flag: string, needsValue: boolean): [string, string[], string] {
  const eq = rule.indexOf('=')
  const target = needsValue ? (eq < 0 ? rule : rule.slice(0, eq)) : rule
  if (needsValue && eq < 0) throw new CliError(`Invalid value for --${flag} flag (${rule}): it needs a value: fixture_name:param=value`)
  const colon = target.indexOf(':')
  if (colon <= 0 || colon === target.length - 1) {
    throw new CliError(
      `Invalid value for --${flag} flag (${rule}): it needs a fixture name: fixture_name:param${needsValue ? '=value' : ''}`,
    )
  }
  return [target.slice(0, colon), target.slice(colon + 1).split('.'), needsValue ? rule.slice(eq + 1) : '']
}

/** Applies `--override`, `--add` and `--remove` to a copy of the fixture data, as the Stripe CLI does. */
export function applyRewrites(data: FixtureData, rewrites: Rewrites): FixtureData {
  const copy: FixtureData = structuredClone(data)
  const names = copy.fixtures.map((request) => request.name)
  const find = (name: string, flag: string, rule: string) => {
    const request = copy.fixtures.find((item) => item.name === name)
    if (!request) throw new CliError(`Invalid value for --${flag} flag (${rule}): no fixture named ${name} (fixtures: ${names.join(', ')})`)
    request.params ??= {}
    return request.params
  }
  const set = (params: Record<string, unknown>, path: string[], value: string, replace: boolean) => {
    let node = params
    for (const part of path.slice(0, -1)) {
      if (!isObject(node[part])) {
        if (node[part] !== undefined && !replace) return
        node[part] = {}
      }
      node = node[part] as Record<string, unknown>
    }
    const last = path[path.length - 1] as string
    if (replace || node[last] === undefined) node[last] = value
  }
  for (const rule of rewrites.add ?? []) {
    const [name, path, value] = parseRewrite(rule, 'add', true)
    set(find(name, 'add', rule), path, value, false)
  }
  for (const rule of rewrites.override ?? []) {
    const [name, path, value] = parseRewrite(rule, 'override', true)
    set(find(name, 'override', rule), path, value, true)
  }
  for (const rule of rewrites.remove ?? []) {
    const [name, path] = parseRewrite(rule, 'remove', false)
    let node: unknown = find(name, 'remove', rule)
    for (const part of path.slice(0, -1)) node = isObject(node) ? node[part] : undefined
    if (isObject(node)) delete node[path[path.length - 1] as string]
  }
  return copy
}

// --- Running ---

export interface FixtureResult {
  /** each request's parsed answer, by fixture name */
  responses: Map<string, unknown>
}

/**
 * Runs the requests in order against the emulator, printing `Running fixture for: NAME` for each
 * (as the Stripe CLI does). A failing request stops the run with a `CliError`, unless its error
 * type is the request's `expected_error_type`.
 */
export async function runFixtures(
  io: CliIO,
  target: EmulatorTarget,
  data: FixtureData,
  skip: readonly string[] = [],
): Promise<FixtureResult> {
  const ctx: ReferenceContext = { responses: new Map(), env: io.env }
  for (const request of data.fixtures) {
    if (skip.includes(request.name)) {
      io.out(`Skipping fixture for: ${request.name}`)
      continue
    }
    io.out(`Running fixture for: ${request.name}`)
    const method = request.method.toUpperCase()
    const path = resolveString(request.path, ctx)
    const params = (resolveParams(request.params ?? {}, ctx) ?? {}) as Record<string, unknown>
    const control = path.startsWith('/_emulator/')
    const headers = Object.fromEntries(
      Object.entries(request.headers ?? {}).map(([name, value]) => [name, resolveString(String(value), ctx)]),
    )
    const once = () =>
      send(io, target, method, path, {
        ...(control ? (method === 'POST' ? { json: params } : {}) : { form: encodeFixtureForm(params) }),
        idempotencyKey: request.idempotency_key ? resolveString(request.idempotency_key, ctx) : undefined,
        headers,
        allowError: true,
      })
    let answer = await once()
    if (request.wait) {
      const deadline = Date.now() + (request.wait.timeout ?? 30) * 1000
      while (answer.status === 200 && asText(readPath(answer.body, request.wait.path)) === request.wait.while) {
        if (Date.now() > deadline || io.signal.aborted) {
          throw new CliError(
            `${request.name}: still ${request.wait.while} after ${request.wait.timeout ?? 30} s (an emulator on the manual clock moves on POST /_emulator/advance)`,
          )
        }
        await io.sleep(200, io.signal)
        answer = await once()
      }
    }
    if (answer.status < 200 || answer.status > 299) {
      const error = (answer.body as { error?: { type?: string; message?: string } } | null)?.error
      if (!request.expected_error_type || error?.type !== request.expected_error_type) {
        throw new CliError(
          `fixture ${request.name}: ${method} ${path} answered ${answer.status}${error?.message ? `: ${error.message}` : ''}`,
        )
      }
    }
    ctx.responses.set(request.name, answer.body)
  }
  return { responses: ctx.responses }
}
