// Real Chromium (the root vitest `browser` project): the page itself — index.html's markup and its
// entry src/main.ts, configured through the URL and Vite's env as in production — polls a source
// through the emulator running in the page, with a publishable key and the source's client_secret,
// and shows each status. A screenshot of the final state is kept in test-artifacts/.
import { createStripe } from '@edgestripe/core'
import { createEmulator } from '@edgestripe/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { page } from 'vitest/browser'
import indexHtml from '../index.html?raw'
import { mountPage } from '../src/page'
import { showSourceStatus } from '../src/source-status'

const API_BASE = 'http://emulator.test'

afterEach(() => {
  vi.unstubAllEnvs()
  vi.unstubAllGlobals()
})

describe('browser example page (index.html + src/main.ts)', () => {
  it('runs the real entry: reads ?source=&client_secret= and the env, shows pending then chargeable', async () => {
    // index.html's body, with its module script pointing at src/main.ts
    const doc = new DOMParser().parseFromString(indexHtml, 'text/html')
    expect(doc.querySelector('script[type="module"]')?.getAttribute('src')).toBe('/src/main.ts')
    document.body.innerHTML = doc.body.innerHTML.replace(/<script[\s\S]*?<\/script>/g, '')
    const root = document.getElementById('app') as HTMLElement

    const emulator = createEmulator()
    const seeded = emulator.controlFor('pk_test_123').seed('source', { status: 'pending', flow: 'redirect', type: 'three_d_secure' })
    const pageFetch = globalThis.fetch
    // the page uses the global fetch; requests to VITE_STRIPE_API_BASE reach the in-page emulator
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) =>
      String(input instanceof Request ? input.url : input).startsWith(API_BASE) ? emulator.fetch(input, init) : pageFetch(input, init),
    )
    vi.stubEnv('VITE_STRIPE_PUBLISHABLE_KEY', 'pk_test_123')
    vi.stubEnv('VITE_STRIPE_API_BASE', API_BASE)
    const search = new URLSearchParams({ source: seeded.id as string, client_secret: seeded.client_secret as string })
    const before = location.href
    history.replaceState(null, '', `?${search}`)
    try {
      const { mounted } = await import('../src/main')
      await expect.poll(() => root.querySelector('.status')?.textContent).toBe('Waiting for your bank…')
      emulator.controlFor('pk_test_123').makeSourceChargeable(seeded.id as string)
      expect(await mounted).toBe('chargeable')
    } finally {
      history.replaceState(null, '', before)
    }
    expect(root.querySelector('.status')?.getAttribute('data-state')).toBe('chargeable')
    expect(root.querySelector('.status')?.textContent).toBe('Payment authorized')
    expect([...root.querySelectorAll('.history li')].map((li) => li.textContent)).toEqual(['pending', 'chargeable'])
    const requests = emulator.controlFor('pk_test_123').requests()
    expect(requests.length).toBeGreaterThan(1)
    expect(requests.every((r) => r.method === 'GET' && r.path === `/v1/sources/${seeded.id}`)).toBe(true)
    await page.screenshot({ path: '../../../test-artifacts/browser-example-final.png', element: root })
  })

  it('renders a message instead of throwing when the publishable key or the URL parameters are missing', async () => {
    const root = document.createElement('main')
    document.body.append(root)
    const search = '?source=src_123&client_secret=src_client_secret_123'
    expect(await mountPage(root, { search, env: {} })).toBe('error')
    expect(root.querySelector('.status')?.textContent).toMatch(/set VITE_STRIPE_PUBLISHABLE_KEY/)
    expect(await mountPage(root, { search: '', env: { VITE_STRIPE_PUBLISHABLE_KEY: 'pk_test_1' } })).toBe('error')
    expect(root.querySelector('.status')?.textContent).toBe('Missing ?source= and &client_secret= in the URL.')
    expect(await mountPage(root, { search, env: { VITE_STRIPE_PUBLISHABLE_KEY: 'sk_test_oops' } })).toBe('error')
    expect(root.querySelector('.status')?.textContent).toMatch(/^This page is misconfigured: /)
    expect(await mountPage(null, { search, env: {} })).toBe('error')
  })
})

describe('browser example view (showSourceStatus)', () => {
  it('shows the source going from pending to chargeable', async () => {
    const emulator = createEmulator()
    const seeded = emulator.controlFor('pk_test_123').seed('source', { status: 'pending', flow: 'redirect', type: 'three_d_secure' })
    const stripe = createStripe({ publishableKey: 'pk_test_123', fetch: emulator.fetch })
    const root = document.createElement('main')
    document.body.append(root)

    const done = showSourceStatus(root, stripe, seeded.id as string, seeded.client_secret as string)
    await expect.poll(() => root.querySelector('.status')?.textContent).toBe('Waiting for your bank…')
    emulator.controlFor('pk_test_123').makeSourceChargeable(seeded.id as string)
    expect(await done).toBe('chargeable')

    expect(root.querySelector('.status')?.getAttribute('data-state')).toBe('chargeable')
    expect(root.querySelector('.status')?.textContent).toBe('Payment authorized')
    expect([...root.querySelectorAll('.history li')].map((li) => li.textContent)).toEqual(['pending', 'chargeable'])
    expect(
      emulator
        .controlFor('pk_test_123')
        .requests()
        .every((r) => r.path === `/v1/sources/${seeded.id}`),
    ).toBe(true)
  })

  it('shows a typed error when the client_secret is wrong', async () => {
    const emulator = createEmulator()
    const seeded = emulator.controlFor('pk_test_123').seed('source', { status: 'pending' })
    const stripe = createStripe({ publishableKey: 'pk_test_123', fetch: emulator.fetch })
    const root = document.createElement('main')
    document.body.append(root)
    expect(await showSourceStatus(root, stripe, seeded.id as string, 'src_client_secret_wrong')).toBe('error')
    expect(root.querySelector('.status')?.textContent).toMatch(/^Could not check the payment: No such source/)
  })
})
