// Every domain's flows through the official `stripe` package against `@edgestripe/testing/worker`
// in workerd (Miniflare, Durable Objects on SQLite, persistence on), with Miniflare disposed and
// started again on the same storage between the flows' halves.
import { join } from 'node:path'
import { beforeAll, describe } from 'vitest'
import { bundleWorker, type RunningWorker, type WorkerHarness } from './miniflare-worker.js'
import { testOfficialFlows } from './official-flows.js'

describe('official stripe SDK: every flow over the Worker in Miniflare, restarted mid-way with persistence on', () => {
  let harness: WorkerHarness
  let worker: RunningWorker
  beforeAll(async () => {
    harness = await bundleWorker()
  }, 60_000)
  const persist = () => join(harness.dir, 'durable-objects')
  testOfficialFlows({
    async start() {
      worker = await harness.start({ persist: persist() })
      return { url: worker.url.origin }
    },
    async restart() {
      await worker.stop()
      worker = await harness.start({ persist: persist() })
      return { url: worker.url.origin }
    },
    stop: () => harness.close(),
  })
})
