// The test-helper actions the inspector offers for an object: each one is an existing route of the
// emulator (a `/v1/test_helpers/…` API route or an `/_emulator/…` control), run as the object's
// account — the inspector adds no behaviour of its own.
import type { StripeObject } from '../store.js'

export interface InspectorAction {
  /** `post`, `fail`, `verify`… */
  name: string
  label: string
  /** the route it calls, for an object id */
  path(id: string): string
  /** an `/_emulator/…` control (JSON body) rather than an API route (form body, a key) */
  control?: true
}

const helper = (resource: string, name: string, label: string): InspectorAction => ({
  name,
  label,
  path: (id) => `/v1/test_helpers/treasury/${resource}/${encodeURIComponent(id)}/${name}`,
})

const control = (path: string, name: string, label: string): InspectorAction => ({
  name,
  label,
  path: (id) => `/_emulator/${path.replace('{id}', encodeURIComponent(id))}`,
  control: true,
})

/** By kind: the actions and the statuses they apply to (any status when none listed). */
const ACTIONS: Record<string, readonly { action: InspectorAction; when?: readonly string[] }[]> = {
  'treasury.outbound_payment': [
    { action: helper('outbound_payments', 'post', 'Post'), when: ['processing'] },
    { action: helper('outbound_payments', 'fail', 'Fail'), when: ['processing'] },
    { action: helper('outbound_payments', 'return', 'Return'), when: ['posted'] },
  ],
  'treasury.outbound_transfer': [
    { action: helper('outbound_transfers', 'post', 'Post'), when: ['processing'] },
    { action: helper('outbound_transfers', 'fail', 'Fail'), when: ['processing'] },
    { action: helper('outbound_transfers', 'return', 'Return'), when: ['posted'] },
  ],
  'treasury.inbound_transfer': [
    { action: helper('inbound_transfers', 'succeed', 'Succeed'), when: ['processing'] },
    { action: helper('inbound_transfers', 'fail', 'Fail'), when: ['processing'] },
    { action: helper('inbound_transfers', 'return', 'Return'), when: ['succeeded'] },
  ],
  'financial_connections.session': [{ action: control('financial-connections/sessions/{id}/complete', 'complete', 'Complete session') }],
  'identity.verification_session': [
    { action: control('identity/verification-sessions/{id}/verify', 'verify', 'Verify'), when: ['requires_input', 'processing'] },
    { action: control('identity/verification-sessions/{id}/fail', 'fail', 'Fail'), when: ['requires_input', 'processing'] },
  ],
  'reporting.report_run': [{ action: control('report-runs/{id}/fail', 'fail', 'Fail run'), when: ['pending'] }],
  source: [
    { action: control('sources/{id}/chargeable', 'chargeable', 'Make chargeable'), when: ['pending'] },
    { action: control('sources/{id}/fail', 'fail', 'Fail'), when: ['pending'] },
    { action: control('sources/{id}/cancel', 'cancel', 'Cancel'), when: ['pending', 'chargeable'] },
  ],
}

function applicable(object: StripeObject) {
  const status = typeof object.status === 'string' ? object.status : undefined
  return (ACTIONS[object.object] ?? []).filter(({ when }) => !when || (status !== undefined && when.includes(status)))
}

/** The actions offered for an object in its current status, as the page lists them. */
export function actionsOf(object: StripeObject): { name: string; label: string; path: string }[] {
  return applicable(object).map(({ action }) => ({ name: action.name, label: action.label, path: action.path(object.id) }))
}

/** The action named `name` if it applies to the object now. */
export function findAction(object: StripeObject, name: string): InspectorAction | undefined {
  return applicable(object).find(({ action }) => action.name === name)?.action
}
