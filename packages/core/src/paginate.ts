import { type PaginationFailure, StripePaginationError, StripeValidationError } from './errors.js'
import type { Operation } from './operation.js'
import { type RequestInput, request } from './request.js'
import type { RequestOptions, StripeClient, WithResponse } from './types.js'

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
 *
 * Never loops and never stops silently: a page whose `data` is not an array, whose `has_more` is
 * not a boolean, that says `has_more: true` without a last item `id` to continue from, or whose
 * cursor was already followed throws a `StripePaginationError` (naming the operation and the
 * cursor) before any of its items is yielded. A list that keeps growing is still endless: cap it
 * with `toArray(…, { limit })` or `break`.
 */
export async function* paginate<P extends string, I, O extends { data: { id?: string }[]; has_more: boolean }>(
  client: StripeClient,
  operation: Operation<P, I, O>,
  input: RequestInput<P, I>,
  options?: RequestOptions,
): AsyncGenerator<ItemOf<O>, void, undefined> {
  const base = input as { path?: Record<string, string>; params?: Record<string, unknown> }
  const backwards = base.params?.ending_before !== undefined
  const cursorParam = backwards ? 'ending_before' : 'starting_after'
  let params = base.params
  let cursor = params?.[cursorParam] as string | undefined
  // Cursors followed so far (one per page): a server that hands one back again would loop.
  const followed = new Set<string>()
  if (typeof cursor === 'string') followed.add(cursor)
  for (;;) {
    const page = (await request(client, operation as ListOperation<P, I>, { ...base, params } as never, options)) as WithResponse<unknown>
    const data = (page as { data?: unknown }).data
    const hasMore = (page as { has_more?: unknown }).has_more
    const fail = (reason: PaginationFailure, what: string): never => {
      const meta = page.lastResponse
      throw new StripePaginationError({
        message: `paginate ${operation.operationId}: ${what} (page requested with ${cursor === undefined ? 'no cursor' : `${cursorParam}=${cursor}`}).`,
        raw: { type: 'api_error', code: `pagination_${reason}` },
        reason,
        operationId: operation.operationId,
        cursor,
        statusCode: meta?.statusCode,
        requestId: meta?.requestId,
        headers: meta?.headers,
      })
    }
    if (!Array.isArray(data)) fail('invalid_data', `the page's data is ${data === null ? 'null' : typeof data}, not an array`)
    if (typeof hasMore !== 'boolean') fail('invalid_has_more', `has_more is ${JSON.stringify(hasMore) ?? 'undefined'}, not a boolean`)
    const items = data as { id?: unknown }[]
    let next: string | undefined
    if (hasMore) {
      const edge = items[backwards ? 0 : items.length - 1]
      next = edge?.id as string | undefined
      if (typeof next !== 'string' || next === '') {
        fail('missing_cursor', `has_more is true but ${edge ? 'the last item has no id' : 'the page is empty'}: no cursor to continue from`)
      }
      if (followed.has(next as string)) fail('repeated_cursor', `the server returned ${cursorParam}=${next} again: following it would loop`)
      followed.add(next as string)
    }
    if (backwards) for (let i = items.length - 1; i >= 0; i--) yield items[i] as ItemOf<O>
    else for (let i = 0; i < items.length; i++) yield items[i] as ItemOf<O>
    if (!hasMore) return
    cursor = next
    params = { ...params, [cursorParam]: next }
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
