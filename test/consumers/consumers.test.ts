// The packages as users get them: every package packed with `pnpm pack` (what `pnpm publish`
// uploads), installed with npm into a fresh project outside the repo, then used the way each kind
// of user does (fixtures in ./fixtures):
// (a) Node TypeScript, strict, skipLibCheck false, no @types/node, under node16 and bundler
//     resolution: 0 errors;
// (b) CommonJS: require() of every entry, then calls against the emulator;
// (c) a Cloudflare Worker bundled by `wrangler deploy --dry-run`;
// (d) Deno with npm: specifiers: `deno check`, then a run against the emulator over Deno.serve
//     (and `Deno.serve(options, emulator.fetch)` as it is, type-checked);
// (e) a Vite production build of a browser page.
// The tools are the repo's own (typescript, wrangler, deno, vite); only the packages come from the
// tarballs. Needs `pnpm build` first (`npm test` runs it) and the npm registry (or its cache) for
// the packages' dependencies.
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const bin = (name: string) => join(root, 'node_modules', '.bin', name)
const packages = readdirSync(join(root, 'packages')).filter((name) => existsSync(join(root, 'packages', name, 'package.json')))
const work = mkdtempSync(join(tmpdir(), 'edgestripe-consumers-'))
const app = join(work, 'app')

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs a command; resolves with its exit code and output whatever the code. */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    // A clean environment for the tools: none of vitest's own variables (NODE_ENV=test, VITEST…).
    const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(VITEST|NODE_ENV|NODE_OPTIONS|TEST$)/.test(key)))
    execFile(command, args, { cwd, env: { ...base, ...env }, maxBuffer: 64 << 20, timeout: 150_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
    })
  })
}

const output = (r: Run) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`.trim()

beforeAll(async () => {
  const tarballs = join(work, 'tgz')
  mkdirSync(tarballs)
  for (const name of packages) {
    const packed = await run('pnpm', ['pack', '--pack-destination', tarballs], join(root, 'packages', name))
    if (packed.code !== 0) throw new Error(`pnpm pack ${name}: ${output(packed)}`)
  }
  cpSync(join(root, 'test', 'consumers', 'fixtures'), app, { recursive: true })
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'edgestripe-consumer', private: true, type: 'module' }, null, 2)}\n`)
  const files = readdirSync(tarballs).map((file) => join(tarballs, file))
  // @opentelemetry/api: the optional peer dependency of @edgestripe/opentelemetry, as its users install it.
  // --omit=optional: better-sqlite3 (@edgestripe/testing's --persist store) would compile from source
  const installed = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=optional', ...files, '@opentelemetry/api@^1.9.0'],
    app,
  )
  if (installed.code !== 0) throw new Error(`npm install: ${output(installed)}`)
}, 240_000)
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('packed packages, installed with npm into a fresh project', () => {
  it.each(packages)('%s: the tarball has LICENSE, README, dist with maps, src; no scripts, no workspace: ranges', (name) => {
    const dir = join(app, 'node_modules', '@edgestripe', name)
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    expect(pkg.scripts).toBeUndefined()
    expect(JSON.stringify([pkg.dependencies, pkg.peerDependencies])).not.toContain('workspace:')
    for (const file of ['LICENSE', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/index.d.ts.map', 'src/index.ts']) {
      expect(existsSync(join(dir, file)), file).toBe(true)
    }
  })

  it.each(['node16', 'bundler'])(
    '(a) TypeScript, strict, skipLibCheck false, no @types/node, %s resolution: 0 errors',
    async (mode) => {
      const result = await run(
        process.execPath,
        [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', `tsconfig.${mode}.json`],
        app,
      )
      expect(output(result)).toBe('exit 0')
    },
    150_000,
  )

  it('(b) CommonJS: require() of every entry, then calls against the emulator', async () => {
    const result = await run(process.execPath, ['cjs/main.cjs'], app)
    expect(result.code, output(result)).toBe(0)
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '')).toEqual({
      account: true,
      requestId: 'string',
      reportTypes: true,
      runs: 'list',
      source: 'source',
      error: 404,
      schema: 'object',
      helpers: 'function',
      version: JSON.parse(readFileSync(join(root, 'packages', 'core', 'package.json'), 'utf8')).version,
      inspector: true,
    })
  }, 60_000)

  it('(c) a Cloudflare Worker: wrangler deploy --dry-run bundles it, with no Node built-in', async () => {
    const result = await run(bin('wrangler'), ['deploy', '--dry-run', '--outdir', 'out'], join(app, 'worker'), {
      WRANGLER_SEND_METRICS: 'false',
      CI: '1',
    })
    expect(result.code, output(result)).toBe(0)
    const bundle = readFileSync(join(app, 'worker', 'out', 'index.js'), 'utf8')
    expect(bundle).toContain('retrieveSource')
    expect(bundle).not.toMatch(/from\s*["']node:/)
  }, 120_000)

  describe('(d) Deno with npm: specifiers', () => {
    const deno = (args: string[]) => run(bin('deno'), args, join(app, 'deno'), { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' })

    it('deno check', async () => {
      expect(output(await deno(['check', 'main.ts']))).toMatch(/^exit 0/)
    }, 120_000)

    it('deno check: Deno.serve(options, emulator.fetch) as it is', async () => {
      expect(output(await deno(['check', 'serve.ts']))).toMatch(/^exit 0/)
    }, 120_000)

    it('deno run: the emulator on Deno.serve, the client over HTTP', async () => {
      const result = await deno(['run', '--allow-net=127.0.0.1', '--allow-read', 'main.ts'])
      expect(result.code, output(result)).toBe(0)
      expect(JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '')).toEqual({ same: true, status: 404 })
    }, 120_000)
  })

  it('(e) a Vite production build of a browser page', async () => {
    const result = await run(bin('vite'), ['build', '--logLevel', 'warn', '--outDir', 'dist', '.'], join(app, 'web'), {
      NODE_ENV: 'production',
    })
    expect(result.code, output(result)).toBe(0)
    const assets = readdirSync(join(app, 'web', 'dist', 'assets')).filter((file) => file.endsWith('.js'))
    expect(assets).toHaveLength(1)
    const js = readFileSync(join(app, 'web', 'dist', 'assets', assets[0] as string), 'utf8')
    expect(js).toContain('pk_test_123')
    expect(js).not.toMatch(/node:|process\.env/)
  }, 120_000)
})
