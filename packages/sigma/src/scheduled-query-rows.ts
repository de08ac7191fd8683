import { downloadFile, parseCsv, type RequestOptions, type StripeClient, StripeError, type StripeErrorInit } from '@edgestripe/core'
import { retrieveScheduledQueryRun } from './generated/functions.js'
import type { ScheduledQueryRun } from './generated/resources.js'

/** The run's rows cannot be read: it is not `completed`, its file has expired, or it has none. */
export class StripeQueryRunUnavailableError extends StripeError {
  override get name(): string {
    return 'StripeQueryRunUnavailableError'
  }
  readonly run: ScheduledQueryRun
  constructor(init: StripeErrorInit & { run: ScheduledQueryRun }) {
    super(init)
    this.run = init.run
  }
}

export interface ScheduledQueryRowsOptions {
  /** The current Unix time in seconds, to check `result_available_until`. Default: the clock. */
  now?: number
  /** Every request option, for the retrieve (when given an id) and the download. */
  request?: RequestOptions
}

/**
 * Yields the CSV rows of a Sigma scheduled query run's result file (typed by `Row`; values are
 * strings). Takes the run or its id (then retrieves it). Refuses with
 * `StripeQueryRunUnavailableError`, before downloading anything, when the run is not `completed`
 * or `result_available_until` has passed. Stopping early cancels the download.
 */
export async function* scheduledQueryRunRows<Row extends Record<string, string> = Record<string, string>>(
  client: StripeClient,
  runOrId: string | ScheduledQueryRun,
  { now = Date.now() / 1000, request }: ScheduledQueryRowsOptions = {},
): AsyncGenerator<Row, void, undefined> {
  const run = typeof runOrId === 'string' ? await retrieveScheduledQueryRun(client, runOrId, {}, request) : runOrId
  const refuse = (why: string, code: string) => {
    throw new StripeQueryRunUnavailableError({
      message: `Scheduled query run ${run.id} ${why}.`,
      raw: { type: 'invalid_request_error', code },
      run,
    })
  }
  if (run.status !== 'completed') refuse(`is "${run.status}", not "completed": it has no rows`, 'query_run_not_completed')
  if (run.result_available_until <= now) {
    refuse(`result expired at ${new Date(run.result_available_until * 1000).toISOString()}`, 'query_run_result_expired')
  }
  const ref = run.file?.url ?? run.file?.id
  if (!ref) return refuse('has no result file', 'query_run_no_file')
  const { body } = await downloadFile(client, ref, request)
  yield* parseCsv<Row>(body)
}
