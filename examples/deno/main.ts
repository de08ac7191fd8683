// deno task start — prints the balance summary report over all available data (the interval comes
// from the report type's data_available_start / data_available_end).
import { main } from './report.ts'

declare const Deno: { env: { get(name: string): string | undefined }; exit(code: number): never }

try {
  await main(Deno.env)
} catch (error) {
  console.error(String(error))
  Deno.exit(1)
}
