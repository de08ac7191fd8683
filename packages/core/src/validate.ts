import { type BaseIssue, type GenericSchema, getGlobalConfig } from 'valibot'
import { StripeValidationError } from './errors.js'
import type { ValidationIssue } from './hooks.js'
import type { Operation } from './operation.js'
import type { ResponseMeta } from './types.js'

/**
 * Runs a schema; returns `undefined` when valid, else issues with dotted paths. Does what
 * `safeParse` does (valibot's global config included) without bundling `safeParse` and its result
 * object: `getGlobalConfig` is in every bundle with a schema anyway.
 *
 * Fast path: a schema made only of the shapes the generated code uses (objects, arrays, records,
 * unions, optional/nullable, strings, numbers, booleans, literals, picklists, unknown; length and
 * integer checks) is compiled once into a predicate that answers "valid" without building
 * valibot's output copy of every object. Only a value it does not pass is run through valibot,
 * which has the last word and gives the issues: the result is always valibot's
 * (test/validate-fast.test.ts proves the predicate agrees with valibot on every generated schema).
 */
export function check(schema: GenericSchema, value: unknown): ValidationIssue[] | undefined {
  let fast = compiled.get(schema)
  if (fast === undefined) {
    fast = _compile(schema as unknown as SchemaShape) ?? null
    compiled.set(schema, fast)
  }
  if (fast?.(value)) return undefined
  return schema['~run']({ value }, getGlobalConfig({ abortPipeEarly: true })).issues?.map(toIssue)
}

/** Predicates by schema (`null`: the schema has a part the fast path does not know; valibot runs). */
const compiled = /* @__PURE__ */ new WeakMap<object, Predicate | null>()

type Predicate = (value: unknown) => boolean

/** The parts of a valibot schema object the fast path reads. */
interface SchemaShape {
  kind: string
  type: string
  async?: boolean
  pipe?: SchemaShape[]
  wrapped?: SchemaShape
  default?: unknown
  fallback?: unknown
  options?: unknown[]
  literal?: unknown
  entries?: Record<string, SchemaShape>
  item?: SchemaShape
  key?: SchemaShape
  value?: SchemaShape
  requirement?: unknown
}

const hasOwn = (object: object, key: string) => Object.hasOwn(object, key)
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object'

/**
 * A predicate true exactly when valibot finds no issue (each case mirrors valibot 1.x's `~run`),
 * or `undefined` for a schema with anything else (defaults, fallbacks, transforms, lazy, async…).
 */
export function _compile(schema: SchemaShape): Predicate | undefined {
  const { type, pipe, literal } = schema
  if (schema.async || schema.fallback !== undefined || schema.default !== undefined) return
  if (pipe) {
    // pipe[0] is the base schema; then length and integer checks.
    const tests = pipe
      .filter((action) => action.kind !== 'metadata')
      .map((action, i) => {
        const bound = action.requirement as number
        if (i === 0) return action !== schema ? _compile(action) : undefined
        if (action.type === 'max_length') return (v: unknown) => (v as string).length <= bound
        if (action.type === 'min_length') return (v: unknown) => (v as string).length >= bound
        return action.type === 'integer' ? (Number.isInteger as Predicate) : undefined
      })
    if (tests.includes(undefined)) return
    return (v) => tests.every((test) => test!(v))
  }
  if (type === 'string' || type === 'boolean') return (v) => typeof v === type
  if (type === 'number') return (v) => typeof v === 'number' && !Number.isNaN(v)
  if (type === 'unknown') return () => true
  if (type === 'null') return (v) => v === null
  if (type === 'literal') return (v) => v === literal || (Number.isNaN(v) && Number.isNaN(literal)) // SameValueZero
  if (type === 'picklist') return (v) => schema.options!.includes(v)
  if (type === 'union') {
    const options = (schema.options as SchemaShape[]).map(_compile)
    if (!options.includes(undefined)) return (v) => options.some((test) => test!(v))
  }
  const inner = (schema.wrapped ?? schema.item) && _compile((schema.wrapped ?? schema.item)!)
  if (!inner) {
    if (type === 'record') {
      const key = _compile(schema.key!)
      const value = _compile(schema.value!)
      if (!key || !value) return
      return (v) => {
        if (!isObject(v)) return false
        for (const k in v) {
          // valibot skips these keys in records.
          if (hasOwn(v, k) && k !== '__proto__' && k !== 'prototype' && k !== 'constructor' && !(key(k) && value(v[k]))) return false
        }
        return true
      }
    }
    if (type !== 'object' && type !== 'loose_object' && type !== 'strict_object') return
    const entries = schema.entries!
    const keys = Object.keys(entries)
    const tests = keys.map((key) => _compile(entries[key]!))
    if (tests.includes(undefined)) return
    // A missing key passes only for optional entries.
    const required = keys.map((key) => !['optional', 'nullish', 'exact_optional'].includes(entries[key]!.type))
    return (v) => {
      if (!isObject(v)) return false
      for (let i = 0; i < keys.length; i++) {
        // One lookup in the common case; `in` only tells a missing key from an undefined value.
        const value = v[keys[i]!]
        if (value === undefined && !(keys[i]! in v) ? required[i] : !tests[i]!(value)) return false
      }
      if (type === 'strict_object') for (const key in v) if (!hasOwn(entries, key)) return false
      return true
    }
  }
  if (type === 'optional') return (v) => v === undefined || inner(v)
  if (type === 'nullable') return (v) => v === null || inner(v)
  if (type === 'array') {
    return (v) => {
      if (!Array.isArray(v)) return false
      for (let i = 0; i < v.length; i++) if (!inner(v[i])) return false
      return true
    }
  }
}

function toIssue(issue: BaseIssue<unknown>): ValidationIssue {
  const deep = deepest(issue, keys(issue))
  return { path: deep.keys.join('.'), message: deep.message }
}

const keys = (issue: BaseIssue<unknown>): string[] => issue.path?.map((item) => String(item.key)) ?? []

/**
 * A union's issue holds each branch's issues, with paths relative to the union's value: the
 * deepest one names the param that is wrong.
 */
function deepest(issue: BaseIssue<unknown>, path: string[]): { keys: string[]; message: string } {
  let best = { keys: path, message: issue.message }
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

/** The error for bad params, path params, options or (strict) response: names the operation and the param. */
export function _invalid(
  operation: Operation,
  where: 'params' | 'path' | 'options' | 'response',
  issues: ValidationIssue[],
  meta?: ResponseMeta,
  Class = StripeValidationError,
): StripeValidationError {
  const first = issues[0]!
  const param = where === 'response' ? first.path : bracketPath(first.path)
  return new Class({
    ...meta, // statusCode, requestId, headers
    message: `Invalid ${where} for ${operation.operationId}: ${param || '(root)'}: ${first.message}${issues.length > 1 ? ` (+${issues.length - 1} more)` : ''}`,
    raw: { type: 'invalid_request_error', param },
    issues,
  })
}
