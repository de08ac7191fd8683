// Deep response schemas (`@edgestripe/<domain>/deep`): one full-depth valibot schema per component
// schema reached from the package's responses, and per operation the schema of its response.
// Opt-in (`createStripe({ validateResponses: 'deep', plugins: [deepSchemas] })`): nothing here is
// bundled unless the deep entry is imported.
//
// Every level is checked: types, nulls, required fields, arrays, records, unions, expandable
// fields (an id, or the expanded object checked against its own schema). Objects stay loose
// (fields a newer API version adds are kept). Enums are picklists, but the core reports a string
// outside one through `enum:unknown` instead of failing (newer versions add values). `object`
// is a literal. Objects outside the package's domain are checked as `{ id?, object }` with the
// literals the spec states (`object`, `deleted: true`).

import { arr, call, type Expr, obj, print, quote } from './domains-print'
import { isExternal, type TypeContext, typeNameOf } from './domains-resources'
import { type Json, type OperationInfo, refName, responseSchema } from './domains-spec'

/** The deep module of one package: schemas, the per-operation map, the plugin. */
export function deepModule(ctx: TypeContext, ops: OperationInfo[], header: string): string {
  const { schemas } = ctx
  const defs = new Map<string, string>() // schema name → const name
  const queue: string[] = []
  /** consts a `variant` uses directly (not through `lazy`): declared first */
  const direct = new Set<string>()
  const imports = new Set<string>(['looseObject'])

  const use = (fn: string, ...args: Expr[]): Expr => {
    imports.add(fn)
    return call(fn, ...args)
  }
  const refConst = (name: string): string => {
    let constName = defs.get(name)
    if (!constName) {
      constName = `${typeNameOf(name)}Schema`
      defs.set(name, constName)
      queue.push(name)
    }
    return constName
  }
  const external = (schema: Json): Expr => {
    const entries: [string, Expr][] = []
    const single = (field: string) => {
      const values = schema.properties?.[field]?.enum
      return Array.isArray(values) && values.length === 1 ? values[0] : undefined
    }
    const object = single('object')
    entries.push(['object', typeof object === 'string' ? use('literal', quote(object)) : use('string')])
    if (schema.properties?.id) entries.push(['id', (schema.required ?? []).includes('id') ? use('string') : use('optional', use('string'))])
    if (single('deleted') === true) entries.push(['deleted', use('literal', 'true')])
    return use('looseObject', obj(entries))
  }
  const node = (schema: Json, field?: string): Expr => {
    const base = baseNode(schema, field)
    return schema.nullable ? use('nullable', base) : base
  }
  const baseNode = (schema: Json, field?: string): Expr => {
    if (schema.$ref) {
      const name = refName(schema.$ref)
      const target = schemas[name]
      if (isExternal(ctx, name)) return external(target)
      return use('lazy', `() => ${refConst(name)}`)
    }
    const alternatives: Json[] | undefined = schema.anyOf ?? schema.oneOf
    if (alternatives) {
      // Objects told apart by their `object` literal (payment_source = account | bank_account | card
      // | source): a `variant`, so an issue is reported in the alternative the object says it is.
      const literals = alternatives.map((a) => (a.$ref ? schemas[refName(a.$ref)] : a)).map((t) => t?.properties?.object?.enum)
      if (
        alternatives.length > 1 &&
        alternatives.every((a) => a.$ref && !schemas[refName(a.$ref)].anyOf) &&
        literals.every((l) => l?.length === 1) &&
        new Set(literals.map((l) => l[0])).size === literals.length
      ) {
        const options = alternatives.map((a) => {
          const name = refName(a.$ref)
          if (isExternal(ctx, name)) return external(schemas[name])
          direct.add(refConst(name))
          return refConst(name)
        })
        return use('variant', quote('object'), arr(options))
      }
      const nodes = alternatives.map((a) => node(a))
      return nodes.length === 1 ? (nodes[0] as Expr) : use('union', arr(nodes))
    }
    if (Array.isArray(schema.enum)) {
      const values: unknown[] = schema.enum
      if (values.every((v) => typeof v === 'boolean')) return use('boolean')
      if (field === 'object' && values.length === 1) return use('literal', quote(String(values[0])))
      return use('picklist', arr(values.map((v) => quote(String(v)))))
    }
    switch (schema.type) {
      case 'string':
        return use('string')
      case 'integer':
      case 'number':
        return use('number')
      case 'boolean':
        return use('boolean')
      case 'array':
        return use('array', node(schema.items ?? {}))
      default: {
        if (schema.properties) {
          const required = new Set<string>(schema.required ?? [])
          const entries: [string, Expr][] = Object.keys(schema.properties)
            .sort()
            .map((k) => {
              const child = node(schema.properties[k], k)
              return [k, required.has(k) ? child : use('optional', child)]
            })
          return use('looseObject', obj(entries))
        }
        if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
          return use('record', use('string'), node(schema.additionalProperties))
        }
        return schema.type === 'object' ? use('looseObject', obj([])) : use('unknown')
      }
    }
  }
  const responseNode = (schema: Json): Expr => {
    if (schema.properties?.object?.enum?.[0] === 'list') {
      return use(
        'looseObject',
        obj([
          ['object', use('literal', quote('list'))],
          ['data', use('array', responseNode(schema.properties.data.items))],
          ['has_more', use('boolean')],
          ['url', use('string')],
        ]),
      )
    }
    return node(schema)
  }

  const opEntries: [string, Expr][] = ops.map((op) => [op.operationId, responseNode(responseSchema(op.op))])
  const blocks: string[] = []
  while (queue.length) {
    const name = queue.shift() as string
    const constName = defs.get(name) as string
    const expr = node({ ...schemas[name], nullable: false })
    // A `variant` option keeps its inferred object type (valibot checks it has the `object` key).
    const annotation = direct.has(constName) ? '' : ': GenericSchema'
    blocks.push(`const ${constName}${annotation} = ${print(expr, 0, constName.length + 24)}\n`)
  }
  const first = (block: string) => (direct.has(block.slice(6).split(/[: ]/)[0] as string) ? 0 : 1)
  const sortedBlocks = blocks.sort((a, b) => first(a) - first(b) || (a < b ? -1 : a > b ? 1 : 0))
  const valibot = [...imports].sort()
  return (
    `${header}// Full-depth response schemas of this package (the \`/deep\` entry): every field at every depth.\n` +
    '// Objects are loose (newer fields kept); enums are reported, not failed, when a value is new.\n' +
    `import { ${['type GenericSchema', ...valibot].sort((a, b) => a.replace('type ', '').localeCompare(b.replace('type ', ''))).join(', ')} } from 'valibot'\n` +
    "import { _registerDeepSchemas, type StripeClient } from '@edgestripe/core'\n\n" +
    sortedBlocks.join('\n') +
    "\n/** The full-depth schema of each operation's response, by operationId. */\n" +
    `export const deepResponses: Record<string, GenericSchema> = ${print(obj(opEntries), 0, 60)}\n\n` +
    "/**\n * Plugin: with `validateResponses: 'deep'` (or `'deep-strict'`), checks this package's responses\n" +
    " * in full: `createStripe({ apiKey, validateResponses: 'deep', plugins: [deepSchemas] })`.\n */\n" +
    'export function deepSchemas(client: StripeClient): void {\n  _registerDeepSchemas(client, deepResponses)\n}\n'
  )
}
