import { StripeValidationError } from './errors.js'
import type { Operation } from './operation.js'

// Stripe's bracket form encoding, hand-written: a plain recursive encoder instead of `qs` (~10 KB),
// which no edge bundle can afford. Tested against `qs` as the oracle (test/form.test.ts).

/** What the encoder sends: plain objects, arrays, strings, finite numbers, booleans, `null` (and `undefined`, dropped). */
export type FormValue = string | number | boolean | null | undefined | FormValue[] | { [key: string]: FormValue }

/**
 * `{ owner: { address: { city: 'X' } }, expand: ['a'] }` → `owner[address][city]=X&expand[0]=a`.
 * Brackets stay literal, as Stripe's SDKs send them.
 *
 * One rule, whatever validation said (it holds with `validateParams: false` too): only plain
 * objects, dense plain arrays, strings, booleans, `null` and numbers Stripe reads back unchanged
 * (finite, within ±`Number.MAX_SAFE_INTEGER`, no exponent) are sent. `undefined` is dropped as an
 * object property (an unset option); `null` and `''` are sent empty (Stripe's "unset").
 * Anything else throws a `StripeValidationError` naming the param in bracket form, so nothing is
 * silently dropped or mangled: a `Date` (pass unix seconds: `Math.floor(date.getTime() / 1000)`),
 * `Map`, `Set`, `URL`, boxed primitives, class instances, functions, bigints, sparse arrays or
 * arrays with extra properties, `undefined` inside an array, a string with a lone surrogate, and
 * keys that are empty (Stripe's array-append syntax), `__proto__`, `constructor`, `prototype`, or
 * hold a bracket. `operation` only names the operation in the message.
 */
export function encodeForm(params: unknown, operation?: Operation): string {
  if (params === undefined || params === null) return ''
  if (typeof params !== 'object' || Array.isArray(params) || !isPlainObject(params)) {
    throw formError(operation, '', 'params must be a plain object')
  }
  return encodeObject(params as Record<string, unknown>, '', '', operation)
}

function encodeObject(object: Record<string, unknown>, prefix: string, form: string, operation: Operation | undefined): string {
  const names = Object.keys(object)
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!
    const value = object[name]
    if (value === undefined) continue
    const key = prefix ? `${prefix}[${encodeKey(name, prefix, operation)}]` : encodeKey(name, prefix, operation)
    form = encodeValue(value, key, form, operation)
  }
  return form
}

function encodeValue(value: unknown, key: string, form: string, operation: Operation | undefined): string {
  let text: string
  switch (typeof value) {
    case 'string':
      text = encodeString(value, key, operation)
      break
    case 'boolean':
      text = value ? 'true' : 'false'
      break
    case 'number':
      text = encodeNumber(value, key, operation)
      break
    case 'object':
      if (value === null) {
        text = ''
        break
      }
      if (Array.isArray(value)) return encodeArray(value, key, form, operation)
      if (isPlainObject(value)) return encodeObject(value as Record<string, unknown>, key, form, operation)
      throw formError(operation, key, `a ${describe(value)} is not a plain object, array, string, number, boolean or null`)
    default:
      throw formError(operation, key, value === undefined ? 'undefined cannot be an array item' : `a ${typeof value} cannot be sent`)
  }
  return form ? `${form}&${key}=${text}` : `${key}=${text}`
}

function encodeArray(array: unknown[], key: string, form: string, operation: Operation | undefined): string {
  const length = array.length
  if (Object.getPrototypeOf(array) !== Array.prototype && !Array.isArray(Object.getPrototypeOf(array))) {
    throw formError(operation, key, 'an Array subclass cannot be sent: pass a plain array')
  }
  // A hole or an extra (non-index) property would be silently dropped.
  if (Object.keys(array).length !== length)
    throw formError(operation, key, 'a sparse array or an array with extra properties cannot be sent')
  for (let index = 0; index < length; index++) {
    if (!(index in array)) throw formError(operation, key, 'a sparse array cannot be sent')
    form = encodeValue(array[index], `${key}[${index}]`, form, operation)
  }
  return form
}

/** Percent-encodes a value; a lone surrogate (not UTF-8 encodable) names the param instead of a raw URIError. */
function encodeString(value: string, key: string, operation: Operation | undefined): string {
  try {
    return encodeURIComponent(value)
  } catch {
    throw formError(operation, key, 'contains a lone surrogate (not valid Unicode text)')
  }
}

function encodeNumber(value: number, key: string, operation: Operation | undefined): string {
  if (!Number.isFinite(value)) throw formError(operation, key, `${value} is not a finite number`)
  if (value > Number.MAX_SAFE_INTEGER || value < -Number.MAX_SAFE_INTEGER) {
    throw formError(operation, key, `${value} is beyond Number.MAX_SAFE_INTEGER: it would not be sent exactly`)
  }
  const text = String(value)
  // Tiny numbers print with an exponent (1e-7), which Stripe does not read as a number.
  if (value !== 0 && value < 1e-6 && value > -1e-6 && text.includes('e')) {
    throw formError(operation, key, `${text} is written with an exponent: round it`)
  }
  return text
}

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** Keys that need no escaping (most param names): checked without `encodeURIComponent`. */
const PLAIN_KEY = /^[\w.~-]+$/

/** A key as sent; refuses keys Stripe (or a decoder) would read as something else. */
function encodeKey(name: string, prefix: string, operation: Operation | undefined): string {
  if (PLAIN_KEY.test(name) && !RESERVED_KEYS.has(name)) return name
  const key = prefix ? `${prefix}[${name}]` : name
  if (name === '') throw formError(operation, key, 'an empty key is array-append syntax to Stripe')
  if (RESERVED_KEYS.has(name)) throw formError(operation, key, `the key ${name} is not allowed`)
  if (name.includes('[') || name.includes(']')) throw formError(operation, key, 'a key cannot hold [ or ]: it would be read as nesting')
  try {
    return encodeURIComponent(name)
  } catch {
    throw formError(operation, key, 'the key contains a lone surrogate (not valid Unicode text)')
  }
}

/** A plain object: `{}`, `Object.create(null)`, or a plain object of another realm (iframe, vm). */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value)
  if (proto === Object.prototype || proto === null) return true
  return Object.getPrototypeOf(proto) === null && Object.prototype.toString.call(value) === '[object Object]'
}

function describe(value: object): string {
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name
  return typeof name === 'string' && name ? name : 'non-plain object'
}

function formError(operation: Operation | undefined, param: string, message: string): StripeValidationError {
  const where = operation ? ` for ${operation.operationId}` : ''
  return new StripeValidationError({
    message: `Invalid params${where}: ${param || '(root)'}: ${message}`,
    raw: { type: 'invalid_request_error', param },
    issues: [{ path: param.replace(/\[([^\]]*)\]/g, '.$1'), message }],
  })
}
