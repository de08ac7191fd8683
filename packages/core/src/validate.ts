import { type BaseIssue, type GenericSchema, getGlobalConfig } from 'valibot'
import { StripeValidationError } from './errors.js'
import type { ValidationIssue } from './hooks.js'
import type { Operation } from './operation.js'
import type { ResponseMeta } from './types.js'

/**
 * Runs a schema; returns `undefined` when valid, else issues with dotted paths. Does what
 * `safeParse` does (valibot's global config included) without bundling `safeParse` and its result
 * object: `getGlobalConfig` is in every bundle with a schema anyway.
 */
export function check(schema: GenericSchema, value: unknown): ValidationIssue[] | undefined {
  return schema['~run']({ value }, getGlobalConfig({ abortPipeEarly: true })).issues?.map(toIssue)
}

function toIssue(issue: BaseIssue<unknown>): ValidationIssue {
  const deep = deepest(issue, keys(issue))
  // valibot's issue (type, expected, received, requirement) rides along, hidden from JSON and
  // equality, for `_invalid`'s wording.
  return Object.defineProperty({ path: deep.keys.join('.'), message: deep.message }, '_detail', { value: deep })
}

type Detail = ReturnType<typeof deepest>

const keys = (issue: BaseIssue<unknown>): string[] => issue.path?.map((item) => String(item.key)) ?? []

/**
 * A union's issue holds each branch's issues, with paths relative to the union's value: the
 * deepest one names the param that is wrong.
 */
function deepest(
  issue: BaseIssue<unknown>,
  path: string[],
): {
  keys: string[]
  message: string
  type: string
  expected: string | null
  received: string
  requirement: unknown
} {
  let best = {
    keys: path,
    message: issue.message,
    type: issue.type,
    expected: issue.expected,
    received: issue.received,
    requirement: issue.requirement,
  }
  for (const sub of issue.issues ?? []) {
    const candidate = deepest(sub, [...path, ...keys(sub)])
    if (candidate.keys.length > best.keys.length) best = candidate
  }
  return best
}

/** `owner.address.city` → `owner[address][city]`, the way Stripe names a param. */
export function bracketPath(path: string): string {
  return path.replace(/\.([^.]*)/g, '[$1]')
}

/**
 * The error for bad params, path params, options or (strict) response, in Stripe's words, naming
 * the function called (`operation.name`, else the operationId) and the param in bracket form:
 * `createOutboundPayment: Received unknown parameter: destinaton_payment_method. Did you mean
 * destination_payment_method?`. `raw` carries Stripe's `code` and `doc_url` where Stripe has them.
 */
export function _invalid(
  operation: Operation,
  where: 'params' | 'path' | 'options' | 'response',
  issues: ValidationIssue[],
  meta?: ResponseMeta,
  Class = StripeValidationError,
): StripeValidationError {
  const first = issues[0]!
  const param = where === 'response' ? first.path : bracketPath(first.path)
  const worded =
    where === 'params' && param
      ? _stripeWords(operation, first, param)
      : { message: `${where === 'response' ? 'Invalid response: ' : ''}${param || '(root)'}: ${first.message}` }
  const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : ''
  return new Class({
    ...meta, // statusCode, requestId, headers
    message: `${operation.name ?? operation.operationId}: ${worded.message}${more}`,
    raw: {
      type: 'invalid_request_error',
      param,
      ...(worded.code ? { code: worded.code, doc_url: `https://stripe.com/docs/error-codes/${worded.code.replace(/_/g, '-')}` } : {}),
    },
    issues,
  })
}

/** Stripe's message (and error code, where it has one) for a param issue. */
export function _stripeWords(operation: Operation, issue: ValidationIssue, param: string): { message: string; code?: string } {
  const { type, expected, received, requirement } = (issue as { _detail?: Partial<Detail> })._detail ?? {}
  const keys = issue.path.split('.')
  if (type === 'strict_object' && expected === 'never') {
    const known = _keysAt(operation.params, keys.slice(0, -1))
    const guess = _closest(keys[keys.length - 1] as string, known)
    const parent = keys.slice(0, -1).join('.')
    const suggestion = guess ? `. Did you mean ${bracketPath(parent ? `${parent}.${guess}` : guess)}?` : ''
    return { message: `Received unknown parameter: ${param}${suggestion}`, code: 'parameter_unknown' }
  }
  if (type === 'strict_object' && received === 'undefined') {
    return { message: `Missing required param: ${param}.`, code: 'parameter_missing' }
  }
  if (type === 'max_length') return { message: `Invalid string: ${param}: must be at most ${requirement} characters` }
  if (type === 'min_length' || type === 'non_empty') {
    return {
      message: `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
      code: 'parameter_invalid_empty',
    }
  }
  const leaf = _leaf(_schemaAt(operation.params, keys))
  if (type === 'integer' || leaf?.kind === 'integer') return { message: `Invalid integer: ${param}`, code: 'parameter_invalid_integer' }
  if (leaf?.kind === 'picklist') {
    const options = leaf.options as string[]
    return {
      message: `Invalid ${param}: must be one of ${options.length > 20 ? `the ${options.length} values of the spec` : options.join(', ')}`,
    }
  }
  const noun: Record<string, string> = { string: 'string', number: 'number', boolean: 'boolean', array: 'array', record: 'object' }
  const kind = leaf && (noun[leaf.kind] ?? (leaf.kind.endsWith('object') ? 'object' : undefined))
  return { message: kind ? `Invalid ${kind}: ${param}` : `Invalid ${param}: ${issue.message}` }
}

type AnySchema = {
  type: string
  wrapped?: AnySchema
  entries?: Record<string, AnySchema>
  options?: unknown[]
  item?: AnySchema
  value?: AnySchema
  pipe?: { type: string }[]
}

/** Through `optional`/`nullable` wrappers. */
const unwrap = (schema: AnySchema | undefined): AnySchema | undefined => {
  while (schema?.wrapped) schema = schema.wrapped
  return schema
}

/** The schema at a dotted key path (objects' entries, records' values, arrays' items, unions' first match). */
export function _schemaAt(schema: unknown, keys: string[]): AnySchema | undefined {
  let node = unwrap(schema as AnySchema)
  for (const key of keys) {
    if (!node) return undefined
    if (node.type === 'union') {
      const options = (node.options as AnySchema[]).map((o) => _schemaAt(o, [key])).filter(Boolean)
      node = options[0]
    } else if (node.entries) node = unwrap(node.entries[key])
    else if (node.type === 'record') node = unwrap(node.value)
    else if (node.type === 'array') node = unwrap(node.item)
    else return undefined
  }
  return node
}

/** The param names an object param accepts at `keys` (for "Did you mean"). */
function _keysAt(schema: unknown, keys: string[]): string[] {
  const node = _schemaAt(schema, keys)
  if (node?.entries) return Object.keys(node.entries)
  if (node?.type === 'union')
    return (node.options as AnySchema[]).flatMap((o) => (unwrap(o)?.entries ? Object.keys(unwrap(o)!.entries!) : []))
  return []
}

/** What a value at a param must be: `integer`, `picklist` (+ its options), or the schema's type. */
function _leaf(schema: AnySchema | undefined): { kind: string; options?: unknown[] } | undefined {
  const node = unwrap(schema)
  if (!node) return undefined
  if (node.type === 'union') {
    // `u(x)` = x | '' | null: what matters is x.
    const main = (node.options as AnySchema[]).find((o) => o.type !== 'literal' && o.type !== 'null')
    return main ? _leaf(main) : { kind: 'union' }
  }
  if (node.pipe?.some((action) => action.type === 'integer')) return { kind: 'integer' }
  if (node.type === 'picklist') return { kind: 'picklist', options: node.options }
  return { kind: node.type }
}

/** The known name closest to `name` (edit distance at most a third of its length, 2 or more), if any. */
export function _closest(name: string, known: string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1
  for (const candidate of known) {
    const distance = editDistance(name, candidate)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (previous[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    }
    previous = row
  }
  return previous[b.length] as number
}
