// Smoke contract in real Chromium (vitest browser mode): a real cross-origin request from the
// test page to the 127.0.0.1 smoke server started by the project's globalSetup (CORS preflight,
// exposed Request-Id).
import { afterAll, describe, expect, inject, it } from 'vitest'
import { smokeCases } from '../../../test-support/smoke-scenario'

describe('smoke (chromium)', () => {
  it('runs in a real browser', () => {
    expect(navigator.userAgent).toMatch(/Chrome\//)
    expect(new URL(inject('smokeURL')).origin).not.toBe(location.origin)
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
