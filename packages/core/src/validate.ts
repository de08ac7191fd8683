import { type BaseIssue, type GenericSchema, getGlobalConfig } from 'valibot'
import type { ValidationIssue } from './errors.js'
import { StripeValidationError } from './errors.js'
import type { Operation } from './operation.js'
import { _schemaPasses } from './schema-passes.js'
import type { ResponseMeta } from './types.js'

/**
 * Runs a schema; returns `undefined` when valid, else issues with dotted paths. Does what
 * `safeParse` does (valibot's global config included) without bundling `safeParse` and its result
 * object: `getGlobalConfig` is in every bundle with a schema anyway. A compiled predicate answers
 * first (schema-passes.ts); valibot runs only on what it does not pass.
 */
export function check(schema: GenericSchema, value: unknown): ValidationIssue[] | undefined {
  if (_schemaPasses(schema, value)) return undefined
  return schema['~run']({ value }, getGlobalConfig({ abortPipeEarly: true })).issues?.map(toIssue)
}

function toIssue(issue: BaseIssue<unknown>): ValidationIssue {
  const deep = deepest(issue, keys(issue))
  // valibot's issue rides along, hidden from JSON and equality, for `_invalid`'s wording.
  return Object.defineProperty({ path: deep.keys.join('.'), message: deep.issue.message }, '_issue', { value: deep.issue })
}

/** The valibot issue behind a `ValidationIssue` made by `check`. */
export const _issueOf = (issue: ValidationIssue): BaseIssue<unknown> | undefined => (issue as { _issue?: BaseIssue<unknown> })._issue

const keys = (issue: BaseIssue<unknown>): string[] => issue.path?.map((item) => String(item.key)) ?? []

/**
 * A union's issue holds each branch's issues, with paths relative to the union's value: the
 * deepest one names the param that is wrong.
 */
function deepest(issue: BaseIssue<unknown>, path: string[]): { keys: string[]; issue: BaseIssue<unknown> } {
  let best = { keys: path, issue }
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
  const first = issues[0]! // callers pass at least one issue
  const param = where === 'response' ? first.path : bracketPath(first.path)
  const [message, code] =
    where === 'params' && param
      ? stripeWords(operation, first, param)
      : [`${where === 'response' ? 'Invalid response: ' : ''}${param || '(root)'}: ${first.message}`]
  return new Class({
    ...meta, // statusCode, requestId, headers
    message: `${operation.name ?? operation.operationId}: ${message}${issues.length > 1 ? ` (+${issues.length - 1} more)` : ''}`,
    raw: {
      type: 'invalid_request_error',
      param,
      ...(code && { code, doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}` }),
    },
    issues,
  })
}

/** Stripe's message for a param issue, and Stripe's error code where it has one. */
function stripeWords(operation: Operation, issue: ValidationIssue, param: string): [string, string?] {
  const { type, expected, received, requirement } = _issueOf(issue) ?? {}
  const keys = issue.path.split('.')
  const name = keys.pop() as string // split gives at least one part
  if (type === 'strict_object' && expected === 'never') {
    // The closest known param: at most a third of its letters (2 or more) changed.
    let guess = ''
    let best = Math.max(2, name.length / 3) + 1
    for (const known of Object.keys(_schemaAt(operation.params, keys)?.entries ?? {})) {
      const distance = _editDistance(name, known)
      if (distance < best) [guess, best] = [known, distance]
    }
    return [
      `Received unknown parameter: ${param}${guess ? `. Did you mean ${bracketPath([...keys, guess].join('.'))}?` : ''}`,
      'parameter_unknown',
    ]
  }
  if (type === 'strict_object' && received === 'undefined') return [`Missing required param: ${param}.`, 'parameter_missing']
  if (type === 'max_length') return [`Invalid string: ${param}: must be at most ${requirement} characters`]
  if (type === 'min_length' || type === 'non_empty') return [`Invalid ${param}: must not be empty`, 'parameter_invalid_empty']
  if (type === 'integer' || _schemaAt(operation.params, [...keys, name])?.pipe?.some((action) => action.type === 'integer'))
    return [`Invalid integer: ${param}`, 'parameter_invalid_integer']
  if (type === 'picklist') {
    // expected: `("a" | "b")`
    const options = (expected as string).slice(1, -1).replace(/"/g, '').split(' | ')
    return [`Invalid ${param}: must be one of ${options.length > 20 ? `the ${options.length} values of the spec` : options.join(', ')}`]
  }
  // An object param given something else (`[]` too: `strict` and `dict` in schema.ts).
  const kind = type === 'strict_object' || type === 'record' ? 'object' : type
  return [
    // No kind (`undefined`) tests false, as wanted.
    /^(string|number|boolean|array|object)$/.test(kind as string) ? `Invalid ${kind}: ${param}` : `Invalid ${param}: ${issue.message}`,
  ]
}

/** The parts of a valibot schema `_schemaAt` walks. */
export interface _SchemaNode {
  type: string
  wrapped?: _SchemaNode
  entries?: Record<string, _SchemaNode>
  options?: _SchemaNode[]
  item?: _SchemaNode
  value?: _SchemaNode
  pipe?: { type: string }[]
}

/**
 * The schema at a dotted key path, through `optional`/`nullable`, objects' entries, records'
 * values, arrays' items and unions (the first option that has the key).
 */
export function _schemaAt(schema: _SchemaNode | undefined, keys: string[]): _SchemaNode | undefined {
  let node = schema
  for (let i = 0; node; i++) {
    while (node.wrapped) node = node.wrapped
    if (i === keys.length) return node
    // A union has options.
    if (node.type === 'union') return node.options!.map((option) => _schemaAt(option, keys.slice(i))).find(Boolean)
    node = node.entries ? node.entries[keys[i] as string] : (node.value ?? node.item) // i < keys.length here
  }
  return undefined
}

/** Levenshtein distance, one row at a time (hand-written: ~150 bytes; tested against the recursive definition). */
export function _editDistance(a: string, b: string): number {
  let row = [...Array(b.length + 1).keys()]
  for (let i = 0; i < a.length; i++) {
    const next = [i + 1]
    // Every index is within its row.
    for (let j = 0; j < b.length; j++) next[j + 1] = Math.min(row[j + 1]! + 1, next[j]! + 1, row[j]! + (a[i] === b[j] ? 0 : 1))
    row = next
  }
  return row[b.length]! // the row has b.length + 1 entries
}
