// `@edgestripe/core/schema`: the building blocks the generated domain packages build their schemas
// from, shared so that a bundle of several domains carries them once. Every value is pure: what a
// bundle does not use is dropped.
//
// Params are checked strictly (s: string + maxLength, filled: a required string, non-empty, int: integer, u: also accepts '' or null = unset,
// strict / dict: valibot's strictObject / record that also refuse an array).
// Responses are checked shallowly and leniently: S string, N number, B boolean, O any object
// (looseObject({}), fields kept), A array, X string or object (expandable), U anything; n… nullable,
// o… optional. Enums are checked as strings (newer API versions add values).
import {
  _addIssue,
  type ArraySchema,
  array,
  type BooleanSchema,
  boolean,
  type GenericSchema,
  type IntegerAction,
  integer,
  type LiteralSchema,
  type LooseObjectSchema,
  literal,
  looseObject,
  type MaxLengthAction,
  type MinLengthAction,
  maxLength,
  minLength,
  type NullableSchema,
  type NullSchema,
  type NumberSchema,
  null_,
  nullable,
  number,
  type ObjectEntries,
  type OptionalSchema,
  optional,
  pipe,
  type RecordSchema,
  record,
  type SchemaWithPipe,
  type StrictObjectSchema,
  type StringSchema,
  strictObject,
  string,
  type UnionSchema,
  type UnknownSchema,
  union,
  unknown,
} from 'valibot'
import type { ListObject } from './paginate.js'
import type { StripeClient } from './types.js'

/** A schema whose output is typed `T` (runtime response checks are shallower than the types). */
export type Schema<T> = GenericSchema<unknown, T>

/** An object outside a package's domain: only `id` and `object` are known. */
export type StripeObject = { id: string; object: string } & { [key: string]: unknown }

/** A per-operation function with the client argument bound (plugin methods). */
export type Bound<F> = F extends (client: StripeClient, ...args: infer A) => infer R ? (...args: A) => R : never

// Explicit types on every export (what tsc infers): JSR's `deno publish` refuses inferred ("slow")
// types in a public API.
type Str = StringSchema<undefined>
type Num = NumberSchema<undefined>
type Bool = BooleanSchema<undefined>
type Obj0 = LooseObjectSchema<{}, undefined>
type Arr = ArraySchema<UnknownSchema, undefined>
type StrOrObj = UnionSchema<[Str, Obj0], undefined>
type Nul<T extends GenericSchema> = NullableSchema<T, undefined>
type Opt<T extends GenericSchema> = OptionalSchema<T, undefined>

/** A string of at most `max` characters. */
/* @__NO_SIDE_EFFECTS__ */
export function s(max: number): SchemaWithPipe<readonly [Str, MaxLengthAction<string, number, undefined>]> {
  return pipe(string(), maxLength(max))
}

/**
 * A required string param: not empty (Stripe reads `''` as unset, so a required param given `''`
 * would be sent as missing), at most `max` characters when given.
 */
/* @__NO_SIDE_EFFECTS__ */
export function filled(
  max?: number,
):
  | SchemaWithPipe<readonly [Str, MinLengthAction<string, 1, undefined>]>
  | SchemaWithPipe<readonly [Str, MinLengthAction<string, 1, undefined>, MaxLengthAction<string, number, undefined>]> {
  return max === undefined ? pipe(string(), minLength(1)) : pipe(string(), minLength(1), maxLength(max))
}

/**
 * `schema` that also refuses an array (valibot's objects and records take `[]` and copy no key
 * from it: it would be sent as nothing), with valibot's own wording: `Expected Object but
 * received Array`. `reference` names the wrapper (the fast path in `_compile` reads it).
 */
/* @__NO_SIDE_EFFECTS__ */
function refusingArrays<T extends GenericSchema>(schema: T, reference: (...args: never[]) => unknown): T {
  // The spread keeps every property but `reference` and `~run`: `as T` says so.
  return {
    ...schema,
    reference,
    '~run'(dataset, config) {
      if (!Array.isArray(dataset.value)) return schema['~run'](dataset, config)
      _addIssue(schema as never, 'type', dataset, config)
      return dataset
    },
  } as T
}

/** An object param: only the listed keys (valibot's `strictObject`), and never an array. */
/* @__NO_SIDE_EFFECTS__ */
export function strict<const E extends ObjectEntries>(entries: E): StrictObjectSchema<E, undefined> {
  return refusingArrays(strictObject(entries), strict)
}

/** A record param (`metadata`): string keys to `value`s, and never an array. */
/* @__NO_SIDE_EFFECTS__ */
export function dict<const V extends GenericSchema>(value: V): RecordSchema<Str, V, undefined> {
  return refusingArrays(record(string(), value), dict)
}

/** An integer. */
/* @__NO_SIDE_EFFECTS__ */
export function int(): SchemaWithPipe<readonly [Num, IntegerAction<number, undefined>]> {
  return pipe(number(), integer())
}

/** `schema`, or `''` or `null` to unset the value (both are sent as `key=`). */
/* @__NO_SIDE_EFFECTS__ */
export function u<const T extends GenericSchema>(
  schema: T,
): UnionSchema<[T, LiteralSchema<'', undefined>, NullSchema<undefined>], undefined> {
  return union([schema, literal(''), null_()])
}

export const S: Str = /* @__PURE__ */ string()
export const N: Num = /* @__PURE__ */ number()
export const B: Bool = /* @__PURE__ */ boolean()
export const O: Obj0 = /* @__PURE__ */ looseObject({})
export const U: UnknownSchema = /* @__PURE__ */ unknown()
export const A: Arr = /* @__PURE__ */ array(U)
export const X: StrOrObj = /* @__PURE__ */ union([S, O])
export const nS: Nul<Str> = /* @__PURE__ */ nullable(S)
export const nN: Nul<Num> = /* @__PURE__ */ nullable(N)
export const nB: Nul<Bool> = /* @__PURE__ */ nullable(B)
export const nO: Nul<Obj0> = /* @__PURE__ */ nullable(O)
export const nA: Nul<Arr> = /* @__PURE__ */ nullable(A)
export const nX: Nul<StrOrObj> = /* @__PURE__ */ nullable(X)
export const nU: Nul<UnknownSchema> = /* @__PURE__ */ nullable(U)
export const oS: Opt<Str> = /* @__PURE__ */ optional(S)
export const oN: Opt<Num> = /* @__PURE__ */ optional(N)
export const oB: Opt<Bool> = /* @__PURE__ */ optional(B)
export const oO: Opt<Obj0> = /* @__PURE__ */ optional(O)
export const oA: Opt<Arr> = /* @__PURE__ */ optional(A)
export const oX: Opt<StrOrObj> = /* @__PURE__ */ optional(X)
export const oU: Opt<UnknownSchema> = /* @__PURE__ */ optional(U)
export const onS: Opt<Nul<Str>> = /* @__PURE__ */ optional(nS)
export const onN: Opt<Nul<Num>> = /* @__PURE__ */ optional(nN)
export const onB: Opt<Nul<Bool>> = /* @__PURE__ */ optional(nB)
export const onO: Opt<Nul<Obj0>> = /* @__PURE__ */ optional(nO)
export const onA: Opt<Nul<Arr>> = /* @__PURE__ */ optional(nA)
export const onX: Opt<Nul<StrOrObj>> = /* @__PURE__ */ optional(nX)
export const onU: Opt<Nul<UnknownSchema>> = /* @__PURE__ */ optional(nU)

/** Any Stripe object: checks `id` and `object` are strings, keeps every field. */
export const Obj = /* @__PURE__ */ looseObject({ id: S, object: S }) as unknown as Schema<StripeObject>

/**
 * A list object of `item`s. Checking one is the cost of `paginate` (every item of every page), so
 * it runs a fast path first: the schema compiled once (on first use) into a predicate that answers
 * "valid" without valibot's output copy of every item. A value the predicate does not pass goes to
 * valibot, which has the last word and gives the issues (test/validate-fast.test.ts proves the
 * predicate agrees with valibot on every generated schema). A passing value is returned as is.
 */
/* @__NO_SIDE_EFFECTS__ */
export function list<T>(item: Schema<T>): Schema<ListObject<T>> {
  const schema = looseObject({ object: literal('list'), data: array(item), has_more: B, url: S })
  let fast: Predicate | null | undefined
  return {
    ...schema,
    '~run'(dataset, config) {
      fast ??= _compile(schema as unknown as SchemaShape) ?? null
      if (fast?.(dataset.value)) return Object.assign(dataset, { typed: true as const })
      return schema['~run'](dataset, config)
    },
  } as typeof schema as unknown as Schema<ListObject<T>>
}

type Predicate = (value: unknown) => boolean

/** The parts of a valibot schema object the fast path reads. */
interface SchemaShape {
  kind: string
  type: string
  async?: boolean
  pipe?: SchemaShape[]
  wrapped?: SchemaShape
  default?: unknown
  fallback?: unknown
  options?: unknown[]
  literal?: unknown
  entries?: Record<string, SchemaShape>
  item?: SchemaShape
  key?: SchemaShape
  value?: SchemaShape
  requirement?: unknown
  reference?: unknown
}

const hasOwn = (object: object, key: string) => Object.hasOwn(object, key)
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object'

/**
 * A predicate true exactly when valibot finds no issue (each case mirrors valibot 1.x's `~run`),
 * or `undefined` for a schema with anything else (defaults, fallbacks, transforms, lazy, async…).
 */
export function _compile(schema: SchemaShape): Predicate | undefined {
  if (schema.reference === strict || schema.reference === dict) {
    const inner = _compile({ ...schema, reference: undefined })
    return inner && ((v) => !Array.isArray(v) && inner(v))
  }
  const { type, pipe, literal } = schema
  if (schema.async || schema.fallback !== undefined || schema.default !== undefined) return
  if (pipe) {
    // pipe[0] is the base schema; then length and integer checks.
    const tests = pipe
      .filter((action) => action.kind !== 'metadata')
      .map((action, i) => {
        const bound = action.requirement as number
        if (i === 0) return action !== schema ? _compile(action) : undefined
        if (action.type === 'max_length') return (v: unknown) => (v as string).length <= bound
        if (action.type === 'min_length') return (v: unknown) => (v as string).length >= bound
        return action.type === 'integer' ? (Number.isInteger as Predicate) : undefined
      })
    if (tests.includes(undefined)) return
    return (v) => tests.every((test) => test!(v))
  }
  if (type === 'string' || type === 'boolean') return (v) => typeof v === type
  if (type === 'number') return (v) => typeof v === 'number' && !Number.isNaN(v)
  if (type === 'unknown') return () => true
  if (type === 'null') return (v) => v === null
  if (type === 'literal') return (v) => v === literal || (Number.isNaN(v) && Number.isNaN(literal)) // SameValueZero
  if (type === 'picklist') return (v) => schema.options!.includes(v)
  if (type === 'union') {
    const options = (schema.options as SchemaShape[]).map(_compile)
    if (!options.includes(undefined)) return (v) => options.some((test) => test!(v))
  }
  const inner = (schema.wrapped ?? schema.item) && _compile((schema.wrapped ?? schema.item)!)
  if (!inner) {
    if (type === 'record') {
      const key = _compile(schema.key!)
      const value = _compile(schema.value!)
      if (!key || !value) return
      return (v) => {
        if (!isObject(v)) return false
        for (const k in v) {
          // valibot skips these keys in records.
          if (hasOwn(v, k) && k !== '__proto__' && k !== 'prototype' && k !== 'constructor' && !(key(k) && value(v[k]))) return false
        }
        return true
      }
    }
    if (type !== 'object' && type !== 'loose_object' && type !== 'strict_object') return
    const entries = schema.entries!
    const keys = Object.keys(entries)
    const tests = keys.map((key) => _compile(entries[key]!))
    if (tests.includes(undefined)) return
    // A missing key passes only for optional entries.
    const required = keys.map((key) => !['optional', 'nullish', 'exact_optional'].includes(entries[key]!.type))
    return (v) => {
      if (!isObject(v)) return false
      for (let i = 0; i < keys.length; i++) {
        // One lookup in the common case; `in` only tells a missing key from an undefined value.
        const value = v[keys[i]!]
        if (value === undefined && !(keys[i]! in v) ? required[i] : !tests[i]!(value)) return false
      }
      if (type === 'strict_object') for (const key in v) if (!hasOwn(entries, key)) return false
      return true
    }
  }
  if (type === 'optional') return (v) => v === undefined || inner(v)
  if (type === 'nullable') return (v) => v === null || inner(v)
  if (type === 'array') {
    return (v) => {
      if (!Array.isArray(v)) return false
      for (let i = 0; i < v.length; i++) if (!inner(v[i])) return false
      return true
    }
  }
}
