// Issue 8.8: a secret key is refused wherever a page's users could read it — a window, or a
// browser's dedicated, shared or service worker (no window/document) — and accepted on the server
// runtimes, Cloudflare Workers, Deno (main and workers), Bun and Node. Globals are simulated here;
// smoke.workerd.test.ts asserts the same in real workerd, smoke.dom/browser in happy-dom/Chromium.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createStripe, StripeConfigurationError } from '../src'

class WorkerGlobalScope {}
const importScripts = () => {}

/** Each scope: the globals that make it, and whether a secret key must be refused there. */
const scopes: { name: string; globals: Record<string, unknown>; browser: boolean }[] = [
  { name: 'a browser page (window, document)', globals: { window: {}, document: {} }, browser: true },
  { name: 'a page with document only', globals: { document: {} }, browser: true },
  {
    name: 'a dedicated Web Worker',
    globals: {
      WorkerGlobalScope,
      DedicatedWorkerGlobalScope: class {},
      importScripts,
      self: {},
      navigator: { userAgent: 'Mozilla/5.0 Chrome' },
    },
    browser: true,
  },
  {
    name: 'a Service Worker',
    globals: {
      WorkerGlobalScope,
      ServiceWorkerGlobalScope: class {},
      importScripts,
      self: {},
      navigator: { userAgent: 'Mozilla/5.0 Firefox' },
    },
    browser: true,
  },
  { name: 'a Shared Worker', globals: { WorkerGlobalScope, SharedWorkerGlobalScope: class {}, importScripts, self: {} }, browser: true },
  { name: 'a worker exposing only importScripts', globals: { importScripts, self: {} }, browser: true },
  { name: 'a worker exposing only WorkerGlobalScope', globals: { WorkerGlobalScope, self: {} }, browser: true },
  { name: 'Node', globals: {}, browser: false },
  {
    name: 'Cloudflare Workers',
    globals: { self: {}, WorkerGlobalScope, ServiceWorkerGlobalScope: class {}, navigator: { userAgent: 'Cloudflare-Workers' } },
    browser: false,
  },
  { name: 'Deno', globals: { Deno: { version: {} }, self: {} }, browser: false },
  {
    name: 'a Deno Worker',
    globals: { Deno: { version: {} }, self: {}, WorkerGlobalScope, DedicatedWorkerGlobalScope: class {} },
    browser: false,
  },
  { name: 'Bun', globals: { Bun: { version: '1' }, self: {} }, browser: false },
  { name: 'a Bun Worker', globals: { Bun: { version: '1' }, self: {}, WorkerGlobalScope }, browser: false },
]

afterEach(() => {
  vi.unstubAllGlobals()
})

function simulate(globals: Record<string, unknown>) {
  // Node's own globals: a browser has none of them.
  const browserLike = 'WorkerGlobalScope' in globals || 'importScripts' in globals || 'window' in globals || 'document' in globals
  if (
    browserLike &&
    !('Deno' in globals) &&
    !('Bun' in globals) &&
    !(globals.navigator as { userAgent?: string })?.userAgent?.startsWith('Cloud')
  ) {
    vi.stubGlobal('process', undefined)
  }
  for (const [name, value] of Object.entries(globals)) vi.stubGlobal(name, value)
}

describe('browser guard', () => {
  for (const { name, globals, browser } of scopes) {
    it(`${browser ? 'refuses' : 'accepts'} a secret key in ${name}`, () => {
      simulate(globals)
      const create = (extra: object = {}) => createStripe({ apiKey: 'sk_test_guard1234', ...extra })
      if (browser) {
        expect(create).toThrow(StripeConfigurationError)
        expect(create).toThrow(/Refusing a secret key \(sk_test_…1234\) in a browser/)
        expect(() => createStripe({ apiKey: 'rk_test_guard1234' })).toThrow(StripeConfigurationError)
        expect(create({ dangerouslyAllowBrowser: true }).config.keyKind).toBe('secret')
      } else {
        expect(create().config.keyKind).toBe('secret')
      }
      expect(createStripe({ publishableKey: 'pk_test_guard1234' }).config.keyKind).toBe('publishable')
    })
  }
})
