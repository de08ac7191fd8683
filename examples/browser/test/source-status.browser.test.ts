// Real Chromium (the root vitest `browser` project): the page's view polls a source through the
// emulator running in the page, with a publishable key and the source's client_secret, and shows
// each status. A screenshot of the final state is kept in test-artifacts/.
import { createStripe } from '@edgestripe/core'
import { createEmulator } from '@edgestripe/testing'
import { describe, expect, it } from 'vitest'
import { page } from 'vitest/browser'
import { showSourceStatus } from '../src/source-status'

describe('browser example', () => {
  it('shows the source going from pending to chargeable', async () => {
    const emulator = createEmulator()
    const seeded = emulator.control.seed('source', { status: 'pending', flow: 'redirect', type: 'three_d_secure' })
    const stripe = createStripe({ publishableKey: 'pk_test_123', fetch: emulator.fetch })
    const root = document.createElement('main')
    document.body.append(root)

    const done = showSourceStatus(root, stripe, seeded.id as string, seeded.client_secret as string)
    await expect.poll(() => root.querySelector('.status')?.textContent).toBe('Waiting for your bank…')
    emulator.control.makeSourceChargeable(seeded.id as string)
    expect(await done).toBe('chargeable')

    expect(root.querySelector('.status')?.getAttribute('data-state')).toBe('chargeable')
    expect(root.querySelector('.status')?.textContent).toBe('Payment authorized')
    expect([...root.querySelectorAll('.history li')].map((li) => li.textContent)).toEqual(['pending', 'chargeable'])
    expect(emulator.control.requests().every((r) => r.path === `/v1/sources/${seeded.id}`)).toBe(true)
    await page.screenshot({ path: '../../../test-artifacts/browser-example-final.png', element: root })
  })

  it('shows a typed error when the client_secret is wrong', async () => {
    const emulator = createEmulator()
    const seeded = emulator.control.seed('source', { status: 'pending' })
    const stripe = createStripe({ publishableKey: 'pk_test_123', fetch: emulator.fetch })
    const root = document.createElement('main')
    document.body.append(root)
    expect(await showSourceStatus(root, stripe, seeded.id as string, 'src_client_secret_wrong')).toBe('error')
    expect(root.querySelector('.status')?.textContent).toMatch(/^Could not check the payment: No such source/)
  })
})
