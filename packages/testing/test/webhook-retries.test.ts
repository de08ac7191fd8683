// Webhook delivery like Stripe's: failed deliveries are retried on the emulator clock with the
// documented backoff (three retries over a few hours by default), and faults make deliveries arrive
// twice, late (out of order) or fail; `deliverEvents()` stays deterministic.
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_NOW, type Emulator } from '../src/index.js'
import { startEmulatorServer } from '../src/server.js'
import { DEFAULT_WEBHOOK_RETRIES } from '../src/webhook-faults.js'

const FORM = { Authorization: 'Bearer sk_test_123', 'Content-Type': 'application/x-www-form-urlencoded' }

async function post(emulator: Emulator, path: string, body: string): Promise<{ id: string }> {
  const res = await emulator.fetch(`http://emulator.local${path}`, { method: 'POST', headers: FORM, body })
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

/** Creates a financial account (one `treasury.financial_account.created` event). */
const financialAccount = (emulator: Emulator) => post(emulator, '/v1/treasury/financial_accounts', 'supported_currencies[0]=usd')

/** An in-process endpoint answering from `answers` in turn (then 200), recording the event ids it got. */
function endpoint(emulator: Emulator, answers: number[] = [], events?: string[]) {
  const received: string[] = []
  let call = 0
  const added = emulator.control.addWebhookEndpoint({
    secret: 'whsec_test',
    ...(events ? { events } : {}),
    handler: async (request) => {
      received.push((JSON.parse(await request.text()) as { id: string }).id)
      return new Response(null, { status: answers[call++] ?? 200 })
    },
  })
  return { id: added.id, received }
}

describe('retries of failed deliveries on the emulator clock', () => {
  it('retries after 5 min, 1 h and 3 h of emulator time, then stops; pending_webhooks stays until one succeeds', async () => {
    expect(DEFAULT_WEBHOOK_RETRIES).toEqual([300, 3600, 10_800])
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const { control } = emulator
    // the flow's own event only: advancing past the hour also announces the report types
    const hook = endpoint(emulator, [500, 500, 500, 500], ['treasury.financial_account.created'])
    const fa = await financialAccount(emulator)
    const [first] = await control.deliverEvents()
    expect(first).toMatchObject({ attempt: 1, ok: false, status: 500, nextRetryAt: DEFAULT_NOW + 300 })
    expect(control.scheduledDeliveries()).toEqual([
      {
        event: first?.event,
        type: 'treasury.financial_account.created',
        endpoint: hook.id,
        attempt: 2,
        dueAt: DEFAULT_NOW + 300,
        reason: 'retry',
      },
    ])
    control.advance(299)
    expect(await control.deliverEvents()).toEqual([])
    control.advance(1)
    expect(await control.deliverEvents()).toMatchObject([{ attempt: 2, ok: false, nextRetryAt: DEFAULT_NOW + 300 + 3600 }])
    control.advance(3600)
    expect(await control.deliverEvents()).toMatchObject([{ attempt: 3, ok: false, nextRetryAt: DEFAULT_NOW + 300 + 3600 + 10_800 }])
    control.advance(10_800)
    expect(await control.deliverEvents()).toMatchObject([{ attempt: 4, ok: false, nextRetryAt: null }])
    control.advance(30 * 86_400)
    expect(await control.deliverEvents()).toEqual([])
    expect(control.scheduledDeliveries()).toEqual([])
    expect(hook.received).toHaveLength(4)
    expect(new Set(hook.received).size).toBe(1)
    const [event] = control.events({ type: 'treasury.financial_account.created' })
    expect(event?.data.object.id).toBe(fa.id)
    expect(event?.pending_webhooks).toBe(1)
  })

  it('a retry that succeeds ends the retries and decrements pending_webhooks', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const hook = endpoint(emulator, [503])
    await financialAccount(emulator)
    await emulator.control.deliverEvents()
    emulator.control.advance(300)
    expect(await emulator.control.deliverEvents()).toMatchObject([{ attempt: 2, ok: true, status: 200, nextRetryAt: null }])
    expect(emulator.control.scheduledDeliveries()).toEqual([])
    expect(emulator.control.events()[0]?.pending_webhooks).toBe(0)
    expect(hook.received).toHaveLength(2)
  })

  it('a thrown handler or an unreachable URL is retried too; webhookRetries sets the schedule ([] = never)', async () => {
    const emulator = createEmulator({
      accounts: 'shared',
      now: DEFAULT_NOW,
      webhookRetries: [10, 20],
      webhookFetch: async () => {
        throw new TypeError('fetch failed')
      },
    })
    emulator.control.addWebhookEndpoint({ url: 'https://example.com/hook' })
    await financialAccount(emulator)
    expect(await emulator.control.deliverEvents()).toMatchObject([
      { attempt: 1, ok: false, status: null, error: 'fetch failed', nextRetryAt: DEFAULT_NOW + 10 },
    ])
    emulator.control.advance(10)
    emulator.control.advance(20)
    expect((await emulator.control.deliverEvents()).map((d) => [d.attempt, d.nextRetryAt])).toEqual([
      [2, DEFAULT_NOW + 30],
      [3, null],
    ])
    const never = createEmulator({ accounts: 'shared', now: DEFAULT_NOW, webhookRetries: [] })
    endpoint(never, [500])
    await financialAccount(never)
    expect(await never.control.deliverEvents()).toMatchObject([{ attempt: 1, ok: false, nextRetryAt: null }])
    expect(never.control.scheduledDeliveries()).toEqual([])
    for (const bad of [[-1], [Number.NaN], ['5'], 5]) {
      expect(() => createEmulator({ accounts: 'shared', webhookRetries: bad as never })).toThrow(TypeError)
    }
  })

  it('for any pattern of endpoint answers and clock moves, attempts follow the schedule and deliverEvents() is deterministic (property)', async () => {
    const schedule = fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 4 })
    const answers = fc.array(fc.constantFrom(200, 500, 404, 302), { maxLength: 6 })
    const moves = fc.array(fc.integer({ min: 0, max: 8000 }), { maxLength: 8 })
    await fc.assert(
      fc.asyncProperty(schedule, answers, moves, fc.integer({ min: 1, max: 3 }), async (retries, replies, steps, events) => {
        const run = async () => {
          const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW, webhookRetries: retries })
          endpoint(emulator, replies, ['treasury.financial_account.created']) // not the clock's report-type events
          for (let i = 0; i < events; i++) await financialAccount(emulator)
          const seen = [...(await emulator.control.deliverEvents())]
          for (const step of steps) {
            emulator.control.advance(step)
            seen.push(...(await emulator.control.deliverEvents()))
          }
          return { seen, emulator }
        }
        const { seen, emulator } = await run()
        const again = (await run()).seen
        const shape = (list: typeof seen) => list.map((d) => [d.attempt, d.status, d.ok, d.nextRetryAt, d.type])
        expect(shape(again)).toEqual(shape(seen))
        // per event: attempts 1, 2, … in order, each retry at the time the previous failure set, at most 1 + retries
        const byEvent = new Map<string, typeof seen>()
        for (const delivery of seen) byEvent.set(delivery.event, [...(byEvent.get(delivery.event) ?? []), delivery])
        for (const [event, attempts] of byEvent) {
          expect(attempts.map((d) => d.attempt)).toEqual(attempts.map((_, i) => i + 1))
          expect(attempts.length).toBeLessThanOrEqual(1 + retries.length)
          attempts.forEach((delivery, i) => {
            if (delivery.ok) expect(i).toBe(attempts.length - 1)
            // each retry is made exactly when the failure before it said
            expect(delivery.at).toBe(i === 0 ? DEFAULT_NOW : attempts[i - 1]?.nextRetryAt)
            if (delivery.nextRetryAt !== null) expect(delivery.nextRetryAt).toBe(delivery.at + (retries[i] as number))
            expect(delivery.nextRetryAt).toEqual(delivery.ok || i >= retries.length ? null : expect.any(Number))
          })
          const last = attempts.at(-1)!
          const waiting = emulator.control.scheduledDeliveries().filter((s) => s.event === event)
          expect(waiting.map((s) => [s.attempt, s.dueAt])).toEqual(last.nextRetryAt === null ? [] : [[last.attempt + 1, last.nextRetryAt]])
          expect(emulator.control.events().find((e) => e.id === event)?.pending_webhooks).toBe(last.ok ? 0 : 1)
        }
      }),
      { numRuns: 60 },
    )
  }, 60_000)
})

describe('deliverEvents() is deterministic with several endpoints', () => {
  it('whatever order the endpoints answer in, deliveries, the log and the retry schedule come out in scheduling order (property)', async () => {
    const answer = fc.constantFrom<number | 'throw'>(200, 500, 'throw')
    const endpoints = fc.array(fc.array(answer, { maxLength: 4 }), { minLength: 2, maxLength: 4 })
    const delays = fc.array(fc.nat(4), { minLength: 16, maxLength: 16 })
    await fc.assert(
      fc.asyncProperty(
        endpoints,
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: 0, max: 4000 }), { maxLength: 4 }),
        delays,
        delays,
        async (replies, events, steps, slow, fast) => {
          /** One run; each endpoint's handler waits `waits[i]` ms (its own pace) before answering. */
          const run = async (waits: number[]) => {
            const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW, webhookRetries: [60, 600] })
            const ids = replies.map((answers, i) => {
              let call = 0
              return emulator.control.addWebhookEndpoint({
                secret: 'whsec_test',
                handler: async () => {
                  await new Promise((resolve) => setTimeout(resolve, waits[(i * 4 + call) % waits.length]))
                  const reply = answers[call++] ?? 200
                  if (reply === 'throw') throw new Error('handler crashed')
                  return new Response(null, { status: reply })
                },
              }).id
            })
            for (let i = 0; i < events; i++) await financialAccount(emulator)
            const seen = [...(await emulator.control.deliverEvents())]
            for (const step of steps) {
              emulator.control.advance(step)
              seen.push(...(await emulator.control.deliverEvents()))
            }
            const eventIds = emulator.control.events().map((e) => e.id)
            const shape = (list: typeof seen) =>
              list.map((d) => [
                eventIds.indexOf(d.event),
                ids.indexOf(d.endpoint),
                d.attempt,
                d.status,
                d.ok,
                d.error ?? null,
                d.at,
                d.nextRetryAt,
              ])
            const scheduled = emulator.control
              .scheduledDeliveries()
              .map((s) => [eventIds.indexOf(s.event), ids.indexOf(s.endpoint), s.attempt, s.dueAt])
            return { seen: shape(seen), log: shape(emulator.control.webhookDeliveries()), scheduled }
          }
          const one = await run(slow)
          const other = await run(fast)
          expect(other).toEqual(one)
          // the log holds what deliverEvents() returned, in the same order
          expect(one.log).toEqual(one.seen)
          // first attempts: event by event, each endpoint in the order it was added
          const firsts = one.seen.filter((d) => d[2] === 1).map((d) => [d[0], d[1]])
          expect(firsts).toEqual([...firsts].sort((a, b) => Number(a[0]) - Number(b[0]) || Number(a[1]) - Number(b[1])))
        },
      ),
      { numRuns: 40 },
    )
  }, 60_000)
})

describe('a stuck endpoint never hangs deliverEvents()', () => {
  type Fate =
    | { kind: 'status'; status: number }
    | { kind: 'late'; ms: number }
    | { kind: 'never' }
    | { kind: 'stalled-body' }
    | { kind: 'throw' }
  const fate: fc.Arbitrary<Fate> = fc.oneof(
    fc.constantFrom(200, 204, 500).map((status) => ({ kind: 'status' as const, status })),
    fc.integer({ min: 0, max: 300 }).map((ms) => ({ kind: 'late' as const, ms })),
    fc.constant({ kind: 'never' as const }),
    fc.constant({ kind: 'stalled-body' as const }),
    fc.constant({ kind: 'throw' as const }),
  )
  const TIMEOUT = 150

  it('whatever each endpoint does (answers, answers late, never answers, stalls its body, throws), every attempt ends by the timeout and a timed-out one is retried (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fate, { minLength: 1, maxLength: 3 }), async (fates) => {
        const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW, webhookTimeoutMs: TIMEOUT })
        const signals: AbortSignal[] = []
        for (const [i, f] of fates.entries()) {
          emulator.control.addWebhookEndpoint({
            secret: 'whsec_test',
            handler: async (request) => {
              signals[i] = request.signal
              if (f.kind === 'never') return new Promise<Response>(() => {})
              if (f.kind === 'throw') throw new Error('handler crashed')
              if (f.kind === 'stalled-body') return new Response(new ReadableStream({ start: (c) => c.enqueue(new Uint8Array([123])) }))
              if (f.kind === 'late') await new Promise((resolve) => setTimeout(resolve, f.ms))
              return new Response(null, { status: f.kind === 'status' ? f.status : 200 })
            },
          })
        }
        await financialAccount(emulator)
        const started = performance.now()
        const deliveries = await emulator.control.deliverEvents()
        // endpoints are called concurrently: the whole wait is about one timeout (slack for a loaded machine)
        expect(performance.now() - started).toBeLessThan(TIMEOUT * 3 + 2000)
        expect(deliveries).toHaveLength(fates.length)
        deliveries.forEach((delivery, i) => {
          const f = fates[i] as Fate
          const stuck = f.kind === 'never' || f.kind === 'stalled-body' || (f.kind === 'late' && f.ms > TIMEOUT + 100)
          if (stuck) {
            expect(delivery).toMatchObject({ ok: false, status: null, error: `timed out after ${TIMEOUT} ms` })
            expect(signals[i]?.aborted).toBe(true)
          }
          if (f.kind === 'status') expect(delivery).toMatchObject({ ok: f.status < 300, status: f.status })
          if (f.kind === 'throw') expect(delivery).toMatchObject({ ok: false, status: null, error: 'handler crashed' })
          // a failure, timed out included, waits for its retry on the emulator clock
          expect(delivery.nextRetryAt).toBe(delivery.ok ? null : DEFAULT_NOW + (DEFAULT_WEBHOOK_RETRIES[0] as number))
        })
      }),
      { numRuns: 25 },
    )
  }, 60_000)

  it('a stuck endpoint holds back no other: a finished delivery is in the log at once', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW, webhookTimeoutMs: 400 })
    const stuck = emulator.control.addWebhookEndpoint({ secret: 'whsec_a', handler: () => new Promise<Response>(() => {}) })
    let answered = false
    const fine = emulator.control.addWebhookEndpoint({
      secret: 'whsec_b',
      handler: () => {
        answered = true
        return new Response(null, { status: 200 })
      },
    })
    await financialAccount(emulator)
    await expect.poll(() => answered).toBe(true)
    await expect.poll(() => emulator.control.webhookDeliveries().map((d) => [d.endpoint, d.ok])).toEqual([[fine.id, true]])
    expect(emulator.control.events()[0]?.pending_webhooks).toBe(1)
    // then the stuck one times out; both read in the order they were scheduled
    expect((await emulator.control.deliverEvents()).map((d) => [d.endpoint, d.ok])).toEqual([
      [stuck.id, false],
      [fine.id, true],
    ])
  })

  it('a URL endpoint that never answers times out, its connection is closed, and the retry reaches it', async () => {
    let requests = 0
    const closed: boolean[] = []
    const server = createServer((req, res) => {
      requests++
      if (requests === 1) {
        req.on('close', () => closed.push(true))
        return // never answers
      }
      req.resume()
      req.on('end', () => res.end('ok'))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW, webhookTimeoutMs: 100 })
      emulator.control.addWebhookEndpoint({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` })
      await financialAccount(emulator)
      expect(await emulator.control.deliverEvents()).toMatchObject([{ ok: false, status: null, error: 'timed out after 100 ms' }])
      await expect.poll(() => closed, { timeout: 2000 }).toEqual([true])
      emulator.control.advance(DEFAULT_WEBHOOK_RETRIES[0] as number)
      expect(await emulator.control.deliverEvents()).toMatchObject([{ ok: true, status: 200, attempt: 2 }])
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('refuses a webhookTimeoutMs that is not a positive number a timer can wait', () => {
    expect(() => createEmulator({ accounts: 'shared', webhookTimeoutMs: 2 ** 31 - 1 })).not.toThrow()
    // 2³¹ ms and more would overflow the timer, which then fires at once
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '5']) {
      expect(() => createEmulator({ accounts: 'shared', webhookTimeoutMs: bad as never })).toThrow(/webhookTimeoutMs/)
    }
  })
})

describe('webhook faults: duplicate, out of order, failing', () => {
  it('duplicate: the same event arrives twice; pending_webhooks counts the endpoint once', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const hook = endpoint(emulator)
    emulator.control.injectWebhookFaults({ fault: { duplicate: true } })
    await financialAccount(emulator)
    await financialAccount(emulator)
    const deliveries = await emulator.control.deliverEvents()
    expect(deliveries.map((d) => [d.attempt, d.duplicate ?? false, d.fault ?? null])).toEqual([
      [1, false, 'duplicate'],
      [1, true, 'duplicate'],
      [1, false, null],
    ])
    expect(hook.received[0]).toBe(hook.received[1])
    expect(hook.received[2]).not.toBe(hook.received[0])
    expect(emulator.control.events().map((e) => e.pending_webhooks)).toEqual([0, 0])
  })

  it('delaySeconds: a delivery held back arrives after later events (out of order), on the advance that reaches it', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const hook = endpoint(emulator)
    emulator.control.injectWebhookFaults({ match: { type: 'treasury.financial_account.created' }, fault: { delaySeconds: 60 } })
    const first = await financialAccount(emulator)
    const second = await financialAccount(emulator)
    await emulator.control.deliverEvents()
    const events = emulator.control.events()
    expect(hook.received).toEqual([events[1]?.id])
    expect(emulator.control.scheduledDeliveries()).toMatchObject([{ event: events[0]?.id, reason: 'delay', dueAt: DEFAULT_NOW + 60 }])
    emulator.control.advance(59)
    expect(await emulator.control.deliverEvents()).toEqual([])
    emulator.control.advance(1)
    expect(await emulator.control.deliverEvents()).toMatchObject([{ event: events[0]?.id, ok: true, fault: 'delay 60 s' }])
    expect(hook.received).toEqual([events[1]?.id, events[0]?.id])
    expect([events[0]?.data.object.id, events[1]?.data.object.id]).toEqual([first.id, second.id])
  })

  it('status: the endpoint is not called, the failure is retried on the schedule; match by endpoint and count', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const a = endpoint(emulator)
    const b = endpoint(emulator)
    emulator.control.injectWebhookFaults({ count: 2, match: { endpoint: a.id }, fault: { status: 500 } })
    await financialAccount(emulator)
    await financialAccount(emulator)
    await financialAccount(emulator)
    const first = await emulator.control.deliverEvents()
    expect(first.filter((d) => d.endpoint === a.id).map((d) => [d.ok, d.fault ?? null])).toEqual([
      [false, 'status 500'],
      [false, 'status 500'],
      [true, null],
    ])
    expect(a.received).toHaveLength(1)
    expect(b.received).toHaveLength(3)
    emulator.control.advance(300)
    expect((await emulator.control.deliverEvents()).map((d) => [d.endpoint, d.attempt, d.ok])).toEqual([
      [a.id, 2, true],
      [a.id, 2, true],
    ])
    expect(a.received).toHaveLength(3)
  })

  it('refuses a malformed fault with a TypeError naming it, and clearWebhookFaults() removes them', () => {
    const { control } = createEmulator({ accounts: 'shared' })
    for (const rule of [
      { fault: {} },
      { fault: { duplicate: false } },
      { fault: { delaySeconds: -1 } },
      { fault: { status: 200 } },
      { fault: { status: 500, duplicate: true } },
      { fault: { explode: true } },
      { count: 0, fault: { duplicate: true } },
      { match: { path: '/x' }, fault: { duplicate: true } },
    ]) {
      expect(() => control.injectWebhookFaults(rule as never), JSON.stringify(rule)).toThrow(TypeError)
    }
    control.injectWebhookFaults({ count: 5, fault: { status: 500 } })
    control.clearWebhookFaults()
  })
})

describe('over HTTP with the official stripe package verifying every attempt', () => {
  it('a failed delivery to a URL is retried after POST /_emulator/advance, and each attempt passes stripe.webhooks.constructEvent', async () => {
    const stripe = new Stripe('sk_test_123')
    const received: { id: string; ok: boolean }[] = []
    let answer = 500
    const receiver = createServer((req: IncomingMessage, res) => {
      let body = ''
      req.on('data', (chunk) => {
        body += chunk
      })
      req.on('end', () => {
        const event = stripe.webhooks.constructEvent(body, String(req.headers['stripe-signature']), 'whsec_http')
        received.push({ id: event.id, ok: answer < 300 })
        res.writeHead(answer).end()
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    const server = await startEmulatorServer({ accounts: 'shared', port: 0, now: DEFAULT_NOW })
    try {
      const control = (path: string, body?: unknown, method = 'POST') =>
        fetch(`${server.url}/_emulator${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) =>
          r.json(),
        )
      await control('/webhook-endpoints', {
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
        secret: 'whsec_http',
        events: ['treasury.financial_account.created'],
      })
      await control('/webhook-faults', { fault: { duplicate: true } })
      const api = new Stripe('sk_test_123', { host: '127.0.0.1', port: server.port, protocol: 'http', maxNetworkRetries: 0 })
      await api.treasury.financialAccounts.create({ supported_currencies: ['usd'] })
      const first = (await control('/events/deliver')).data
      expect(first.map((d: { attempt: number; ok: boolean }) => [d.attempt, d.ok])).toEqual([
        [1, false],
        [1, false],
      ])
      expect((await control('/webhook-deliveries/scheduled', undefined, 'GET')).data).toMatchObject([{ attempt: 2, reason: 'retry' }])
      answer = 200
      await control('/advance', { seconds: 300 })
      expect((await control('/events/deliver')).data).toMatchObject([{ attempt: 2, ok: true }])
      expect(received.map((r) => r.ok)).toEqual([false, false, true])
      expect(new Set(received.map((r) => r.id)).size).toBe(1)
      const refused = await fetch(`${server.url}/_emulator/webhook-faults`, {
        method: 'POST',
        body: JSON.stringify({ fault: { nope: 1 } }),
      })
      expect(refused.status).toBe(400)
    } finally {
      await server.close()
      receiver.close()
    }
  })
})
