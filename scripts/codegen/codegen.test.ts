// Fails when committed generated output differs from what `pnpm codegen` would write now.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { copySpec, specDir } from './copy-spec'
import { generateDomains } from './domains'
import { DOMAINS, root } from './domains-spec'
import { loadEmulatorDigest } from './index'

const committed = (path: string) => (existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : undefined)

describe('codegen output is up to date (run `pnpm codegen`)', () => {
  it('spec/ (copySpec)', () => {
    for (const [name, text] of Object.entries(copySpec()))
      expect(readFileSync(join(specDir, name), 'utf8') === text, `spec/${name}`).toBe(true)
  })

  const files = generateDomains()

  it.each(Object.keys(files))('%s', (path) => {
    expect(committed(path)).toBe(files[path])
  })

  it.each(DOMAINS)('packages/%s/src/generated has no extra files', (domain) => {
    const dir = `packages/${domain}/src/generated`
    expect(
      readdirSync(join(root, dir))
        .map((name) => `${dir}/${name}`)
        .sort(),
    ).toEqual(
      Object.keys(files)
        .filter((path) => path.startsWith(`${dir}/`))
        .sort(),
    )
  })

  it('is deterministic', () => {
    expect(generateDomains()).toEqual(files)
  })

  it('emulator digest (when scripts/codegen/emulator.ts provides one)', async () => {
    const emulator = await loadEmulatorDigest()
    if (!emulator) return
    for (const [path, text] of Object.entries(emulator())) expect(committed(path) === text, path).toBe(true)
  })
})
