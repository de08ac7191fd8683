import { invalidRequest } from './errors.js'

/** Decoded form value: strings at the leaves; `[]` pushes make arrays, `[0]` makes numeric keys. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue }
export type FormObject = { [key: string]: FormValue }

/** Keys that would reach an object's prototype: refused wherever a client names a key. */
const FORBIDDEN_KEYS = /* @__PURE__ */ new Set(['__proto__', 'constructor', 'prototype'])

/** Splits `a[b][0][]` into `['a', 'b', '0', '']`. */
export function splitKey(key: string): string[] {
  const open = key.indexOf('[')
  if (open <= 0 || !key.endsWith(']')) return [key]
  const parts = [key.slice(0, open)]
  for (const match of key.slice(open).matchAll(/\[([^\]]*)\]/g)) parts.push(match[1] ?? '')
  return parts
}

/** The bracket-form name of the first `index + 1` segments (`metadata[__proto__]`). */
function paramName(path: readonly string[], index: number): string {
  return path.slice(0, index + 1).reduce((name, part, at) => (at === 0 ? part : `${name}[${part}]`), '')
}

/**
 * Decodes Stripe's bracket form encoding (`a[b][c]=x`, `expand[]=x`, `items[0][amount]=1`) into
 * null-prototype objects. A `__proto__`, `constructor` or `prototype` key anywhere is refused with
 * Stripe's 400 naming the param: no input can reach `Object.prototype`.
 */
export function decodeForm(text: string | URLSearchParams): FormObject {
  const params = typeof text === 'string' ? new URLSearchParams(text) : text
  const root: FormObject = Object.create(null)
  for (const [key, value] of params) {
    const path = splitKey(key)
    for (let index = 0; index < path.length; index++) {
      if (FORBIDDEN_KEYS.has(path[index] as string)) {
        const name = paramName(path, index)
        throw invalidRequest(`Invalid parameter name: ${name} (the key ${path[index]} is not allowed).`, name)
      }
    }
    let node: FormValue = root
    for (let index = 0; index < path.length; index++) {
      const segment = path[index] as string
      const last = index === path.length - 1
      if (Array.isArray(node)) {
        // `[]` appends; a following `[x]` on an appended item nests into it
        if (last) node.push(value)
        else {
          const child: FormValue = Object.create(null)
          node.push(child)
          node = child
        }
        continue
      }
      if (typeof node === 'string') break
      if (last) {
        node[segment] = value
        break
      }
      const nextIsAppend = path[index + 1] === ''
      let child: FormValue | undefined = Object.hasOwn(node, segment) ? node[segment] : undefined
      if (child === undefined || typeof child === 'string') {
        child = nextIsAppend ? [] : Object.create(null)
        node[segment] = child as FormValue
      }
      node = child as FormValue
    }
  }
  return root
}

/**
 * Parses a control's JSON body: an object, without `__proto__`, `constructor` or `prototype` keys at
 * any depth (400 naming the key path otherwise).
 */
export function parseJsonBody(text: string): Record<string, unknown> {
  if (!text) return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw invalidRequest('Control bodies must be JSON.')
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidRequest('Control bodies must be a JSON object.')
  const check = (node: unknown, at: string): void => {
    if (!node || typeof node !== 'object') return
    for (const key of Object.keys(node)) {
      const name = at ? `${at}[${key}]` : key
      if (FORBIDDEN_KEYS.has(key)) throw invalidRequest(`Invalid parameter name: ${name} (the key ${key} is not allowed).`, name)
      check((node as Record<string, unknown>)[key], name)
    }
  }
  check(value, '')
  return value as Record<string, unknown>
}
