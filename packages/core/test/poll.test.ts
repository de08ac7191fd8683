import { afterEach, describe, expect, it, vi } from 'vitest'
import { _poll, StripeWaitTimeoutError } from '../src'

afterEach(() => {
  vi.useRealTimers()
})

describe('_poll', () => {
  it('backs off ×1.5 from interval to maxInterval with a 500 ms floor', async () => {
    vi.useFakeTimers()
    const times: number[] = []
    const start = Date.now()
    let n = 0
    const result = _poll(
      async () => {
        times.push(Date.now() - start)
        return ++n
      },
      (v) => v === 6,
      () => 'late',
      { interval: 10, maxInterval: 1000, timeout: 60_000 },
    )
    await vi.runAllTimersAsync()
    expect(await result).toBe(6)
    expect(times).toEqual([0, 500, 1250, 2250, 3250, 4250])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('times out with the last value seen, aborting the request in flight', async () => {
    vi.useFakeTimers()
    let aborted: unknown
    const result = _poll(
      (signal) =>
        new Promise<string>((resolve, reject) => {
          if (aborted === undefined) return resolve('pending')
          signal.addEventListener('abort', () => reject(signal.reason))
        }).finally(() => {
          aborted ??= false
        }),
      () => false,
      (last, ms) => `still ${last} after ${ms} ms`,
      { timeout: 3000 },
    )
    const error = result.catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(3000)
    expect(await error).toBeInstanceOf(StripeWaitTimeoutError)
    expect(await error).toMatchObject({ message: 'still pending after 3000 ms', last: 'pending', code: 'wait_timeout' })
    expect(vi.getTimerCount()).toBe(0)
  })

  it("stops with the caller's abort reason and leaves no listener", async () => {
    vi.useFakeTimers()
    const controller = new AbortController()
    const add = vi.spyOn(controller.signal, 'addEventListener')
    const remove = vi.spyOn(controller.signal, 'removeEventListener')
    const result = _poll(
      async () => 1,
      () => false,
      () => '',
      { timeout: 60_000, signal: controller.signal },
    ).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(1200)
    controller.abort(new Error('unmounted'))
    expect(await result).toMatchObject({ message: 'unmounted' })
    expect(remove).toHaveBeenCalledTimes(add.mock.calls.length)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('passes request errors through unchanged', async () => {
    const boom = new Error('boom')
    await expect(
      _poll(
        () => Promise.reject(boom),
        () => true,
        () => '',
        { timeout: 1000 },
      ),
    ).rejects.toBe(boom)
  })
})
