// Identity in the emulator: verification sessions and their outcomes (verified, requires_input,
// canceled, redacted), the reports they produce and their events; through the SDK
// (@edgestripe/identity, strict response validation) and the official `stripe` package.
import { createStripe, narrowEvent } from '@edgestripe/core'
import {
  cancelVerificationSession,
  createVerificationSession,
  identityEvents,
  listVerificationReports,
  listVerificationSessions,
  redactVerificationSession,
  retrieveVerificationReport,
  retrieveVerificationSession,
  updateVerificationSession,
} from '@edgestripe/identity'
import Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_NOW } from '../src/index.js'
import { call } from './helpers.js'

function setup() {
  const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
  const stripe = createStripe({ apiKey: 'sk_test_123', fetch: emulator.fetch, maxRetries: 0, validateResponses: 'strict' })
  return { emulator, stripe }
}

describe('identity verification sessions (SDK)', () => {
  it('create gives requires_input with a client_secret and url; verify produces a verified report and events', async () => {
    const { emulator, stripe } = setup()
    const session = await createVerificationSession(stripe, { type: 'document', metadata: { user: 'u_1' }, client_reference_id: 'u_1' })
    expect(session).toMatchObject({
      object: 'identity.verification_session',
      status: 'requires_input',
      type: 'document',
      metadata: { user: 'u_1' },
    })
    expect(session.client_secret).toMatch(new RegExp(`^${session.id}_secret_`))
    expect(session.url).toMatch(/^https:\/\/verify\.stripe\.com\//)

    const updated = await updateVerificationSession(stripe, session.id, { options: { document: { require_matching_selfie: true } } })
    expect(updated.options?.document).toMatchObject({ require_matching_selfie: true })

    const verified = emulator.control.verifyIdentitySession(session.id)
    expect(verified.status).toBe('verified')
    expect(verified.client_secret).toBeNull()
    expect(verified.url).toBeNull()
    const report = await retrieveVerificationReport(stripe, verified.last_verification_report as string)
    expect(report).toMatchObject({ verification_session: session.id, type: 'document', client_reference_id: 'u_1' })
    expect(report.document?.status).toBe('verified')
    expect((await listVerificationReports(stripe, { verification_session: session.id })).data.map((r) => r.id)).toEqual([report.id])
    expect((await retrieveVerificationSession(stripe, session.id)).verified_outputs?.first_name).toBe('Jenny')

    expect(emulator.control.events().map((e) => e.type)).toEqual([
      'identity.verification_session.created',
      'identity.verification_session.processing',
      'identity.verification_session.verified',
    ])
    for (const event of emulator.control.events()) {
      const typed = narrowEvent(event as never, identityEvents)
      expect(typed?.data.object.id).toBe(session.id)
    }
    // a verified session cannot be verified again
    expect(() => emulator.control.verifyIdentitySession(session.id)).toThrow(/status of verified/)
  })

  it('a failed check returns the session to requires_input with last_error and an unverified report; it can then be verified', async () => {
    const { emulator, stripe } = setup()
    const session = await createVerificationSession(stripe, { type: 'document' })
    const failed = emulator.control.failIdentitySession(session.id, 'document_expired')
    expect(failed.status).toBe('requires_input')
    expect(failed.last_error).toMatchObject({ code: 'document_expired' })
    expect(failed.client_secret).toMatch(/_secret_/)
    const report = await retrieveVerificationReport(stripe, failed.last_verification_report as string)
    expect(report.document?.status).toBe('unverified')
    expect(report.document?.error?.code).toBe('document_expired')
    expect(emulator.control.verifyIdentitySession(session.id).status).toBe('verified')
    expect((await listVerificationReports(stripe, { verification_session: session.id })).data).toHaveLength(2)
    expect(emulator.control.events().map((e) => e.type)).toContain('identity.verification_session.requires_input')
    expect(() => emulator.control.failIdentitySession(session.id, 'not_a_code')).toThrow(/Invalid code/)
  })

  it('cancel (only from requires_input) and redact, with their events; lists filter by status', async () => {
    const { emulator, stripe } = setup()
    const one = await createVerificationSession(stripe, { type: 'id_number' })
    const two = await createVerificationSession(stripe, { type: 'document' })
    const canceled = await cancelVerificationSession(stripe, one.id)
    expect(canceled).toMatchObject({ status: 'canceled', client_secret: null, url: null })
    const again = await call(emulator, 'POST', `/v1/identity/verification_sessions/${one.id}/cancel`)
    expect(again.status).toBe(400)
    expect(again.body.error.code).toBe('session_invalid_status')
    emulator.control.verifyIdentitySession(two.id)
    const redacted = await redactVerificationSession(stripe, two.id)
    expect(redacted.redaction).toEqual({ status: 'redacted' })
    expect(redacted.verified_outputs).toBeNull()
    expect((await listVerificationSessions(stripe, { status: 'canceled' })).data.map((s) => s.id)).toEqual([one.id])
    const types = emulator.control.events().map((e) => e.type)
    expect(types).toContain('identity.verification_session.canceled')
    expect(types).toContain('identity.verification_session.redacted')
    // updating a finished session is refused
    const update = await call(emulator, 'POST', `/v1/identity/verification_sessions/${one.id}`, { metadata: { a: 'b' } })
    expect(update.status).toBe(400)
  })
})

describe('identity through the official stripe package (in-process fetch)', () => {
  it('creates, retrieves, verifies and lists', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const stripe = new Stripe('sk_test_123', { httpClient: Stripe.createFetchHttpClient(emulator.fetch), maxNetworkRetries: 0 })
    const session = await stripe.identity.verificationSessions.create({ type: 'document' })
    expect(session.client_secret).toBeTruthy()
    expect(session.url).toBeTruthy()
    emulator.control.verifyIdentitySession(session.id)
    const done = await stripe.identity.verificationSessions.retrieve(session.id, { expand: ['last_verification_report'] })
    expect(done.status).toBe('verified')
    const reports = await stripe.identity.verificationReports.list({ verification_session: session.id })
    expect(reports.data).toHaveLength(1)
    expect((await stripe.identity.verificationSessions.cancel((await stripe.identity.verificationSessions.create({})).id)).status).toBe(
      'canceled',
    )
  })
})
