// Reads the official `stripe` package's TypeScript declarations (node_modules/stripe, a pinned
// devDependency) with the TypeScript compiler API: which method of which resource sends each
// (verb, path), the type of that method's `params`, and the response interfaces by their `object`
// literal. `toSchema` turns such a type into the OpenAPI-like schema the generator reads.
// Used by stripe-node-overlay.ts (to write spec/overlay.stripe-node.json) and by the tests that
// build params from stripe-node's types; never by `pnpm codegen` (which stays offline of it).
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { type Json, root } from './domains-spec'

export const stripeDir = join(root, 'node_modules', 'stripe')
const resourcesDir = join(stripeDir, 'esm', 'resources')

export interface StripeNodeMethod {
  verb: string
  /** Path with `{}` for each path param, e.g. `/v1/treasury/outbound_payments/{}/cancel`. */
  path: string
  /** `Treasury/OutboundPayments` */
  file: string
  className: string
  method: string
}

/** `/v1/sources/{source}` → `/v1/sources/{}`. */
export const pathKey = (verb: string, path: string): string => `${verb.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  )
}

/** Every `_makeRequest(verb, path)` in stripe-node's resource classes. */
export function stripeNodeMethods(): StripeNodeMethod[] {
  const out: StripeNodeMethod[] = []
  for (const file of walk(resourcesDir).sort()) {
    const text = readFileSync(file, 'utf8')
    const className = /export class (\w+)/.exec(text)?.[1]
    if (!className) continue
    const re = /\n {4}(\w+)\([^)]*\) \{\n\s+return this\._makeRequest\('(\w+)', [`'](\/v1\/[^`']*)[`']/g
    for (const m of text.matchAll(re)) {
      out.push({
        verb: m[2] as string,
        path: (m[3] as string).replace(/\$\{[^}]*\}/g, '{}'),
        file: relative(resourcesDir, file).replace(/\.js$/, ''),
        className,
        method: m[1] as string,
      })
    }
  }
  return out
}

export interface StripeNodeTypes {
  checker: ts.TypeChecker
  /** The type of `params` of the method sending (verb, path), if stripe-node has that method. */
  paramsType(verb: string, path: string): { type: ts.Type; method: StripeNodeMethod } | undefined
  /** A type declared in stripe-node's `shared.d.ts` (`MetadataParam`). */
  namedType(name: string): ts.Type
  /** Response interfaces by their `object` literal (`treasury.outbound_payment` → `OutboundPayment`). */
  resourceTypes: Map<string, ts.Type>
}

/** Loads the declarations of every stripe-node resource (one TypeScript program, ~2 s). */
export function loadStripeNodeTypes(): StripeNodeTypes {
  const methods = stripeNodeMethods()
  const files = [...new Set(methods.map((m) => join(resourcesDir, `${m.file}.d.ts`)))]
  const program = ts.createProgram(files, { noEmit: true, strict: true, skipLibCheck: true, types: [] })
  const checker = program.getTypeChecker()
  const byKey = new Map<string, StripeNodeMethod>()
  for (const m of methods) if (!byKey.has(pathKey(m.verb, m.path))) byKey.set(pathKey(m.verb, m.path), m)
  const resourceTypes = new Map<string, ts.Type>()
  // Every resource file the program reached (FinancialAccountFeatures is only imported, say).
  for (const source of program.getSourceFiles()) {
    if (!source.fileName.startsWith(resourcesDir)) continue
    for (const statement of source.statements) {
      if (!ts.isInterfaceDeclaration(statement)) continue
      const type = checker.getTypeAtLocation(statement.name)
      const object = type.getProperty('object')
      if (!object) continue
      const literal = checker.getTypeOfSymbolAtLocation(object, statement)
      if (literal.isStringLiteral() && !resourceTypes.has(literal.value)) resourceTypes.set(literal.value, type)
    }
  }
  const shared = program.getSourceFile(join(stripeDir, 'esm', 'shared.d.ts'))
  return {
    checker,
    resourceTypes,
    namedType(name) {
      const declaration = shared?.statements.find(
        (s) => (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name.text === name,
      )
      if (!declaration) throw new Error(`stripe-node: no ${name} in shared.d.ts`)
      return checker.getTypeAtLocation((declaration as ts.InterfaceDeclaration).name)
    },
    paramsType(verb, path) {
      const method = byKey.get(pathKey(verb, path))
      if (!method) return undefined
      const source = program.getSourceFile(join(resourcesDir, `${method.file}.d.ts`))
      for (const statement of source?.statements ?? []) {
        if (!ts.isClassDeclaration(statement) || statement.name?.text !== method.className) continue
        for (const member of statement.members) {
          if (!ts.isMethodDeclaration(member) || member.name.getText() !== method.method) continue
          const param = member.parameters.find((p) => p.name.getText() === 'params')
          if (!param?.type) return undefined
          return { type: checker.getTypeFromTypeNode(param.type), method }
        }
      }
      return undefined
    },
  }
}

/** The `enum` schemas `toSchema` made from a literal union without `OtherString`: stripe-node's closed lists. */
export const closedEnums: WeakSet<Json> = new WeakSet()

/**
 * A TypeScript type as a schema: `string` / `number` / `boolean`, string literal unions as `enum`
 * (an `OtherString` member — stripe-node's mark of an open enum — is dropped: the literals are the
 * values stripe-node knows), `'' | null` members as Stripe's `anyOf [..., {enum: [""]}]` (unset),
 * arrays, objects (`required` from `?`), index signatures as `additionalProperties`. Interfaces with
 * an `object` literal that `refs` knows become `$ref`s (responses).
 */
export function toSchema(checker: ts.TypeChecker, type: ts.Type, refs: Map<string, string> = new Map(), depth = 0): Json {
  if (depth > 12) return {}
  const parts = type.isUnion() ? type.types : [type]
  const alternatives: Json[] = []
  const literals: string[] = []
  let nullable = false
  let empty = false
  let sawString = false
  let sawBoolean = false
  for (const part of parts) {
    const flags = part.flags
    if (flags & ts.TypeFlags.Undefined) continue
    if (flags & ts.TypeFlags.Null) nullable = true
    else if (part.isStringLiteral()) {
      if (part.value === '') empty = true
      else literals.push(part.value)
    } else if (flags & ts.TypeFlags.BooleanLiteral || flags & ts.TypeFlags.Boolean) sawBoolean = true
    else if (flags & ts.TypeFlags.String) sawString = true
    else if (flags & ts.TypeFlags.Number || part.isNumberLiteral()) alternatives.push({ type: 'number' })
    else if (part.isIntersection()) {
      // `OtherString` = `string & Record<never, never>`
      if (part.types.some((t) => t.flags & ts.TypeFlags.String)) {
        sawString = true
      } else alternatives.push(objectSchema(checker, part, refs, depth))
    } else if (checker.isArrayType(part)) {
      const item = checker.getTypeArguments(part as ts.TypeReference)[0]
      alternatives.push({ type: 'array', items: item ? toSchema(checker, item, refs, depth + 1) : {} })
    } else if (flags & ts.TypeFlags.Object) alternatives.push(objectSchema(checker, part, refs, depth))
    else alternatives.push({})
  }
  // Literals (with or without `OtherString`): the values stripe-node lists. `string` alone: any string.
  if (literals.length) {
    const list = { type: 'string', enum: literals.sort() }
    if (!sawString) closedEnums.add(list)
    alternatives.unshift(list)
  } else if (sawString) alternatives.unshift({ type: 'string' })
  if (sawBoolean) alternatives.push({ type: 'boolean' })
  // `boolean` is `true | false` to the checker: one alternative, not two.
  const unique = alternatives.filter((a, i) => alternatives.findIndex((b) => JSON.stringify(a) === JSON.stringify(b)) === i)
  if (empty) unique.push({ type: 'string', enum: [''] })
  let out: Json = unique.length === 1 ? unique[0] : unique.length ? { anyOf: unique } : {}
  if (nullable) out = { ...out, nullable: true }
  return out
}

function objectSchema(checker: ts.TypeChecker, type: ts.Type, refs: Map<string, string>, depth: number): Json {
  const objectProp = type.getProperty('object')
  if (objectProp && depth > 0) {
    const decl = objectProp.valueDeclaration ?? objectProp.declarations?.[0]
    const literal = decl ? checker.getTypeOfSymbolAtLocation(objectProp, decl) : undefined
    if (literal?.isStringLiteral() && refs.has(literal.value)) return { $ref: `#/components/schemas/${refs.get(literal.value)}` }
  }
  const index = type.getStringIndexType()
  const props = type.getProperties()
  if (index && !props.length) return { type: 'object', additionalProperties: toSchema(checker, index, refs, depth + 1) }
  const properties: Record<string, Json> = {}
  const required: string[] = []
  for (const prop of props.slice().sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const decl = prop.valueDeclaration ?? prop.declarations?.[0]
    if (!decl) continue
    properties[prop.name] = toSchema(checker, checker.getTypeOfSymbolAtLocation(prop, decl), refs, depth + 1)
    if (!(prop.flags & ts.SymbolFlags.Optional)) required.push(prop.name)
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}) }
}
