// Fails when committed generated output differs from what `pnpm codegen` would write now. Reads
// only the repo: spec/ is the source of truth (comparing it with ../shared is `pnpm spec:check`, a
// separate step of .ci/run).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { stripProse } from './copy-spec'
import { GENERATED_DIRS, generateDomains } from './domains'
import { DOMAINS, root, specDir } from './domains-spec'
import { loadEmulatorDigest } from './index'

const committed = (path: string) => (existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : undefined)

describe('codegen output is up to date (run `pnpm codegen`)', () => {
  it('spec/spec.json keeps structure only (no description prose), as `pnpm spec:update` writes it', () => {
    const text = readFileSync(join(specDir, 'spec.json'), 'utf8')
    expect(text === `${JSON.stringify(stripProse(JSON.parse(text)), null, 1)}\n`).toBe(true)
  })

  const files = generateDomains()
  const generatedDirs = [...GENERATED_DIRS, 'packages/testing/src/generated']

  it.each(Object.keys(files))('%s', (path) => {
    expect(committed(path)).toBe(files[path])
  })

  it('every package with generated operations is declared (scripts/codegen/domain-declarations.ts)', () => {
    const generated = readdirSync(join(root, 'packages')).filter((name) =>
      existsSync(join(root, 'packages', name, 'src', 'generated', 'operations.ts')),
    )
    expect(generated.sort()).toEqual([...DOMAINS].sort())
  })

  it('is deterministic', () => {
    expect(generateDomains()).toEqual(files)
  })

  it('emulator digest (scripts/codegen/emulator.ts must export writeEmulatorDigest)', async () => {
    const emulator = await loadEmulatorDigest()
    expect(emulator, 'scripts/codegen/emulator.ts exports writeEmulatorDigest()').toBeTypeOf('function')
    const digest = emulator!()
    expect(Object.keys(digest).length).toBeGreaterThan(0)
    for (const [path, text] of Object.entries(digest)) expect(committed(path) === text, path).toBe(true)
  })

  it.each(generatedDirs)('%s has no extra files', async (dir) => {
    const emulator = await loadEmulatorDigest()
    const expected = { ...files, ...emulator?.() }
    expect(
      readdirSync(join(root, dir))
        .map((name) => `${dir}/${name}`)
        .sort(),
    ).toEqual(
      Object.keys(expected)
        .filter((path) => path.startsWith(`${dir}/`))
        .sort(),
    )
  })
})
