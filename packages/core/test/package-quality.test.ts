// Package quality for every package under packages/*:
// - built packages (a dist/ and package.json `exports`) pack cleanly: `publint --strict` reports
//   nothing and attw (`--profile esm-only`: the packages ship ESM only; `require()` of them works on
//   Node ≥ 20.19 through the `default` condition, see README) finds no problem;
// - publish metadata: LICENSE (the root's) and README in every package, the same metadata fields
//   everywhere (only name, description, keywords and the package's own directory differ), caret
//   ranges for runtime dependencies, `default` + `./package.json` exports, source and declaration
//   maps in dist/;
// - package code stays runtime-neutral: no `node:` imports, no `Buffer`, no `process` in src
//   (checked on the TypeScript AST, so comments and strings do not count), except in files only a
//   Node-only entry reaches (an export with a `node` condition and no neutral one, or a `bin`);
// - every package.json says `"sideEffects": false`.
// Packing uses npm (no network). Built packages come from `pnpm build`, which the root `test` script runs first.
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { publint } from 'publint'
import ts from 'typescript'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const packagesDir = join(root, 'packages')
const packages = readdirSync(packagesDir)
  .filter((name) => existsSync(join(packagesDir, name, 'package.json')))
  .map((name) => {
    const dir = join(packagesDir, name)
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>
    return { name, dir, pkg, built: existsSync(join(dir, 'dist')) && pkg.exports !== undefined }
  })

const run = promisify(execFile)
const work = mkdtempSync(join(tmpdir(), 'edgestripe-pack-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/**
 * `npm pack` (what `attw --pack` does; like pnpm pack it honours `files`, and it needs no network
 * or workspace state) → the tarball's path.
 */
async function pack(dir: string, name: string): Promise<string> {
  const dest = join(work, name)
  mkdirSync(dest, { recursive: true })
  await run('npm', ['pack', '--pack-destination', dest, '--ignore-scripts'], { cwd: dir })
  const tarball = readdirSync(dest).find((file) => file.endsWith('.tgz'))
  if (!tarball) throw new Error(`npm pack wrote no tarball for ${name}`)
  return join(dest, tarball)
}

interface AttwProblem {
  kind: string
  entrypoint?: string
  resolutionKind?: string
  [key: string]: unknown
}

async function attw(tarball: string): Promise<string[]> {
  const bin = join(root, 'node_modules', '.bin', 'attw')
  let stdout: string
  try {
    ;({ stdout } = await run(bin, [tarball, '--format', 'json', '--profile', 'esm-only', '--no-color'], { maxBuffer: 64 << 20 }))
  } catch (error) {
    // attw exits 1 when it finds problems; the JSON is still on stdout.
    stdout = String((error as { stdout?: unknown }).stdout ?? '')
    if (!stdout.trim()) throw error
  }
  const report = JSON.parse(stdout) as { analysis?: { problems?: AttwProblem[] }; problems?: AttwProblem[] }
  const problems = report.analysis?.problems ?? report.problems ?? []
  // esm-only: CommonJS resolution modes are out of scope, like attw's own profile filter.
  return problems.filter((p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs').map(describeProblem)
}

/** One readable line per attw problem. */
function describeProblem(p: AttwProblem): string {
  const at = [p.entrypoint, p.resolutionKind ?? p.resolutionOption].filter(Boolean).join(' ')
  const file = typeof p.fileName === 'string' ? ` in ${p.fileName.replace(/^\/node_modules\//, '')}` : ''
  const spec = typeof p.moduleSpecifier === 'string' ? ` → '${p.moduleSpecifier}'` : ''
  return `${p.kind}${at ? ` (${at})` : ''}${file}${spec}`
}

it('every package that exports files from dist/ has a build script (so `pnpm build` makes them)', () => {
  const exportsDist = (p: (typeof packages)[number]) => JSON.stringify(p.pkg.exports ?? {}).includes('./dist/')
  const unbuildable = packages
    .filter((p) => exportsDist(p) && !(p.pkg.scripts as Record<string, string> | undefined)?.build)
    .map((p) => p.name)
  expect(unbuildable).toEqual([])
})

it('every package with a build script has been built (run `pnpm build` first; `pnpm test` does)', () => {
  const unbuilt = packages.filter((p) => (p.pkg.scripts as Record<string, string> | undefined)?.build && !p.built).map((p) => p.name)
  expect(unbuilt).toEqual([])
})

describe.each(packages.filter((p) => p.built))('$name: packed package', ({ name, dir }) => {
  it('publint --strict: no errors, warnings or suggestions', async () => {
    const { messages } = await publint({ pkgDir: dir, pack: 'npm', level: 'suggestion', strict: true })
    expect(messages.map((m) => `${m.type} ${m.code} at ${m.path.join('.')} ${JSON.stringify(m.args)}`)).toEqual([])
  })

  it('attw (esm-only): no problems', async () => {
    expect(await attw(await pack(dir, name))).toEqual([])
  }, 60_000)
})

/** The publish metadata every package shares; `@name@` stands for the package's folder name. */
const SHARED_METADATA = {
  version: '0.1.0',
  license: 'MIT',
  author: 'edgestripe contributors',
  homepage: 'https://github.com/edgestripe/edgestripe/tree/main/packages/@name@#readme',
  repository: { type: 'git', url: 'git+https://github.com/edgestripe/edgestripe.git', directory: 'packages/@name@' },
  bugs: { url: 'https://github.com/edgestripe/edgestripe/issues' },
  engines: { node: '>=20' },
  type: 'module',
  sideEffects: false,
  files: ['dist', 'src', 'LICENSE', 'README.md'],
  main: './dist/index.js',
  types: './dist/index.d.ts',
  publishConfig: { access: 'public' },
}

describe.each(packages)('$name: publish metadata', ({ name, dir, pkg, built }) => {
  it('has the shared metadata fields, a description and keywords', () => {
    const expected = JSON.parse(JSON.stringify(SHARED_METADATA).replaceAll('@name@', name))
    expect(Object.fromEntries(Object.keys(expected).map((key) => [key, pkg[key]]))).toEqual(expected)
    expect(pkg.name).toBe(`@edgestripe/${name}`)
    expect(typeof pkg.description === 'string' && pkg.description.length > 20).toBe(true)
    expect(Array.isArray(pkg.keywords) && (pkg.keywords as string[]).includes('stripe')).toBe(true)
  })

  it('ships the root LICENSE (MIT + Stripe notice) and a README with a quick start', () => {
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(readFileSync(join(root, 'LICENSE'), 'utf8'))
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toContain('Copyright (c) 2011- Stripe, Inc.')
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(/```ts\n[\s\S]*@edgestripe\//)
  })

  it('exports: types + default (require() works on Node ≥ 20.19) for every entry (types + node for a Node-only one), and ./package.json', () => {
    const exports = pkg.exports as Record<string, unknown>
    expect(exports['./package.json']).toBe('./package.json')
    for (const [entry, target] of Object.entries(exports)) {
      if (entry === './package.json') continue
      expect(
        [
          ['types', 'default'],
          ['types', 'node'],
        ],
        entry,
      ).toContainEqual(Object.keys(target as object))
    }
  })

  it('runtime dependencies: caret ranges (workspace:^ inside the repo), so users get one shared copy', () => {
    const deps = { ...(pkg.dependencies as Record<string, string>), ...(pkg.peerDependencies as Record<string, string>) }
    expect(Object.entries(deps).filter(([, range]) => !/^(\^|workspace:\^)/.test(range))).toEqual([])
  })

  it.runIf(built)('dist/ has source maps and declaration maps for every module', () => {
    const js = readdirSync(join(dir, 'dist'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'))
    expect(js.length).toBeGreaterThan(0)
    // A module of import/export lines only (an index) has no code to map: Rollup writes no map.
    const hasCode = (file: string) => !/^(\s*(import|export) [^;]*;)*\s*$/.test(readFileSync(join(dir, 'dist', file), 'utf8'))
    const missing = js
      .flatMap((file) => [...(hasCode(file) ? [`${file}.map`] : []), file.replace(/\.js$/, '.d.ts.map')])
      .filter((file) => !existsSync(join(dir, 'dist', file)))
    expect(missing).toEqual([])
  })
})

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(m|c)?tsx?$/.test(entry) ? [path] : []
  })
}

/** `node:` module specifiers, `Buffer` and `process` references, found on the AST. */
function nodeOnlyUses(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const found: string[] = []
  const where = (node: ts.Node) => `${relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) && /^node:/.test(node.text)) {
      const parent = node.parent
      const isSpecifier =
        ts.isImportDeclaration(parent) ||
        ts.isExportDeclaration(parent) ||
        ts.isExternalModuleReference(parent) ||
        ts.isLiteralTypeNode(parent) ||
        (ts.isCallExpression(parent) &&
          (parent.expression.kind === ts.SyntaxKind.ImportKeyword ||
            (ts.isIdentifier(parent.expression) && parent.expression.text === 'require')))
      if (isSpecifier) found.push(`${where(node)} imports '${node.text}'`)
    }
    if (ts.isIdentifier(node) && (node.text === 'Buffer' || node.text === 'process')) {
      const parent = node.parent
      // `x.process` / `{ process: … }` are property names, not the Node globals.
      const isPropertyName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        ((ts.isPropertyAssignment(parent) ||
          ts.isPropertySignature(parent) ||
          ts.isMethodDeclaration(parent) ||
          ts.isPropertyDeclaration(parent)) &&
          parent.name === node)
      if (!isPropertyName) found.push(`${where(node)} uses ${node.text}`)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** `./dist/x.js` → `<dir>/src/x.ts` */
const srcOf = (dir: string, target: string) => join(dir, 'src', target.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'))

/** `target` strings of `exports`, split into Node-only ones (a `node` condition, no neutral one) and the rest. */
function entryFiles(dir: string, pkg: Record<string, unknown>): { neutral: string[]; node: string[] } {
  const neutral: string[] = []
  const node: string[] = []
  const exportsField = (pkg.exports ?? {}) as Record<string, string | Record<string, string>>
  for (const target of Object.values(exportsField)) {
    if (typeof target === 'string') neutral.push(srcOf(dir, target))
    else if (target.node && !['import', 'default', 'browser', 'worker', 'workerd', 'deno'].some((c) => c in target)) {
      node.push(srcOf(dir, target.node))
    } else neutral.push(...['import', 'default'].flatMap((c) => (target[c] ? [srcOf(dir, target[c] as string)] : [])))
  }
  const bin = pkg.bin
  for (const target of typeof bin === 'string' ? [bin] : Object.values((bin ?? {}) as Record<string, string>)) {
    node.push(srcOf(dir, target))
  }
  return { neutral, node }
}

/** The files `entries` reach through relative imports. */
function reach(entries: string[]): Set<string> {
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(file)) return
    seen.add(file)
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (fileName.startsWith('.')) visit(join(file, '..', fileName.replace(/\.js$/, '.ts')))
    }
  }
  for (const entry of entries) visit(entry)
  return seen
}

/**
 * Files only Node-only entries reach (`@edgestripe/testing/server`, its bin): they may use node:
 * built-ins. A file a neutral entry also reaches is neutral.
 */
function nodeOnlyFiles(dir: string, pkg: Record<string, unknown>): Set<string> {
  const { neutral, node } = entryFiles(dir, pkg)
  const shared = reach(neutral)
  return new Set([...reach(node)].filter((file) => !shared.has(file)))
}

describe('package code is runtime-neutral', () => {
  it.each(packages)('$name: "sideEffects": false in package.json', ({ pkg }) => {
    expect(pkg.sideEffects).toBe(false)
  })

  it.each(packages)('$name: no node: imports, Buffer or process in src (Node-only entries aside)', ({ dir, pkg }) => {
    const nodeOnly = nodeOnlyFiles(dir, pkg)
    expect(
      sourceFiles(join(dir, 'src'))
        .filter((file) => !nodeOnly.has(file))
        .flatMap(nodeOnlyUses),
    ).toEqual([])
  })

  it('only entries declared Node-only are exempt, and not what a neutral entry imports', () => {
    const dir = join(packagesDir, 'testing')
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>
    const exempt = [...nodeOnlyFiles(dir, pkg)].map((file) => relative(dir, file)).sort()
    // the bin's Stripe-CLI commands (src/cli/) are reached from the bin only
    const cli = [
      'commands',
      'emulator-api',
      'fixture-file',
      'fixtures',
      'flags',
      'io',
      'listen',
      'logs-tail',
      'node-io',
      'trigger-flows',
      'trigger',
    ]
    // --persist (better-sqlite3, node:fs) is reached from the server and the bin only
    expect(exempt).toEqual([
      'src/bin.ts',
      'src/cli.ts',
      ...cli.map((name) => `src/cli/${name}.ts`),
      'src/persist.ts',
      'src/persistent-emulator.ts',
      'src/server.ts',
      'src/state-file.ts',
    ])
    // a neutral entry that imported the server would make it neutral again (and fail the check above)
    expect(
      nodeOnlyFiles(dir, { exports: { '.': { import: './dist/server.js' } }, bin: './dist/bin.js' }).has(join(dir, 'src/server.ts')),
    ).toBe(false)
  })

  it('the checker itself catches each pattern', () => {
    const probe = join(work, 'probe.ts')
    writeFileSync(
      probe,
      [
        "import { readFile } from 'node:fs'",
        "const b = Buffer.from('x') // Buffer in a comment is fine",
        'const e = process.env.X',
        "const ok = { process: 1 }.process + ' process. Buffer node:fs'",
        "const d = import('node:path')",
      ].join('\n'),
    )
    expect(nodeOnlyUses(probe).map((s) => s.replace(/^.*:(\d+) /, '$1 '))).toEqual([
      "1 imports 'node:fs'",
      '2 uses Buffer',
      '3 uses process',
      "5 imports 'node:path'",
    ])
  })
})
