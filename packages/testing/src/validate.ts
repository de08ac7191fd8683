import type { ParamSchema } from './digest-types.js'
import { type EmulatorError, invalidRequest, missingParam } from './errors.js'
import type { FormValue } from './form-decode.js'

/** A validated, coerced parameter value; `''` stays as the "unset" marker. */
export type ParamValue = string | number | boolean | ParamValue[] | { [key: string]: ParamValue }
export type Params = { [key: string]: ParamValue }

type Result = { ok: true; value: ParamValue } | { ok: false; error: EmulatorError }

const ok = (value: ParamValue): Result => ({ ok: true, value })
const fail = (error: EmulatorError): Result => ({ ok: false, error })

function childName(parent: string, key: string): string {
  return parent ? `${parent}[${key}]` : key
}

function kindOf(value: FormValue): 'scalar' | 'list' {
  return typeof value === 'string' ? 'scalar' : 'list'
}

function schemaKind(schema: ParamSchema): 'scalar' | 'list' | 'any' {
  if (schema.t === 'object' || schema.t === 'array') return 'list'
  if (schema.t) return 'scalar'
  return 'any'
}

/** Objects keyed `0`, `1`, … (from `a[0][b]=…`) become arrays when the schema wants an array. */
function asArray(value: FormValue): FormValue[] | undefined {
  if (Array.isArray(value)) return value
  if (typeof value === 'string') return undefined
  const keys = Object.keys(value)
  if (!keys.every((key) => /^\d+$/.test(key))) return undefined
  return keys.sort((a, b) => Number(a) - Number(b)).map((key) => value[key] as FormValue)
}

function checkScalar(schema: ParamSchema, value: string, name: string): Result {
  if (value === '') return ok('')
  switch (schema.t) {
    case 'integer':
      if (!/^-?\d+$/.test(value)) return fail(invalidRequest(`Invalid integer: ${value}`, name, 'parameter_invalid_integer'))
      return checkEnum(schema, Number(value), name)
    case 'number':
      if (!/^-?(\d+\.?\d*|\.\d+)$/.test(value)) return fail(invalidRequest(`Invalid decimal: ${value}`, name))
      return checkEnum(schema, Number(value), name)
    case 'boolean':
      if (value !== 'true' && value !== 'false') return fail(invalidRequest(`Invalid boolean: ${value}`, name))
      return ok(value === 'true')
    case 'object':
      return fail(invalidRequest(`Invalid object`, name))
    case 'array':
      return fail(invalidRequest(`Invalid array`, name))
    default:
      if (schema.m !== undefined && value.length > schema.m) {
        return fail(invalidRequest(`Invalid string: ${value.slice(0, 20)}...; must be at most ${schema.m} characters`, name))
      }
      return checkEnum(schema, value, name)
  }
}

function checkEnum(schema: ParamSchema, value: string | number, name: string): Result {
  if (schema.e && !schema.e.includes(value)) {
    const options = schema.e.filter((option) => option !== '').map(String)
    const list = options.length > 1 ? `${options.slice(0, -1).join(', ')}, or ${options.at(-1)}` : options[0]
    return fail(invalidRequest(`Invalid ${name}: must be one of ${list}`, name))
  }
  return ok(value)
}

/** Validates one decoded value against a digest schema, coercing text to numbers/booleans. */
export function validateValue(schema: ParamSchema, value: FormValue, name: string): Result {
  if (schema.o) {
    const candidates = schema.o.filter((alt) => {
      const kind = schemaKind(alt)
      return kind === 'any' || kind === kindOf(value)
    })
    if (candidates.length === 0) {
      return fail(invalidRequest(kindOf(value) === 'scalar' ? 'Invalid object' : 'Invalid value', name))
    }
    let first: Result | undefined
    for (const alt of candidates) {
      const result = validateValue(alt, value, name)
      if (result.ok) return result
      first ??= result
    }
    return first as Result
  }
  if (typeof value === 'string') {
    // Stripe allows `a=` to unset a whole hash or list.
    if (value === '' && (schema.t === 'object' || schema.t === 'array')) return ok('')
    return checkScalar(schema, value, name)
  }
  if (schema.t === 'array') {
    const items = asArray(value)
    if (!items) return fail(invalidRequest('Invalid array', name))
    const out: ParamValue[] = []
    for (let index = 0; index < items.length; index++) {
      const result = schema.i ? validateValue(schema.i, items[index] as FormValue, `${name}[${index}]`) : ok(items[index] as string)
      if (!result.ok) return result
      out.push(result.value)
    }
    return ok(out)
  }
  if (schema.t === 'object' || schema.p || schema.a) {
    if (Array.isArray(value)) return fail(invalidRequest('Invalid object', name))
    return validateObject(schema, value, name)
  }
  if (schema.t) return fail(invalidRequest(`Invalid ${schema.t}`, name))
  return ok(value as ParamValue)
}

export function validateObject(schema: ParamSchema, value: { [key: string]: FormValue }, name: string): Result {
  const out: Params = {}
  for (const [key, child] of Object.entries(value)) {
    const childSchema = (schema.p && Object.hasOwn(schema.p, key) ? schema.p[key] : undefined) ?? schema.a
    const childPath = childName(name, key)
    if (!childSchema) return fail(invalidRequest(`Received unknown parameter: ${childPath}`, childPath, 'parameter_unknown'))
    const result = validateValue(childSchema, child, childPath)
    if (!result.ok) return result
    out[key] = result.value
  }
  for (const key of schema.r ?? []) {
    if (out[key] === undefined || out[key] === '') return fail(missingParam(childName(name, key)))
  }
  return ok(out)
}

/** Validates a whole request's params; throws the first error, as Stripe reports one at a time. */
export function validateParams(schema: ParamSchema, value: { [key: string]: FormValue }): Params {
  const result = validateObject(schema, value, '')
  if (!result.ok) throw result.error
  return result.value as Params
}
