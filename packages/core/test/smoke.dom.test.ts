// Smoke contract under happy-dom (window/document present, window.fetch): a real request to the
// 127.0.0.1 smoke server started by the project's globalSetup. The origin differs, so happy-dom
// sends a CORS preflight like a browser would.
import { afterAll, describe, expect, inject, it } from 'vitest'
import { smokeCases } from '../../../test-support/smoke-scenario'

describe('smoke (happy-dom)', () => {
  it('runs in a browser-like scope with happy-dom fetch', () => {
    expect(typeof window).toBe('object')
    expect(globalThis.fetch).toBe(window.fetch)
  })
  for (const { name, run } of smokeCases({ baseURL: inject('smokeURL'), dangerouslyAllowBrowser: true, browserLike: true }, expect)) {
    it(name, run)
  }
  afterAll(async () => {
    // The requests were cross-origin with an Authorization header: they must have been preflighted.
    const { preflights } = (await (await fetch(`${inject('smokeURL')}/__smoke/preflights`)).json()) as { preflights: number }
    expect(preflights).toBeGreaterThan(0)
  })
})
