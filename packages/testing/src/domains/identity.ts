import type { AccountOption } from '../controls.js'
import { type DomainKit, defineEmulatorDomain, type EmulatorDomain, type HandlerContext } from '../domain.js'
import { invalidRequest, resourceMissing } from '../errors.js'
import type { Resources } from '../generated/resources.js'
import { newId, randomToken } from '../ids.js'
import { applyMetadata, fromTemplate, mergeParams } from '../objects.js'
import { paginate } from '../pagination.js'
import type { AccountStore } from '../store.js'

type Session = Resources['identity.verification_session']
type Report = Resources['identity.verification_report']

/** `last_error.code`s Stripe sets when a session needs the user again (the spec's enum). */
const INPUT_ERRORS = [
  'abandoned',
  'consent_declined',
  'country_not_supported',
  'device_not_supported',
  'document_expired',
  'document_type_not_supported',
  'document_unverified_other',
  'email_unverified_other',
  'email_verification_declined',
  'id_number_insufficient_document_data',
  'id_number_mismatch',
  'id_number_unverified_other',
  'phone_unverified_other',
  'phone_verification_declined',
  'selfie_document_missing_photo',
  'selfie_face_mismatch',
  'selfie_manipulated',
  'selfie_unverified_other',
  'under_supported_age',
]

function getSession(store: AccountStore, id: string, param = 'session'): Session {
  const session = store.get('identity.verification_session', id)
  if (!session) throw resourceMissing('verification session', id, param)
  return session
}

/** While a session can still be completed it has a client secret and a hosted-flow url; after, neither. */
function openFlow(session: Session): void {
  session.client_secret = `${session.id}_secret_${randomToken(24)}`
  session.url = `https://verify.stripe.com/start/test_${randomToken(32)}`
}
function closeFlow(session: Session): void {
  session.client_secret = null
  session.url = null
}

function requireStatus(session: Session, allowed: readonly string[], action: string): void {
  // as Stripe: "Redacted objects cannot be updated or used for any purpose"
  if (session.redaction) {
    throw invalidRequest(
      `This VerificationSession cannot be ${action} because it has been redacted. Redacted objects cannot be updated or used for any purpose.`,
    )
  }
  if (!allowed.includes(session.status)) {
    throw invalidRequest(
      `This VerificationSession cannot be ${action} because it has a status of ${session.status}.`,
      undefined,
      'session_invalid_status',
    )
  }
}

/** The report a finished attempt produces: `verified` checks pass; an `error` fails the document check. */
function createReport(store: AccountStore, now: number, session: Session, error: { code: string; reason: string } | null): Report {
  const template = fromTemplate('identity.verification_report', {})
  const document =
    session.type === 'document' ? { ...structuredClone(template.document), status: error ? 'unverified' : 'verified', error } : undefined
  const report = fromTemplate('identity.verification_report', {
    id: newId('vr'),
    created: now,
    client_reference_id: session.client_reference_id ?? null,
    type: session.type === 'id_number' ? 'id_number' : 'document',
    verification_session: session.id,
    options: structuredClone(session.options ?? {}),
    ...(document ? { document } : {}),
  } as Partial<Report>)
  if (session.type === 'id_number') {
    ;(report as Record<string, unknown>).document = undefined
    ;(report as Record<string, unknown>).id_number = {
      dob: error ? null : { day: 1, month: 1, year: 1990 },
      error,
      first_name: error ? null : 'Jenny',
      id_number: null,
      id_number_type: error ? null : 'us_ssn',
      last_name: error ? null : 'Rosen',
      status: error ? 'unverified' : 'verified',
    }
  }
  return store.insert(JSON.parse(JSON.stringify(report)) as Report)
}

export interface IdentityControl {
  /** the user submitted and the checks pass: `processing` then `verified`, a verified report */
  verifyIdentitySession(id: string, options?: AccountOption): Session
  /**
   * the checks fail: `processing` then back to `requires_input` with `last_error` (`code`, default
   * `document_unverified_other`) and an unverified report; the session can be tried again
   */
  failIdentitySession(id: string, code?: string, options?: AccountOption): Session
}

function identityControl(kit: DomainKit): IdentityControl {
  const finish = (id: string, error: { code: string; reason: string } | null, options?: AccountOption): Session => {
    const store = kit.store(options)
    const session = getSession(store, id, 'id')
    requireStatus(session, ['requires_input', 'processing'], 'submitted')
    const now = kit.state.clock.now
    session.status = 'processing'
    session.last_error = null
    kit.raise('identity.verification_session.processing', session, options)
    const report = createReport(store, now, session, error)
    session.last_verification_report = report.id
    if (error) {
      session.status = 'requires_input'
      session.last_error = error as Session['last_error']
      openFlow(session)
      kit.raise('identity.verification_session.requires_input', session, options)
    } else {
      session.status = 'verified'
      closeFlow(session)
      session.verified_outputs = {
        address: report.document?.address ?? null,
        dob: null,
        email: session.provided_details?.email ?? null,
        first_name: 'Jenny',
        id_number: null,
        id_number_type: null,
        last_name: 'Rosen',
        phone: session.provided_details?.phone ?? null,
      } as Session['verified_outputs']
      kit.raise('identity.verification_session.verified', session, options)
    }
    return structuredClone(session)
  }
  return {
    verifyIdentitySession: (id, options) => finish(id, null, options),
    failIdentitySession(id, code = 'document_unverified_other', options) {
      if (!INPUT_ERRORS.includes(code)) throw invalidRequest(`Invalid code: must be one of ${INPUT_ERRORS.join(', ')}.`, 'code')
      return finish(id, { code, reason: `The emulator failed this verification (${code}).` }, options)
    },
  }
}

function session(ctx: HandlerContext<unknown, { session: string }>): Session {
  return getSession(ctx.store, ctx.pathParams.session)
}

/**
 * Identity: verification sessions (`requires_input` with a `client_secret` and `url` on create;
 * controls for the verified and requires_input outcomes; cancel and redact through the API) and
 * the verification reports each attempt produces. Events: `identity.verification_session.*`.
 */
export const identity: EmulatorDomain<'identity', IdentityControl> = /* @__PURE__ */ defineEmulatorDomain({
  name: 'identity',
  prefixes: ['/v1/identity/'],
  handlers: {
    PostIdentityVerificationSessions: (ctx) => {
      const p = ctx.params
      const type = p.type ?? 'document'
      if (type !== 'document' && type !== 'id_number') throw invalidRequest(`Invalid type: ${type}.`, 'type')
      const created = fromTemplate('identity.verification_session', {
        id: newId('vs'),
        created: ctx.now,
        client_reference_id: p.client_reference_id ?? null,
        last_error: null,
        last_verification_report: null,
        metadata: {},
        options: type === 'document' ? ((mergeParams({}, p.options || {}) as Session['options']) ?? {}) : {},
        provided_details: p.provided_details ? (p.provided_details as Session['provided_details']) : null,
        redaction: null,
        status: 'requires_input',
        type,
        verified_outputs: null,
      } as Partial<Session>)
      openFlow(created)
      applyMetadata(created as unknown as Record<string, unknown>, p.metadata)
      return ctx.store.insert(created)
    },
    GetIdentityVerificationSessionsSession: (ctx) => session(ctx),
    PostIdentityVerificationSessionsSession: (ctx) => {
      const current = session(ctx)
      requireStatus(current, ['requires_input'], 'updated')
      const p = ctx.params
      if (p.type !== undefined) {
        if (p.type !== 'document' && p.type !== 'id_number') throw invalidRequest(`Invalid type: ${p.type}.`, 'type')
        current.type = p.type
      }
      if (p.options !== undefined) current.options = (mergeParams(current.options, p.options) ?? {}) as Session['options']
      if (p.provided_details !== undefined) current.provided_details = (p.provided_details || null) as Session['provided_details']
      applyMetadata(current as unknown as Record<string, unknown>, p.metadata)
      return current
    },
    GetIdentityVerificationSessions: (ctx) =>
      paginate(ctx.store, {
        kind: 'identity.verification_session',
        filter: (s) =>
          (!ctx.params.status || s.status === ctx.params.status) &&
          (!ctx.params.client_reference_id || s.client_reference_id === ctx.params.client_reference_id),
        params: ctx.params,
        url: '/v1/identity/verification_sessions',
      }),
    PostIdentityVerificationSessionsSessionCancel: (ctx) => {
      const current = session(ctx)
      requireStatus(current, ['requires_input'], 'canceled')
      current.status = 'canceled'
      closeFlow(current)
      return current
    },
    PostIdentityVerificationSessionsSessionRedact: (ctx) => {
      const current = session(ctx)
      requireStatus(current, ['requires_input', 'verified', 'canceled'], 'redacted')
      // Stripe redacts asynchronously; the emulator finishes at once (status `redacted`, one event).
      // As on Stripe, redacting a session still waiting for input cancels it.
      if (current.status === 'requires_input') current.status = 'canceled'
      current.redaction = { status: 'redacted' }
      current.verified_outputs = null
      current.provided_details = null
      current.metadata = {}
      closeFlow(current)
      for (const report of ctx.store.list('identity.verification_report', (r) => r.verification_session === current.id)) {
        if (report.document) report.document = { ...report.document, first_name: '[redacted]', last_name: '[redacted]', address: null }
      }
      return current
    },
    GetIdentityVerificationReportsReport: (ctx) => {
      const id = ctx.pathParams.report
      const report = ctx.store.get('identity.verification_report', id)
      if (!report) throw resourceMissing('verification report', id, 'report')
      return report
    },
    GetIdentityVerificationReports: (ctx) => {
      const p = ctx.params
      return paginate(ctx.store, {
        kind: 'identity.verification_report',
        ...(p.verification_session ? { by: ['verification_session', p.verification_session] as const } : {}),
        filter: (r) => (!p.type || r.type === p.type) && (!p.client_reference_id || r.client_reference_id === p.client_reference_id),
        params: p,
        url: '/v1/identity/verification_reports',
      })
    },
  },
  events: {
    PostIdentityVerificationSessions: (result) => [['identity.verification_session.created', result]],
    PostIdentityVerificationSessionsSessionCancel: (result) => [['identity.verification_session.canceled', result]],
    PostIdentityVerificationSessionsSessionRedact: (result) => [['identity.verification_session.redacted', result]],
  },
  controls: identityControl,
  controlRoutes: [
    {
      method: 'POST',
      path: '/identity/verification-sessions/{id}/verify',
      handle: ({ controls, params, account }) => controls.verifyIdentitySession(params.id as string, account),
    },
    {
      method: 'POST',
      path: '/identity/verification-sessions/{id}/fail',
      handle: ({ controls, params, body, account }) =>
        controls.failIdentitySession(params.id as string, typeof body.code === 'string' ? body.code : undefined, account),
    },
  ],
  fixtures: [
    {
      list: 'GetIdentityVerificationSessions',
      async create(api) {
        api.control.advance(1)
        return (await api.call('POST', '/v1/identity/verification_sessions', { type: 'document' })).body.id as string
      },
    },
    {
      list: 'GetIdentityVerificationReports',
      async create(api) {
        api.control.advance(1)
        const created = await api.call('POST', '/v1/identity/verification_sessions', { type: 'document' })
        return (api.control as unknown as IdentityControl).verifyIdentitySession(created.body.id).last_verification_report as string
      },
    },
  ],
})
