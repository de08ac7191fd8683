import { afterEach, describe, expect, it, vi } from 'vitest'
import { _poll, StripeConfigurationError, StripeWaitTimeoutError } from '../src'

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

  it('refuses non-finite or non-positive intervals and timeouts before polling', async () => {
    const get = vi.fn(async () => 1)
    for (const options of [
      { interval: Number.NaN },
      { maxInterval: Number.POSITIVE_INFINITY },
      { interval: -1 },
      { timeout: 0 },
      { timeout: Number.NaN },
    ]) {
      await expect(
        _poll(
          get,
          () => true,
          () => 'late',
          { timeout: 1000, ...options },
        ),
      ).rejects.toBeInstanceOf(StripeConfigurationError)
    }
    expect(get).not.toHaveBeenCalled()
  })

  it('never waits more than maxInterval, even when interval is larger', async () => {
    vi.useFakeTimers()
    const times: number[] = []
    const start = Date.now()
    let n = 0
    const result = _poll(
      async () => {
        times.push(Date.now() - start)
        return ++n
      },
      (v) => v === 4,
      () => 'late',
      { interval: 3000, maxInterval: 600, timeout: 60_000 },
    )
    await vi.runAllTimersAsync()
    expect(await result).toBe(4)
    expect(times).toEqual([0, 600, 1200, 1800])
  })

  it('treats an Infinity timeout as no deadline, and clamps one longer than a timer can hold', async () => {
    vi.useFakeTimers()
    let n = 0
    const forever = _poll(
      async () => ++n,
      (v) => v === 3,
      () => 'late',
      { timeout: Number.POSITIVE_INFINITY },
    )
    await vi.runAllTimersAsync()
    expect(await forever).toBe(3)
    n = 0
    const long = _poll(
      async () => ++n,
      (v) => v === 3,
      () => 'late',
      { timeout: 2 ** 40 },
    )
    await vi.runAllTimersAsync()
    expect(await long).toBe(3)
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('_poll never hangs', () => {
  it('ends at its deadline or on abort even when a step ignores the signal and never settles (fast-check)', async () => {
    const fc = (await import('fast-check')).default
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 5, max: 60 }),
        fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
        async (timeout, abortAt) => {
          const controller = new AbortController()
          const reason = new Error('stop')
          const timer = abortAt === undefined ? undefined : setTimeout(() => controller.abort(reason), abortAt)
          const started = Date.now()
          const error = await _poll(
            () => new Promise<number>(() => {}),
            () => false,
            () => 'late',
            { timeout, signal: controller.signal },
          ).catch((e: unknown) => e)
          clearTimeout(timer)
          const elapsed = Date.now() - started
          expect(elapsed).toBeLessThan(Math.min(timeout, abortAt ?? timeout) + 50)
          if (error !== reason) expect(error).toBeInstanceOf(StripeWaitTimeoutError)
        },
      ),
      { numRuns: 25 },
    )
  })
})
