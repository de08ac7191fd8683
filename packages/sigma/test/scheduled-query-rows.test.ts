import { createStripe, StripeConfigurationError } from '@edgestripe/core'
import { createEmulator } from '@edgestripe/testing'
import { describe, expect, it } from 'vitest'
import type { ScheduledQueryRun } from '../src'
import { StripeQueryRunUnavailableError, scheduledQueryRunRows } from '../src'

const csv = 'currency,"total, gross",note\r\nusd,1234,"said ""hi""\nthen left"\r\neur,5,\r\n'

function setup() {
  const emulator = createEmulator()
  const stripe = createStripe({ apiKey: 'sk_test_123', fetch: emulator.fetch })
  const now = emulator.controlFor('sk_test_123').now()
  return { emulator, stripe, now }
}

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const row of rows) out.push(row)
  return out
}

describe('scheduledQueryRunRows', () => {
  it("yields the rows of a completed run's file, by id or from the run object", async () => {
    const { emulator, stripe, now } = setup()
    const run = emulator.controlFor('sk_test_123').seed('scheduled_query_run', { csv }) as unknown as ScheduledQueryRun
    const expected = [
      { currency: 'usd', 'total, gross': '1234', note: 'said "hi"\nthen left' },
      { currency: 'eur', 'total, gross': '5', note: '' },
    ]
    expect(await collect(scheduledQueryRunRows(stripe, run.id, { now }))).toEqual(expected)
    const retrieved = (await (await import('../src')).retrieveScheduledQueryRun(stripe, run.id)) as ScheduledQueryRun
    expect(await collect(scheduledQueryRunRows<{ currency: string }>(stripe, retrieved, { now }))).toEqual(expected)
  })

  it('refuses a run that is not completed, or whose result expired, before downloading anything', async () => {
    const { emulator, stripe, now } = setup()
    const failed = emulator.controlFor('sk_test_123').seed('scheduled_query_run', { status: 'failed' }) as unknown as ScheduledQueryRun
    const expired = emulator
      .controlFor('sk_test_123')
      .seed('scheduled_query_run', { result_available_until: now - 1 }) as unknown as ScheduledQueryRun
    emulator.controlFor('sk_test_123').clearRequests()
    const notDone = await collect(scheduledQueryRunRows(stripe, failed.id, { now })).catch((e: unknown) => e)
    expect(notDone).toBeInstanceOf(StripeQueryRunUnavailableError)
    expect(notDone).toMatchObject({ code: 'query_run_not_completed', run: { id: failed.id } })
    expect((notDone as Error).message).toBe(`Scheduled query run ${failed.id} is "failed", not "completed": it has no rows.`)
    const gone = await collect(scheduledQueryRunRows(stripe, expired.id, { now })).catch((e: unknown) => e)
    expect(gone).toMatchObject({ name: 'StripeQueryRunUnavailableError', code: 'query_run_result_expired' })
    expect((gone as Error).message).toMatch(/result expired at \d{4}-/)
    // Only the two retrieves: no file was fetched.
    expect(
      emulator
        .controlFor('sk_test_123')
        .requests()
        .map((r) => r.path),
    ).toEqual([`/v1/sigma/scheduled_query_runs/${failed.id}`, `/v1/sigma/scheduled_query_runs/${expired.id}`])
    // Real time is past the emulator's 2024 clock: without `now`, a seeded run reads as expired.
    await expect(collect(scheduledQueryRunRows(stripe, expired))).rejects.toThrow(/expired/)
  })

  it('needs a secret key for the file', async () => {
    const { emulator, now } = setup()
    const run = emulator.controlFor('sk_test_123').seed('scheduled_query_run', {}) as unknown as ScheduledQueryRun
    const browser = createStripe({ publishableKey: 'pk_test_123', fetch: emulator.fetch })
    await expect(collect(scheduledQueryRunRows(browser, run, { now }))).rejects.toThrow(StripeConfigurationError)
  })
})
