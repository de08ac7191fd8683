// Response types and schemas.
//
// Types are full depth: an interface per component schema reached from the package's responses
// (literal unions for enums, `| null` where nullable, `?` where not required, expandable fields as
// `string | Expanded`); objects outside the package's domain are `StripeObject`
// (`{ id; object } & { [k: string]: unknown }`) plus the literals the spec states for them
// (`object`; `deleted: true`, or `deleted?: never` where the schema has no `deleted`), e.g.
// `StripeObject & { object: 'card'; deleted?: never }`.
//
// Runtime schemas are SHALLOW on purpose (bundle budget, and forward compatibility):
// `looseObject` everywhere, so unknown fields are kept and the parsed output deep-equals the input
// (no defaults, no transforms). A resource schema checks `object` (literal), `id`, and the JS type
// of each top-level field (string / number / boolean / array / object, null where nullable);
// nested objects are only checked to be objects. Enums are checked as strings at run time (a
// newer API version may send values this spec does not list) while the TypeScript type stays the
// literal union.

import { childPlace, type DocPlace, objectPlace, propertyDoc } from './domains-docs'
import { literal, pascal, printInterface, quote, type TypeNode, union } from './domains-print'
import { type Json, refName, TYPE_PREFIXES } from './domains-spec'

/** `treasury.outbound_payment` → `OutboundPayment` (the declared `typePrefix`es are dropped). */
export function typeNameOf(schemaName: string): string {
  const prefix = TYPE_PREFIXES.find((p) => schemaName.startsWith(p))
  return pascal(prefix ? schemaName.slice(prefix.length) : schemaName)
}

export interface TypeContext {
  schemas: Record<string, Json>
  /** x-resourceIds modelled in full in this package */
  domain: Set<string>
  /** schema name → type name, for every schema reached */
  reached: Map<string, string>
  external: Set<string>
  /** x-resourceId → its API reference path (`treasury/outbound_payments`), for the fields' links */
  referencePaths?: Map<string, string>
  /**
   * The emulator's view (emulator.ts): objects as its store holds them. An expandable field is the
   * id string (expansion happens on the copy sent out), an object outside `domain` is
   * `StripeObject`, a type is named after its whole schema name, and fields carry no docs.
   */
  stored?: boolean
}

/** The type name of schema `name` in this context. */
const nameIn = (ctx: TypeContext, name: string): string => (ctx.stored ? pascal(name) : typeNameOf(name))

export function isExternal(ctx: TypeContext, name: string): boolean {
  const schema = ctx.schemas[name]
  const rid = schema['x-resourceId']
  return !!rid && !schema.anyOf && !ctx.domain.has(rid)
}

function refType(ctx: TypeContext, ref: string): TypeNode {
  const name = refName(ref)
  if (ctx.stored && isExternal(ctx, name)) return 'StripeObject'
  const type = nameIn(ctx, name)
  const known = ctx.reached.get(name)
  if (known && known !== type) throw new Error(`type name clash ${name}`)
  for (const [other, t] of ctx.reached) if (t === type && other !== name) throw new Error(`type name clash: ${name} / ${other}`)
  ctx.reached.set(name, type)
  if (isExternal(ctx, name)) ctx.external.add(name)
  return type
}

/** The TypeScript type of a response schema node. */
export function typeOf(ctx: TypeContext, schema: Json, place?: DocPlace): TypeNode {
  const base = baseType(ctx, schema, place)
  return schema.nullable ? union([base, 'null']) : base
}

function baseType(ctx: TypeContext, schema: Json, place?: DocPlace): TypeNode {
  if (ctx.stored && schema['x-expansionResources']) return 'string'
  if (schema.$ref) return refType(ctx, schema.$ref)
  const alternatives: Json[] | undefined = schema.anyOf ?? schema.oneOf
  if (alternatives) return union(alternatives.map((a) => typeOf(ctx, a, place)))
  if (Array.isArray(schema.enum)) return union(schema.enum.map(literal))
  switch (schema.type) {
    case 'string':
      return 'string'
    case 'integer':
    case 'number':
      return 'number'
    case 'boolean':
      return 'boolean'
    case 'array':
      return { array: typeOf(ctx, schema.items ?? {}, place) }
    case 'object':
    case undefined:
      if (schema.properties) return propsType(ctx, schema, place)
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        const value = typeOf(ctx, schema.additionalProperties)
        return `{ [key: string]: ${typeof value === 'string' ? value : 'unknown'} }`
      }
      return schema.type === 'object' ? '{ [key: string]: unknown }' : 'unknown'
    default:
      return 'unknown'
  }
}

function propsType(ctx: TypeContext, schema: Json, place?: DocPlace): TypeNode {
  const required = new Set<string>(schema.required ?? [])
  return {
    props: Object.keys(schema.properties)
      .sort()
      .map((name) => {
        const at = childPlace(place, name)
        const prop = schema.properties[name]
        const doc = ctx.stored
          ? undefined
          : propertyDoc({
              schema: prop,
              name,
              required: required.has(name),
              siblings: schema.properties,
              schemas: ctx.schemas,
              side: 'field',
              place: at,
            })
        return { name, optional: !required.has(name), type: typeOf(ctx, prop, at), doc }
      }),
  }
}

/**
 * Emits every type reached from `roots` (schema names). Returns the declarations for the
 * resources (`resourceNames`, emitted next to their runtime schema) and for all other types.
 */
export function emitTypes(
  ctx: TypeContext,
  roots: string[],
  resourceNames: Set<string>,
): { resources: Map<string, string>; others: string[] } {
  const done = new Set<string>()
  const queue = [...roots]
  for (const name of roots) ctx.reached.set(name, typeNameOf(name))
  const resources = new Map<string, string>()
  const others = new Map<string, string>()
  while (queue.length) {
    const name = queue.shift() as string
    if (done.has(name)) continue
    done.add(name)
    const before = new Set(ctx.reached.keys())
    const schema = ctx.schemas[name]
    const type = typeNameOf(name)
    let text: string
    if (isExternal(ctx, name)) {
      text = `/** \`${schema['x-resourceId']}\`: outside this package's domain, typed only as a Stripe object. */\nexport type ${type} = ${externalType(schema)}\n`
    } else {
      const rid = schema['x-resourceId']
      const place = rid ? objectPlace(rid, ctx.referencePaths ?? new Map()) : undefined
      const doc = rid ? `The \`${rid}\` object.${place ? ` See ${place.page}` : ''}` : undefined
      text = printInterface(type, typeOf(ctx, { ...schema, nullable: false }, place), doc)
    }
    ;(resourceNames.has(name) ? resources : others).set(name, text)
    for (const reached of ctx.reached.keys()) if (!before.has(reached)) queue.push(reached)
  }
  const sorted = [...others.keys()].sort()
  return { resources, others: sorted.map((n) => others.get(n) as string) }
}

/**
 * The stand-in for an object outside the package's domain: `StripeObject` plus the literals the
 * spec states for it — its `object` (a single-value enum) and `deleted: true` for deleted objects,
 * `deleted?: never` for objects without a `deleted` field — so unions of such objects
 * (`PaymentSource | DeletedPaymentSource`, …) can be narrowed on `object` / `deleted`.
 */
function externalType(schema: Json): string {
  const literals: string[] = []
  const single = (name: string): unknown[] | undefined => {
    const values = schema.properties?.[name]?.enum
    return Array.isArray(values) && values.length === 1 ? values : undefined
  }
  const object = single('object')
  if (object && typeof object[0] === 'string') literals.push(`object: ${quote(object[0])}`)
  const deleted = single('deleted')
  if (deleted && deleted[0] === true && (schema.required ?? []).includes('deleted')) literals.push('deleted: true')
  // No `deleted` in the schema: say so (as stripe-node's `deleted?: void` does), or the index
  // signature's `unknown` would keep `'deleted' in x && x.deleted` from narrowing to the deleted variants.
  else if (!schema.properties?.deleted) literals.push('deleted?: never')
  return literals.length ? `StripeObject & { ${literals.join('; ')} }` : 'StripeObject'
}

/** Runtime kind of a top-level response field: one of the shared constants of `@edgestripe/core/schema`. */
export function fieldKind(ctx: TypeContext, schema: Json, required: boolean): string {
  const kind = baseKind(ctx, schema)
  const Kind = kind[0]!.toUpperCase() + kind.slice(1)
  if (schema.nullable) return required ? `nullable${Kind}` : `optionalNullable${Kind}`
  return required ? kind : `optional${Kind}`
}

function baseKind(ctx: TypeContext, schema: Json): string {
  if (schema.$ref) {
    const target = ctx.schemas[refName(schema.$ref)]
    return target.anyOf ? 'anything' : baseKind(ctx, target)
  }
  const alternatives: Json[] | undefined = schema.anyOf ?? schema.oneOf
  if (alternatives) {
    const kinds = new Set(alternatives.map((a) => baseKind(ctx, a)))
    if (kinds.size === 1) return [...kinds][0] as string
    if (kinds.size === 2 && kinds.has('str') && kinds.has('obj')) return 'idOrObject'
    return 'anything'
  }
  switch (schema.type) {
    case 'string':
      return 'str'
    case 'integer':
    case 'number':
      return 'num'
    case 'boolean':
      return 'bool'
    case 'array':
      return 'arr'
    case 'object':
      return 'obj'
    default:
      return schema.properties ? 'obj' : 'anything'
  }
}
