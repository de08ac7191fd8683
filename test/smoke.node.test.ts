// Smoke contract in Node: a real request to the 127.0.0.1 smoke server, started here (same process).
import { afterAll, describe, expect, it } from 'vitest'
import { smokeCases } from '../test-support/smoke-scenario'
import { startSmokeServer } from '../test-support/smoke-server'

const server = await startSmokeServer()
afterAll(server.close)

describe('smoke (node)', () => {
  for (const { name, run } of smokeCases({ baseURL: server.url, browserLike: false }, expect)) it(name, run)
})
