// Writes the project's copy of Stripe's spec subsets: the first cut (Sources, Treasury, Sigma,
// Reporting) and the second (`plugins/`: Financial Connections, Identity, Webhook Endpoints)
// merged into one document and one fixture file per date, structure only (no `description`
// prose), with Stripe's MIT notice beside them (spec/LICENSE). Run by `pnpm codegen`; spec/ is
// committed and is what every test reads. Where the two cuts share a path, schema or fixture it
// must be the same object (Stripe's README for the second cut says so; a conflict throws).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const sharedDir = join(root, '..', 'shared', 'stripe-openapi')
export const specDir = join(root, 'spec')
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

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [name, text] of Object.entries(copySpec())) writeFileSync(join(specDir, name), text)
}
