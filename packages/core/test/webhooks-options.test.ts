// Issue 8.9: verifyWebhook's options cannot silently disable a check, and a missing secret is a
// StripeSignatureVerificationError (not WebCrypto's raw DataError). One rule: verifyWebhook
// returns a verified event or throws StripeSignatureVerificationError, whatever it is given.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { StripeSignatureVerificationError, signWebhookPayload, verifyWebhook } from '../src'

const secret = 'whsec_test_secret'
const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'thing.updated' })
const now = 1_800_000_000

async function failure(call: () => Promise<unknown>): Promise<StripeSignatureVerificationError> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(StripeSignatureVerificationError)
  return error as StripeSignatureVerificationError
}

describe('verifyWebhook options and secret', () => {
  it('refuses a tolerance that is NaN, negative, infinite or not a number, even for a fresh valid signature', async () => {
    const header = await signWebhookPayload(payload, secret, { timestamp: now })
    const bad = fc.oneof(
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, -0.5, '300', null),
      fc.double({ max: -Number.MIN_VALUE, noNaN: true }),
    )
    await fc.assert(
      fc.asyncProperty(bad, async (tolerance) => {
        const error = await failure(() => verifyWebhook(payload, header, secret, { tolerance: tolerance as number, now }))
        expect(error.reason).toBe('invalid_options')
        expect(error.message).toMatch(/tolerance must be a finite number/)
      }),
    )
  })

  it('refuses a non-finite now (it would disable the age check)', async () => {
    const old = await signWebhookPayload(payload, secret, { timestamp: now - 10_000 })
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect((await failure(() => verifyWebhook(payload, old, secret, { now: value }))).reason).toBe('invalid_options')
    }
  })

  it('any finite tolerance ≥ 0 keeps the age check: too old beyond it, accepted within (0 = off)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 20_000 }), async (tolerance, age) => {
        const header = await signWebhookPayload(payload, secret, { timestamp: now - age })
        const result = verifyWebhook(payload, header, secret, { tolerance, now })
        if (tolerance > 0 && age > tolerance) expect((await failure(() => result)).reason).toBe('too_old')
        else expect(await result).toMatchObject({ id: 'evt_1' })
      }),
      { numRuns: 60 },
    )
  })

  it('a missing or empty secret is a StripeSignatureVerificationError (no_secret), never a raw DataError', async () => {
    const header = await signWebhookPayload(payload, secret, { timestamp: now })
    for (const value of ['', undefined, null, 42, {}]) {
      const error = await failure(() => verifyWebhook(payload, header, value as string, { now }))
      expect(error.reason).toBe('no_secret')
      const signing = await failure(() => signWebhookPayload(payload, value as string))
      expect(signing.reason).toBe('no_secret')
    }
  })
})
