import { type PaginationFailure, StripePaginationError, StripeValidationError } from './errors.js'
import type { Operation } from './operation.js'
import { type RequestInput, request } from './request.js'
import { lastResponseOf } from './response-meta.js'
import type { RequestOptions, StripeClient } from './types.js'

/** A Stripe list object. */
export interface ListObject<T> {
  object: 'list'
  data: T[]
  has_more: boolean
  url: string
}

type ItemOf<O> = O extends { data: (infer T)[] } ? T : never

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
  // `RequestInput` is a conditional type over P and I: its plain shape, to read and vary the params.
  const base = input as { path?: Record<string, string>; params?: Record<string, unknown> }
  const backwards = base.params?.ending_before !== undefined
  const cursorParam = backwards ? 'ending_before' : 'starting_after'
  let params = base.params
  const start = params?.[cursorParam]
  let cursor = typeof start === 'string' ? start : undefined
  // Cursors followed so far (one per page): a server that hands one back again would loop.
  const followed = new Set<string>()
  if (cursor !== undefined) followed.add(cursor)
  for (;;) {
    // The same input with this page's cursor: `RequestInput` cannot be rebuilt from its parts (see above).
    const page = await request(client, operation, { ...base, params } as RequestInput<P, I>, options)
    // Typed by the operation but read as unknown: a wrapper, or `validateResponses: 'off'`, may hand back anything.
    const { data, has_more: hasMore }: { data?: unknown; has_more?: unknown } = page
    const fail = (reason: PaginationFailure, what: string): StripePaginationError => {
      const meta = lastResponseOf(page) // the page's own `lastResponse` field, if it has one, is not ours
      return new StripePaginationError({
        message: `paginate ${operation.operationId}: ${what} (page requested with ${cursor === undefined ? 'no cursor' : `${cursorParam}=${cursor}`}).`,
        raw: { type: 'api_error', code: `pagination_${reason}` },
        reason,
        operationId: operation.operationId,
        cursor,
        statusCode: meta.statusCode,
        requestId: meta.requestId,
        headers: meta.headers,
      })
    }
    if (!Array.isArray(data)) throw fail('invalid_data', `the page's data is ${data === null ? 'null' : typeof data}, not an array`)
    if (typeof hasMore !== 'boolean') throw fail('invalid_has_more', `has_more is ${JSON.stringify(hasMore) ?? 'undefined'}, not a boolean`)
    // An array, checked above; its items are the operation's (their schema checked by `request` per `validateResponses`).
    const items: ItemOf<O>[] = data
    let next: string | undefined
    if (hasMore) {
      const edge: { id?: unknown } | undefined = items[backwards ? 0 : items.length - 1]
      const id = edge?.id
      if (typeof id !== 'string' || id === '') {
        throw fail(
          'missing_cursor',
          `has_more is true but ${edge ? 'the last item has no id' : 'the page is empty'}: no cursor to continue from`,
        )
      }
      if (followed.has(id)) throw fail('repeated_cursor', `the server returned ${cursorParam}=${id} again: following it would loop`)
      followed.add(id)
      next = id
    }
    // `i` stays within the array.
    if (backwards) for (let i = items.length - 1; i >= 0; i--) yield items[i]!
    else for (const item of items) yield item
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
  for await (const item of iterable) {
    out.push(item)
    if (out.length >= limit) break
  }
  return out
}
