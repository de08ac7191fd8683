// `@edgestripe/testing/worker` bundled (esbuild, from source) and run in workerd through Miniflare,
// driven from Node on 127.0.0.1: the Worker and its `EmulatorAccount` Durable Objects on SQLite.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'

const root = `${import.meta.dirname}/../../..`

export interface WorkerHarness {
  /** a working directory for the bundle (and persistence directories) */
  dir: string
  /** starts Miniflare on a free port; `persist`: the Durable Objects' storage directory */
  start(options?: { persist?: string; bindings?: Record<string, string> }): Promise<RunningWorker>
  /** stops every Miniflare still running and removes `dir` */
  close(): Promise<void>
}

export interface RunningWorker {
  mf: Miniflare
  url: URL
  stop(): Promise<void>
}

export async function bundleWorker(): Promise<WorkerHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'edgestripe-worker-'))
  const script = join(dir, 'worker.mjs')
  await build({
    entryPoints: [`${root}/packages/testing/src/worker.ts`],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    outfile: script,
    logLevel: 'silent',
    alias: { '@edgestripe/core': `${root}/packages/core/src/index.ts` },
  })
  const running = new Set<Miniflare>()
  return {
    dir,
    async start(options = {}) {
      const mf = new Miniflare({
        modules: true,
        scriptPath: script,
        modulesRoot: dir,
        compatibilityDate: '2025-09-01',
        durableObjects: { EMULATOR: { className: 'EmulatorAccount', useSQLite: true } },
        bindings: options.bindings ?? {},
        ...(options.persist ? { durableObjectsPersist: options.persist } : {}),
        host: '127.0.0.1',
        port: 0,
      })
      running.add(mf)
      const url = await mf.ready
      return {
        mf,
        url,
        async stop() {
          if (!running.delete(mf)) return
          await mf.dispose()
        },
      }
    },
    async close() {
      for (const mf of running) await mf.dispose()
      running.clear()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
