import { createStripe, type ListObject, type WithResponse } from '@edgestripe/core'
import { createReportRun, type File, type listReportRuns, type ReportRun, type ReportType, reportingPlugin } from '@edgestripe/reporting'
import { describe, expectTypeOf, it } from 'vitest'

describe('reporting types', () => {
  it('types results and the plugin', async () => {
    const stripe = createStripe({ apiKey: 'sk_test_123', plugins: [reportingPlugin] })
    const run = await createReportRun(stripe, { report_type: 'balance.summary.1' })
    expectTypeOf(run).not.toBeAny()
    expectTypeOf(run).toEqualTypeOf<WithResponse<ReportRun>>()
    expectTypeOf<ReportRun['status']>().toEqualTypeOf<string>()
    expectTypeOf<ReportRun['result']>().toEqualTypeOf<File | null | undefined>()
    expectTypeOf(await stripe.reporting.reportTypes.retrieve('balance.summary.1')).toEqualTypeOf<WithResponse<ReportType>>()
    // spec: `default_columns` optional, nullable array of strings
    expectTypeOf<ReportType['default_columns']>().toEqualTypeOf<string[] | null | undefined>()
    expectTypeOf<ReportType['object']>().toEqualTypeOf<'reporting.report_type'>()
    // the function with the client bound (generic in `expand`, see expand.test-d.ts in treasury)
    expectTypeOf(stripe.reporting.reportRuns.list).parameters.toEqualTypeOf<
      Parameters<typeof listReportRuns> extends [unknown, ...infer R] ? R : never
    >()
    expectTypeOf(stripe.reporting.reportRuns.list).returns.resolves.toEqualTypeOf<WithResponse<ListObject<ReportRun>>>()
    // @ts-expect-error report_type is required
    createReportRun(stripe, {})
    // @ts-expect-error not a timezone
    createReportRun(stripe, { report_type: 'x', parameters: { timezone: 'Mars/Olympus' } })
  })
})
