import { createStripe, type ListObject, type WithResponse } from '@edgestripe/core'
import {
  type File,
  type FileLink,
  listScheduledQueryRuns,
  retrieveScheduledQueryRun,
  type ScheduledQueryRun,
  type StripeObject,
  sigmaPlugin,
} from '@edgestripe/sigma'
import { describe, expectTypeOf, it } from 'vitest'

describe('sigma types', () => {
  it('types results and the plugin', async () => {
    const stripe = createStripe({ apiKey: 'sk_test_123', plugins: [sigmaPlugin] })
    const run = await retrieveScheduledQueryRun(stripe, 'sqr_1')
    expectTypeOf(run).not.toBeAny()
    expectTypeOf(run).toEqualTypeOf<WithResponse<ScheduledQueryRun>>()
    expectTypeOf<ScheduledQueryRun['status']>().toEqualTypeOf<string>()
    // spec: `file` optional, nullable, a `file` object (not expandable)
    expectTypeOf<ScheduledQueryRun['file']>().toEqualTypeOf<File | null | undefined>()
    expectTypeOf<File['object']>().toEqualTypeOf<'file'>()
    expectTypeOf<File['id']>().toEqualTypeOf<string>()
    // a nested list field is a structural list type, its items an out-of-domain stand-in
    expectTypeOf<File['links']>().toEqualTypeOf<{ data: FileLink[]; has_more: boolean; object: 'list'; url: string } | null | undefined>()
    expectTypeOf<FileLink>().toEqualTypeOf<StripeObject & { object: 'file_link'; deleted?: never }>()
    expectTypeOf(await stripe.sigma.scheduledQueryRuns.list()).toEqualTypeOf<WithResponse<ListObject<ScheduledQueryRun>>>()
    expectTypeOf((await stripe.sigma.scheduledQueryRuns.list()).data).toEqualTypeOf<ScheduledQueryRun[]>()
    // @ts-expect-error limit is a number
    listScheduledQueryRuns(stripe, { limit: '10' })
  })
})
