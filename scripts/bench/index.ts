// `pnpm bench`: measures bundle sizes and per-call overhead and writes BENCHMARKS.md.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { budgets, entries, measureBundle, root } from './bundle'
import { speed } from './speed'

const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`
const lines: string[] = [
  '# Benchmarks',
  '',
  `Written by \`pnpm bench\` (scripts/bench/index.ts); do not edit by hand. Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '## Bundle size',
  '',
  'Each entry is a Cloudflare Worker bundled by esbuild (`--bundle --minify --format=esm --platform=neutral --conditions=workerd,worker,browser`), then `gzip -9`. The official `stripe` package (23.1.0, its Worker build) is measured in the same run. Budgets are enforced by `test/bundle-size.test.ts`.',
  '',
  '| Worker | gzipped | minified | budget (target / fail above) |',
  '|---|---|---|---|',
]
const reports = []
for (const name of Object.keys(entries) as (keyof typeof entries)[]) {
  const report = await measureBundle(name, entries[name])
  reports.push(report)
  const budget = budgets[name]
  lines.push(
    `| ${name} | ${kb(report.gzip)} (${report.gzip} B) | ${kb(report.minified)} | ${budget ? `${kb(budget[0])} / ${kb(budget[1])}` : '—'} |`,
  )
}
const examples = join(root, 'examples')
for (const example of existsSync(examples) ? readdirSync(examples) : []) {
  const entry = ['src/index.ts', 'src/worker.ts', 'src/main.ts', 'main.ts', 'index.ts', 'treasury-flow.ts']
    .map((f) => join(examples, example, f))
    .find(existsSync)
  if (!entry) continue
  const report = await measureBundle(
    `example ${example}`,
    readFileSync(entry, 'utf8').replace(/from '\.\//g, `from '${join(entry, '..')}/`),
  )
  reports.push(report)
  lines.push(`| examples/${example} | ${kb(report.gzip)} (${report.gzip} B) | ${kb(report.minified)} | — |`)
}
lines.push('', '### Where the bytes go (minified bytes before gzip, by origin)', '')
for (const report of reports) {
  const parts = Object.entries(report.parts).sort((a, b) => b[1] - a[1])
  lines.push(`- **${report.name}**: ${parts.map(([part, bytes]) => `${part} ${bytes}`).join(', ')}`)
}
lines.push(
  '',
  '## Per-call overhead',
  '',
  'In-memory `fetch` (no network), so this is what the client costs per request: encoding, validation, hooks, parsing. Median of 5 rounds × 3000 calls after warm-up, microseconds per call.',
  '',
  '| call | median µs | best round µs |',
  '|---|---|---|',
)
for (const row of await speed()) lines.push(`| ${row.name} | ${row.medianMicros.toFixed(1)} | ${row.minMicros.toFixed(1)} |`)
lines.push(...(await (await import('./emulator')).emulatorSection()))
lines.push('')
writeFileSync(join(root, 'BENCHMARKS.md'), lines.join('\n'))
console.log(lines.join('\n'))
