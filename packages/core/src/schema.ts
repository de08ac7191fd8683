// `@edgestripe/core/schema`: the building blocks the generated domain packages build their schemas
// from, shared so that a bundle of several domains carries them once. Every value is pure: what a
// bundle does not use is dropped.
//
// Params are checked strictly (s: string + maxLength, filled: a required string, non-empty, int: integer, u: also accepts '' or null = unset).
// Responses are checked shallowly and leniently: S string, N number, B boolean, O any object
// (looseObject({}), fields kept), A array, X string or object (expandable), U anything; n… nullable,
// o… optional. Enums are checked as strings (newer API versions add values).
import {
  array,
  boolean,
  type GenericSchema,
  integer,
  literal,
  looseObject,
  maxLength,
  minLength,
  null_,
  nullable,
  number,
  optional,
  pipe,
  string,
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

/** A string of at most `max` characters. */
/* @__NO_SIDE_EFFECTS__ */
export function s(max: number) {
  return pipe(string(), maxLength(max))
}

/**
 * A required string param: not empty (Stripe reads `''` as unset, so a required param given `''`
 * would be sent as missing), at most `max` characters when given.
 */
/* @__NO_SIDE_EFFECTS__ */
export function filled(max?: number) {
  return max === undefined ? pipe(string(), minLength(1)) : pipe(string(), minLength(1), maxLength(max))
}

/** An integer. */
/* @__NO_SIDE_EFFECTS__ */
export function int() {
  return pipe(number(), integer())
}

/** `schema`, or `''` or `null` to unset the value (both are sent as `key=`). */
/* @__NO_SIDE_EFFECTS__ */
export function u<const T extends GenericSchema>(schema: T) {
  return union([schema, literal(''), null_()])
}

export const S = /* @__PURE__ */ string()
export const N = /* @__PURE__ */ number()
export const B = /* @__PURE__ */ boolean()
export const O = /* @__PURE__ */ looseObject({})
export const U = /* @__PURE__ */ unknown()
export const A = /* @__PURE__ */ array(U)
export const X = /* @__PURE__ */ union([S, O])
export const nS = /* @__PURE__ */ nullable(S)
export const nN = /* @__PURE__ */ nullable(N)
export const nB = /* @__PURE__ */ nullable(B)
export const nO = /* @__PURE__ */ nullable(O)
export const nA = /* @__PURE__ */ nullable(A)
export const nX = /* @__PURE__ */ nullable(X)
export const nU = /* @__PURE__ */ nullable(U)
export const oS = /* @__PURE__ */ optional(S)
export const oN = /* @__PURE__ */ optional(N)
export const oB = /* @__PURE__ */ optional(B)
export const oO = /* @__PURE__ */ optional(O)
export const oA = /* @__PURE__ */ optional(A)
export const oX = /* @__PURE__ */ optional(X)
export const oU = /* @__PURE__ */ optional(U)
export const onS = /* @__PURE__ */ optional(nS)
export const onN = /* @__PURE__ */ optional(nN)
export const onB = /* @__PURE__ */ optional(nB)
export const onO = /* @__PURE__ */ optional(nO)
export const onA = /* @__PURE__ */ optional(nA)
export const onX = /* @__PURE__ */ optional(nX)
export const onU = /* @__PURE__ */ optional(nU)

/** Any Stripe object: checks `id` and `object` are strings, keeps every field. */
export const Obj = /* @__PURE__ */ looseObject({ id: S, object: S }) as unknown as Schema<StripeObject>

/** A list object of `item`s. */
/* @__NO_SIDE_EFFECTS__ */
export function list<T>(item: Schema<T>): Schema<ListObject<T>> {
  return looseObject({ object: literal('list'), data: array(item), has_more: B, url: S }) as unknown as Schema<ListObject<T>>
}
