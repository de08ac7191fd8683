/// <reference types="@cloudflare/vitest-plugin/types" />
// Smoke contract inside real workerd (@cloudflare/vitest-plugin), three ways:
// 1. the global fetch of workerd to the 127.0.0.1 smoke server started by globalSetup (its URL
//    reaches the Worker as the SMOKE_URL binding and through vitest's inject);
// 2. `SELF.fetch` as the client's transport: a real service-binding round trip to the Worker under
//    test (test/workerd/worker.ts), which serves the same smoke handler;
// 3. the smoke handler in process as the client's `fetch`.
import { env, SELF } from 'cloudflare:test'
import { describe, expect, inject, it } from 'vitest'
import { smokeHandler } from '../../../test-support/smoke-handler'
import { smokeCases } from '../../../test-support/smoke-scenario'
import { createStripe } from '../src'

const { SMOKE_URL } = env as unknown as { SMOKE_URL: string }

describe('smoke (workerd)', () => {
  it('runs in workerd', () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers')
    expect(SMOKE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(inject('smokeURL')).toBe(SMOKE_URL)
  })

  it('is not taken for a browser worker: a secret key is accepted (browser guard)', () => {
    // workerd exposes WorkerGlobalScope (as browsers' workers do): the guard must tell them apart.
    expect(typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope).toBe('function')
    expect(createStripe({ apiKey: 'sk_test_workerd1234' }).config.keyKind).toBe('secret')
  })

  it('reaches the Node server on 127.0.0.1 from inside workerd', async () => {
    const response = await fetch(`${SMOKE_URL}/v1/nowhere`, { headers: { 'Stripe-Version': '2024-04-10' } })
    expect(response.headers.get('smoke-server')).toBe('node-http')
    expect(response.status).toBe(401)
    await response.body?.cancel()
  })

  describe('global fetch → 127.0.0.1 server', () => {
    for (const { name, run } of smokeCases({ baseURL: SMOKE_URL, browserLike: false }, expect)) it(name, run)
  })

  describe('SELF.fetch → Worker under test', () => {
    const fetch: typeof globalThis.fetch = (input, init) => SELF.fetch(new Request(input, init))
    for (const { name, run } of smokeCases({ baseURL: 'https://smoke.example', fetch, browserLike: false }, expect)) it(name, run)
  })

  describe('in-process fetch handler', () => {
    const fetch: typeof globalThis.fetch = async (input, init) => smokeHandler(new Request(input, init))
    for (const { name, run } of smokeCases({ baseURL: 'https://smoke.example', fetch, browserLike: false }, expect)) it(name, run)
  })
})
