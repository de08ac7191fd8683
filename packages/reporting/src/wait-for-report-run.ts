import { _poll, type PollOptions, type RequestOptions, type StripeClient, StripeError, type StripeErrorInit } from '@edgestripe/core'
import { retrieveReportRun } from './generated/functions.js'
import type { ReportRun } from './generated/resources.js'

/** A report run ended `failed`; `run.error` says why. */
export class StripeReportRunError extends StripeError {
  override get name(): string {
    return 'StripeReportRunError'
  }
  readonly run: ReportRun
  constructor(init: StripeErrorInit & { run: ReportRun }) {
    super(init)
    this.run = init.run
  }
}

export interface WaitForReportRunOptions extends PollOptions {
  /** Called with the run after every poll. */
  onProgress?: (run: ReportRun) => void
  /** Overall time limit, ms. Default 1 800 000 (30 min). Waits grow from 1 s to 10 s by default. */
  timeout?: number
  /**
   * Every request option, passed to each request (`stripeAccount`, `apiVersion`, `headers`,
   * per-request `timeout`, `maxRetries`, `idempotencyKey` for a create, …). Its `signal` aborts the
   * wait like the top-level one.
   */
  request?: RequestOptions
}

/**
 * Polls a report run until it leaves `pending`. Resolves with the `succeeded` run; throws
 * `StripeReportRunError` (carrying the run and its `error`) when it fails, and
 * `StripeWaitTimeoutError` (with `last`) after `timeout`.
 */
export async function waitForReportRun(
  client: StripeClient,
  id: string,
  { onProgress, timeout = 1_800_000, maxInterval = 10_000, request, signal = request?.signal, ...poll }: WaitForReportRunOptions = {},
): Promise<ReportRun> {
  const run = await _poll(
    (signal) => retrieveReportRun(client, id, {}, { ...request, signal }),
    (run) => {
      onProgress?.(run)
      return run.status !== 'pending'
    },
    (last, ms) => `Report run ${id} is still ${last ? `"${last.status}"` : 'not retrieved'} after ${ms} ms.`,
    { ...poll, maxInterval, timeout, signal },
  )
  return _succeeded(run)
}

/** Returns a succeeded run, throws for a failed one. */
export function _succeeded(run: ReportRun): ReportRun {
  if (run.status !== 'failed') return run
  throw new StripeReportRunError({
    message: `Report run ${run.id} (${run.report_type}) failed: ${run.error ?? 'no reason given'}`,
    raw: { type: 'api_error', code: 'report_run_failed' },
    run,
  })
}
