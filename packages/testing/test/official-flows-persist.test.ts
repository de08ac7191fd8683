// Every domain's flows through the official `stripe` package against `edgestripe-emulator --persist
// DIR` (the bin, a separate process, as a user runs it), with the process killed (SIGKILL) between
// the flows' halves and started again on the same DIR: each flow's second half finds its objects,
// balances, files, endpoints and secrets as they were, and goes on.
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe } from 'vitest'
import { startBin, stopChild } from './bin-process.js'
import { testOfficialFlows } from './official-flows.js'

const startPersistBin = (dir: string) => startBin(['--persist', dir])
const kill = (child: ChildProcess | undefined) => stopChild(child, 'SIGKILL')

describe('official stripe SDK: every flow over edgestripe-emulator --persist DIR, killed and restarted mid-way', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgestripe-flows-'))
  let child: ChildProcess | undefined
  testOfficialFlows({
    async start() {
      const started = await startPersistBin(dir)
      child = started.child
      return { url: started.url }
    },
    async restart() {
      await kill(child)
      const started = await startPersistBin(dir)
      child = started.child
      return { url: started.url }
    },
    async stop() {
      await kill(child)
      rmSync(dir, { recursive: true, force: true })
    },
  })
})
