// examples/deno's tasks under this repo's pnpm install, where `deno` on a task's PATH is pnpm's shell
// shim in node_modules/.bin (which `deno task` would run as JavaScript): `deno task start` reaches
// main.ts. (`deno task test` runs in `pnpm test:deno`.)
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('../', import.meta.url))

it('deno task start runs main.ts (no key: its own error, exit 1)', async () => {
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' }
    delete env.STRIPE_SECRET_KEY
    execFile(
      join(root, 'node_modules', '.bin', 'deno'),
      ['task', 'start'],
      { cwd: join(root, 'examples', 'deno'), env, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, output: `${stdout}${stderr}` }),
    )
  })
  expect(output).toContain('Set STRIPE_SECRET_KEY')
  expect(output).not.toContain('SyntaxError')
  expect(code).toBe(1)
}, 60_000)
