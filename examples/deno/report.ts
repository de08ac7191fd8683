import { createStripe, type StripeClient } from '@edgestripe/core'
import { type RunReportOptions, retrieveReportType, runReport } from '@edgestripe/reporting'

export type ReportParams = Parameters<typeof runReport>[1]

/** Runs a Stripe report and prints its rows as they stream in (one CSV chunk in memory at a time). */
export async function printReport(
  stripe: StripeClient,
  params: ReportParams,
  options: RunReportOptions = {},
  print: (line: string) => void = console.log,
): Promise<number> {
  let count = 0
  for await (const row of runReport(stripe, params, {
    ...options,
    onRun: (run) => print(`report ${run.id} (${run.report_type}) succeeded; rows:`),
  })) {
    print(JSON.stringify(row))
    count++
  }
  print(`${count} rows`)
  return count
}

/**
 * `parameters` for a run over all the data a report type has: Stripe requires `interval_start` and
 * `interval_end`, within the type's `data_available_start` … `data_available_end`.
 */
export async function availableInterval(
  stripe: StripeClient,
  reportType: string,
): Promise<{ interval_start: number; interval_end: number }> {
  const type = await retrieveReportType(stripe, reportType)
  return { interval_start: type.data_available_start, interval_end: type.data_available_end }
}

/** What `deno task start` does: the balance summary over all available data. Returns the row count. */
export async function main(
  env: { get(name: string): string | undefined },
  print: (line: string) => void = console.log,
  options: RunReportOptions = {},
): Promise<number> {
  const stripe = clientFromEnv(env)
  const reportType = 'balance.summary.1'
  const parameters = await availableInterval(stripe, reportType)
  const iso = (t: number) => new Date(t * 1000).toISOString()
  print(`${reportType} from ${iso(parameters.interval_start)} to ${iso(parameters.interval_end)}`)
  return printReport(stripe, { report_type: reportType, parameters }, options, print)
}

/** A client from the environment: STRIPE_SECRET_KEY, and STRIPE_API_BASE for the emulator. */
export function clientFromEnv(env: { get(name: string): string | undefined }): StripeClient {
  const apiKey = env.get('STRIPE_SECRET_KEY')
  if (!apiKey) throw new Error('Set STRIPE_SECRET_KEY (sk_test_…).')
  const base = env.get('STRIPE_API_BASE')
  return createStripe({ apiKey, ...(base ? { baseURL: base, filesURL: base } : {}) })
}
