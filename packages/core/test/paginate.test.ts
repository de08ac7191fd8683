import { describe, expect, it } from 'vitest'
import { createStripe, paginate, StripePaginationError, StripeValidationError, toArray } from '../src'
import { listThings } from './support/operations'
import { recordingFetch } from './support/recorder'

/** 25 objects, newest first (like Stripe), served in pages honouring limit/starting_after/ending_before. */
const ids = Array.from({ length: 25 }, (_, i) => `obj_${String(25 - i).padStart(2, '0')}`)
function server() {
  return recordingFetch(({ url }) => {
    const q = url.searchParams
    const limit = Number(q.get('limit') ?? 10)
    let start = 0
    let end = ids.length
    if (q.get('starting_after')) start = ids.indexOf(q.get('starting_after')!) + 1
    if (q.get('ending_before')) end = ids.indexOf(q.get('ending_before')!)
    const window = q.get('ending_before') ? ids.slice(Math.max(start, end - limit), end) : ids.slice(start, start + limit)
    const more = q.get('ending_before') ? end - limit > start : start + limit < end
    return { body: { object: 'list', url: '/v1/things', has_more: more, data: window.map((id) => ({ id, object: 'thing' })) } }
  })
}

describe('paginate', () => {
  it('follows starting_after through every page, one page at a time', async () => {
    const { fetch, calls } = server()
    const stripe = createStripe({ apiKey: 'sk_test_123456789', fetch })
    const seen: string[] = []
    for await (const item of paginate(stripe, listThings, { params: { limit: 10 } })) {
      seen.push(item.id)
      if (seen.length === 5) expect(calls).toHaveLength(1)
    }
    expect(seen).toEqual(ids)
    expect(calls.map((c) => c.url.search)).toEqual(['?limit=10', '?limit=10&starting_after=obj_16', '?limit=10&starting_after=obj_06'])
  })

  it('walks backwards from ending_before, yielding in reverse', async () => {
    const { fetch } = server()
    const stripe = createStripe({ apiKey: 'sk_test_123456789', fetch })
    const seen: string[] = []
    for await (const item of paginate(stripe, listThings, { params: { limit: 4, ending_before: 'obj_10' } })) seen.push(item.id)
    expect(seen).toEqual(ids.slice(0, ids.indexOf('obj_10')).reverse())
  })

  it('stops early when the consumer breaks, and toArray requires a cap', async () => {
    const { fetch, calls } = server()
    const stripe = createStripe({ apiKey: 'sk_test_123456789', fetch })
    const first12 = await toArray(paginate(stripe, listThings, { params: { limit: 10 } }), { limit: 12 })
    expect(first12).toHaveLength(12)
    expect(calls).toHaveLength(2)
    await expect(toArray(paginate(stripe, listThings, {}), { limit: 0 })).rejects.toBeInstanceOf(StripeValidationError)
    await expect(toArray(paginate(stripe, listThings, {}), undefined as never)).rejects.toThrow()
  })

  it("names the page's status and request id from the SDK's metadata, not from a `lastResponse` field of the page", async () => {
    const { fetch } = recordingFetch(() => ({
      headers: { 'request-id': 'req_page' },
      body: { object: 'list', url: '/v1/things', has_more: true, data: [], lastResponse: 'not the metadata' },
    }))
    const stripe = createStripe({ apiKey: 'sk_test_123456789', fetch })
    const error = await toArray(paginate(stripe, listThings, {}), { limit: 5 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StripePaginationError)
    expect(error).toMatchObject({ reason: 'missing_cursor', statusCode: 200, requestId: 'req_page' })
  })
})
