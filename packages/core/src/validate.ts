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

const isValidRecordKey = (object: object, key: string) =>
  Object.hasOwn(object, key) && key !== '__proto__' && key !== 'prototype' && key !== 'constructor'

/**
 * A predicate true exactly when valibot finds no issue (each case mirrors valibot 1.x's `~run`),
 * or `undefined` for a schema with anything else (defaults, fallbacks, transforms, lazy, async…).
 */
export function _compile(schema: SchemaShape): Predicate | undefined {
  if (schema.async || schema.fallback !== undefined || schema.default !== undefined) return undefined
  if (schema.pipe) {
    const [base, ...actions] = schema.pipe
    const test = base && base !== schema && !base.pipe ? _compile(base) : undefined
    if (!test) return undefined
    const checks: Predicate[] = []
    for (const action of actions) {
      if (action.kind === 'metadata') continue
      const requirement = action.requirement as number
      if (action.type === 'max_length') checks.push((v) => (v as { length: number }).length <= requirement)
      else if (action.type === 'min_length') checks.push((v) => (v as { length: number }).length >= requirement)
      else if (action.type === 'integer') checks.push((v) => Number.isInteger(v))
      else return undefined
    }
    return (value) => {
      if (!test(value)) return false
      for (let i = 0; i < checks.length; i++) if (!checks[i]!(value)) return false
      return true
    }
  }
  switch (schema.type) {
    case 'string':
      return (v) => typeof v === 'string'
    case 'number':
      return (v) => typeof v === 'number' && !Number.isNaN(v)
    case 'boolean':
      return (v) => typeof v === 'boolean'
    case 'null':
      return (v) => v === null
    case 'unknown':
    case 'any':
      return () => true
    case 'literal': {
      const literal = schema.literal
      // SameValueZero, as valibot compares.
      return (v) => v === literal || (Number.isNaN(v) && Number.isNaN(literal))
    }
    case 'picklist': {
      const options = schema.options as unknown[]
      return (v) => options.includes(v)
    }
    case 'optional':
    case 'nullable':
    case 'nullish': {
      const inner = schema.wrapped && _compile(schema.wrapped)
      if (!inner) return undefined
      if (schema.type === 'optional') return (v) => v === undefined || inner(v)
      if (schema.type === 'nullable') return (v) => v === null || inner(v)
      return (v) => v === null || v === undefined || inner(v)
    }
    case 'array': {
      const item = schema.item && _compile(schema.item)
      if (!item) return undefined
      return (v) => {
        if (!Array.isArray(v)) return false
        for (let i = 0; i < v.length; i++) if (!item(v[i])) return false
        return true
      }
    }
    case 'union': {
      const options: Predicate[] = []
      for (const option of schema.options as SchemaShape[]) {
        const test = _compile(option)
        if (!test) return undefined
        options.push(test)
      }
      return (v) => {
        for (let i = 0; i < options.length; i++) if (options[i]!(v)) return true
        return false
      }
    }
    case 'record': {
      const key = schema.key && _compile(schema.key)
      const item = schema.value && _compile(schema.value)
      if (!key || !item) return undefined
      return (v) => {
        if (!v || typeof v !== 'object') return false
        for (const k in v) if (isValidRecordKey(v, k) && (!key(k) || !item((v as Record<string, unknown>)[k]))) return false
        return true
      }
    }
    case 'object':
    case 'loose_object':
    case 'strict_object': {
      const entries = schema.entries ?? {}
      const keys: string[] = []
      const tests: Predicate[] = []
      const optional: boolean[] = []
      for (const key in entries) {
        const test = _compile(entries[key]!)
        if (!test) return undefined
        keys.push(key)
        tests.push(test)
        const type = entries[key]!.type
        optional.push(type === 'optional' || type === 'nullish' || type === 'exact_optional')
      }
      const strict = schema.type === 'strict_object'
      return (v) => {
        if (!v || typeof v !== 'object') return false
        const object = v as Record<string, unknown>
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!
          if (key in object) {
            if (!tests[i]!(object[key])) return false
          } else if (!optional[i]) return false
        }
        if (strict) for (const key in object) if (!Object.hasOwn(entries, key)) return false
        return true
      }
    }
    default:
      return undefined
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
