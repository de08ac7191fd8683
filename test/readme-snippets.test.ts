// Every ```ts block of every README (root, packages/*, examples/*) typechecks against the
// packages' sources, and the blocks fenced ```ts run also run against the emulator (served over
// HTTP on 127.0.0.1; the README's `http://127.0.0.1:12180`, the bin's default, is pointed at it;
// a block that exports a Worker gets one request, with the emulator as its STRIPE_API_BASE).
//
// A block is a module of its own. Names it uses but does not define (a block shows one step, and
// `stripe`, `env` or `request` come from the step before) are declared for it: the ones below with
// their real types, an export of an @edgestripe package by importing it; any other name fails the
// test, so a snippet cannot lean on an undeclared `any`.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmulatorServer, startEmulatorServer } from '../scripts/emulator-server'
import { allSnippets, root, type Snippet } from './readme-snippets'

/** Names a step of a README may take from the step before, with their types. */
const GIVEN: Record<string, string> = {
  stripe: "import('@edgestripe/core').StripeClient",
  client: "import('@edgestripe/core').StripeClient",
  local: "import('@edgestripe/core').StripeClient",
  emulator: "ReturnType<typeof import('@edgestripe/testing').createEmulator>",
  env: '{ STRIPE_SECRET_KEY: string; STRIPE_WEBHOOK_SECRET: string; KV: { put(key: string, value: string): Promise<void> } }',
  request: 'Request',
  body: 'string',
  signature: 'string | null',
  secret: 'string',
  apiKey: 'string',
  publishableKey: 'string',
  client_secret: 'string',
  interval_start: 'number',
  interval_end: 'number',
  show: '(status: string) => void',
  metrics: '{ record(operationId: string, ms: number, attempts: number): void }',
  traceId: '() => string',
  myFetch: 'typeof fetch',
  // an ofetch `onRequest` hook
  addTracing: '(context: { options: { headers: Headers } }) => void',
  Deno: `{
    env: { get(name: string): string | undefined }
    serve(options: { hostname?: string; port?: number }, handler: (request: Request) => Response | Promise<Response>): unknown
  }`,
}

const snippets = allSnippets()
/**
 * Where a block is checked: next to its README, so it resolves npm packages as that package does
 * (the root README's and the examples' from packages/core, which has the optional peers).
 */
const file = (s: Snippet) => {
  const pkg = /^packages\/([a-z-]+)\//.exec(s.where)?.[1] ?? 'core'
  return join(root, 'packages', pkg, '.snippets', s.name)
}

/** Type-checks all blocks in one program; returns each block's errors (after declaring its given names). */
function typecheck(): Map<string, { errors: string[]; declared: string[] }> {
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile)
  const options: ts.CompilerOptions = {
    ...ts.parseJsonConfigFileContent(config.config, ts.sys, root).options,
    noEmit: true,
    moduleDetection: ts.ModuleDetectionKind.Force,
    noUnusedLocals: false,
  }
  const sources = new Map<string, string>(snippets.map((s) => [file(s), s.code]))
  const host = ts.createCompilerHost(options)
  const read = host.readFile.bind(host)
  host.readFile = (name) => sources.get(name) ?? read(name)
  host.fileExists = (name) => sources.has(name) || ts.sys.fileExists(name)
  const getSource = host.getSourceFile.bind(host)
  host.getSourceFile = (name, version) => {
    const text = sources.get(name)
    return text === undefined ? getSource(name, version) : ts.createSourceFile(name, text, version, true)
  }
  const program = () => ts.createProgram([...sources.keys(), join(root, 'packages', 'core', 'src', 'index.ts')], options, host)

  // pass 1: which names each block uses without defining them
  const first = program()
  const checker = first.getTypeChecker()
  const exported = new Map<string, string>() // name → @edgestripe/<pkg> that exports it
  for (const pkg of [
    'core',
    'testing',
    'sources',
    'treasury',
    'sigma',
    'reporting',
    'financial-connections',
    'identity',
    'webhook-endpoints',
  ]) {
    const sf =
      first.getSourceFile(join(root, 'packages', pkg, 'src', 'index.ts')) ??
      program().getSourceFile(join(root, 'packages', pkg, 'src', 'index.ts'))
    const symbol = sf && checker.getSymbolAtLocation(sf)
    if (symbol) for (const e of checker.getExportsOfModule(symbol)) if (!exported.has(e.name)) exported.set(e.name, `@edgestripe/${pkg}`)
  }
  const missing = new Map<string, Set<string>>()
  for (const s of snippets) {
    const names = new Set<string>()
    for (const d of first.getSemanticDiagnostics(first.getSourceFile(file(s)))) {
      if (![2304, 2552, 2582, 18004].includes(d.code)) continue
      const name = /(?:Cannot find name|shorthand property) '([^']+)'/.exec(ts.flattenDiagnosticMessageText(d.messageText, '\n'))?.[1]
      if (name) names.add(name)
    }
    missing.set(s.name, names)
  }

  // pass 2: the given names declared, package exports imported
  const result = new Map<string, { errors: string[]; declared: string[] }>()
  const unknown = new Map<string, string[]>()
  for (const s of snippets) {
    const names = [...(missing.get(s.name) ?? [])].sort()
    const lines: string[] = []
    const bad: string[] = []
    for (const name of names) {
      if (GIVEN[name]) lines.push(`declare const ${name}: ${GIVEN[name]}`)
      else if (exported.has(name)) lines.push(`import { ${name} } from '${exported.get(name)}'`)
      else bad.push(name)
    }
    unknown.set(s.name, bad)
    sources.set(file(s), `${s.code}\n${lines.join('\n')}\n`)
    result.set(s.name, { errors: bad.map((n) => `uses ${n}, which it neither defines nor imports`), declared: names })
  }
  const second = program()
  for (const s of snippets) {
    const sf = second.getSourceFile(file(s)) as ts.SourceFile
    const diagnostics = [...second.getSyntacticDiagnostics(sf), ...second.getSemanticDiagnostics(sf)]
    const entry = result.get(s.name) as { errors: string[] }
    for (const d of diagnostics) {
      if ((unknown.get(s.name) ?? []).some((n) => ts.flattenDiagnosticMessageText(d.messageText, '\n').includes(`'${n}'`))) continue
      const line = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line + 1
      entry.errors.push(`line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
    }
  }
  return result
}

let checked: Map<string, { errors: string[]; declared: string[] }>
let server: EmulatorServer

beforeAll(async () => {
  checked = typecheck()
  server = await startEmulatorServer({ port: 0 })
}, 120_000)

afterAll(async () => {
  await server?.close()
  for (const s of snippets) rmSync(dirname(file(s)), { recursive: true, force: true })
})

describe('README code blocks', () => {
  it('finds the blocks of every README, runnable ones among them', () => {
    const where = new Set(snippets.map((s) => s.where.split(':')[0]))
    for (const readme of ['README.md', 'packages/core/README.md', 'packages/testing/README.md', 'packages/treasury/README.md'])
      expect(where).toContain(readme)
    expect(snippets.length).toBeGreaterThan(20)
    expect(snippets.filter((s) => s.run).length).toBeGreaterThanOrEqual(3)
  })

  it.each(snippets.map((s) => [s.where, s] as const))('%s typechecks', (_, s) => {
    expect(checked.get(s.name)?.errors).toEqual([])
  })

  const runnable = snippets.filter((s) => s.run)
  it.each(runnable.map((s) => [s.where, s] as const))('%s runs against the emulator', async (_, s) => {
    mkdirSync(dirname(file(s)), { recursive: true })
    const code = s.code.replaceAll('http://127.0.0.1:12180', server.url.replace(/\/$/, ''))
    writeFileSync(file(s), code)
    const module = (await import(/* @vite-ignore */ file(s))) as { default?: { fetch?: unknown } }
    // A Worker (a default export with `fetch`): one request, with the emulator as its API host.
    if (typeof module.default?.fetch === 'function') {
      const fetch = module.default.fetch as (request: Request, env: Record<string, string>) => Promise<Response>
      const response = await fetch(new Request('https://worker.example/'), {
        STRIPE_SECRET_KEY: 'sk_test_readme',
        STRIPE_API_BASE: server.url,
      })
      expect(response.status, await response.clone().text()).toBe(200)
    }
  })
})
