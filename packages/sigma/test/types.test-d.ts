import { createStripe } from '@edgestripe/core'
import { listScheduledQueryRuns, retrieveScheduledQueryRun, type ScheduledQueryRun, sigmaPlugin } from '@edgestripe/sigma'
import { describe, expectTypeOf, it } from 'vitest'

describe('sigma types', () => {
  it('types results and the plugin', async () => {
    const stripe = createStripe({ apiKey: 'sk_test_123', plugins: [sigmaPlugin] })
    const run = await retrieveScheduledQueryRun(stripe, 'sqr_1')
    expectTypeOf(run).not.toBeAny()
    expectTypeOf<ScheduledQueryRun['status']>().toEqualTypeOf<string>()
    expectTypeOf(run.file).toExtend<{ id: string; object: 'file' } | null | undefined>()
    expectTypeOf((await stripe.sigma.scheduledQueryRuns.list()).data).toEqualTypeOf<ScheduledQueryRun[]>()
    // @ts-expect-error limit is a number
    listScheduledQueryRuns(stripe, { limit: '10' })
  })
})
