// The baseline: every domain's flows through the official `stripe` package against the in-process
// emulator server (memory store). The same flows run over `--persist DIR` and the Worker
// (official-flows-persist.test.ts, official-flows-worker.test.ts).
import { describe } from 'vitest'
import { type EmulatorServer, startEmulatorServer } from '../src/server.js'
import { testOfficialFlows } from './official-flows.js'

describe('official stripe SDK: every flow, in-process server (memory)', () => {
  let server: EmulatorServer
  testOfficialFlows({
    async start() {
      server = await startEmulatorServer({ port: 0 })
      return { url: server.url }
    },
    stop: () => server.close(),
  })
})
