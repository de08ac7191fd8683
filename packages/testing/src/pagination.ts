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

/** Stripe cursor pagination over objects already sorted newest first. */
export function paginate(items: StripeObject[], params: Params, url: string): ListObject {
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
  if (typeof after === 'string' && after !== '') {
    const index = filtered.findIndex((item) => item.id === after)
    if (index < 0) throw cursorMissing(after, 'starting_after')
    const page = filtered.slice(index + 1, index + 1 + limit)
    return { object: 'list', data: page, has_more: index + 1 + limit < filtered.length, url }
  }
  if (typeof before === 'string' && before !== '') {
    const index = filtered.findIndex((item) => item.id === before)
    if (index < 0) throw cursorMissing(before, 'ending_before')
    const start = Math.max(0, index - limit)
    return { object: 'list', data: filtered.slice(start, index), has_more: start > 0, url }
  }
  return { object: 'list', data: filtered.slice(0, limit), has_more: filtered.length > limit, url }
}

function cursorMissing(id: string, param: string) {
  return invalidRequest(`No such object: '${id}'`, param, 'resource_missing', 404)
}
