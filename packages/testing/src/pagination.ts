import { invalidRequest } from './errors.js'
import type { StripeObject } from './store.js'
import type { Params, ParamValue } from './validate.js'

export interface ListObject {
  object: 'list'
  data: StripeObject[]
  has_more: boolean
  url: string
}

/** Applies a `created`-style range filter: `x=123` or `x[gt|gte|lt|lte]=…`. */
export function matchesRange(value: unknown, filter: ParamValue | undefined): boolean {
  if (filter === undefined || filter === '') return true
  const n = Number(value)
  if (typeof filter === 'number') return n === filter
  if (typeof filter !== 'object' || Array.isArray(filter)) return true
  const range = filter as Record<string, ParamValue>
  if (typeof range.gt === 'number' && !(n > range.gt)) return false
  if (typeof range.gte === 'number' && !(n >= range.gte)) return false
  if (typeof range.lt === 'number' && !(n < range.lt)) return false
  if (typeof range.lte === 'number' && !(n <= range.lte)) return false
  return true
}

/**
 * Stripe cursor pagination over objects already sorted newest first. `all` is the unfiltered,
 * sorted list of that kind (default: `items`): the cursor is looked up there, so an object that
 * left the filter between pages (a `processing` payment canceled) still marks the position, and
 * the page is the filtered items after (or before) it.
 */
export function paginate(items: StripeObject[], params: Params, url: string, all: StripeObject[] = items): ListObject {
  const filtered = items.filter((item) => matchesRange(item.created, params.created))
  const limit = params.limit === undefined || params.limit === '' ? 10 : Number(params.limit)
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw invalidRequest('Invalid limit: must be an integer between 1 and 100', 'limit')
  }
  const after = params.starting_after
  const before = params.ending_before
  if (typeof after === 'string' && after !== '' && typeof before === 'string' && before !== '') {
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', 'ending_before')
  }
  const cursor = typeof after === 'string' && after !== '' ? after : typeof before === 'string' && before !== '' ? before : undefined
  if (cursor === undefined) return { object: 'list', data: filtered.slice(0, limit), has_more: filtered.length > limit, url }
  const position = new Map(all.map((item, index) => [item.id, index]))
  const at = position.get(cursor)
  if (at === undefined) throw cursorMissing(cursor, cursor === after ? 'starting_after' : 'ending_before')
  // first filtered item past the cursor in the full order (`all` and `items` are sorted alike)
  let split = filtered.findIndex((item) => (position.get(item.id) ?? -1) > at)
  if (split < 0) split = filtered.length
  if (cursor === after) {
    return { object: 'list', data: filtered.slice(split, split + limit), has_more: split + limit < filtered.length, url }
  }
  const end = split > 0 && filtered[split - 1]?.id === cursor ? split - 1 : split
  const start = Math.max(0, end - limit)
  return { object: 'list', data: filtered.slice(start, end), has_more: start > 0, url }
}

function cursorMissing(id: string, param: string) {
  return invalidRequest(`No such object: '${id}'`, param, 'resource_missing', 404)
}
