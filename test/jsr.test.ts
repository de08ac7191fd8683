// JSR: every package has a jsr.json that matches its package.json, and `deno publish --dry-run`
// (run once over the Deno workspace in packages/deno.json, offline: npm dependencies come from
// node_modules) finds no problem in any package: no slow types, every import resolvable.
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../', import.meta.url))
const packagesDir = join(root, 'packages')
const packages = readdirSync(packagesDir).filter((name) => existsSync(join(packagesDir, name, 'package.json')))
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'))

let publish: { code: number; text: string }
beforeAll(async () => {
  publish = await new Promise((resolve) => {
    execFile(
      join(root, 'node_modules', '.bin', 'deno'),
      ['publish', '--dry-run', '--allow-dirty'],
      { cwd: packagesDir, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' }, maxBuffer: 64 << 20, timeout: 170_000 },
      (error, stdout, stderr) => resolve({ code: error ? 1 : 0, text: `${stdout}\n${stderr}` }),
    )
  })
}, 180_000)

describe('JSR', () => {
  it('packages/deno.json lists every package as a workspace member', () => {
    expect([...json(join(packagesDir, 'deno.json')).workspace].sort()).toEqual(packages.map((name) => `./${name}`).sort())
  })

  it.each(packages)('%s: jsr.json has the package.json name, version and license, and its entries as src/*.ts', (name) => {
    const pkg = json(join(packagesDir, name, 'package.json'))
    const jsr = json(join(packagesDir, name, 'jsr.json'))
    expect({ name: jsr.name, version: jsr.version, license: jsr.license }).toEqual({
      name: pkg.name,
      version: pkg.version,
      license: pkg.license,
    })
    // Node-only entries (a `node` condition and no `default`, e.g. @edgestripe/testing/server) stay off
    // JSR: type-checking them needs @types/node, which is no dependency of a JSR package.
    const entries = Object.fromEntries(
      Object.entries(pkg.exports as Record<string, string | { default?: string }>)
        .filter(([entry, target]) => entry !== './package.json' && typeof target === 'object' && target.default)
        .map(([entry, target]) => [
          entry,
          (target as { default: string }).default.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts'),
        ]),
    )
    expect(jsr.exports).toEqual(entries)
    expect(jsr.publish.include).toEqual(['src', 'README.md', 'LICENSE'])
  })

  it.each(packages)('%s: deno publish --dry-run reports no problem in it', (name) => {
    // Problems are reported as `error[kind]: …` then `--> /path/packages/<name>/…`.
    const problems = publish.text
      .split(/\n(?=error)/)
      .filter((block) => block.startsWith('error'))
      .filter((block) => block.includes(`/packages/${name}/`) || (block.startsWith('error:') && block.includes(`packages/${name}`)))
      .map((block) => block.split('\n').slice(0, 3).join(' ').replace(/\s+/g, ' '))
    expect(problems).toEqual([])
  })

  it('deno publish --dry-run succeeds for the whole workspace', () => {
    expect(publish.text).toContain('Success Dry run complete')
    expect(publish.code).toBe(0)
  })
})
