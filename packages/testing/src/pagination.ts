import { invalidRequest } from './errors.js'
import type { AccountStore, ObjectOf, StoredRecord } from './store.js'

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
 * Stripe cursor pagination, newest first, over the store's index of `kind` (and `by`): the
 * `created` range is two binary searches, the cursor is found by id and placed by binary search on
 * (`created`, creation order), then only the records of the page (and those a `filter` skips) are
 * read. The cursor is looked up among all objects of the kind, so an object that left the filter
 * between pages (a `processing` payment canceled) still marks the position.
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
  const index = store.index(query.kind, query.by)
  // [low, high): the records inside the `created` range
  const { low, high } = createdBounds(index, params.created)
  let newest = high - 1 // first record a forward page may show
  let oldest = low // last record a backward page may show
  const cursor = after ?? before
  if (cursor !== undefined) {
    const record = store.record(cursor)
    if (!record || record.object.object !== query.kind) throw cursorMissing(cursor, after ? 'starting_after' : 'ending_before')
    const at = index.position(Number(record.object.created ?? 0), record.seq)
    if (after) newest = Math.min(newest, at - 1)
    else oldest = Math.max(oldest, index.records[at] === record ? at + 1 : at)
  }
  const matches = (record: StoredRecord) => {
    store.scanned++
    return !query.filter || query.filter(record.object as unknown as ObjectOf<Kind>)
  }
  const data: ObjectOf<Kind>[] = []
  let more = false
  if (before === undefined) {
    for (let at = newest; at >= low; at--) {
      const record = index.records[at] as StoredRecord
      if (!matches(record)) continue
      if (data.length === limit) {
        more = true
        break
      }
      data.push(record.object as unknown as ObjectOf<Kind>)
    }
  } else {
    // the `limit` matches nearest above the cursor, then newest first
    for (let at = oldest; at < high; at++) {
      const record = index.records[at] as StoredRecord
      if (!matches(record)) continue
      if (data.length === limit) {
        more = true
        break
      }
      data.push(record.object as unknown as ObjectOf<Kind>)
    }
    data.reverse()
  }
  return { object: 'list', data, has_more: more, url }
}

/** The index range whose `created` is inside the filter: binary searches, O(log n). */
function createdBounds(
  index: { records: StoredRecord[]; position(created: number, seq: number): number },
  filter: RangeFilter | undefined,
) {
  let low = 0
  let high = index.records.length
  if (filter === undefined || filter === '') return { low, high }
  const range = typeof filter === 'number' ? { gte: filter, lte: filter } : filter
  const num = (value: number | '' | undefined) => (typeof value === 'number' ? value : undefined)
  const gt = num(range.gt)
  const gte = num(range.gte)
  const lt = num(range.lt)
  const lte = num(range.lte)
  if (gt !== undefined) low = Math.max(low, index.position(gt + 1, 0))
  if (gte !== undefined) low = Math.max(low, index.position(gte, 0))
  if (lt !== undefined) high = Math.min(high, index.position(lt, 0))
  if (lte !== undefined) high = Math.min(high, index.position(lte + 1, 0))
  return { low, high: Math.max(low, high) }
}

function cursorMissing(id: string, param: string) {
  return invalidRequest(`No such object: '${id}'`, param, 'resource_missing', 404)
}
