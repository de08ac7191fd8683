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

  it('accepts the body as an ArrayBuffer (request.arrayBuffer()) or a Uint8Array view, as the official package does', async () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: now })
    const body = await new Request('https://example.com', { method: 'POST', body: payload }).arrayBuffer()
    expect(body).toBeInstanceOf(ArrayBuffer)
    expect(await verifyWebhook(body, header, secret)).toEqual(event)
    const padded = new TextEncoder().encode(`xx${payload}yy`)
    expect(await verifyWebhook(padded.subarray(2, -2), header, secret)).toEqual(event)
    expect(stripe.webhooks.constructEvent(Buffer.from(body), header, secret)).toEqual(event)
    expect(await signWebhookPayload(body, secret, { timestamp: now })).toBe(header)
  })

  it('rejects a payload that is not the raw body with a typed error, not a RangeError', async () => {
    const header = await signWebhookPayload(payload, secret, { timestamp: now })
    for (const body of [event, null, undefined, 42, [1, 2]]) {
      expect(await reasonOf(verifyWebhook(body as never, header, secret))).toBe('invalid_payload')
    }
  })

  it('reads a repeated t= as stripe-node does: the last one counts', async () => {
    const header = await signWebhookPayload(payload, secret, { timestamp: now })
    const sig = header.split(',')[1]
    const cases = [`t=${now - 1000},t=${now},${sig}`, `t=${now},t=${now - 1000},${sig}`, `t=${now},${sig},t=${now}`, `t=${now},t=x,${sig}`]
    for (const h of cases) {
      let official = true
      try {
        stripe.webhooks.constructEvent(payload, h, secret)
      } catch {
        official = false
      }
      const ours = await verifyWebhook(payload, h, secret).then(
        () => true,
        () => false,
      )
      expect([h, ours]).toEqual([h, official])
    }
    expect(await verifyWebhook(payload, cases[0]!, secret)).toEqual(event)
    expect(await reasonOf(verifyWebhook(payload, cases[1]!, secret))).toBe('no_match')
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
