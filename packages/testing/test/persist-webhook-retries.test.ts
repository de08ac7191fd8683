// Webhook attempts waiting on the clock (retries of failed deliveries, deliveries held back by a
// `delaySeconds` fault) are saved with the account on SQLite: an emulator closed and opened again on
// the same directory (the process killed, a Durable Object evicted) sends them as if it had never
// stopped. Property: for generated endpoint answers, events and restart points, the attempts sent
// (which event, which attempt, its emulator time, its signature's secret) are the same with a
// restart as without one.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import Stripe from 'stripe'
import { afterAll, describe, expect, it } from 'vitest'
import { createPersistentEmulator } from '../src/persistent-emulator.js'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const KEY = 'sk_test_held'
const NOW = 1_714_000_000
const stripe = new Stripe(KEY)

interface Plan {
  /** per event: the endpoint's answers to its attempts in turn (then 200) */
  answers: number[][]
  /** a delaySeconds fault on the first event's first attempt (0: none) */
  delay: number
  /** the emulator is closed and opened again before this step (steps.length: never) */
  restartAt: number
}

/** The clock moves in these steps (seconds): past each retry of the default schedule (300, 3600, 10800), after a delay too. */
const steps = [0, 120, 200, 1_800, 1_900, 5_000, 6_000, 20_000]

/** Runs the plan; the attempts the endpoint saw: [event index, attempt number for that event, emulator time]. */
async function run(plan: Plan, restart: boolean): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'edgestripe-held-'))
  dirs.push(dir)
  const seen: string[] = []
  const calls = new Map<string, number>()
  let secret = ''
  let events: string[] = []
  let clock = () => 0
  let created = () => {}
  const settled = new Promise<void>((resolve) => {
    created = resolve
  })
  const webhookFetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    const body = await request.text()
    // signed with the endpoint's secret, before and after the restart
    const event = stripe.webhooks.constructEvent(body, request.headers.get('stripe-signature') as string, secret)
    // (the first attempt may start before the create's answer reached this test: wait for its id)
    await settled
    const index = events.indexOf((event.data.object as { id: string }).id)
    const call = calls.get(event.id) ?? 0
    calls.set(event.id, call + 1)
    seen.push(`${index}:${call + 1}@${clock() - NOW}`)
    return new Response('ok', { status: plan.answers[index]?.[call] ?? 200 })
  }
  const open = () => createPersistentEmulator({ persist: dir, accounts: 'shared', clock: 'manual', now: NOW, webhookFetch })
  let opened = await open()
  clock = () => opened.emulator.control.now()
  const call = async (path: string, params: Record<string, string>) => {
    const res = await opened.emulator.fetch(`http://127.0.0.1${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params),
    })
    expect(res.status).toBe(200)
    return (await res.json()) as { id: string; secret?: string }
  }
  const endpoint = await call('/v1/webhook_endpoints', {
    url: 'http://127.0.0.1:9/hook',
    'enabled_events[0]': 'treasury.financial_account.created',
  })
  secret = endpoint.secret as string
  if (plan.delay) opened.emulator.control.injectWebhookFaults({ fault: { delaySeconds: plan.delay } })
  for (const _ of plan.answers)
    events = [...events, (await call('/v1/treasury/financial_accounts', { 'supported_currencies[0]': 'usd' })).id]
  created()
  for (const [index, step] of steps.entries()) {
    if (restart && index === plan.restartAt) {
      await opened.emulator.control.deliverEvents()
      opened.close()
      opened = await open()
    }
    opened.emulator.control.advance(step)
    await opened.emulator.control.deliverEvents()
  }
  opened.close()
  return seen
}

describe('webhook retries and delayed deliveries outlive a restart on SQLite', () => {
  it('the same attempts at the same emulator times, with or without a restart at any step', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          answers: fc.array(fc.array(fc.constantFrom(500, 503, 200, 410), { maxLength: 4 }), { minLength: 1, maxLength: 3 }),
          delay: fc.constantFrom(0, 0, 60, 2_000),
          restartAt: fc.integer({ min: 0, max: steps.length - 1 }),
        }),
        async (plan) => {
          const expected = await run(plan, false)
          const got = await run(plan, true)
          expect(got).toEqual(expected)
          // failures were retried: each event's attempts run until a 2xx or the schedule's three retries are spent
          for (const [index, answers] of plan.answers.entries()) {
            const failures = answers.findIndex((status) => status < 300)
            const attempts = Math.min(1 + (failures === -1 ? answers.length : failures), 4)
            expect(got.filter((line) => line.startsWith(`${index}:`))).toHaveLength(attempts)
          }
        },
      ),
      { numRuns: 25 },
    )
  }, 60_000)
})
