import Stripe from 'stripe'
import * as v from 'valibot'
import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  narrowEvent,
  type StripeEvent,
  StripeSignatureVerificationError,
  StripeValidationError,
  signWebhookPayload,
  verifyWebhook,
} from '../src'

const stripe = new Stripe('sk_test_123')
const secret = 'whsec_test_secret'
const event = { id: 'evt_1', object: 'event', type: 'thing.updated', data: { object: { id: 'th_1', amount: 5 } } }
const payload = JSON.stringify(event, null, 2)
const now = Math.floor(Date.now() / 1000)

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(StripeSignatureVerificationError)
  return (error as StripeSignatureVerificationError).reason
}

describe('verifyWebhook', () => {
  it('verifies headers made by the official stripe package', async () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: now })
    expect(await verifyWebhook(payload, header, secret)).toEqual(event)
    expect(await verifyWebhook(new TextEncoder().encode(payload), header, secret)).toEqual(event)
  })

  it('signs headers the official stripe package accepts', async () => {
    const header = await signWebhookPayload(payload, secret, { timestamp: now })
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
    expect(header).toBe(stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: now }))
    expect(stripe.webhooks.constructEvent(payload, header, secret)).toEqual(event)
    expect(await stripe.webhooks.constructEventAsync(payload, await signWebhookPayload(payload, secret), secret)).toEqual(event)
  })

  it('accepts any of several v1 signatures (secret rotation) and ignores other schemes', async () => {
    const good = (await signWebhookPayload(payload, secret, { timestamp: now })).split('v1=')[1]
    const header = `t=${now},v1=${'0'.repeat(64)},v0=abc,v1=${good}`
    expect(await verifyWebhook(payload, header, secret)).toEqual(event)
  })

  it('says which check failed', async () => {
    const header = await signWebhookPayload(payload, secret, { timestamp: now })
    expect(await reasonOf(verifyWebhook(payload, undefined, secret))).toBe('no_header')
    expect(await reasonOf(verifyWebhook(payload, '', secret))).toBe('no_header')
    expect(await reasonOf(verifyWebhook(payload, 'v1=abc', secret))).toBe('no_timestamp')
    expect(await reasonOf(verifyWebhook(payload, `t=${now},v0=abc`, secret))).toBe('no_signature')
    expect(await reasonOf(verifyWebhook(payload, header, 'whsec_other'))).toBe('no_match')
    expect(await reasonOf(verifyWebhook(`${payload} `, header, secret))).toBe('no_match')
    expect(
      await reasonOf(
        verifyWebhook(
          payload,
          header.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')),
          secret,
        ),
      ),
    ).toBe('no_match')
    const old = await signWebhookPayload(payload, secret, { timestamp: now - 301 })
    expect(await reasonOf(verifyWebhook(payload, old, secret))).toBe('too_old')
    expect(await verifyWebhook(payload, old, secret, { tolerance: 400 })).toEqual(event)
    expect(await verifyWebhook(payload, old, secret, { tolerance: 0 })).toEqual(event)
    expect(await verifyWebhook(payload, header, secret, { now: now + 299 })).toEqual(event)
    const notJson = await signWebhookPayload('nope', secret, { timestamp: now })
    expect(await reasonOf(verifyWebhook('nope', notJson, secret))).toBe('invalid_payload')
  })

  it('rejects what the official package rejects (tampered, old, wrong secret)', async () => {
    const cases = [
      { body: payload, header: stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_x', timestamp: now }) },
      { body: payload, header: stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: now - 1000 }) },
      { body: `${payload}x`, header: stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: now }) },
    ]
    for (const { body, header } of cases) {
      expect(() => stripe.webhooks.constructEvent(body, header, secret)).toThrow()
      await expect(verifyWebhook(body, header, secret)).rejects.toThrow(StripeSignatureVerificationError)
    }
  })
})

describe('narrowEvent', () => {
  const Thing = v.looseObject({ id: v.string(), amount: v.number() })
  const events = { 'thing.updated': Thing, 'thing.deleted': Thing }

  it('narrows by type and validates data.object', async () => {
    const verified = await verifyWebhook(payload, await signWebhookPayload(payload, secret), secret)
    const typed = narrowEvent(verified, events)
    expectTypeOf(typed).toEqualTypeOf<
      StripeEvent<'thing.updated', v.InferOutput<typeof Thing>> | StripeEvent<'thing.deleted', v.InferOutput<typeof Thing>> | undefined
    >()
    if (typed?.type === 'thing.updated') expect(typed.data.object.amount).toBe(5)
    else expect.unreachable()
    expect(narrowEvent({ ...verified, type: 'other.event' }, events)).toBeUndefined()
    expect(narrowEvent({ ...verified, type: 'toString' }, events)).toBeUndefined()
    expect(() => narrowEvent({ ...verified, data: { object: { id: 1 } } }, events)).toThrow(StripeValidationError)
  })
})
