/// <reference types="node" />
// The bin's `CliIO`: process streams and environment, SIGINT/SIGTERM as the stop signal, the global
// fetch, node:fs for fixture files.
import { readFile } from 'node:fs/promises'
import type { CliIO } from './io.js'
import { sleep } from './io.js'

/** Node's IO for the commands; `dispose` removes the signal handlers. */
export function nodeIO(): { io: CliIO; dispose(): void } {
  const controller = new AbortController()
  const stop = () => controller.abort()
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  return {
    io: {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
      env: process.env,
      signal: controller.signal,
      fetch: globalThis.fetch,
      readFile: (path) => readFile(path, 'utf8'),
      sleep,
    },
    dispose() {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
    },
  }
}
