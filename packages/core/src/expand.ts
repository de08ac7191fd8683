// Types that follow `expand` (types only: nothing here exists at run time). Stripe returns an
// expandable field as an id (`string`) unless the request names it in `expand`; then it is the
// object. `Expand<T, P>` is `T` with the fields named by the paths `P` (`'transaction'`,
// `'returned_details.transaction'`, and `'data.transaction'` on lists) typed as expanded.

/**
 * `T` with the fields at the expand paths `P` expanded: an expandable field's `string` (the id)
 * is dropped from its type; the path continues inside it (`a.b.c`) and through arrays (`data.x`).
 * `P = never` (no expand) or `string` (paths not known literally) leave `T` as it is.
 */
export type Expand<T, P extends string> = [P] extends [never] ? T : string extends P ? T : ExpandIn<T, P>

type ExpandIn<T, P extends string> = T extends readonly (infer U)[]
  ? ExpandIn<U, P>[]
  : T extends object
    ? { [K in keyof T]: K extends string ? ExpandField<T[K], K extends P ? true : false, P extends `${K}.${infer R}` ? R : never> : T[K] }
    : T

type ExpandField<V, Self extends boolean, Rest extends string> = Expand<Self extends true ? WithoutId<V> : V, Rest>

/** An expandable field without its id form; a field that is only a string stays one. */
type WithoutId<V> = [Exclude<V, string>] extends [never] ? V : Exclude<V, string>
