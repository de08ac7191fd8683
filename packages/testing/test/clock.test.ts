import { createStripe } from '@edgestripe/core'
import { type ScheduledQueryRun, scheduledQueryRunRows } from '@edgestripe/sigma'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createEmulator, DEFAULT_NOW } from '../src/index.js'
import { call } from './helpers.js'

afterEach(() => {
  vi.useRealTimers()
})

describe('emulator clock', () => {
  it('starts at the wall clock by default and stands still until advanced', () => {
    vi.useFakeTimers({ now: new Date('2030-01-02T03:04:05Z'), toFake: ['Date'] })
    const emulator = createEmulator({ accounts: 'shared' })
    const start = Date.UTC(2030, 0, 2, 3, 4, 5) / 1000
    expect(emulator.control.now()).toBe(start)
    vi.setSystemTime(new Date('2030-01-02T04:04:05Z'))
    expect(emulator.control.now()).toBe(start)
    expect(emulator.control.advance(60)).toBe(start + 60)
    expect(createEmulator({ accounts: 'shared', now: DEFAULT_NOW }).control.now()).toBe(1_714_000_000)
  })

  it('lets a seeded Sigma run be read without passing `now` (its result is not expired)', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch: emulator.fetch })
    const run = emulator.control.seed('scheduled_query_run', { csv: 'a,b\n1,2\n' }) as unknown as ScheduledQueryRun
    const rows: unknown[] = []
    for await (const row of scheduledQueryRunRows(stripe, run.id)) rows.push(row)
    expect(rows).toEqual([{ a: '1', b: '2' }])
  })

  it('in `real` mode follows the wall clock, so a report run succeeds by itself', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-02T03:04:05Z'), toFake: ['Date'] })
    const emulator = createEmulator({ accounts: 'shared', clock: 'real', reportRunDelay: 5 })
    const start = emulator.control.now()
    vi.setSystemTime(new Date('2030-01-02T03:04:07Z'))
    expect(emulator.control.now()).toBe(start + 2)
    expect(emulator.control.advance(10)).toBe(start + 12)
    vi.setSystemTime(new Date('2030-01-02T03:04:08Z'))
    expect(emulator.control.now()).toBe(start + 13)

    const range = (await call(emulator, 'GET', '/v1/reporting/report_types/balance.summary.1')).body
    const run = await call(emulator, 'POST', '/v1/reporting/report_runs', {
      report_type: 'balance.summary.1',
      parameters: { interval_start: range.data_available_start, interval_end: range.data_available_end },
    })
    expect(run.body.status).toBe('pending')
    vi.setSystemTime(new Date('2030-01-02T03:04:14Z'))
    const later = await call(emulator, 'GET', `/v1/reporting/report_runs/${run.body.id}`)
    expect(later.body.status).toBe('succeeded')
  })

  it('refuses an unknown clock mode', () => {
    expect(() => createEmulator({ accounts: 'shared', clock: 'fast' as never })).toThrow(/clock/)
  })
})
