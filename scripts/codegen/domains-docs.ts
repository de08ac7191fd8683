// JSDoc for generated functions, params and resource fields, built only from what the spec states
// as structure — type, unit (unix seconds for `format: unix-time`; an integer amount next to a
// `currency` is in that currency's minor unit), required or optional, nullable, enum values,
// length limits, expandable (and to what), deprecated — plus a link to Stripe's API reference
// entry for the operation and the field. No prose is taken from Stripe's docs or descriptions
// (the repo's spec copy has none).

import { type Json, refName } from './domains-spec'

export const API_REFERENCE = 'https://docs.stripe.com/api'

/** Where a documented property sits: the page it links to and its path from the page's root. */
export interface DocPlace {
  /** `https://docs.stripe.com/api/treasury/outbound_payments/create` */
  page: string
  /** anchor prefix: `create_treasury_outbound_payment` or `treasury_outbound_payment_object` */
  anchor: string
  path: string[]
}

export const childPlace = (place: DocPlace | undefined, name: string): DocPlace | undefined =>
  place && { ...place, path: [...place.path, name] }

/** The link to a field: Stripe's anchors join the field path with `-` after the entry's prefix. */
export const fieldLink = (place: DocPlace): string => `${place.page}#${place.anchor}-${place.path.join('-')}`

/** `/v1/test_helpers/treasury/received_credits/{id}/x` → `treasury/received_credits` (static segments before the first param). */
export function referencePath(path: string): string {
  const segments = path
    .replace(/^\/v1\//, '')
    .replace(/^test_helpers\//, '')
    .split('/')
  const stop = segments.findIndex((s) => s.startsWith('{'))
  return (stop === -1 ? segments : segments.slice(0, stop)).join('/')
}

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/** The reference entry of an operation: its resource path and the plugin method's action (`del` → `delete`). */
export function operationPage(op: { path: string; plugin: string; entry: string }): { page: string; action: string } {
  const member = op.plugin.split('.').pop() as string
  const action = `${op.entry === 'test-helpers' ? 'test_mode_' : ''}${member === 'del' ? 'delete' : snake(member)}`
  return { page: `${API_REFERENCE}/${referencePath(op.path)}/${action}`, action }
}

/** The `x-resourceId` of an operation's result (a list's items), for the anchor of its params. */
export function resultResource(schemas: Record<string, Json>, response: Json): string | undefined {
  if (response.$ref) return schemas[refName(response.$ref)]?.['x-resourceId']
  if (response.properties?.object?.enum?.[0] === 'list') return resultResource(schemas, response.properties.data.items ?? {})
  return undefined
}

/** The object page of a resource: `treasury.outbound_payment` at `…/treasury/outbound_payments/object`. */
export function objectPlace(rid: string, referencePaths: Map<string, string>): DocPlace {
  const path = referencePaths.get(rid) ?? `${rid.replace(/\./g, '/')}s`
  return { page: `${API_REFERENCE}/${path}/object`, anchor: `${rid.replace(/\./g, '_')}_object`, path: [] }
}

const MAX_ENUM_LISTED = 12

function quoteValue(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : String(v)
}

/** What a schema holds, in a few words of structure: `integer, unix time (seconds)`, `one of 'a' | 'b'`. */
function kind(schema: Json, name: string, siblings: Record<string, Json>, schemas: Record<string, Json>): string[] {
  const notes: string[] = []
  if (schema.$ref) {
    const target = schemas[refName(schema.$ref)]
    const rid = target?.['x-resourceId']
    if (target?.anyOf) return [`one of ${target.anyOf.length} object kinds`]
    return [rid ? `a \`${rid}\` object` : 'object']
  }
  const alternatives: Json[] | undefined = schema.anyOf ?? schema.oneOf
  if (alternatives) {
    const unset = alternatives.filter((a) => a.enum?.length === 1 && a.enum[0] === '')
    const rest = alternatives.filter((a) => !unset.includes(a))
    if (schema['x-expansionResources']) {
      const targets = (schema['x-expansionResources'].oneOf as Json[]).map((t) => {
        const target = schemas[refName(t.$ref)]
        return `\`${target?.['x-resourceId'] ?? refName(t.$ref)}\``
      })
      notes.push(`ID (string) of a ${targets.join(' or ')}; expandable to the object (put its path in \`expand\`)`)
    } else if (rest.length === 1) notes.push(...kind(rest[0] as Json, name, siblings, schemas))
    else notes.push(`one of: ${rest.map((a) => kind(a, name, siblings, schemas)[0]).join('; ')}`)
    if (unset.length) notes.push("`''` unsets it")
    return notes
  }
  if (Array.isArray(schema.enum)) {
    const values = schema.enum as unknown[]
    const listed =
      values.length <= MAX_ENUM_LISTED
        ? `one of ${values.map(quoteValue).join(' | ')}`
        : `one of ${values.length} values (${values.slice(0, 3).map(quoteValue).join(', ')}, …)`
    return [schema['x-stripeBypassValidation'] ? `${listed}, or another string Stripe accepts` : listed]
  }
  switch (schema.type) {
    case 'string': {
      const max = typeof schema.maxLength === 'number' ? `, at most ${schema.maxLength} characters` : ''
      if (schema.format === 'binary') return ['binary']
      return [`string${max}`]
    }
    case 'integer':
    case 'number': {
      const type = schema.type
      if (schema.format === 'unix-time') return [`${type}, unix time in seconds (not milliseconds)`]
      if (/amount|^fee$|^net$|^total$|^cash$/.test(name) && siblings.currency)
        return [`${type}, in the minor unit of \`currency\` (cents for usd: 1000 is 10.00)`]
      return [type]
    }
    case 'boolean':
      return ['boolean']
    case 'array': {
      const item = kind(schema.items ?? {}, name, {}, schemas)[0]
      const max = typeof schema.maxItems === 'number' ? `, at most ${schema.maxItems} items` : ''
      return [`array of ${item}${max}`]
    }
    default:
      if (schema.properties) return ['object']
      if (schema.additionalProperties) return ['map of string keys to values']
      return schema.type === 'object' ? ['object'] : []
  }
}

/**
 * The JSDoc of one param or field. `side` says whose: a request param (required / optional) or a
 * response field (always present or may be absent; nullable).
 */
export function propertyDoc(input: {
  schema: Json
  name: string
  required: boolean
  siblings: Record<string, Json>
  schemas: Record<string, Json>
  side: 'param' | 'field'
  place?: DocPlace
  /** for the `expand` param: the fields of the result that can be expanded */
  expandable?: string[]
}): string[] {
  const { schema, name, required, side } = input
  const parts = kind(schema, name, input.siblings, input.schemas)
  if (side === 'param') parts.unshift(required ? 'Required' : 'Optional')
  else parts.unshift(required ? 'Always present' : 'May be absent')
  if (side === 'field' && schema.nullable) parts.push('nullable')
  const lines = [`${parts.join('; ')}.`]
  if (input.expandable?.length) lines.push(`Expandable fields of the result: ${input.expandable.map((f) => `\`${f}\``).join(', ')}.`)
  if (schema.deprecated) lines.push('@deprecated')
  if (input.place) lines.push(`@see ${fieldLink(input.place)}`)
  return lines
}

/** A JSDoc block at `indent`, one line when it fits. */
export function docBlock(lines: string[], indent = ''): string {
  if (!lines.length) return ''
  const one = `${indent}/** ${lines.join(' ')} */\n`
  if (lines.length === 1 && one.length <= 110) return one
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}\n`).join('')}${indent} */\n`
}
