// Every domain's flows through the official `stripe` package against `edgestripe-emulator --persist
// DIR` (the bin, a separate process, as a user runs it), with the process killed (SIGKILL) between
// the flows' halves and started again on the same DIR: each flow's second half finds its objects,
// balances, files, endpoints and secrets as they were, and goes on.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe } from 'vitest'
import { testOfficialFlows } from './official-flows.js'

const root = `${import.meta.dirname}/../../..`

/** The bin from source (as `pnpm emulator` runs it) on a free port; resolves with its URL. */
function startBin(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn('node', ['--import', 'tsx', `${root}/packages/testing/src/bin.ts`, '--persist', dir, '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let out = ''
    const onData = (chunk: unknown) => {
      out += chunk
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (match && out.includes('Clock:')) resolve({ child, url: match[1] as string })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}: ${out}`)))
  })
}

function kill(child: ChildProcess | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve()
    child.on('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

describe('official stripe SDK: every flow over edgestripe-emulator --persist DIR, killed and restarted mid-way', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgestripe-flows-'))
  let child: ChildProcess | undefined
  testOfficialFlows({
    async start() {
      const started = await startBin(dir)
      child = started.child
      return { url: started.url }
    },
    async restart() {
      await kill(child)
      const started = await startBin(dir)
      child = started.child
      return { url: started.url }
    },
    async stop() {
      await kill(child)
      rmSync(dir, { recursive: true, force: true })
    },
  })
})
