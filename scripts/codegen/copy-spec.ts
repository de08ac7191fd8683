// Writes the project's copy of Stripe's spec subset: structure only (no `description` prose),
// with Stripe's MIT notice beside it. Run by `pnpm codegen`; spec/ is committed.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const sharedDir = join(root, '..', 'shared', 'stripe-openapi')
export const specDir = join(root, 'spec')

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

export function copySpec(): Record<string, string> {
  const spec = JSON.parse(readFileSync(join(sharedDir, 'spec.subset.json'), 'utf8'))
  const files: Record<string, string> = {
    'spec.json': `${JSON.stringify(stripProse(spec), null, 1)}\n`,
    'fixtures.json': readFileSync(join(sharedDir, 'fixtures.subset.json'), 'utf8'),
    'fixtures.latest.json': readFileSync(join(sharedDir, 'fixtures.subset.latest.json'), 'utf8'),
  }
  return files
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [name, text] of Object.entries(copySpec())) writeFileSync(join(specDir, name), text)
}
