// Peers that install, as the READMEs print them: the packages packed with `pnpm pack`, then
// installed with npm (no --legacy-peer-deps) into fresh projects outside the repo, with the exact
// commands of
// - packages/opentelemetry/README.md (`npm install … @opentelemetry/api@~1.9.0
//   @opentelemetry/sdk-trace-base@2`): it must resolve, and a provider + in-memory exporter must
//   receive the plugin's span for a call against the emulator;
// - packages/core/README.md's Jest section (`npm install --save-dev jest …`, its jest.config.js
//   and test file, `NODE_OPTIONS=--experimental-vm-modules npx jest`): the test passes; and Jest's
//   default CommonJS mode fails as the README says.
// Needs `pnpm build` first (`npm test` runs it) and the npm registry (or its cache).
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'edgestripe-peers-'))
const tarballs = join(work, 'tgz')

interface Run {
  code: number
  stdout: string
  stderr: string
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(VITEST|NODE_ENV|NODE_OPTIONS|TEST$)/.test(key)))
    execFile(command, args, { cwd, env: { ...base, ...env }, maxBuffer: 64 << 20, timeout: 200_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
    })
  })
}
const output = (r: Run) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`.trim()

/** The fenced blocks of a README section (`## heading` up to the next `## `). */
function section(readme: string, heading: string): { lang: string; code: string }[] {
  const text = readFileSync(join(root, readme), 'utf8')
  const start = text.indexOf(`## ${heading}\n`)
  if (start === -1) throw new Error(`${readme} has no "## ${heading}"`)
  const end = text.indexOf('\n## ', start + 3)
  const body = text.slice(start, end === -1 ? undefined : end)
  return [...body.matchAll(/```(\w+)[^\n]*\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1] as string, code: m[2] as string }))
}

/** The `npm install …` line of a sh block, its @edgestripe packages replaced by their tarballs. */
function npmInstall(code: string): string[] {
  const line = code.split('\n').find((l) => /^npm install /.test(l))
  if (!line) throw new Error(`no npm install line in:\n${code}`)
  const args = line.replace(/#.*$/, '').trim().split(/\s+/).slice(2)
  const files = readdirSync(tarballs)
  return args.map((arg) => {
    const name = /^@edgestripe\/([a-z-]+)$/.exec(arg)?.[1]
    if (!name) return arg
    const file = files.find((f) => f.startsWith(`edgestripe-${name}-`))
    if (!file) throw new Error(`no tarball for ${arg}`)
    return join(tarballs, file)
  })
}

/** A fresh project with `"type": "module"` and every @edgestripe tarball available as a dependency. */
async function project(name: string, install: string[]): Promise<{ dir: string; installed: Run }> {
  const dir = join(work, name)
  mkdirSync(dir)
  // the @edgestripe packages the README's command names come from the tarballs; the ones they depend
  // on (core, for a domain package) too, so nothing is looked up on the registry under our names
  const ours = readdirSync(tarballs).map((f) => join(tarballs, f))
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name, private: true, type: 'module' }, null, 2)}\n`)
  const installed = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', ...install, ...ours.filter((f) => !install.includes(f))],
    dir,
  )
  return { dir, installed }
}

beforeAll(async () => {
  mkdirSync(tarballs)
  for (const name of ['core', 'opentelemetry', 'treasury', 'testing']) {
    const packed = await run('pnpm', ['pack', '--pack-destination', tarballs], join(root, 'packages', name))
    if (packed.code !== 0) throw new Error(`pnpm pack ${name}: ${output(packed)}`)
  }
}, 120_000)
afterAll(() => rmSync(work, { recursive: true, force: true }), 120_000)

describe('peer dependencies install as the READMEs print them (npm, no --legacy-peer-deps)', () => {
  it('@edgestripe/opentelemetry with @opentelemetry/sdk-trace-base@2: resolves, and the exporter gets the span', async () => {
    const readme = readFileSync(join(root, 'packages', 'opentelemetry', 'README.md'), 'utf8')
    const sh = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] as string
    const install = npmInstall(sh)
    expect(install).toContain('@opentelemetry/sdk-trace-base@2')
    const { dir, installed } = await project('otel', install)
    expect(installed.code, output(installed)).toBe(0)
    expect(installed.stderr).not.toMatch(/ERESOLVE|legacy-peer-deps/)
    const ls = await run('npm', ['ls', '--all'], dir)
    expect(ls.code, output(ls)).toBe(0) // no invalid or missing peer
    writeFileSync(
      join(dir, 'spans.mjs'),
      `import { createStripe } from '@edgestripe/core'
import { openTelemetry } from '@edgestripe/opentelemetry'
import { createEmulator } from '@edgestripe/testing'
import { createFinancialAccount } from '@edgestripe/treasury'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'

const exporter = new InMemorySpanExporter()
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
const emulator = createEmulator()
const stripe = createStripe({ apiKey: 'sk_test_123', fetch: emulator.fetch, plugins: [openTelemetry({ tracer: provider.getTracer('app') })] })
await createFinancialAccount(stripe, { supported_currencies: ['usd'] })
const [span] = exporter.getFinishedSpans()
console.log(JSON.stringify({ name: span?.name, requestId: span?.attributes['stripe.request_id'] }))
`,
    )
    const spans = await run('node', ['spans.mjs'], dir)
    expect(spans.code, output(spans)).toBe(0)
    expect(JSON.parse(spans.stdout)).toEqual({ name: 'POST /v1/treasury/financial_accounts', requestId: expect.stringMatching(/^req_/) })
  }, 300_000)

  it("Jest in ESM mode, as the core README's Jest section prints it; its default CommonJS mode fails as the README says", async () => {
    const blocks = section('packages/core/README.md', 'Jest')
    const sh = blocks.find((b) => b.lang === 'sh')?.code as string
    const { dir, installed } = await project('jest', npmInstall(sh))
    expect(installed.code, output(installed)).toBe(0)
    const js = blocks.filter((b) => b.lang === 'js')
    for (const block of js) {
      const name = /^\/\/ (\S+)/.exec(block.code)?.[1] as string
      expect(name).toMatch(/\.js$/)
      writeFileSync(join(dir, name), block.code)
    }
    const command = sh.split('\n').find((l) => /npx jest/.test(l)) as string
    const env = Object.fromEntries([...command.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1] as string, m[2] as string]))
    const jest = await run('npx', ['jest', 'stripe.test.js'], dir, env)
    expect(jest.code, output(jest)).toBe(0)
    expect(jest.stderr).toMatch(/Tests:\s+1 passed, 1 total/)
    // without NODE_OPTIONS, a CommonJS test that require()s the core: the error the README names
    writeFileSync(
      join(dir, 'require.test.cjs'),
      "const { createStripe } = require('@edgestripe/core')\ntest('cjs', () => expect(typeof createStripe).toBe('function'))\n",
    )
    const cjs = await run('npx', ['jest', 'require.test.cjs'], dir)
    expect(cjs.code).not.toBe(0)
    expect(output(cjs)).toMatch(/Must use import to load ES Module/)
  }, 300_000)
})
