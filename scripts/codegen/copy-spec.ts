// spec/ is the source of truth for the generator and every test; it is committed. This script
// refreshes it from Stripe's spec subset in ../shared/stripe-openapi (structure only: no
// `description` prose, with Stripe's MIT notice in spec/LICENSE), and is never part of `npm test`:
//   pnpm spec:update   rewrite spec/ from ../shared (then `pnpm codegen`)
//   pnpm spec:check    exit 1 when spec/ differs from what ../shared would give; skipped (exit 0)
//                      when ../shared is absent, as in a plain clone
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
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

/** spec/'s files as they would be written from `from` (default ../shared/stripe-openapi). */
export function copySpec(from: string = sharedDir): Record<string, string> {
  const spec = JSON.parse(readFileSync(join(from, 'spec.subset.json'), 'utf8'))
  const files: Record<string, string> = {
    'spec.json': `${JSON.stringify(stripProse(spec), null, 1)}\n`,
    'fixtures.json': readFileSync(join(from, 'fixtures.subset.json'), 'utf8'),
    'fixtures.latest.json': readFileSync(join(from, 'fixtures.subset.latest.json'), 'utf8'),
  }
  return files
}

/** Names of spec/ files that differ from what `from` would give. */
export function staleSpecFiles(from: string = sharedDir): string[] {
  return Object.entries(copySpec(from))
    .filter(([name, text]) => !existsSync(join(specDir, name)) || readFileSync(join(specDir, name), 'utf8') !== text)
    .map(([name]) => name)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check')
  if (!existsSync(join(sharedDir, 'spec.subset.json'))) {
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
