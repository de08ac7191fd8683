import { createStripe, StripeValidationError } from '@edgestripe/core'
import { createReportRun } from '@edgestripe/reporting'
import { describe, expect, it } from 'vitest'
import { createFixtureServer } from '../../../test-support/fixture-server'

describe('reporting params', () => {
  it('a bad value of a long enum (timezone: ~600 values) gets a short message, not the list', async () => {
    const server = createFixtureServer()
    const client = createStripe({ apiKey: 'sk_test_123', fetch: server.fetch, maxRetries: 0 })
    const error = await createReportRun(client, {
      report_type: 'balance.summary.1',
      // @ts-expect-error not a timezone
      parameters: { timezone: 'Mars/Olympus_Mons' },
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StripeValidationError)
    const { message } = error as StripeValidationError
    expect(message).toMatch(/^createReportRun: Invalid parameters\[timezone\]: must be one of the \d+ values of the spec$/)
    expect(message.length).toBeLessThan(200)
    expect(message).not.toContain('Africa/Abidjan')
    expect(server.requests).toEqual([])
    await createReportRun(client, { report_type: 'balance.summary.1', parameters: { timezone: 'Europe/Paris' } })
    expect(server.requests).toHaveLength(1)
  })
})
