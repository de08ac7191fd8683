import { createStripe, StripeConfigurationError, StripeInvalidRequestError, StripeWaitTimeoutError } from '@edgestripe/core'
import { createEmulator } from '@edgestripe/testing'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { pollSource } from '../src/poll-source'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** An emulator with a pending source, a browser-side client, and the time of each retrieve. */
function setup() {
  const emulator = createEmulator()
  const source = emulator.controlFor('sk_test_123').seed('source', { status: 'pending', flow: 'redirect' }) as unknown as {
    id: string
    client_secret: string
  }
  const polls: number[] = []
  const start = Date.now()
  const fetch: typeof globalThis.fetch = (input, init) => {
    polls.push(Date.now() - start)
    return emulator.fetch(input as string, init)
  }
  const stripe = createStripe({ publishableKey: 'pk_test_123', fetch })
  return { emulator, source, stripe, polls }
}

describe('pollSource', () => {
  it('polls with the publishable key and client_secret until chargeable, reporting each status change', async () => {
    const { emulator, source, stripe, polls } = setup()
    const statuses: string[] = []
    const done = pollSource(stripe, source.id, { client_secret: source.client_secret }, { onStatus: (s) => statuses.push(s.status) })
    await vi.advanceTimersByTimeAsync(3000)
    expect(statuses).toEqual(['pending'])
    emulator.controlFor('sk_test_123').makeSourceChargeable(source.id)
    await vi.advanceTimersByTimeAsync(5000)
    const result = await done
    expect(result.status).toBe('chargeable')
    expect(statuses).toEqual(['pending', 'chargeable'])
    // 1 s, then ×1.5: polls at 0, 1000, 2500, 4750 ms.
    expect(polls).toEqual([0, 1000, 2500, 4750])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('never polls faster than 500 ms, even when asked', async () => {
    const { source, stripe, polls } = setup()
    const done = pollSource(stripe, source.id, { client_secret: source.client_secret }, { interval: 1, maxInterval: 1, timeout: 2100 })
    const error = done.catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(2100)
    expect(await error).toBeInstanceOf(StripeWaitTimeoutError)
    expect(polls).toEqual([0, 500, 1000, 1500, 2000])
  })

  it('stops on a terminal status even when it is not in `until`', async () => {
    const { emulator, stripe } = setup()
    const failed = emulator.controlFor('sk_test_123').seed('source', { status: 'failed' }) as unknown as {
      id: string
      client_secret: string
    }
    const result = await pollSource(stripe, failed.id, { client_secret: failed.client_secret }, { until: ['chargeable'] })
    expect(result.status).toBe('failed')
  })

  it('keeps polling past statuses not in `until`', async () => {
    const { emulator, source, stripe } = setup()
    emulator.controlFor('sk_test_123').makeSourceChargeable(source.id)
    const done = pollSource(stripe, source.id, { client_secret: source.client_secret }, { until: ['consumed'], timeout: 3000 })
    const error = done.catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(3000)
    expect(await error).toMatchObject({ name: 'StripeWaitTimeoutError', last: { status: 'chargeable' } })
  })

  it('times out with a typed error naming the last status, leaving no timer behind', async () => {
    const { source, stripe } = setup()
    const error = pollSource(stripe, source.id, { client_secret: source.client_secret }, { timeout: 10_000 }).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(await error).toBeInstanceOf(StripeWaitTimeoutError)
    expect(((await error) as Error).message).toBe(
      `Source ${source.id} is still "pending" after 10000 ms (waiting for chargeable, failed, canceled, consumed).`,
    )
    expect(vi.getTimerCount()).toBe(0)
  })

  it('stops when the signal aborts, with its reason', async () => {
    const { source, stripe } = setup()
    const controller = new AbortController()
    const error = pollSource(stripe, source.id, { client_secret: source.client_secret }, { signal: controller.signal }).catch(
      (e: unknown) => e,
    )
    await vi.advanceTimersByTimeAsync(1500)
    controller.abort(new Error('component unmounted'))
    expect(await error).toMatchObject({ message: 'component unmounted' })
    expect(vi.getTimerCount()).toBe(0)
  })

  it("surfaces the core's typed errors", async () => {
    const { source, stripe, polls } = setup()
    await expect(pollSource(stripe, source.id)).rejects.toThrow(StripeConfigurationError)
    expect(polls).toEqual([])
    await expect(pollSource(stripe, source.id, { client_secret: 'src_client_secret_wrong' })).rejects.toThrow(StripeInvalidRequestError)
  })

  it('works with a secret key too', async () => {
    const { emulator, source } = setup()
    emulator.controlFor('sk_test_123').makeSourceChargeable(source.id)
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch: emulator.fetch })
    expect((await pollSource(stripe, source.id)).status).toBe('chargeable')
  })
})
