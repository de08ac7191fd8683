import { StripeValidationError } from './errors.js'
import type { Operation } from './operation.js'
import { type RequestInput, request } from './request.js'
import type { RequestOptions, StripeClient } from './types.js'

/** A Stripe list object. */
export interface ListObject<T> {
  object: 'list'
  data: T[]
  has_more: boolean
  url: string
}

type ItemOf<O> = O extends { data: (infer T)[] } ? T : never
type ListOperation<P extends string, I> = Operation<P, I, { data: { id?: string }[]; has_more: boolean }>

/**
 * Iterates every item of a list operation, one page in memory at a time. Follows
 * `starting_after`; when the input has `ending_before`, walks backwards and yields items in
 * reverse (oldest last seen first), as Stripe's SDKs do.
 */
export async function* paginate<P extends string, I, O extends { data: { id?: string }[]; has_more: boolean }>(
  client: StripeClient,
  operation: Operation<P, I, O>,
  input: RequestInput<P, I>,
  options?: RequestOptions,
): AsyncGenerator<ItemOf<O>, void, undefined> {
  const base = input as { path?: Record<string, string>; params?: Record<string, unknown> }
  const backwards = base.params?.ending_before !== undefined
  let params = base.params
  for (;;) {
    const page = await request(client, operation as ListOperation<P, I>, { ...base, params } as never, options)
    const items = backwards ? [...page.data].reverse() : page.data
    for (const item of items) yield item as ItemOf<O>
    const last = items[items.length - 1]?.id
    if (!page.has_more || !last) return
    params = { ...params, [backwards ? 'ending_before' : 'starting_after']: last }
  }
}

/** Collects up to `limit` items of an async iterable (required: lists can be unbounded). */
export async function toArray<T>(iterable: AsyncIterable<T>, { limit }: { limit: number }): Promise<T[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new StripeValidationError({
      message: 'toArray needs a positive integer `limit`.',
      issues: [{ path: 'limit', message: 'must be a positive integer' }],
      raw: { type: 'invalid_request_error', param: 'limit' },
    })
  }
  const out: T[] = []
  if (out.length >= limit) return out
  for await (const item of iterable) {
    out.push(item)
    if (out.length >= limit) break
  }
  return out
}
