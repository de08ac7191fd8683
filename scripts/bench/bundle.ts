// Bundles a Worker entry the way a user's bundler would (esbuild, minified, worker conditions)
// and reports its gzipped size and what it is made of. Used by the size tests and `pnpm bench`.
import { existsSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build, type Plugin } from 'esbuild'
import { allOperationsWorker, singleCallWorkers } from './generated/domains'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * Resolves `@edgestripe/x[/y]` to the workspace: packages/x/src/(y or index).ts, or with `'dist'`
 * the build users get, packages/x/dist/(y or index).js.
 */
export function workspacePackages(from: 'src' | 'dist'): Plugin {
  return {
    name: `edgestripe-${from}`,
    setup(b) {
      b.onResolve({ filter: /^@edgestripe\// }, ({ path }) => {
        const [, name, sub] = /^@edgestripe\/([^/]+)(?:\/(.+))?$/.exec(path) ?? []
        const file = join(root, 'packages', name ?? '', from, `${sub ?? 'index'}.${from === 'src' ? 'ts' : 'js'}`)
        return existsSync(file) ? { path: file } : { errors: [{ text: `no ${file}${from === 'dist' ? ' (run pnpm build)' : ''}` }] }
      })
    },
  }
}

export interface BundleReport {
  name: string
  /** Bytes, minified. */
  minified: number
  /** Bytes, minified then gzip -9. */
  gzip: number
  /** Minified bytes by origin: `core`, a domain package's file, or an npm package. */
  parts: Record<string, number>
  /** The source files with bytes in the output, relative to the repository root. */
  files: string[]
  /** The bundle, minified. */
  code: string
}

function origin(file: string): string {
  const rel = relative(root, file)
  const npm = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(rel)
  if (npm) return npm[1]!
  const ours = /^packages\/([^/]+)\/src\/(.+)\.ts$/.exec(rel)
  if (ours) return ours[1] === 'core' ? 'core' : `${ours[1]}/${ours[2]}`
  return rel
}

/**
 * Bundles `source` (an ES module importing `@edgestripe/*` or npm packages) for a Worker, from the
 * packages' sources or (`from: 'dist'`) from their build.
 */
export async function measureBundle(name: string, source: string, from: 'src' | 'dist' = 'src'): Promise<BundleReport> {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'ts', sourcefile: `${name}.ts` },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'silent',
    // The Node example imports node:url; Node provides it, so it is not part of the bundle.
    external: ['node:*'],
    plugins: [workspacePackages(from)],
  })
  const code = result.outputFiles[0]!.contents
  const parts: Record<string, number> = {}
  const files: string[] = []
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [file, input] of Object.entries(output.inputs)) {
      if (!input.bytesInOutput) continue
      files.push(relative(root, join(root, file)))
      const key = origin(join(root, file))
      parts[key] = (parts[key] ?? 0) + input.bytesInOutput
    }
  }
  return { name, minified: code.length, gzip: gzipSync(code, { level: 9 }).length, parts, files, code: new TextDecoder().decode(code) }
}

/** The Worker entries the budgets are about. */
export const entries = {
  /** Issue 2: the core alone, one hand-made operation. */
  core: `
import { createStripe, defineOperation, request } from '@edgestripe/core'
import * as v from 'valibot'
const op = defineOperation({ operationId: 'GetThing', method: 'GET', path: '/v1/things/{thing}', params: v.strictObject({}), response: v.looseObject({ id: v.string() }), auth: 'secret' })
export default { async fetch(_req: Request, env: { KEY: string }) {
  const stripe = createStripe({ apiKey: env.KEY })
  return Response.json(await request(stripe, op, { path: { thing: 'x' } }))
} }`,
  /** Issue 3: poll one source with a publishable key. */
  retrieveSource: `
import { createStripe } from '@edgestripe/core'
import { retrieveSource } from '@edgestripe/sources'
export default { async fetch(req: Request, env: { PK: string }) {
  const url = new URL(req.url)
  const stripe = createStripe({ publishableKey: env.PK })
  const source = await retrieveSource(stripe, url.searchParams.get('id')!, { client_secret: url.searchParams.get('secret')! })
  return Response.json({ status: source.status })
} }`,
  /** Issue 3: every operation of every domain package (test helpers included); generated from the declarations. */
  allOperations: allOperationsWorker,
  /** The official SDK doing the same as `retrieveSource`, in its Worker build. */
  stripeNodeRetrieveSource: `
import Stripe from 'stripe'
export default { async fetch(req: Request, env: { PK: string }) {
  const url = new URL(req.url)
  const stripe = new Stripe(env.PK, { httpClient: Stripe.createFetchHttpClient() })
  const source = await stripe.sources.retrieve(url.searchParams.get('id')!, { client_secret: url.searchParams.get('secret')! })
  return Response.json({ status: source.status })
} }`,
  /** Per domain package, one call (its declared `sizeProbe`), keyed `<package>.<function>`; generated. */
  ...singleCallWorkers,
} as const

/**
 * Budgets, gzipped bytes: [target, fail above]. The targets are issue 18's for core (7 KB) and a
 * single call (8 KB; moonshot 7 KB) and issue 9's for allOperations (16 KB); none is met yet. The
 * fail lines sit ~1 % above the latest figures so that any growth fails; lower them as the core
 * shrinks.
 */
export const budgets: Partial<Record<keyof typeof entries, [number, number]>> = {
  // Lowered by issue 18's item 5 (measured 2026-12-07, ~1 % above): core 9.5 KB, retrieveSource
  // 10.5 KB (domain single calls 10.7 KB at most), allOperations 30.7 KB (valibot not imported by
  // the core's own code, shorter refusal texts, dead branches of _invalid removed).
  core: [7 * 1024, 9.6 * 1024],
  retrieveSource: [8 * 1024, 10.75 * 1024],
  allOperations: [16 * 1024, 31 * 1024],
}
// Each domain package's single call stays within the budget of a single Sources call.
for (const name of Object.keys(singleCallWorkers)) (budgets as Record<string, [number, number]>)[name] = budgets.retrieveSource!
