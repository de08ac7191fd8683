import { createStripe } from '@edgestripe/core'
import { createReportRun, type ReportRun, type ReportType, reportingPlugin } from '@edgestripe/reporting'
import { describe, expectTypeOf, it } from 'vitest'

describe('reporting types', () => {
  it('types results and the plugin', async () => {
    const stripe = createStripe({ apiKey: 'sk_test_123', plugins: [reportingPlugin] })
    const run = await createReportRun(stripe, { report_type: 'balance.summary.1' })
    expectTypeOf(run).not.toBeAny()
    expectTypeOf<ReportRun['status']>().toEqualTypeOf<string>()
    expectTypeOf(await stripe.reporting.reportTypes.retrieve('balance.summary.1')).toExtend<ReportType>()
    expectTypeOf(stripe.reporting.reportRuns.list).toBeFunction()
    // @ts-expect-error report_type is required
    createReportRun(stripe, {})
    // @ts-expect-error not a timezone
    createReportRun(stripe, { report_type: 'x', parameters: { timezone: 'Mars/Olympus' } })
  })
})
