import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  createStripe,
  downloadFile,
  StripeConfigurationError,
  StripeConnectionError,
  StripeInvalidRequestError,
  StripeTimeoutError,
} from '../src'
import { startFaultServer } from './support/fault-server'

const encoder = new TextEncoder()

/** A fetch answering every request with `answer()`; records calls. */
function fakeFetch(answer: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; headers: Headers }[] = []
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    calls.push({ url: String(input), headers: new Headers(init.headers) })
    return answer(String(input), init)
  }
  return { fetch: fetch as typeof globalThis.fetch, calls }
}

/** A body that sends `chunks`, then stalls forever unless `end`. */
function body(chunks: string[], end = true): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(controller) {
      const next = chunks.shift()
      if (next !== undefined) controller.enqueue(encoder.encode(next))
      else if (end) controller.close()
      else return new Promise(() => {})
    },
  })
}

const text = (stream: ReadableStream<Uint8Array>) => new Response(stream).text()

/** Counts timers set and not yet cleared or fired. */
function trackTimers() {
  const live = new Set<unknown>()
  const set = globalThis.setTimeout
  const clear = globalThis.clearTimeout
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
    const handle: unknown = set(() => {
      live.delete(handle)
      fn()
    }, ms)
    live.add(handle)
    return handle
  }) as typeof setTimeout)
  vi.spyOn(globalThis, 'clearTimeout').mockImplementation((handle) => {
    live.delete(handle)
    clear(handle)
  })
  return live
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('downloadFile', () => {
  it('streams a file by id from filesURL with the secret key', async () => {
    const { fetch, calls } = fakeFetch(
      () =>
        new Response(body(['a,b\n', '1,2\n']), { headers: { 'content-type': 'text/csv', 'content-length': '8', 'request-id': 'req_f' } }),
    )
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch, filesURL: 'https://files.example' })
    const file = await downloadFile(stripe, 'file_123')
    expect(calls[0]!.url).toBe('https://files.example/v1/files/file_123/contents')
    expect(calls[0]!.headers.get('authorization')).toBe('Bearer sk_test_123')
    expect(file.contentType).toBe('text/csv')
    expect(file.size).toBe(8)
    expect(file.lastResponse.requestId).toBe('req_f')
    expect(await text(file.body)).toBe('a,b\n1,2\n')
  })

  it('accepts a file URL on the files or API origin and refuses any other host before sending', async () => {
    const { fetch, calls } = fakeFetch(() => new Response('x'))
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch })
    await text((await downloadFile(stripe, 'https://files.stripe.com/v1/files/file_1/contents')).body)
    await text((await downloadFile(stripe, 'https://api.stripe.com/v1/files/file_1/contents')).body)
    expect(calls.map((c) => c.url)).toEqual([
      'https://files.stripe.com/v1/files/file_1/contents',
      'https://api.stripe.com/v1/files/file_1/contents',
    ])
    await expect(downloadFile(stripe, 'https://files.stripe.com.evil.example/v1/files/file_1/contents')).rejects.toThrow(
      StripeConfigurationError,
    )
    await expect(downloadFile(stripe, 'http://files.stripe.com/v1/files/file_1/contents')).rejects.toThrow(/Refusing to send/)
    expect(calls).toHaveLength(2)
  })

  it('refuses a publishable-key client before any request', async () => {
    const { fetch, calls } = fakeFetch(() => new Response('x'))
    const stripe = createStripe({ publishableKey: 'pk_test_123', fetch })
    await expect(downloadFile(stripe, 'file_1')).rejects.toThrow(/secret or restricted key/)
    expect(calls).toHaveLength(0)
  })

  it('retries errors before the body, and maps errors to typed ones (error hook called)', async () => {
    let n = 0
    const { fetch, calls } = fakeFetch(() =>
      ++n === 1 ? new Response('{"error":{"type":"api_error"}}', { status: 500 }) : new Response('ok'),
    )
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch, retryBaseDelay: 1 })
    const file = await downloadFile(stripe, 'file_1')
    expect(await text(file.body)).toBe('ok')
    expect(file.lastResponse.attempts).toBe(2)
    expect(calls).toHaveLength(2)

    const errors: unknown[] = []
    const missing = createStripe({
      apiKey: 'sk_test_123',
      fetch: fakeFetch(() => new Response('{"error":{"type":"invalid_request_error","message":"No such file"}}', { status: 404 })).fetch,
      hooks: { error: (e) => void errors.push(e) },
    })
    await expect(downloadFile(missing, 'file_x')).rejects.toThrow(StripeInvalidRequestError)
    expect(errors).toHaveLength(1)
  })

  it('keeps the attempt timeout running while the body is read', async () => {
    const live = trackTimers()
    const { fetch } = fakeFetch(() => new Response(body(['first'], false)))
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch, timeout: 50 })
    const file = await downloadFile(stripe, 'file_1')
    const reader = file.body.getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first')
    expect(live.size).toBe(1)
    const error = await reader.read().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StripeTimeoutError)
    expect(live.size).toBe(0)
  })

  it('clears the timer when the body ends or is cancelled', async () => {
    const live = trackTimers()
    const { fetch } = fakeFetch(() => new Response(body(['a', 'b'], false)))
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch, timeout: 60_000 })
    const done = await downloadFile(stripe, 'file_1')
    const ended = createStripe({ apiKey: 'sk_test_123', fetch: fakeFetch(() => new Response('all')).fetch, timeout: 60_000 })
    expect(await text((await downloadFile(ended, 'file_1')).body)).toBe('all')
    expect(live.size).toBe(1)
    await done.body.cancel()
    expect(live.size).toBe(0)
  })

  it("errors the stream with the caller's abort reason and with a connection error on a broken body", async () => {
    const controller = new AbortController()
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch: fakeFetch(() => new Response(body(['a'], false))).fetch })
    const file = await downloadFile(stripe, 'file_1', { signal: controller.signal })
    const reader = file.body.getReader()
    await reader.read()
    const pending = reader.read()
    controller.abort(new Error('user left'))
    await expect(pending).rejects.toThrow('user left')

    const broken = new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(encoder.encode('a')),
      pull: (c) => c.error(new TypeError('socket hang up')),
    })
    const client = createStripe({ apiKey: 'sk_test_123', fetch: fakeFetch(() => new Response(broken)).fetch })
    const error = await text((await downloadFile(client, 'file_1')).body).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StripeConnectionError)
    expect((error as Error).message).toMatch(/socket hang up/)
  })
})

/** A long-lived signal (a server's shutdown signal, say) that counts the listeners it holds. */
function countingSignal() {
  const controller = new AbortController()
  const { signal } = controller
  const listeners = new Set<unknown>()
  const add = signal.addEventListener.bind(signal)
  const remove = signal.removeEventListener.bind(signal)
  signal.addEventListener = ((type: string, fn: EventListener, options?: AddEventListenerOptions) => {
    listeners.add(fn)
    add(type, fn, options)
  }) as typeof signal.addEventListener
  signal.removeEventListener = ((type: string, fn: EventListener) => {
    listeners.delete(fn)
    remove(type, fn)
  }) as typeof signal.removeEventListener
  return { controller, signal, listeners }
}

describe('downloadFile leaves nothing behind on the caller’s signal', () => {
  type End = 'read' | 'cancel' | 'never-read' | 'stall' | 'broken' | 'abort'
  it('whatever becomes of the body: read, cancelled, never read, stalled, broken, aborted (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<End>('read', 'cancel', 'never-read', 'stall', 'broken', 'abort'),
        fc.integer({ min: 0, max: 3 }),
        async (end, chunks) => {
          const live = trackTimers()
          let cancelled = false
          const source = new ReadableStream<Uint8Array>({
            pull(controller) {
              if (chunks-- > 0) return controller.enqueue(encoder.encode('x'))
              if (end === 'broken') return controller.error(new TypeError('socket hang up'))
              if (end === 'read') return controller.close()
              return new Promise(() => {}) // never ends
            },
            cancel() {
              cancelled = true
            },
          })
          const { controller, signal, listeners } = countingSignal()
          const stripe = createStripe({ apiKey: 'sk_test_123', fetch: async () => new Response(source), timeout: 30 })
          const file = await downloadFile(stripe, 'file_1', { signal })
          expect(listeners.size).toBe(1) // held while the body is open
          if (end === 'cancel') await file.body.cancel()
          if (end === 'abort') controller.abort(new Error('shutting down'))
          if (end === 'read' || end === 'stall' || end === 'broken' || end === 'abort') await text(file.body).catch(() => {})
          if (end === 'never-read') await new Promise((resolve) => setTimeout(resolve, 60))
          // Released on end, error, cancel or timeout: no listener, no timer, the source cancelled unless it ended.
          expect(listeners.size).toBe(0)
          expect(live.size).toBe(0)
          if (end !== 'read' && end !== 'broken') expect(cancelled).toBe(true)
          vi.restoreAllMocks()
        },
      ),
      { numRuns: 40 },
    )
  })
})

describe('downloadFile over a real socket', () => {
  let server: Awaited<ReturnType<typeof startFaultServer>>
  beforeAll(async () => {
    server = await startFaultServer()
  })
  afterAll(async () => {
    await server.close()
  })

  it('retries a reset connection, then times out a body that stalls mid-way (global fetch)', async () => {
    server.script([{ reset: true }, { stallBody: true }])
    const stripe = createStripe({ apiKey: 'sk_test_123', filesURL: server.url, timeout: 150, retryBaseDelay: 1 })
    const file = await downloadFile(stripe, 'file_1')
    expect(file.lastResponse.attempts).toBe(2)
    expect(server.seen.map((r) => r.url)).toEqual(['/v1/files/file_1/contents', '/v1/files/file_1/contents'])
    const started = Date.now()
    const error = await new Response(file.body).text().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StripeTimeoutError)
    expect(Date.now() - started).toBeLessThan(1000)
  })
})
