// spec/ is the source of truth for the generator and every test; it is committed. This script
// refreshes it from Stripe's spec subsets in ../shared/stripe-openapi: the first cut (Sources,
// Treasury, Sigma, Reporting) and the second (`plugins/`: Financial Connections, Identity, Webhook
// Endpoints) merged into one document and one fixture file per date, structure only (no
// `description` prose), with Stripe's MIT notice in spec/LICENSE. Where the two cuts share a path,
// schema or fixture it must be the same object (a conflict throws). Never part of `npm test`:
//   pnpm spec:update   rewrite spec/ from ../shared (then `pnpm codegen`)
//   pnpm spec:check    exit 1 when spec/ differs from what ../shared would give; skipped (exit 0)
//                      when ../shared is absent, as in a plain clone
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { root, specDir } from './domains-spec'

export const sharedDir = join(root, '..', 'shared', 'stripe-openapi')
/** The cuts merged into spec/, in order (the first one's top-level fields win). */
const CUTS = ['', 'plugins']

/** Whether Stripe's spec cuts are beside the repo (they are not in a plain clone: spec/ is then the source). */
export const hasSharedSpec = (): boolean => CUTS.every((cut) => existsSync(join(sharedDir, cut, 'spec.subset.json')))

/** Drops every `description` string (Stripe's prose) and keeps everything else. */
export function stripProse(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripProse)
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, child] of Object.entries(value)) {
      if ((key === 'description' || key === 'termsOfService') && typeof child === 'string') continue
      out[key] = stripProse(child)
    }
    return out
  }
  return value
}

type Json = any

/** `a` with `b`'s keys added, sorted; a key in both must hold the same value. */
function union(a: Record<string, Json>, b: Record<string, Json>, what: string): Record<string, Json> {
  for (const key of Object.keys(b)) {
    if (key in a && JSON.stringify(a[key]) !== JSON.stringify(b[key])) throw new Error(`spec cuts disagree on ${what} ${key}`)
  }
  const all = { ...b, ...a }
  return Object.fromEntries(
    Object.keys(all)
      .sort()
      .map((key) => [key, all[key]]),
  )
}

const read = (cut: string, name: string): Json => JSON.parse(readFileSync(join(sharedDir, cut, name), 'utf8'))

export function copySpec(): Record<string, string> {
  const [first, ...rest] = CUTS.map((cut) => stripProse(read(cut, 'spec.subset.json')) as Json)
  const spec = structuredClone(first)
  for (const next of rest) {
    spec.paths = union(spec.paths, next.paths, 'path')
    spec.components.schemas = union(spec.components.schemas, next.components.schemas, 'schema')
  }
  const fixtures = (name: string) => {
    const [head, ...others] = CUTS.map((cut) => read(cut, name))
    for (const other of others) head.resources = union(head.resources, other.resources, `fixture (${name})`)
    return `${JSON.stringify(head, null, 2)}\n`
  }
  return {
    'spec.json': `${JSON.stringify(spec, null, 1)}\n`,
    'fixtures.json': fixtures('fixtures.subset.json'),
    'fixtures.latest.json': fixtures('fixtures.subset.latest.json'),
  }
}

/** Names of spec/ files that differ from what `from` would give. */
export function staleSpecFiles(): string[] {
  return Object.entries(copySpec())
    .filter(([name, text]) => !existsSync(join(specDir, name)) || readFileSync(join(specDir, name), 'utf8') !== text)
    .map(([name]) => name)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check')
  if (!hasSharedSpec()) {
    console.log(`spec: ${sharedDir} is absent; spec/ is the source of truth${check ? ' (check skipped)' : ''}.`)
    process.exit(check ? 0 : 1)
  }
  if (check) {
    const stale = staleSpecFiles()
    console.log(stale.length ? `spec/ differs from ../shared: ${stale.join(', ')} (run pnpm spec:update)` : 'spec/ matches ../shared.')
    process.exit(stale.length ? 1 : 0)
  }
  for (const [name, text] of Object.entries(copySpec())) writeFileSync(join(specDir, name), text)
  console.log('spec/ rewritten from ../shared; run pnpm codegen.')
}
