// Request params: one strict valibot schema and one TypeScript type per operation, from the
// spec's query parameters and form body. Checked at run time, as strictly as Stripe does:
// unknown keys (`strict`: valibot's strictObject that also refuses an array, as `dict` does for
// records; an operation without params refuses any), required keys (query ones too), enums (picklist), integers,
// maxLength, nested objects, arrays, unions, and `''` or `null` where the spec allows unsetting
// (`anyOf [..., {enum: [""]}]`, and the values of string records such as metadata: a key to unset).
// Sub-schemas used more than once in a file are hoisted into one shared constant.

import { childPlace, type DocPlace, propertyDoc } from './domains-docs'
import { arr, call, camel, type Expr, flat, flatType, literal, obj, print, printType, quote, type TypeNode, union } from './domains-print'
import type { Json } from './domains-spec'

export interface ParamsOp {
  /** `CreateSourceParams` */
  typeName: string
  schema: Json
  /** the operation's reference entry, for the links of its params' JSDoc */
  place?: DocPlace
  /** the result's expandable fields, listed on the `expand` param */
  expandable?: string[]
}

/** `x-stripeBypassValidation` enums: Stripe accepts values beyond the listed ones, so these are checked as strings. */
function enumNode(schema: Json): { rt: Expr; ts: TypeNode } {
  const values: string[] = schema.enum
  const ts = union(values.map(literal))
  if (values.length === 1 && values[0] === '') return { rt: call('literal', quote('')), ts }
  if (schema['x-stripeBypassValidation']) return { rt: stringExpr(schema), ts: union([ts, '(string & {})']) }
  const options = arr(values.map((v) => quote(String(v))))
  // A long enum (timezones: ~600) would make valibot's default message list every value.
  if (values.length > LONG_ENUM) return { rt: call('picklist', options, quote(longEnumMessage(values.length))), ts }
  return { rt: call('picklist', options), ts }
}

/** Enums with more values than this get a short error message instead of the list. */
const LONG_ENUM = 20

/** The message of a long enum's picklist (the core prefixes the param's path). */
const longEnumMessage = (count: number): string => `Invalid option: expected one of the ${count} values of the spec`

function stringExpr(schema: Json): Expr {
  return typeof schema.maxLength === 'number' ? call('stringMax', String(schema.maxLength)) : call('string')
}

/** Converts one param schema to a runtime expression and a type. */
export function paramNode(schema: Json, place?: DocPlace, expandable?: string[]): { rt: Expr; ts: TypeNode } {
  if (schema.$ref) throw new Error(`unexpected $ref in params: ${schema.$ref}`)
  const alternatives: Json[] | undefined = schema.anyOf ?? schema.oneOf
  if (alternatives) {
    if (alternatives.length === 1) return paramNode(alternatives[0], place)
    const unset = alternatives.filter((a) => a.enum?.length === 1 && a.enum[0] === '')
    const rest = alternatives.filter((a) => !unset.includes(a))
    const nodes = rest.map((a) => paramNode(a, place))
    const inner: Expr = nodes.length === 1 ? (nodes[0]!.rt as Expr) : call('union', arr(nodes.map((n) => n.rt)))
    const ts = union([...nodes.map((n) => n.ts), ...(unset.length ? ["''", 'null'] : [])])
    return { rt: unset.length ? call('unsettable', inner) : inner, ts }
  }
  if (Array.isArray(schema.enum)) return enumNode(schema)
  switch (schema.type) {
    case 'string':
      return { rt: stringExpr(schema), ts: 'string' }
    case 'integer':
      return { rt: call('int'), ts: 'number' }
    case 'number':
      return { rt: call('number'), ts: 'number' }
    case 'boolean':
      return { rt: call('boolean'), ts: 'boolean' }
    case 'array': {
      const item = paramNode(schema.items ?? {}, place)
      return { rt: call('array', item.rt), ts: { array: item.ts } }
    }
    case 'object':
      return objectNode(schema, place, expandable)
    default:
      if (schema.properties) return objectNode(schema, place, expandable)
      return { rt: call('unknown'), ts: 'unknown' }
  }
}

/**
 * The values of a string record (`metadata`: `additionalProperties: {type: string}`, numbers too
 * where stripe-node's types accept them) may also be `null`, sent as `metadata[key]=`: Stripe's
 * way to unset one key.
 */
function stringRecordValue(schema: Json): { rt: Expr; ts: TypeNode } | undefined {
  const alternatives: Json[] = schema.anyOf ?? [schema]
  const primitive = (a: Json) => (a.type === 'string' || a.type === 'number' || a.type === 'integer') && !a.enum && !a.anyOf
  if (!alternatives.some((a) => a.type === 'string') || !alternatives.every(primitive)) return undefined
  const node = paramNode(schema)
  return { rt: call('nullable', node.rt), ts: union([node.ts, 'null']) }
}

/** A required param. A string one must not be `''`: Stripe reads `''` as unset, so it would be sent as missing. */
function requiredNode(schema: Json, place?: DocPlace): { rt: Expr; ts: TypeNode } {
  const node = paramNode(schema, place)
  const rt = node.rt
  if (typeof rt === 'object' && 'call' in rt && (rt.call === 'stringMax' || rt.call === 'string'))
    return { rt: call('filled', ...rt.args), ts: node.ts }
  return node
}

function objectNode(schema: Json, place?: DocPlace, expandable?: string[]): { rt: Expr; ts: TypeNode } {
  const properties: Record<string, Json> | undefined = schema.properties
  if (properties && Object.keys(properties).length) {
    const required = new Set<string>(schema.required ?? [])
    const entries: [string, Expr][] = []
    const props: { name: string; optional: boolean; type: TypeNode; doc: string[] }[] = []
    for (const name of Object.keys(properties).sort()) {
      const optional = !required.has(name)
      const at = childPlace(place, name)
      const node = optional ? paramNode(properties[name], at) : requiredNode(properties[name], at)
      entries.push([name, optional ? call('optional', node.rt) : node.rt])
      const doc = propertyDoc({
        schema: properties[name],
        name,
        required: !optional,
        siblings: properties,
        schemas: {},
        side: 'param',
        place: at,
        expandable: name === 'expand' ? expandable : undefined,
      })
      props.push({ name, optional, type: node.ts, doc })
    }
    return { rt: call('strict', obj(entries)), ts: { props } }
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    const value = stringRecordValue(schema.additionalProperties) ?? paramNode(schema.additionalProperties)
    const valueType = typeof value.ts === 'string' || 'union' in value.ts ? flatType(value.ts) : 'unknown'
    return { rt: call('dict', value.rt), ts: `Record<string, ${valueType}>` }
  }
  return { rt: call('dict', call('unknown')), ts: 'Record<string, unknown>' }
}

/**
 * Emits the params module body: hoisted shared sub-schemas, then per operation an exported
 * interface and a schema constant of the same name.
 */
export function emitParams(ops: ParamsOp[]): { code: string; imports: Set<string> } {
  // An operation without params takes none: `strict({})` refuses any key (`expand` too).
  const roots = ops.map((op) => ({
    op,
    node: Object.keys(op.schema.properties ?? {}).length
      ? paramNode(op.schema, op.place, op.expandable)
      : { rt: call('strict', obj([])), ts: { props: [] } },
  }))
  // Count every sub-expression (by its flat text) across this file.
  const counts = new Map<string, number>()
  const count = (e: Expr): void => {
    if (typeof e === 'string') return
    const text = flat(e)
    counts.set(text, (counts.get(text) ?? 0) + 1)
    if ('call' in e) e.args.forEach(count)
    else if ('obj' in e) for (const [, v] of e.obj) count(v)
    else e.arr.forEach(count)
  }
  for (const { node } of roots) count(node.rt)

  const hoisted = new Map<string, string>() // flat text → const name
  const names = new Set<string>()
  const defs: string[] = []
  const imports = new Set<string>()
  const noteImports = (e: Expr): void => {
    if (typeof e === 'string') return
    if ('call' in e) {
      imports.add(e.call)
      e.args.forEach(noteImports)
    } else if ('obj' in e) for (const [, v] of e.obj) noteImports(v)
    else e.arr.forEach(noteImports)
  }
  const hoist = (e: Expr, hint: string, top: boolean): Expr => {
    if (typeof e === 'string') return e
    let out: Expr
    if ('call' in e) {
      out = { call: e.call, args: e.args.map((a) => hoist(a, hint, false)) }
    } else if ('obj' in e) out = { obj: e.obj.map(([k, v]) => [k, hoist(v, k, false)] as [string, Expr]) }
    else out = { arr: e.arr.map((a) => hoist(a, hint, false)) }
    const text = flat(e)
    if (top || !('call' in e) || e.call === 'optional' || e.call === 'nullable' || (counts.get(text) ?? 0) < 2 || text.length < 28)
      return out
    const existing = hoisted.get(text)
    if (existing) return existing
    let name = `${camel(hint)}Schema`
    for (let i = 2; names.has(name); i++) name = `${camel(hint)}Schema${i}`
    names.add(name)
    hoisted.set(text, name)
    defs.push(`const ${name} = ${print(out, 0, name.length + 24)}\n`)
    return name
  }
  const blocks: string[] = []
  const sameAs = new Map<string, string>() // flat text of a root → the first op's name
  for (const { op, node } of roots) {
    noteImports(node.rt)
    const text = flat(node.rt)
    const first = sameAs.get(text)
    if (!first) sameAs.set(text, op.typeName)
    const rt = first ?? hoist(node.rt, op.typeName, true)
    const type = typeof node.ts !== 'string' && 'props' in node.ts ? node.ts : { props: [] }
    // `expand` is the interface's type parameter: a function passes its literal list through
    // (`CreateOutboundPaymentParams<['transaction']>`), so hovers read as one named type.
    const expands = type.props.some((p) => p.name === 'expand')
    const typed = expands ? { props: type.props.map((p) => (p.name === 'expand' ? { ...p, type: 'E' } : p)) } : type
    const ts = typed.props.length ? printType(typed) : '{ [key: string]: never }'
    blocks.push(
      `export interface ${op.typeName}${expands ? '<E extends string[] = string[]>' : ''} ${ts}\n` +
        // No params: the type refuses any key (`{}` would take any object); the schema's output is `{}`.
        `export const ${op.typeName}: GenericSchema<${op.typeName}> = ${print(rt, 0, op.typeName.length + 50)}${type.props.length ? '' : ` as GenericSchema<${op.typeName}>`}\n`,
    )
  }
  return { code: [...defs, ...blocks].join('\n'), imports }
}
