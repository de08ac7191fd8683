// `pnpm codegen`: from spec/ (the source of truth; `pnpm spec:update` refreshes it, see
// copy-spec.ts), writes the domain packages' src/generated/ (domains.ts) and, when
// scripts/codegen/emulator.ts provides it, the emulator's digest. All output is committed;
// scripts/codegen/codegen.test.ts fails when it is stale.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { generateDomains, writeDomains } from './domains'
import { type Json, loadSpec, root } from './domains-spec'

/** The emulator digest generator, when scripts/codegen/emulator.ts exists and exports one. */
export async function loadEmulatorDigest(): Promise<((spec?: Json) => Record<string, string>) | undefined> {
  if (!existsSync(join(root, 'scripts', 'codegen', 'emulator.ts'))) return undefined
  const mod: { writeEmulatorDigest?: (spec?: Json) => Record<string, string> } = await import('./emulator')
  return typeof mod.writeEmulatorDigest === 'function' ? mod.writeEmulatorDigest : undefined
}

export async function main(): Promise<void> {
  // The spec is read and merged once; neither generator changes it.
  const spec = loadSpec()
  writeDomains(generateDomains(spec))
  const emulator = await loadEmulatorDigest()
  if (emulator) {
    const files = emulator(spec)
    // Stale files in the emulator's generated/ directories go, as writeDomains does for the domains.
    for (const dir of new Set(Object.keys(files).map(dirname))) {
      if (!existsSync(join(root, dir))) continue
      for (const name of readdirSync(join(root, dir))) if (!files[`${dir}/${name}`]) rmSync(join(root, dir, name))
    }
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true })
      writeFileSync(join(root, path), text)
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
