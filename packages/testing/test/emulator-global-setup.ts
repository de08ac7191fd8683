// The README's vitest `globalSetup` example, used as is by the node project (vitest.config.ts):
// one emulator over HTTP for the whole run, its URL handed to the tests with `provide`/`inject`.
import { startEmulatorServer } from '@edgestripe/testing/server'
import type { TestProject } from 'vitest/node'

export default async function setup(project: TestProject) {
  const server = await startEmulatorServer({ port: 0 })
  project.provide('stripeEmulatorURL', server.url)
  return () => server.close()
}

declare module 'vitest' {
  export interface ProvidedContext {
    stripeEmulatorURL: string
  }
}
