#!/usr/bin/env node
// Makes `npm run demo` and `npm test` work on a fresh machine with only Node and npm: installs
// pnpm 12 when absent, the workspace's dependencies when node_modules is missing or older than
// the lockfile, and (for the tests) Debian's Chromium when /usr/bin/chromium is absent and we are
// root. Then runs `pnpm run <script>`. Plain .mjs on purpose: it runs before anything is installed.
import { execSync, spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'

const [script, ...rest] = process.argv.slice(2)
const run = (command) => {
  console.log(`[bootstrap] ${command}`)
  execSync(command, { stdio: 'inherit' })
}
const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0

if (!has('pnpm')) run('npm install -g pnpm@12')
// better-sqlite3 (the emulator's --persist store) compiles on install: Node's headers from
// /usr/include/node rather than a download
if (!process.env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) process.env.npm_config_nodedir = '/usr'
const stamp = 'node_modules/.modules.yaml'
if (!existsSync(stamp) || statSync(stamp).mtimeMs < statSync('pnpm-lock.yaml').mtimeMs) {
  run('pnpm install --frozen-lockfile')
}
if (script?.startsWith('test') && !existsSync('/usr/bin/chromium')) {
  if (process.getuid?.() === 0 && has('apt-get')) {
    run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium')
  } else {
    console.error('[bootstrap] The browser tests need Chromium at /usr/bin/chromium: run `sudo apt-get install -y chromium`.')
    process.exit(1)
  }
}
const result = spawnSync('pnpm', ['run', script, ...rest], { stdio: 'inherit' })
process.exit(result.status ?? 1)
