// `pnpm bench`: builds the packages, then measures bundle sizes, per-call CPU and startup of the
// built packages against raw fetch and stripe-node, and writes BENCHMARKS.md.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { budgets, entries, measureBundle, root } from './bundle'
import { type SpeedRow, speed } from './speed'
import { coldStart, importTimes, STARTUP_ROUNDS } from './startup'

execFileSync('pnpm', ['build'], { cwd: root, stdio: 'inherit' })

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
  '| Worker | gzipped | minified | budget (target / fail above) | target met |',
  '|---|---|---|---|---|',
]
const reports = []
for (const name of Object.keys(entries) as (keyof typeof entries)[]) {
  const report = await measureBundle(name, entries[name])
  reports.push(report)
  const budget = budgets[name]
  lines.push(
    `| ${name} | ${kb(report.gzip)} (${report.gzip} B) | ${kb(report.minified)} | ${budget ? `${kb(budget[0])} / ${kb(budget[1])}` : '—'} | ${budget ? (report.gzip <= budget[0] ? 'yes' : `no (+${kb(report.gzip - budget[0])})`) : '—'} |`,
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
  lines.push(`| examples/${example} | ${kb(report.gzip)} (${report.gzip} B) | ${kb(report.minified)} | — | — |`)
}
lines.push('', '### Where the bytes go (minified bytes before gzip, by origin)', '')
for (const report of reports) {
  const parts = Object.entries(report.parts).sort((a, b) => b[1] - a[1])
  lines.push(`- **${report.name}**: ${parts.map(([part, bytes]) => `${part} ${bytes}`).join(', ')}`)
}
const { get, post } = await speed()
const loopback = await speed('loopback')
const table = (rows: SpeedRow[]) => {
  const raw = rows[0]!.medianMicros
  const official = rows[2]!.medianMicros
  return [
    '| call | median µs | best round µs | × raw fetch | × stripe-node |',
    '|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.name} | ${row.medianMicros.toFixed(1)} | ${row.minMicros.toFixed(1)} | ${(row.medianMicros / raw).toFixed(2)} | ${(row.medianMicros / official).toFixed(2)} |`,
    ),
  ]
}
lines.push(
  '',
  '## Per-call CPU',
  '',
  'The built packages (`dist/`), an in-memory `fetch` (no network), so this is what the client costs per request: building, validation (default: params checked, responses checked in `warn` mode), hooks, parsing. Rounds of 2000 calls, 9 rounds interleaved across the contenders after warm-up; medians. Targets (issue 18): ≤ 1.3× raw fetch (moonshot 1.15×); issue 9: ≤ 0.6× stripe-node.',
  '',
  '### GET retrieveSource',
  '',
  ...table(get),
  '',
  '### POST createOutboundPayment',
  '',
  ...table(post),
  '',
  "### Through Node's own `fetch` to a loopback server",
  '',
  "The same calls through Node's global `fetch` (undici) to a keep-alive HTTP server on 127.0.0.1 in a child process that answers from memory; CPU of the calling process only (the server's is not counted). Rounds of 300 calls, 9 interleaved rounds; medians.",
  '',
  '#### GET retrieveSource',
  '',
  ...table(loopback.get),
  '',
  '#### POST createOutboundPayment',
  '',
  ...table(loopback.post),
)
const imports = await importTimes()
const cold = await coldStart()
lines.push(
  '',
  '## Startup',
  '',
  `Each sample a fresh Node process; ${STARTUP_ROUNDS} rounds, each sampling both sides in alternating order; medians, and the ratio is the median of the per-round ratios.`,
  '',
  '| what | edgestripe | anchor | ratio |',
  '|---|---|---|---|',
  `| Node import of the built \`@edgestripe/core\` vs \`stripe\` (ms) | ${imports.core.toFixed(2)} | ${imports.stripe.toFixed(2)} | ${imports.ratio.toFixed(2)} |`,
  `| Cold start, bundled retrieveSource Worker vs raw-fetch Worker: whole process, first request answered (ms) | ${cold.wall.edgestripe.toFixed(1)} | ${cold.wall.raw.toFixed(1)} | ${cold.wall.ratio.toFixed(3)} |`,
  `| Same, module load + first request only (ms) | ${cold.inside.edgestripe.toFixed(2)} | ${cold.inside.raw.toFixed(2)} | ${cold.inside.ratio.toFixed(2)} |`,
)
lines.push(...(await (await import('./paginate')).paginateBench()))
lines.push(...(await (await import('./csv')).csvBench()))
lines.push(...(await (await import('./form')).formBench()))
lines.push(...(await import('./call-memory')).callMemorySection())
lines.push(...(await (await import('./emulator')).emulatorSection()))
lines.push(...(await (await import('./emulator-service')).emulatorServiceSection()))
lines.push(...(await (await import('./emulator-sqlite')).emulatorSqliteSection()))
lines.push('')
writeFileSync(join(root, 'BENCHMARKS.md'), lines.join('\n'))
console.log(lines.join('\n'))
