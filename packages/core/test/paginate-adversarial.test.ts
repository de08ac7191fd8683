// Issue 8.7: paginate never loops forever and never stops silently. Page sequences are generated,
// honest and adversarial (a server that ignores the cursor or replays an earlier page, has_more
// not a boolean, data not an array, a last item without id, an empty page with has_more true):
// every walk ends within the list's page count, and either yields exactly the list or throws a
// StripePaginationError naming the operation and the cursor, having yielded a duplicate-free prefix.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createStripe, paginate, StripePaginationError } from '../src'
import { listThings } from './support/operations'
import { recordingFetch } from './support/recorder'

type Fault =
  | { kind: 'none' }
  | { kind: 'stale' } // ignores the cursor: the page just served, again
  | { kind: 'replay'; page: number } // an earlier page that said has_more: true
  | { kind: 'has_more'; value: unknown }
  | { kind: 'data'; value: unknown }
  | { kind: 'last_id'; value: unknown } // the last item's id replaced (undefined: removed)
  | { kind: 'empty_more' } // data [] with has_more: true

const fault: fc.Arbitrary<Fault> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'none' as const }), weight: 6 },
  fc.constant({ kind: 'stale' as const }),
  fc.nat().map((page) => ({ kind: 'replay' as const, page })),
  fc.constantFrom<unknown>('false', 'true', 0, 1, null, undefined, {}, []).map((value) => ({ kind: 'has_more' as const, value })),
  fc.constantFrom<unknown>(null, undefined, {}, 'x', 0, { 0: { id: 'a' } }).map((value) => ({ kind: 'data' as const, value })),
  fc.constantFrom<unknown>(undefined, null, '', 42, {}).map((value) => ({ kind: 'last_id' as const, value })),
  fc.constant({ kind: 'empty_more' as const }),
)

describe('paginate against adversarial servers', () => {
  it('ends within the page count: the whole list, or a StripePaginationError after a duplicate-free prefix', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fault, { maxLength: 12 }),
        fc.constantFrom('warn', 'off'),
        async (total, limit, faults, validateResponses) => {
          const ids = Array.from({ length: total }, (_, i) => `obj_${i}`)
          const served: { start: number; body: Record<string, unknown> }[] = []
          const { fetch, calls } = recordingFetch(({ url }) => {
            const after = url.searchParams.get('starting_after')
            let start = after === null ? 0 : ids.indexOf(after) + 1
            const f = faults[served.length] ?? { kind: 'none' }
            const withMore = served.filter((s) => s.body.has_more === true)
            if (f.kind === 'stale' && served.length) start = served[served.length - 1]!.start
            if (f.kind === 'replay' && withMore.length) start = withMore[f.page % withMore.length]!.start
            const data: Record<string, unknown>[] = ids.slice(start, start + limit).map((id) => ({ id, object: 'thing' }))
            const body: Record<string, unknown> = { object: 'list', url: '/v1/things', has_more: start + limit < total, data }
            if (f.kind === 'has_more') body.has_more = f.value
            if (f.kind === 'data') body.data = f.value
            if (f.kind === 'last_id' && body.has_more === true && data.length) {
              const last = { ...data[data.length - 1] }
              if (f.value === undefined) delete last.id
              else last.id = f.value
              data[data.length - 1] = last
            }
            if (f.kind === 'empty_more') Object.assign(body, { data: [], has_more: true })
            served.push({ start, body })
            return { body }
          })
          const stripe = createStripe({ apiKey: 'sk_test_123456789', fetch, validateResponses: validateResponses as 'warn' | 'off' })
          const seen: string[] = []
          let error: unknown
          try {
            for await (const item of paginate(stripe, listThings, { params: { limit } })) seen.push(item.id)
          } catch (e) {
            error = e
          }
          const pages = Math.max(1, Math.ceil(total / limit))
          expect(calls.length).toBeLessThanOrEqual(pages + 1)
          expect(new Set(seen).size).toBe(seen.length)
          expect(seen).toEqual(ids.slice(0, seen.length))
          if (error === undefined) {
            expect(seen).toEqual(ids)
          } else {
            expect(error).toBeInstanceOf(StripePaginationError)
            const e = error as StripePaginationError
            expect(e.operationId).toBe('GetThings')
            expect(e.cursor).toBe(calls[calls.length - 1]!.url.searchParams.get('starting_after') ?? undefined)
            expect(e.message).toContain('GetThings')
            expect(e.requestId).toBe(`req_${calls.length}`)
          }
        },
      ),
      { numRuns: 400 },
    )
  })

  it('a server whose cursors cycle (never has_more: false) is stopped at the first repeat', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 20 }), async (cycle) => {
        const { fetch, calls } = recordingFetch(({ url }) => {
          const after = url.searchParams.get('starting_after')
          const k = after === null ? 0 : (Number(after.slice(4)) + 1) % cycle
          return { body: { object: 'list', url: '/v1/things', has_more: true, data: [{ id: `obj_${k}` }] } }
        })
        const stripe = createStripe({ apiKey: 'sk_test_123456789', fetch })
        const walk = async () => {
          for await (const _ of paginate(stripe, listThings, {})) {
            // consume
          }
        }
        const error = await walk().catch((e: unknown) => e)
        expect(error).toBeInstanceOf(StripePaginationError)
        expect((error as StripePaginationError).reason).toBe('repeated_cursor')
        expect(calls).toHaveLength(cycle + 1)
      }),
    )
  })

  it.each([
    [{ data: null, has_more: false }, 'invalid_data', /data is null, not an array/],
    [{ data: [{ id: 'a' }], has_more: 'false' }, 'invalid_has_more', /has_more is "false", not a boolean/],
    [{ data: [{ id: 'a' }, { object: 'thing' }], has_more: true }, 'missing_cursor', /last item has no id/],
    [{ data: [], has_more: true }, 'missing_cursor', /page is empty/],
  ])('%j → %s, naming the operation and the cursor', async (page, reason, message) => {
    const { fetch } = recordingFetch(() => ({ body: { object: 'list', url: '/v1/things', ...page } }))
    const stripe = createStripe({ apiKey: 'sk_test_123456789', fetch })
    const seen: unknown[] = []
    const error = await (async () => {
      for await (const item of paginate(stripe, listThings, { params: { starting_after: 'obj_9' } })) seen.push(item)
    })().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StripePaginationError)
    expect(error).toMatchObject({ reason, operationId: 'GetThings', cursor: 'obj_9', code: `pagination_${reason}` })
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).toContain('GetThings')
    expect((error as Error).message).toContain('starting_after=obj_9')
    expect(seen).toEqual([])
  })
})
