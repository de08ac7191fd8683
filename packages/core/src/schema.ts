// `@edgestripe/core/schema`: the building blocks the generated domain packages build their schemas
// from, shared so that a bundle of several domains carries them once. Every value is pure: what a
// bundle does not use is dropped.
//
// Params are checked strictly (stringMax: a string of at most n characters, filled: a required
// string, non-empty, int: an integer, unsettable: also accepts '' or null = unset, strict / dict:
// valibot's strictObject / record that also refuse an array).
// Responses are checked shallowly and leniently: str, num, bool, obj (any object, fields kept),
// arr, idOrObject (an expandable field: an id or the object), anything; each also nullable…,
// optional… and optionalNullable…. Enums are checked as strings (newer API versions add values).
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
export function stringMax(max: number): SchemaWithPipe<readonly [Str, MaxLengthAction<string, number, undefined>]> {
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
 * (schema-passes.ts) that `[]` is not an object here.
 */
/* @__NO_SIDE_EFFECTS__ */
function refusingArrays<T extends GenericSchema>(schema: T, reference: (...args: never[]) => unknown): T {
  // The spread keeps every property but `reference` and `~run`: `as T` says so.
  return {
    ...schema,
    reference,
    refusesArrays: true,
    '~run'(dataset, config) {
      if (!Array.isArray(dataset.value)) return schema['~run'](dataset, config)
      // valibot's issue helper is typed for its own schema kinds; this is one with `~run` wrapped.
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
export function unsettable<const T extends GenericSchema>(
  schema: T,
): UnionSchema<[T, LiteralSchema<'', undefined>, NullSchema<undefined>], undefined> {
  return union([schema, literal(''), null_()])
}

export const str: Str = /* @__PURE__ */ string()
export const num: Num = /* @__PURE__ */ number()
export const bool: Bool = /* @__PURE__ */ boolean()
export const obj: Obj0 = /* @__PURE__ */ looseObject({})
export const anything: UnknownSchema = /* @__PURE__ */ unknown()
export const arr: Arr = /* @__PURE__ */ array(anything)
export const idOrObject: StrOrObj = /* @__PURE__ */ union([str, obj])
export const nullableStr: Nul<Str> = /* @__PURE__ */ nullable(str)
export const nullableNum: Nul<Num> = /* @__PURE__ */ nullable(num)
export const nullableBool: Nul<Bool> = /* @__PURE__ */ nullable(bool)
export const nullableObj: Nul<Obj0> = /* @__PURE__ */ nullable(obj)
export const nullableAnything: Nul<UnknownSchema> = /* @__PURE__ */ nullable(anything)
export const nullableArr: Nul<Arr> = /* @__PURE__ */ nullable(arr)
export const nullableIdOrObject: Nul<StrOrObj> = /* @__PURE__ */ nullable(idOrObject)
export const optionalStr: Opt<Str> = /* @__PURE__ */ optional(str)
export const optionalNum: Opt<Num> = /* @__PURE__ */ optional(num)
export const optionalBool: Opt<Bool> = /* @__PURE__ */ optional(bool)
export const optionalObj: Opt<Obj0> = /* @__PURE__ */ optional(obj)
export const optionalAnything: Opt<UnknownSchema> = /* @__PURE__ */ optional(anything)
export const optionalArr: Opt<Arr> = /* @__PURE__ */ optional(arr)
export const optionalIdOrObject: Opt<StrOrObj> = /* @__PURE__ */ optional(idOrObject)
export const optionalNullableStr: Opt<Nul<Str>> = /* @__PURE__ */ optional(nullableStr)
export const optionalNullableNum: Opt<Nul<Num>> = /* @__PURE__ */ optional(nullableNum)
export const optionalNullableBool: Opt<Nul<Bool>> = /* @__PURE__ */ optional(nullableBool)
export const optionalNullableObj: Opt<Nul<Obj0>> = /* @__PURE__ */ optional(nullableObj)
export const optionalNullableAnything: Opt<Nul<UnknownSchema>> = /* @__PURE__ */ optional(nullableAnything)
export const optionalNullableArr: Opt<Nul<Arr>> = /* @__PURE__ */ optional(nullableArr)
export const optionalNullableIdOrObject: Opt<Nul<StrOrObj>> = /* @__PURE__ */ optional(nullableIdOrObject)

/** Any Stripe object: checks `id` and `object` are strings, keeps every field. */
export const anyStripeObject = /* @__PURE__ */ looseObject({ id: str, object: str }) as unknown as Schema<StripeObject>

/**
 * A list object of `item`s. Checking one is the cost of `paginate` (every item of every page):
 * `check()`'s fast path (schema-passes.ts) answers "valid" without valibot's output copy of every
 * item, as for every schema.
 */
/* @__NO_SIDE_EFFECTS__ */
export function list<T>(item: Schema<T>): Schema<ListObject<T>> {
  // A loose list of `item`s is a ListObject<T>; valibot's inferred output type spells it otherwise.
  return looseObject({ object: literal('list'), data: array(item), has_more: bool, url: str }) as unknown as Schema<ListObject<T>>
}
