import { readFileSync } from 'node:fs'
import { sourceEvents } from '@edgestripe/sources'
import { type TreasuryEvent, treasuryEvents } from '@edgestripe/treasury'
import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  narrowEvent,
  type StripeEvent,
  StripeSignatureVerificationError,
  StripeValidationError,
  signWebhookPayload,
  type ValidationIssue,
  verifyWebhook,
} from '../src'

const fixtures = JSON.parse(readFileSync(new URL('../../../spec/fixtures.latest.json', import.meta.url), 'utf8')).resources
const payment = fixtures['treasury.outbound_payment'] as Record<string, unknown>

const event = (object: unknown, type = 'treasury.outbound_payment.posted'): StripeEvent => ({
  id: 'evt_1',
  object: 'event',
  type,
  api_version: '2026-10-28.endive',
  created: 1_714_000_000,
  livemode: false,
  pending_webhooks: 1,
  request: { id: null, idempotency_key: null },
  data: { object },
})

describe('narrowEvent leniency', () => {
  it('narrows a fixture that matches its schema without reporting anything', () => {
    const onInvalid = (issues: ValidationIssue[]) => expect.unreachable(JSON.stringify(issues))
    expect(narrowEvent(event(payment), treasuryEvents, { onInvalid })?.data.object.id).toBe(payment.id)
  })

  it('still narrows an object from a newer API version missing a required field, and reports it', () => {
    const { statement_descriptor, ...newer } = payment
    expect(statement_descriptor).toBeTypeOf('string')
    const reported: [ValidationIssue[], StripeEvent][] = []
    const input = event(newer)
    const typed = narrowEvent(input, treasuryEvents, { onInvalid: (issues, e) => reported.push([issues, e]) })
    expect(typed?.type).toBe('treasury.outbound_payment.posted')
    expect(typed?.data.object.id).toBe(payment.id)
    expect(reported).toEqual([[[expect.objectContaining({ path: 'statement_descriptor' })], input]])
    // No callback: still returned.
    expect(narrowEvent(event(newer), treasuryEvents)?.data.object).toBe(newer)
  })

  it('throws on any mismatch with strict: true (the old behaviour)', () => {
    const { statement_descriptor: _, ...newer } = payment
    const error = (() => {
      try {
        narrowEvent(event(newer), treasuryEvents, { strict: true })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(StripeValidationError)
    expect((error as Error).message).toMatch(/data\.object\.statement_descriptor/)
  })

  it('throws even when lenient if data.object is not an object, or its id or object does not fit', () => {
    const run = fixtures['reporting.report_run']
    for (const object of [null, 'op_1', { ...payment, id: 1 }, (({ id: _, ...rest }) => rest)(payment), run]) {
      expect(() => narrowEvent(event(object), treasuryEvents)).toThrow(StripeValidationError)
    }
    expect(() => narrowEvent(event(run), treasuryEvents)).toThrow(/data\.object\.object/)
  })
})

describe('verifyWebhook({ events })', () => {
  const secret = 'whsec_test'
  const deliver = async (body: unknown, options: { strict?: boolean } = {}) => {
    const payload = typeof body === 'string' ? body : JSON.stringify(body)
    return verifyWebhook(payload, await signWebhookPayload(payload, secret), secret, { events: treasuryEvents, ...options })
  }

  it("returns the verified event narrowed to the map's union (TreasuryEvent), typed by its type", async () => {
    const typed = await deliver(event(payment))
    expectTypeOf(typed).toEqualTypeOf<TreasuryEvent | undefined>()
    expect(typed?.type).toBe('treasury.outbound_payment.posted')
    if (typed?.type === 'treasury.outbound_payment.posted') expect(typed.data.object.amount).toBe(payment.amount)
  })

  it('returns undefined for a verified event of a type outside the map; several maps spread together widen it', async () => {
    const chargeable = event({ id: 'src_1', object: 'source' }, 'source.chargeable')
    expect(await deliver(chargeable)).toBeUndefined()
    const payload = JSON.stringify(chargeable)
    const both = await verifyWebhook(payload, await signWebhookPayload(payload, secret), secret, {
      events: { ...treasuryEvents, ...sourceEvents },
    })
    expect(both?.type).toBe('source.chargeable')
  })

  it('a payload that is no event, or an object that does not fit, is invalid_payload (one catch for every failure)', async () => {
    const run = fixtures['reporting.report_run']
    const { statement_descriptor: _, ...newer } = payment
    for (const [body, options] of [
      ['3', {}],
      ['[]', {}],
      ['null', {}],
      [event(run), {}],
      [event(newer), { strict: true }],
    ] as const) {
      const error = await deliver(body, options).catch((e: unknown) => e)
      expect(error, JSON.stringify(body)).toBeInstanceOf(StripeSignatureVerificationError)
      expect((error as StripeSignatureVerificationError).reason).toBe('invalid_payload')
    }
    // lenient by default: a newer object missing a field is still returned
    expect((await deliver(event(newer)))?.data.object.id).toBe(payment.id)
  })

  it('without events it is as before (a StripeEvent, or the type asked for)', async () => {
    const payload = JSON.stringify(event(payment))
    const plain = await verifyWebhook(payload, await signWebhookPayload(payload, secret), secret)
    expectTypeOf(plain).toEqualTypeOf<StripeEvent>()
    expect(plain.id).toBe('evt_1')
  })
})
