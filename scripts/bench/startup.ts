// Startup costs, each sample in a fresh Node process, samples interleaved:
// - Node import of the built `@edgestripe/core` vs the official `stripe` package;
// - cold start of a bundled Worker (the `retrieveSource` entry vs the same Worker written with raw
//   fetch): process start, module load and the first request answered (in-memory fetch), timed as
//   the whole process and as import + first request inside it.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { entries, root, workspacePackages } from './bundle'
import { median } from './median'

/** Runs `node -e code` in `cwd`; returns the number it prints and the process's wall time (ms). */
function sample(code: string, cwd = root): { inside: number; wall: number } {
  const start = performance.now()
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd, encoding: 'utf8' })
  return { inside: Number(out.trim()), wall: performance.now() - start }
}

/** Rounds per startup figure: each round samples both contenders, in alternating order. */
export const STARTUP_ROUNDS = 31

/** Runs `a` and `b` once per round, the first alternating; the samples of each. */
function paired<T>(rounds: number, a: () => T, b: () => T): { a: T[]; b: T[] } {
  const out = { a: [] as T[], b: [] as T[] }
  for (let i = 0; i < rounds; i++) {
    if (i % 2) {
      out.b.push(b())
      out.a.push(a())
    } else {
      out.a.push(a())
      out.b.push(b())
    }
  }
  return out
}

/** The median of the per-round ratios a/b: a slow stretch of the machine hits both sides of a round. */
const pairedRatio = (a: number[], b: number[]) => median(a.map((value, i) => value / b[i]!))

export async function importTimes(rounds = STARTUP_ROUNDS): Promise<{ core: number; stripe: number; ratio: number }> {
  const core = pathToFileURL(join(root, 'packages/core/dist/index.js')).href
  const timed = (specifier: string) =>
    `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t))`
  const { a: ours, b: theirs } = paired(
    rounds,
    () => sample(timed(core)).inside,
    () => sample(timed('stripe')).inside,
  )
  return { core: median(ours), stripe: median(theirs), ratio: pairedRatio(ours, theirs) }
}

const rawWorker = `
export default { async fetch(req: Request, env: { PK: string }) {
  const url = new URL(req.url)
  const response = await fetch('https://api.stripe.com/v1/sources/' + encodeURIComponent(url.searchParams.get('id')!) + '?client_secret=' + encodeURIComponent(url.searchParams.get('secret')!), {
    headers: { Authorization: 'Bearer ' + env.PK, 'Stripe-Version': '2024-04-10' },
  })
  const source = JSON.parse(await response.text())
  return Response.json({ status: source.status })
} }`

export interface ColdStart {
  /** Whole process, ms (medians; `ratio` the median per-round ratio). */
  wall: { edgestripe: number; raw: number; ratio: number }
  /** Import of the bundle + first request answered, ms (medians; `ratio` as above). */
  inside: { edgestripe: number; raw: number; ratio: number }
}

export async function coldStart(rounds = STARTUP_ROUNDS): Promise<ColdStart> {
  const dir = mkdtempSync(join(tmpdir(), 'edgestripe-cold-'))
  try {
    const bundle = async (name: string, contents: string) => {
      const file = join(dir, `${name}.mjs`)
      await build({
        stdin: { contents, resolveDir: root, loader: 'ts' },
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'neutral',
        target: 'es2022',
        conditions: ['workerd', 'worker', 'browser'],
        mainFields: ['module', 'main'],
        outfile: file,
        logLevel: 'silent',
        // the built packages
        plugins: [workspacePackages('dist')],
      })
      return pathToFileURL(file).href
    }
    const ours = await bundle('edgestripe', entries.retrieveSource)
    const raw = await bundle('raw', rawWorker)
    const source = JSON.stringify({ id: 'src_1', object: 'source', status: 'chargeable', client_secret: 'src_client_secret_1' })
    const run = (url: string) => `
const t = performance.now()
globalThis.fetch = async () => new Response(${JSON.stringify(source)}, { headers: { 'content-type': 'application/json' } })
const { default: worker } = await import(${JSON.stringify(url)})
const response = await worker.fetch(new Request('https://worker.example/?id=src_1&secret=src_client_secret_1'), { PK: 'pk_test_cold123' })
if ((await response.json()).status !== 'chargeable') throw new Error('cold start call failed')
process.stdout.write(String(performance.now() - t))`
    const { a: edgestripe, b: bare } = paired(
      rounds,
      () => sample(run(ours)),
      () => sample(run(raw)),
    )
    const figure = (key: 'wall' | 'inside') => {
      const a = edgestripe.map((s) => s[key])
      const b = bare.map((s) => s[key])
      return { edgestripe: median(a), raw: median(b), ratio: pairedRatio(a, b) }
    }
    return { wall: figure('wall'), inside: figure('inside') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// Kept for scripts that only want the figures: `tsx scripts/bench/startup.ts`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeFileSync(1, `${JSON.stringify({ imports: await importTimes(), cold: await coldStart() }, null, 2)}\n`)
}
