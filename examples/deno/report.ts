import { createStripe, type StripeClient } from '@edgestripe/core'
import { type RunReportOptions, runReport } from '@edgestripe/reporting'

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

/** A client from the environment: STRIPE_SECRET_KEY, and STRIPE_API_BASE for the emulator. */
export function clientFromEnv(env: { get(name: string): string | undefined }): StripeClient {
  const apiKey = env.get('STRIPE_SECRET_KEY')
  if (!apiKey) throw new Error('Set STRIPE_SECRET_KEY (sk_test_…).')
  const base = env.get('STRIPE_API_BASE')
  return createStripe({ apiKey, ...(base ? { baseURL: base, filesURL: base } : {}) })
}
