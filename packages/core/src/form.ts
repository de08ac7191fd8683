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
 * a cyclic object, keys that are empty (Stripe's array-append syntax), `__proto__`, `constructor`, `prototype`, or
 * hold a bracket. `operation` only names the operation in the message.
 */
export function encodeForm(params: unknown, operation?: Operation): string {
  const refuse = (key: string, message: string): never => {
    throw new StripeValidationError({
      message: `Invalid params${operation ? ` for ${operation.operationId}` : ''}: ${key || '(root)'}: ${message}`,
      raw: { type: 'invalid_request_error', param: key },
      issues: [{ path: key.replace(/\[([^\]]*)\]/g, '.$1'), message }],
    })
  }
  // A lone surrogate cannot be UTF-8 encoded: name the param instead of a raw URIError.
  const uri = (text: string, key: string) => {
    try {
      return encodeURIComponent(text)
    } catch {
      return refuse(key, 'contains a lone surrogate (not valid Unicode text)')
    }
  }
  let form = ''
  // The objects and arrays being walked: one met again is a cycle (else a RangeError, stack overflow).
  const open: unknown[] = []
  const walk = (value: unknown, key: string): void => {
    let text: string
    if (open.includes(value)) refuse(key, 'a cyclic object cannot be sent (it contains itself)')
    if (typeof value === 'string') text = uri(value, key)
    else if (typeof value === 'boolean') text = String(value)
    else if (typeof value === 'number') {
      text = String(value)
      // NaN, ±Infinity, beyond 2^53 (not sent exactly) or printed with an exponent (1e-7).
      if (!(Math.abs(value) <= Number.MAX_SAFE_INTEGER) || text.includes('e')) {
        refuse(key, `${text} is not a number Stripe reads exactly (finite, within ±Number.MAX_SAFE_INTEGER, no exponent)`)
      }
    } else if (value === null) text = ''
    else if (Array.isArray(value)) {
      // A hole or an extra (non-index) property would be silently dropped.
      if (Object.keys(value).length !== value.length) refuse(key, 'a sparse array or an array with extra properties cannot be sent')
      open.push(value)
      for (let index = 0; index < value.length; index++) {
        if (value[index] === undefined) refuse(`${key}[${index}]`, 'an array item cannot be undefined')
        walk(value[index], `${key}[${index}]`)
      }
      open.pop()
      return
    } else if (value && typeof value === 'object' && isPlainObject(value)) {
      open.push(value)
      for (const name of Object.keys(value)) {
        const item = (value as Record<string, unknown>)[name] // a plain object, read by its keys
        if (item === undefined) continue
        const child = key ? `${key}[${name}]` : name
        const plain = PLAIN_KEY.test(name)
        // '' is array-append syntax to Stripe; brackets would read as nesting.
        if (!plain && (name === '' || /[[\]]/.test(name))) refuse(child, 'a key cannot be empty or hold [ or ]')
        if (name === '__proto__' || name === 'constructor' || name === 'prototype') refuse(child, `the key ${name} is not allowed`)
        const encoded = plain ? name : uri(name, child)
        walk(item, key ? `${key}[${encoded}]` : encoded)
      }
      open.pop()
      return
    } else {
      // null was encoded above: an object here is not null.
      const kind = typeof value === 'object' ? (value as object).constructor?.name || 'object' : typeof value
      text = refuse(key, `a ${kind} cannot be sent: only plain objects, arrays, strings, finite numbers, booleans and null`)
    }
    form += `${form ? '&' : ''}${key}=${text}`
  }
  if (params === undefined || params === null) return ''
  if (Array.isArray(params) || typeof params !== 'object') refuse('', 'params must be a plain object')
  walk(params, '')
  return form
}

/** Keys that need no escaping (most param names). */
const PLAIN_KEY = /^[\w.~-]+$/

/** A plain object: `{}`, `Object.create(null)`, or a plain object of another realm (iframe, vm). */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null || (!Object.getPrototypeOf(proto) && String(value) === '[object Object]')
}
