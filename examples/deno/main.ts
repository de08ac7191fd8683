// deno task start — prints the balance summary report over all available data.
import { clientFromEnv, printReport } from './report.ts'

declare const Deno: { env: { get(name: string): string | undefined }; exit(code: number): never }

const stripe = clientFromEnv(Deno.env)
try {
  await printReport(stripe, { report_type: 'balance.summary.1' })
} catch (error) {
  console.error(String(error))
  Deno.exit(1)
}
