// `wrangler deploy --dry-run` bundles the emulator Worker of wrangler.jsonc (offline): the Worker and
// its Durable Object class from the built `@edgestripe/testing/worker`, with no Node built-in and
// never better-sqlite3 (the Node-only `--persist` store).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'

const here = join(import.meta.dirname, '..')
const root = join(here, '..', '..')

it('wrangler deploy --dry-run bundles the Worker and its EmulatorAccount Durable Object', () => {
  expect(existsSync(join(root, 'packages/testing/dist/worker.js')), 'build @edgestripe/testing first (pnpm build; pnpm test does)').toBe(
    true,
  )
  const out = mkdtempSync(join(tmpdir(), 'edgestripe-emulator-worker-'))
  try {
    const result = spawnSync(join(root, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', out], {
      cwd: here,
      encoding: 'utf8',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1' },
    })
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0)
    expect(result.stdout).toMatch(/env\.EMULATOR \(EmulatorAccount\)\s+Durable Object/)
    const bundle = readFileSync(join(out, 'index.js'), 'utf8')
    expect(bundle).toMatch(/EmulatorAccount = class/)
    expect(bundle).toContain('transactionSync')
    expect(bundle).not.toMatch(/from\s*["']node:|better-sqlite3/)
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}, 120_000)
