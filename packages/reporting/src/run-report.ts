import { downloadFile, parseCsv, type StripeClient, StripeError } from '@edgestripe/core'
import { createReportRun } from './generated/functions.js'
import type { ReportRun } from './generated/resources.js'
import { _succeeded, type WaitForReportRunOptions, waitForReportRun } from './wait-for-report-run.js'

/**
 * One options shape for the whole flow: the wait's options, plus `request` (every request option)
 * for the create, each poll and the download; `request.idempotencyKey` is the create's key (one is
 * generated otherwise).
 */
export interface RunReportOptions extends WaitForReportRunOptions {
  /** Called once the run has succeeded, before its file is downloaded. */
  onRun?: (run: ReportRun) => void
}

/**
 * Creates a report run, waits for it (see `waitForReportRun`), downloads its `result` file and
 * yields its CSV rows one by one (typed by `Row`; values are strings). Nothing starts until the
 * first row is requested; stopping early cancels the download. The download's per-request
 * `timeout` (`request.timeout`, else the client's) covers the whole file: raise it for big reports.
 */
export async function* runReport<Row extends Record<string, string> = Record<string, string>>(
  client: StripeClient,
  params: Parameters<typeof createReportRun>[1],
  options: RunReportOptions = {},
): AsyncGenerator<Row, void, undefined> {
  const { onRun, request, signal = request?.signal } = options
  const created = await createReportRun(client, params, { ...request, signal })
  const run = created.status === 'pending' ? await waitForReportRun(client, created.id, options) : _succeeded(created)
  onRun?.(run)
  const file = run.result
  const ref = typeof file === 'string' ? file : (file?.url ?? file?.id)
  if (!ref) {
    throw new StripeError({
      message: `Report run ${run.id} succeeded without a result file.`,
      raw: { type: 'api_error', code: 'report_run_no_result' },
    })
  }
  const { body } = await downloadFile(client, ref, { ...request, signal })
  yield* parseCsv<Row>(body)
}
