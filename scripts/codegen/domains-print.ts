// A tiny deterministic printer for the generated code: expression trees (calls, objects, arrays)
// and TypeScript type trees, printed flat when they fit in WIDTH columns and broken one item per
// line otherwise. Same input, same output, on every run (no external formatter needed).

import { docBlock } from './domains-docs'

export const WIDTH = 110

export type Expr = string | { call: string; args: Expr[] } | { obj: [string, Expr][] } | { arr: Expr[] }

export const call = (fn: string, ...args: Expr[]): Expr => ({ call: fn, args })
export const obj = (entries: [string, Expr][]): Expr => ({ obj: entries })
export const arr = (items: Expr[]): Expr => ({ arr: items })

export const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/
export const key = (name: string): string => (IDENT.test(name) ? name : quote(name))
export const quote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

/** An enum value as a TypeScript literal type: a string quoted, a number or boolean as written. */
export const literal = (value: unknown): string => (typeof value === 'string' ? quote(value) : String(value))

/**
 * Every call is printed with a pure annotation: bundlers (esbuild included) then drop any schema
 * a bundle does not use, nested calls and all. (esbuild does not apply valibot's
 * `@__NO_SIDE_EFFECTS__` to calls nested in arguments, so the annotation goes on each call.)
 */
export const PURE = '/* @__PURE__ */ '

export function flat(expr: Expr): string {
  if (typeof expr === 'string') return expr
  if ('call' in expr) return `${PURE}${expr.call}(${expr.args.map(flat).join(', ')})`
  if ('obj' in expr) return expr.obj.length ? `{ ${expr.obj.map(([k, v]) => `${key(k)}: ${flat(v)}`).join(', ')} }` : '{}'
  return `[${expr.arr.map(flat).join(', ')}]`
}

/** Prints `expr` starting at column `indent` (the caller already wrote `prefix` on the line). */
export function print(expr: Expr, indent = 0, prefix = 0): string {
  const one = flat(expr)
  if (typeof expr === 'string' || indent + prefix + one.length <= WIDTH) return one
  const pad = ' '.repeat(indent + 2)
  const end = ' '.repeat(indent)
  if ('call' in expr) {
    const only = expr.args.length === 1 ? expr.args[0] : undefined
    if (only !== undefined && typeof only !== 'string' && !('call' in only)) {
      return `${PURE}${expr.call}(${print(only, indent, prefix + PURE.length + expr.call.length + 1)})`
    }
    return `${PURE}${expr.call}(\n${expr.args.map((a) => `${pad}${print(a, indent + 2)},\n`).join('')}${end})`
  }
  if ('obj' in expr) {
    return `{\n${expr.obj.map(([k, v]) => `${pad}${key(k)}: ${print(v, indent + 2, key(k).length + 2)},\n`).join('')}${end}}`
  }
  return `[\n${expr.arr.map((a) => `${pad}${print(a, indent + 2)},\n`).join('')}${end}]`
}

// --- TypeScript types ---

export type TypeNode =
  | string
  | { union: TypeNode[] }
  | { props: { name: string; optional: boolean; type: TypeNode; doc?: string[] }[] }
  | { array: TypeNode }

export function union(types: TypeNode[]): TypeNode {
  const seen = new Map<string, TypeNode>()
  for (const t of types.flatMap((t) => (typeof t !== 'string' && 'union' in t ? t.union : [t]))) {
    seen.set(flatType(t), t)
  }
  const list = [...seen.values()]
  return list.length === 1 ? (list[0] as TypeNode) : { union: list }
}

export function flatType(t: TypeNode): string {
  if (typeof t === 'string') return t
  if ('union' in t) return t.union.map(flatType).join(' | ')
  if ('array' in t) {
    const inner = flatType(t.array)
    return typeof t.array !== 'string' && 'union' in t.array ? `(${inner})[]` : `${inner}[]`
  }
  if (!t.props.length) return '{}'
  return `{ ${t.props.map((p) => `${key(p.name)}${p.optional ? '?' : ''}: ${flatType(p.type)}`).join('; ')} }`
}

export function printType(t: TypeNode, indent = 0, prefix = 0): string {
  const one = flatType(t)
  if (typeof t === 'string') return one
  const pad = ' '.repeat(indent + 2)
  const end = ' '.repeat(indent)
  if ('props' in t) {
    if (!t.props.length) return '{}'
    return `{\n${t.props
      .map((p) => {
        const head = `${key(p.name)}${p.optional ? '?' : ''}: `
        const text = printType(p.type, indent + 2, head.length)
        return `${p.doc ? docBlock(p.doc, pad) : ''}${pad}${text.startsWith('\n') ? head.trimEnd() : head}${text}\n`
      })
      .join('')}${end}}`
  }
  if (indent + prefix + one.length <= WIDTH) return one
  if ('union' in t) return `\n${t.union.map((u) => `${pad}| ${printType(u, indent + 2, 2)}`).join('\n')}`
  const inner = printType(t.array, indent, prefix)
  return typeof t.array !== 'string' && 'union' in t.array ? `Array<${inner}>` : `${inner}[]`
}

/** `export interface Name { … }` from a props node, else `export type Name = …`. */
export function printInterface(name: string, t: TypeNode, doc?: string): string {
  if (typeof t !== 'string' && 'props' in t) return `${doc ? `/** ${doc} */\n` : ''}export interface ${name} ${printType(t)}\n`
  return printAlias(name, t, doc)
}

/** `export type Name = …`. */
export function printAlias(name: string, t: TypeNode, doc?: string): string {
  const text = printType(t, 0, name.length + 14)
  return `${doc ? `/** ${doc} */\n` : ''}export type ${name} =${text.startsWith('\n') ? '' : ' '}${text}\n`
}

export const pascal = (name: string): string =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('')

export const camel = (name: string): string => {
  const p = pascal(name)
  return p[0]!.toLowerCase() + p.slice(1)
}
