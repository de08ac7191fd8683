import { type DomainKit, defineEmulatorDomain, type EmulatorDomain } from '../domain.js'
import { invalidRequest, resourceMissing } from '../errors.js'
import { createFile, withFileUrl } from '../files.js'
import type { Resources } from '../generated/resources.js'
import { newId } from '../ids.js'
import { fromTemplate } from '../objects.js'
import { paginate } from '../pagination.js'
import type { AccountStore, StripeObject } from '../store.js'

export interface ScheduledQueryRunSeed {
  id?: string
  status?: 'canceled' | 'completed' | 'failed' | 'timed_out'
  sql?: string
  title?: string
  created?: number
  data_load_time?: number
  result_available_until?: number
  /** CSV content of the result file (default: a one-row count) */
  csv?: string
  error?: { message: string } | null
}

/** The spec's `scheduled_query_run.status` enum. */
const STATUSES: readonly string[] = ['canceled', 'completed', 'failed', 'timed_out']

/** Control: adds a Sigma scheduled query run with its CSV result file. */
export function seedScheduledQueryRun(store: AccountStore, now: number, seed: ScheduledQueryRunSeed): Resources['scheduled_query_run'] {
  const status = seed.status ?? 'completed'
  if (!STATUSES.includes(status)) {
    throw invalidRequest(`Invalid status: must be one of ${STATUSES.join(', ')} (got ${String(status)}).`, 'status')
  }
  const file =
    status === 'completed'
      ? createFile(store, now, { purpose: 'sigma_scheduled_query', body: seed.csv ?? 'count\n0\n', expiresAt: null })
      : null
  const run = fromTemplate('scheduled_query_run', {
    id: seed.id ?? newId('sqr'),
    created: seed.created ?? now,
    data_load_time: seed.data_load_time ?? now,
    result_available_until: seed.result_available_until ?? now + 30 * 86_400,
    sql: seed.sql ?? 'SELECT count(*) FROM charges',
    title: seed.title ?? 'Scheduled query',
    status,
    file: file ? structuredClone(file) : null,
  })
  if (status === 'failed') run.error = seed.error ?? { message: 'The query failed.' }
  return store.insert(run)
}

/** Sigma: scheduled query runs (seeded by `control.seed('scheduled_query_run', …)`) and their CSV files. */
export const sigma: EmulatorDomain<'sigma'> = /* @__PURE__ */ defineEmulatorDomain({
  name: 'sigma',
  prefixes: ['/v1/sigma/'],
  handlers: {
    GetSigmaScheduledQueryRuns: (ctx) => {
      const list = paginate(ctx.store, { kind: 'scheduled_query_run', params: ctx.params, url: '/v1/sigma/scheduled_query_runs' })
      const data = list.data.map((run) => {
        const copy = structuredClone(run)
        withFileUrl(copy.file, ctx.origin)
        return copy
      })
      return { ...list, data }
    },
    GetSigmaScheduledQueryRunsScheduledQueryRun: (ctx) => {
      const id = ctx.pathParams.scheduled_query_run
      const run = ctx.store.get('scheduled_query_run', id)
      if (!run) throw resourceMissing('scheduled query run', id, 'scheduled_query_run')
      const copy = structuredClone(run)
      withFileUrl(copy.file, ctx.origin)
      return copy
    },
  },
  seeders: {
    scheduled_query_run: (kit: DomainKit, object, options): StripeObject => {
      const store = kit.store(options)
      const run = seedScheduledQueryRun(store, kit.state.clock.now, object as ScheduledQueryRunSeed)
      const copy = structuredClone(run)
      withFileUrl(copy.file, kit.state.events.origin)
      kit.raise('sigma.scheduled_query_run.created', copy, options)
      return structuredClone(run)
    },
  },
  fixtures: [
    {
      list: 'GetSigmaScheduledQueryRuns',
      async create(api) {
        api.control.advance(1)
        return api.control.seed('scheduled_query_run', {}).id
      },
    },
  ],
})
