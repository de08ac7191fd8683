import { invalidRequest } from './errors.js'
import type { AccountStore, ObjectOf } from './store.js'

export interface ListObject<T = unknown> {
  object: 'list'
  data: T[]
  has_more: boolean
  url: string
}

/** A `created`-style filter as validated: `x=123` or `x[gt|gte|lt|lte]=…` (`''` = none). */
export type RangeFilter = number | '' | { gt?: number | ''; gte?: number | ''; lt?: number | ''; lte?: number | '' }

/** Applies a `created`-style range filter. */
export function matchesRange(value: unknown, filter: RangeFilter | undefined): boolean {
  if (filter === undefined || filter === '') return true
  const n = Number(value)
  if (typeof filter === 'number') return n === filter
  if (typeof filter.gt === 'number' && !(n > filter.gt)) return false
  if (typeof filter.gte === 'number' && !(n >= filter.gte)) return false
  if (typeof filter.lt === 'number' && !(n < filter.lt)) return false
  if (typeof filter.lte === 'number' && !(n <= filter.lte)) return false
  return true
}

/** The list params every Stripe list takes. */
export interface PageParams {
  limit?: number | ''
  starting_after?: string
  ending_before?: string
  created?: RangeFilter
}

export interface PageQuery<Kind extends string> {
  kind: Kind
  /** only objects whose `field` equals `value` (an index per value: O(page) however many others exist) */
  by?: readonly [field: string, value: unknown]
  /** further conditions, checked while scanning from the cursor */
  filter?: (object: ObjectOf<Kind>) => boolean
  params: PageParams
  url: string
}

/**
 * Stripe cursor pagination, newest first, over the store's scan of `kind` (and `by`): the
 * `created` range and the cursor's position (`created`, creation order) bound the scan, then only
 * the records of the page (and those a `filter` skips) are read. The cursor is looked up among all
 * objects of the kind, so an object that left the filter between pages (a `processing` payment
 * canceled) still marks the position.
 */
export function paginate<Kind extends string>(store: AccountStore, query: PageQuery<Kind>): ListObject<ObjectOf<Kind>> {
  const { params, url } = query
  const limit = params.limit === undefined || params.limit === '' ? 10 : Number(params.limit)
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw invalidRequest('Invalid limit: must be an integer between 1 and 100', 'limit')
  }
  const after = params.starting_after || undefined
  const before = params.ending_before || undefined
  if (after !== undefined && before !== undefined) {
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', 'ending_before')
  }
  const cursor = after ?? before
  let position: { created: number; seq: number } | undefined
  if (cursor !== undefined) {
    const record = store.record(cursor)
    if (!record || record.object.object !== query.kind) throw cursorMissing(cursor, after ? 'starting_after' : 'ending_before')
    position = { created: Number(record.object.created ?? 0), seq: record.seq }
  }
  const data: ObjectOf<Kind>[] = []
  let more = false
  // ending_before: the `limit` matches nearest above the cursor, then newest first
  const records = store.scan(query.kind, {
    by: query.by,
    from: before === undefined ? 'newest' : 'oldest',
    after: position,
    created: createdRange(params.created),
  })
  for (const record of records) {
    const object = record.object as unknown as ObjectOf<Kind>
    if (query.filter && !query.filter(object)) continue
    if (data.length === limit) {
      more = true
      break
    }
    data.push(object)
  }
  if (before !== undefined) data.reverse()
  return { object: 'list', data, has_more: more, url }
}

/** A `created` filter as the half-open range [gte, lt) a scan takes (`created` values are integers). */
function createdRange(filter: RangeFilter | undefined): { gte?: number; lt?: number } | undefined {
  if (filter === undefined || filter === '') return undefined
  const range = typeof filter === 'number' ? { gte: filter, lte: filter } : filter
  const num = (value: number | '' | undefined) => (typeof value === 'number' ? value : undefined)
  const lows = [num(range.gte), (num(range.gt) ?? Number.NaN) + 1].filter((n) => !Number.isNaN(n) && n !== undefined) as number[]
  const highs = [num(range.lt), (num(range.lte) ?? Number.NaN) + 1].filter((n) => !Number.isNaN(n) && n !== undefined) as number[]
  return {
    ...(lows.length ? { gte: Math.max(...lows) } : {}),
    ...(highs.length ? { lt: Math.min(...highs) } : {}),
  }
}

function cursorMissing(id: string, param: string) {
  return invalidRequest(`No such object: '${id}'`, param, 'resource_missing', 404)
}
