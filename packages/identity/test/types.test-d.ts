import { createStripe, narrowEvent, type StripeEvent, type WithResponse } from '@edgestripe/core'
import {
  createVerificationSession,
  type IdentityEvent,
  identityEvents,
  identityPlugin,
  retrieveVerificationReport,
  type VerificationReport,
  type VerificationSession,
} from '@edgestripe/identity'
import { describe, expectTypeOf, it } from 'vitest'

declare const event: StripeEvent

describe('identity types', () => {
  it('types results, the plugin and the events', async () => {
    const stripe = createStripe({ apiKey: 'sk_test_123', plugins: [identityPlugin] })
    const session = await createVerificationSession(stripe, { type: 'document' })
    expectTypeOf(session).not.toBeAny()
    expectTypeOf(session).toEqualTypeOf<WithResponse<VerificationSession>>()
    expectTypeOf<VerificationSession['status']>().toEqualTypeOf<'canceled' | 'processing' | 'requires_input' | 'verified'>()
    expectTypeOf<VerificationSession['client_secret']>().toEqualTypeOf<string | null | undefined>()
    expectTypeOf(await retrieveVerificationReport(stripe, 'vr_1')).toEqualTypeOf<WithResponse<VerificationReport>>()
    expectTypeOf(await stripe.identity.verificationSessions.redact('vs_1')).toEqualTypeOf<WithResponse<VerificationSession>>()
    // @ts-expect-error not a param of create
    createVerificationSession(stripe, { type: 'document', nope: 1 })

    const typed = narrowEvent(event, identityEvents)
    if (typed?.type === 'identity.verification_session.verified') expectTypeOf(typed.data.object).toEqualTypeOf<VerificationSession>()
    expectTypeOf<IdentityEvent['type']>().toEqualTypeOf<
      | 'identity.verification_session.canceled'
      | 'identity.verification_session.created'
      | 'identity.verification_session.processing'
      | 'identity.verification_session.redacted'
      | 'identity.verification_session.requires_input'
      | 'identity.verification_session.verified'
    >()
  })
})
