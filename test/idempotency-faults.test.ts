// One object per idempotency key, whatever the network does: every money-moving create of the
// SDK, driven against the emulator while generated fault sequences hit its POSTs — connections
// reset before or after the server commits, 409/429/500/503 answers before or after it, answers
// that arrive after the client's timeout. The SDK retries; the property: at most one object is
// created per call, exactly one when the call succeeds (and it is the one returned), every
// attempt carries the same Idempotency-Key, a failed call's error carries that key, and sending
// again with it never creates a second object. And the API key shows nowhere: not in the error
// (message, stack, fields), not in what the hooks see, not in the debug log.
import { createStripe, type StripeClient, StripeError } from '@edgestripe/core'
import { logging } from '@edgestripe/core/logging'
import { createReportRun, retrieveReportType } from '@edgestripe/reporting'
import { createEmulator, type Emulator } from '@edgestripe/testing'
import {
  createFinancialAccount,
  createInboundTransfer,
  createOutboundPayment,
  createOutboundTransfer,
  updateFinancialAccountFeatures,
} from '@edgestripe/treasury'
import { createReceivedCredit, createReceivedDebit } from '@edgestripe/treasury/test-helpers'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

type Fault =
  | { reset: true; after: 'before' | 'process' }
  | { status: number; after: 'before' | 'process' }
  | { delayMs: number; after: 'process' }

const TIMEOUT = 40
const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ reset: fc.constant(true as const), after: fc.constantFrom('before' as const, 'process' as const) }),
  fc.record({ status: fc.constantFrom(409, 429, 500, 503), after: fc.constantFrom('before' as const, 'process' as const) }),
  // the answer comes after the client gave up on the attempt (the server did commit)
  fc.record({ delayMs: fc.constant(TIMEOUT * 3), after: fc.constant('process' as const) }),
)

interface Case {
  name: string
  path: string
  kind: string
  /** Prepares what the create needs; returns the call. */
  setup: (stripe: StripeClient, fa: string) => Promise<(options: { idempotencyKey?: string }) => Promise<{ id: string }>>
}

const CASES: Case[] = [
  ...(
    [
      ['createOutboundPayment', 'outbound_payment', createOutboundPayment],
      ['createOutboundTransfer', 'outbound_transfer', createOutboundTransfer],
    ] as const
  ).map(
    ([name, object, create]): Case => ({
      name,
      path: `/v1/treasury/${object}s`,
      kind: `treasury.${object}`,
      // financial account to financial account: money that moves inside the emulator
      setup: async (stripe, fa) => {
        const other = await createFinancialAccount(stripe, { supported_currencies: ['usd'] })
        const destination_payment_method_data = { type: 'financial_account' as const, financial_account: other.id }
        return (options) =>
          create(stripe, { financial_account: fa, amount: 100, currency: 'usd', destination_payment_method_data }, options)
      },
    }),
  ),
  {
    name: 'createInboundTransfer',
    path: '/v1/treasury/inbound_transfers',
    kind: 'treasury.inbound_transfer',
    setup: async (stripe, fa) => (options) =>
      createInboundTransfer(
        stripe,
        { financial_account: fa, amount: 100, currency: 'usd', origin_payment_method: 'pm_usBankAccount' },
        options,
      ),
  },
  {
    name: 'createReceivedCredit (test helper)',
    path: '/v1/test_helpers/treasury/received_credits',
    kind: 'treasury.received_credit',
    setup: async (stripe, fa) => (options) =>
      createReceivedCredit(stripe, { financial_account: fa, amount: 100, currency: 'usd', network: 'ach' }, options),
  },
  {
    name: 'createReceivedDebit (test helper)',
    path: '/v1/test_helpers/treasury/received_debits',
    kind: 'treasury.received_debit',
    setup: async (stripe, fa) => (options) =>
      createReceivedDebit(stripe, { financial_account: fa, amount: 100, currency: 'usd', network: 'ach' }, options),
  },
  {
    name: 'createReportRun',
    path: '/v1/reporting/report_runs',
    kind: 'reporting.report_run',
    setup: async (stripe) => {
      const type = await retrieveReportType(stripe, 'balance.summary.1')
      const parameters = { interval_start: type.data_available_start, interval_end: type.data_available_end }
      return (options) => createReportRun(stripe, { report_type: 'balance.summary.1', parameters }, options)
    },
  },
]

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function world(): Promise<{ emulator: Emulator; stripe: StripeClient; fa: string; apiKey: string; seen: string[] }> {
  const emulator = createEmulator({ accounts: 'shared' })
  const apiKey = `sk_test_${crypto.randomUUID().replace(/-/g, '')}`
  const seen: string[] = []
  const log = (...parts: unknown[]) => seen.push(parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' '))
  const stripe = createStripe({
    apiKey,
    plugins: [logging({ logger: { debug: log, info: log, warn: log, error: log }, level: 'debug' })],
    fetch: emulator.fetch,
    timeout: TIMEOUT,
    maxRetries: 5,
    retryBaseDelay: 1,
    retryMaxDelay: 2,
  })
  const capture = (...args: unknown[]) => {
    for (const arg of args) {
      if (arg && typeof arg === 'object' && 'headers' in arg && (arg as { headers: unknown }).headers instanceof Headers) {
        seen.push(JSON.stringify([...((arg as { headers: Headers }).headers as Headers)]))
      }
      seen.push(String(arg), JSON.stringify(arg, (_key, value) => (typeof value === 'bigint' ? String(value) : value)) ?? '')
    }
  }
  for (const hook of ['request:before', 'response:after', 'retry:before', 'error'] as const) stripe.hooks.hook(hook, capture)
  const fa = await createFinancialAccount(stripe, { supported_currencies: ['usd'] })
  await updateFinancialAccountFeatures(stripe, fa.id, {
    inbound_transfers: { ach: { requested: true } },
    outbound_payments: { ach: { requested: true } },
    outbound_transfers: { ach: { requested: true } },
  })
  await createReceivedCredit(stripe, { financial_account: fa.id, amount: 1_000_000, currency: 'usd', network: 'ach' })
  return { emulator, stripe, fa: fa.id, apiKey, seen }
}

describe('one object per idempotency key, whatever faults hit the POSTs (fast-check)', () => {
  for (const item of CASES) {
    it(item.name, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fault, { maxLength: 6 }), fc.boolean(), async (faults, ownKey) => {
          const { emulator, stripe, fa, apiKey, seen: exposed } = await world()
          const create = await item.setup(stripe, fa)
          const before = emulator.control.objects(item.kind as never).length
          const seen = emulator.control.requests().length
          for (const one of faults) {
            emulator.control.injectFaults({ count: 1, match: { method: 'POST', path: item.path }, fault: one })
          }
          const options = ownKey ? { idempotencyKey: `key-${faults.length}-${Math.random()}` } : {}
          const outcome = await create(options).then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          )
          await sleep(TIMEOUT * 4) // answers delayed past the timeout land before counting
          emulator.control.clearFaults()

          const created = emulator.control.objects(item.kind as never).length - before
          const posts = emulator.control
            .requests()
            .slice(seen)
            .filter((entry) => entry.method === 'POST' && entry.path === item.path)
          const keys = new Set(posts.map((entry) => entry.idempotencyKey))
          expect(keys.size, 'one Idempotency-Key for every attempt').toBe(1)
          const [key] = keys
          expect(key).toBeTruthy()
          if (ownKey) expect(key).toBe(options.idempotencyKey)
          expect(created, 'at most one object per call').toBeLessThanOrEqual(1)
          if ('error' in outcome) {
            const error = outcome.error as Error
            exposed.push(error.message, String(error.stack), JSON.stringify(error), JSON.stringify(Object.entries(error)))
          }
          expect(exposed.length, 'hooks and the debug log saw the calls').toBeGreaterThan(posts.length)
          expect(
            exposed.filter((text) => text.includes(apiKey.slice(8))),
            'the key appears nowhere',
          ).toEqual([])

          if ('value' in outcome) {
            expect(created).toBe(1)
            expect(emulator.control.objects(item.kind as never).map((object) => (object as { id: string }).id)).toContain(outcome.value.id)
            return
          }
          expect(outcome.error).toBeInstanceOf(StripeError)
          expect((outcome.error as StripeError).idempotencyKey, 'a failed POST carries its key').toBe(key)
          // sending again with the key: the committed object if there is one, else a new one — one in all
          const again = await create({ idempotencyKey: key as string })
          expect(emulator.control.objects(item.kind as never).length - before).toBe(1)
          if (created === 1) {
            const ids = emulator.control.objects(item.kind as never).map((object) => (object as { id: string }).id)
            expect(ids).toContain(again.id)
          }
        }),
        { numRuns: 25 },
      )
    }, 120_000)
  }
})
