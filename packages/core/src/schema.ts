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
  _standardSchema,
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
 * received Array`. `reference` names the wrapper; `refusesArrays` tells the fast path
 * (schema-passes.ts) that `[]` is not an object here. Its own `~standard` (the spread's would run
 * `schema`, which takes `[]`): `check()` runs a valibot schema through it.
 */
/* @__NO_SIDE_EFFECTS__ */
function refusingArrays<T extends GenericSchema>(schema: T, reference: (...args: never[]) => unknown): T {
  // The spread keeps every property but `reference`, `~run` and `~standard` (`_standardSchema` sets it).
  return _standardSchema({
    ...schema,
    reference,
    refusesArrays: true,
    '~run'(dataset, config) {
      if (!Array.isArray(dataset.value)) return schema['~run'](dataset, config)
      _addIssue(schema as never, 'type', dataset, config)
      return dataset
    },
  } as Omit<T, '~standard'>)
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
 * A list object of `item`s. Checking one is the cost of `paginate` (every item of every page):
 * `check()`'s fast path (schema-passes.ts) answers "valid" without valibot's output copy of every
 * item, as for every schema.
 */
/* @__NO_SIDE_EFFECTS__ */
export function list<T>(item: Schema<T>): Schema<ListObject<T>> {
  return looseObject({ object: literal('list'), data: array(item), has_more: B, url: S }) as unknown as Schema<ListObject<T>>
}
