// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${name:path}` is the Stripe CLI's reference syntax, not a template
// The flows behind `edgestripe-emulator trigger <event>`: for each event type the emulator emits,
// the requests that make it emit it — API calls, `/v1/test_helpers/…` and `/_emulator/…` controls,
// as a Stripe CLI fixture (its `triggers/*.json` files have the same shape), so `--override
// name:param=value`, `--add` and `--remove` work as they do with `stripe trigger`. Nothing here is a
// hand-made event: the emulator raises each one from the flow, exactly as for any other client.
import type { FixtureRequest } from './fixture-file.js'

// --- Building blocks (each step's `name` is what --override and `${name:…}` refer to) ---

const financialAccount: FixtureRequest = {
  name: 'financial_account',
  path: '/v1/treasury/financial_accounts',
  method: 'post',
  params: { supported_currencies: ['usd'] },
}

const receivedCredit: FixtureRequest = {
  name: 'received_credit',
  path: '/v1/test_helpers/treasury/received_credits',
  method: 'post',
  params: {
    financial_account: '${financial_account:id}',
    amount: 100000,
    currency: 'usd',
    network: 'ach',
    description: '(created by edgestripe-emulator trigger)',
  },
}

const receivedDebit: FixtureRequest = {
  name: 'received_debit',
  path: '/v1/test_helpers/treasury/received_debits',
  method: 'post',
  params: { financial_account: '${financial_account:id}', amount: 1000, currency: 'usd', network: 'ach' },
}

const inboundTransfer: FixtureRequest = {
  name: 'inbound_transfer',
  path: '/v1/treasury/inbound_transfers',
  method: 'post',
  params: { financial_account: '${financial_account:id}', amount: 1000, currency: 'usd', origin_payment_method: 'pm_usBankAccount' },
}

const outboundPayment: FixtureRequest = {
  name: 'outbound_payment',
  path: '/v1/treasury/outbound_payments',
  method: 'post',
  params: { financial_account: '${financial_account:id}', amount: 1000, currency: 'usd', destination_payment_method: 'pm_usBankAccount' },
}

const outboundTransfer: FixtureRequest = {
  name: 'outbound_transfer',
  path: '/v1/treasury/outbound_transfers',
  method: 'post',
  params: { financial_account: '${financial_account:id}', amount: 1000, currency: 'usd', destination_payment_method: 'pm_usBankAccount' },
}

/** A financial account with money in it (for the flows that move money out). */
const funded = [financialAccount, receivedCredit]

const helper = (name: string, path: string, params?: Record<string, unknown>): FixtureRequest => ({
  name,
  path,
  method: 'post',
  ...(params ? { params } : {}),
})

/** Moves the account's emulator clock (what the clock-driven events wait for). */
const advance = (seconds: number): FixtureRequest => helper('advance', '/_emulator/advance', { seconds })

const closeAccount = helper('close', '/v1/treasury/financial_accounts/${financial_account:id}/close')
const debitReversal = helper('debit_reversal', '/v1/treasury/debit_reversals', { received_debit: '${received_debit:id}' })

const source: FixtureRequest = {
  name: 'source',
  path: '/v1/sources',
  method: 'post',
  params: { type: 'ach_credit_transfer', currency: 'usd', owner: { email: 'jenny.rosen@example.com' } },
}

/** The source attached to a customer (an id is all the emulator's customers are). */
const attach: FixtureRequest = {
  name: 'attach',
  path: '/v1/customers/cus_triggered/sources',
  method: 'post',
  params: { source: '${source:id}' },
}

const reportType: FixtureRequest = { name: 'report_type', path: '/v1/reporting/report_types/balance.summary.1', method: 'get' }
const reportRun: FixtureRequest = {
  name: 'report_run',
  path: '/v1/reporting/report_runs',
  method: 'post',
  params: {
    report_type: 'balance.summary.1',
    parameters: { interval_start: '${report_type:data_available_start}', interval_end: '${report_type:data_available_end}' },
  },
}

const fcSession = (permissions: string[]): FixtureRequest => ({
  name: 'session',
  path: '/v1/financial_connections/sessions',
  method: 'post',
  params: { account_holder: { type: 'account', account: 'acct_emulator' }, permissions },
})
const fcComplete: FixtureRequest = helper('session_complete', '/_emulator/financial-connections/sessions/${session:id}/complete', {
  accounts: 1,
})
const fcRefresh = (feature: 'balance' | 'ownership' | 'transactions'): FixtureRequest[] => [
  fcSession([feature === 'balance' ? 'balances' : feature]),
  fcComplete,
  helper('refresh', '/v1/financial_connections/accounts/${session_complete:accounts.data.0.id}/refresh', { features: [feature] }),
  helper('refresh_complete', '/_emulator/financial-connections/accounts/${session_complete:accounts.data.0.id}/refresh', { feature }),
]

/** A session completed with one linked account. */
const fcLinked = [fcSession(['payment_method']), fcComplete]
/** An institution-side control on the linked account (`/_emulator/financial-connections/accounts/{id}/<action>`). */
const fcAccount = (action: string, params?: Record<string, unknown>): FixtureRequest =>
  helper(
    action.replaceAll('/', '_').replaceAll('-', '_'),
    `/_emulator/financial-connections/accounts/\${session_complete:accounts.data.0.id}/${action}`,
    params,
  )

const identitySession: FixtureRequest = {
  name: 'verification_session',
  path: '/v1/identity/verification_sessions',
  method: 'post',
  params: { type: 'document' },
}

/** Event type → the requests that make the emulator emit it. */
export const TRIGGER_FLOWS: Readonly<Record<string, readonly FixtureRequest[]>> = {
  // Financial Connections: a session the user completes (a control), then the account's own flows
  'financial_connections.account.created': [fcSession(['balances']), fcComplete],
  'financial_connections.account.disconnected': [
    fcSession(['balances']),
    fcComplete,
    helper('disconnect', '/v1/financial_connections/accounts/${session_complete:accounts.data.0.id}/disconnect'),
  ],
  'financial_connections.account.refreshed_balance': fcRefresh('balance'),
  // the institution's side (no Stripe test helper: emulator controls), then the clock
  'financial_connections.account.deactivated': [...fcLinked, fcAccount('deactivate')],
  'financial_connections.account.reactivated': [...fcLinked, fcAccount('deactivate'), fcAccount('reactivate')],
  'financial_connections.account.expected_deactivation_date_updated': [
    ...fcLinked,
    fcAccount('schedule-deactivation', { days: 30, cause: 'institution_requirement' }),
  ],
  'financial_connections.account.upcoming_deactivation': [
    ...fcLinked,
    fcAccount('schedule-deactivation', { days: 10, cause: 'institution_requirement' }),
    advance(4 * 86_400),
  ],
  'financial_connections.account.account_numbers_updated': [...fcLinked, fcAccount('account-numbers', { action: 'rotate' })],
  'financial_connections.account.upcoming_account_number_expiry': [
    ...fcLinked,
    fcAccount('account-numbers', { action: 'rotate', expires_in_days: 10 }),
    advance(4 * 86_400),
  ],
  'financial_connections.account.supported_payment_method_types_updated': [
    ...fcLinked,
    fcAccount('account-numbers', { action: 'deactivate' }),
  ],
  'financial_connections.authorization.expected_deactivation_date_updated': [
    ...fcLinked,
    fcAccount('authorization/schedule-deactivation', { days: 30 }),
  ],
  'financial_connections.authorization.upcoming_deactivation': [
    ...fcLinked,
    fcAccount('authorization/schedule-deactivation', { days: 10 }),
    advance(4 * 86_400),
  ],
  'financial_connections.account.refreshed_ownership': fcRefresh('ownership'),
  'financial_connections.account.refreshed_transactions': fcRefresh('transactions'),

  // Identity: a session, then what the user (a control) or the API does with it
  'identity.verification_session.created': [identitySession],
  'identity.verification_session.canceled': [
    identitySession,
    helper('cancel', '/v1/identity/verification_sessions/${verification_session:id}/cancel'),
  ],
  'identity.verification_session.processing': [
    identitySession,
    helper('verify', '/_emulator/identity/verification-sessions/${verification_session:id}/verify'),
  ],
  'identity.verification_session.verified': [
    identitySession,
    helper('verify', '/_emulator/identity/verification-sessions/${verification_session:id}/verify'),
  ],
  'identity.verification_session.requires_input': [
    identitySession,
    helper('fail', '/_emulator/identity/verification-sessions/${verification_session:id}/fail', { code: 'document_unverified_other' }),
  ],
  'identity.verification_session.redacted': [
    identitySession,
    helper('verify', '/_emulator/identity/verification-sessions/${verification_session:id}/verify'),
    helper('redact', '/v1/identity/verification_sessions/${verification_session:id}/redact'),
  ],

  // Reporting: a run that finishes on the emulator's clock (waited for), or fails by control
  'reporting.report_run.succeeded': [
    reportType,
    reportRun,
    {
      name: 'report_run_done',
      path: '/v1/reporting/report_runs/${report_run:id}',
      method: 'get',
      wait: { path: 'status', while: 'pending' },
    },
  ],
  // an hour of the emulator's clock passes: new data is available for every report type
  'reporting.report_type.updated': [reportType, advance(3600)],
  'reporting.report_run.failed': [
    reportType,
    reportRun,
    helper('report_run_fail', '/_emulator/report-runs/${report_run:id}/fail', { error: 'The report could not be generated (triggered).' }),
  ],

  // Sigma: a scheduled query run arrives (seeded: Sigma runs are scheduled in the Dashboard)
  'sigma.scheduled_query_run.created': [
    helper('scheduled_query_run', '/_emulator/seed', { kind: 'scheduled_query_run', object: { title: 'Triggered query' } }),
  ],

  // Sources: an ACH credit transfer source; the customer pays into it, or it fails / is canceled
  'source.chargeable': [source, helper('funds', '/_emulator/sources/${source:id}/funds', { amount: 1000 })],
  'source.transaction.created': [source, helper('funds', '/_emulator/sources/${source:id}/funds', { amount: 1000 })],
  'source.failed': [source, helper('fail', '/_emulator/sources/${source:id}/fail')],
  // funds that have not cleared yet, then clear
  'source.transaction.updated': [
    source,
    helper('funds', '/_emulator/sources/${source:id}/funds', { amount: 1000, status: 'pending' }),
    { name: 'source_transactions', path: '/v1/sources/${source:id}/source_transactions', method: 'get' },
    helper('settle', '/_emulator/source-transactions/${source_transactions:data.0.id}/settle', { status: 'succeeded' }),
  ],
  // the customer sends more than the source's amount: a mispayment to refund
  'source.refund_attributes_required': [
    { ...source, params: { ...source.params, amount: 1000 } },
    helper('funds', '/_emulator/sources/${source:id}/funds', { amount: 1500 }),
  ],
  // a SEPA debit source whose mandate leaves the pre-debit notice to the merchant, debited
  'source.mandate_notification': [
    {
      name: 'source',
      path: '/v1/sources',
      method: 'post',
      params: { type: 'sepa_debit', currency: 'eur', mandate: { notification_method: 'manual' }, owner: { name: 'Jenny Rosen' } },
    },
    helper('debit', '/_emulator/sources/${source:id}/debit', { amount: 1000 }),
  ],
  'source.canceled': [source, helper('cancel', '/_emulator/sources/${source:id}/cancel')],
  // the source attached to a customer, then updated while attached, or detached
  'customer.source.created': [source, attach],
  'customer.source.updated': [source, attach, helper('update', '/v1/sources/${source:id}', { metadata: { triggered: 'true' } })],
  'customer.source.deleted': [
    source,
    attach,
    { name: 'detach', path: '/v1/customers/cus_triggered/sources/${source:id}', method: 'delete' },
  ],

  // Treasury
  'treasury.financial_account.created': [financialAccount],
  'treasury.financial_account.features_status_updated': [
    financialAccount,
    helper('features', '/v1/treasury/financial_accounts/${financial_account:id}/features', {
      deposit_insurance: { requested: true },
    }),
  ],
  'treasury.received_credit.created': funded,
  'treasury.received_debit.created': [...funded, receivedDebit],
  'treasury.credit_reversal.created': [
    ...funded,
    helper('credit_reversal', '/v1/treasury/credit_reversals', { received_credit: '${received_credit:id}' }),
  ],
  'treasury.credit_reversal.posted': [
    ...funded,
    helper('credit_reversal', '/v1/treasury/credit_reversals', { received_credit: '${received_credit:id}' }),
  ],
  'treasury.debit_reversal.created': [...funded, receivedDebit, debitReversal],
  // a DebitReversal credits the account when created (its initial credit), completes a day later
  'treasury.debit_reversal.initial_credit_granted': [...funded, receivedDebit, debitReversal],
  'treasury.debit_reversal.completed': [...funded, receivedDebit, debitReversal, advance(86_400)],
  'treasury.financial_account.closed': [financialAccount, closeAccount],
  // a credit sent to a closed account fails (account_closed); a deposited check clears
  'treasury.received_credit.failed': [financialAccount, closeAccount, receivedCredit],
  'treasury.received_credit.succeeded': [
    financialAccount,
    helper('check_deposit', '/_emulator/treasury/check-deposits', { financial_account: '${financial_account:id}', amount: 1000 }),
  ],
  'treasury.inbound_transfer.created': [financialAccount, inboundTransfer],
  'treasury.inbound_transfer.succeeded': [
    financialAccount,
    inboundTransfer,
    helper('succeed', '/v1/test_helpers/treasury/inbound_transfers/${inbound_transfer:id}/succeed'),
  ],
  'treasury.inbound_transfer.failed': [
    financialAccount,
    inboundTransfer,
    helper('fail', '/v1/test_helpers/treasury/inbound_transfers/${inbound_transfer:id}/fail'),
  ],
  'treasury.inbound_transfer.canceled': [
    financialAccount,
    inboundTransfer,
    helper('cancel', '/v1/treasury/inbound_transfers/${inbound_transfer:id}/cancel'),
  ],
  'treasury.outbound_payment.created': [...funded, outboundPayment],
  'treasury.outbound_payment.canceled': [
    ...funded,
    outboundPayment,
    helper('cancel', '/v1/treasury/outbound_payments/${outbound_payment:id}/cancel'),
  ],
  'treasury.outbound_payment.posted': [
    ...funded,
    outboundPayment,
    helper('post', '/v1/test_helpers/treasury/outbound_payments/${outbound_payment:id}/post'),
  ],
  'treasury.outbound_payment.failed': [
    ...funded,
    outboundPayment,
    helper('fail', '/v1/test_helpers/treasury/outbound_payments/${outbound_payment:id}/fail'),
  ],
  'treasury.outbound_payment.returned': [
    ...funded,
    outboundPayment,
    helper('post', '/v1/test_helpers/treasury/outbound_payments/${outbound_payment:id}/post'),
    helper('return', '/v1/test_helpers/treasury/outbound_payments/${outbound_payment:id}/return'),
  ],
  'treasury.outbound_payment.tracking_details_updated': [
    ...funded,
    outboundPayment,
    helper('post', '/v1/test_helpers/treasury/outbound_payments/${outbound_payment:id}/post'),
    helper('tracking', '/v1/test_helpers/treasury/outbound_payments/${outbound_payment:id}', {
      tracking_details: { type: 'ach', ach: { trace_id: 'trace_triggered' } },
    }),
  ],
  // still processing when its expected arrival date passed: expected the next day
  'treasury.outbound_payment.expected_arrival_date_updated': [...funded, outboundPayment, advance(3 * 86_400)],
  'treasury.outbound_transfer.created': [...funded, outboundTransfer],
  'treasury.outbound_transfer.expected_arrival_date_updated': [...funded, outboundTransfer, advance(3 * 86_400)],
  'treasury.outbound_transfer.canceled': [
    ...funded,
    outboundTransfer,
    helper('cancel', '/v1/treasury/outbound_transfers/${outbound_transfer:id}/cancel'),
  ],
  'treasury.outbound_transfer.posted': [
    ...funded,
    outboundTransfer,
    helper('post', '/v1/test_helpers/treasury/outbound_transfers/${outbound_transfer:id}/post'),
  ],
  'treasury.outbound_transfer.failed': [
    ...funded,
    outboundTransfer,
    helper('fail', '/v1/test_helpers/treasury/outbound_transfers/${outbound_transfer:id}/fail'),
  ],
  'treasury.outbound_transfer.returned': [
    ...funded,
    outboundTransfer,
    helper('post', '/v1/test_helpers/treasury/outbound_transfers/${outbound_transfer:id}/post'),
    helper('return', '/v1/test_helpers/treasury/outbound_transfers/${outbound_transfer:id}/return'),
  ],
  'treasury.outbound_transfer.tracking_details_updated': [
    ...funded,
    outboundTransfer,
    helper('post', '/v1/test_helpers/treasury/outbound_transfers/${outbound_transfer:id}/post'),
    helper('tracking', '/v1/test_helpers/treasury/outbound_transfers/${outbound_transfer:id}', {
      tracking_details: { type: 'ach', ach: { trace_id: 'trace_triggered' } },
    }),
  ],
}

/**
 * Event types of the seven domains (stripe@23.1.0's `WebhookEndpointCreateParams.EnabledEvent`)
 * the emulator does not emit: `trigger` answers that they are not emulated.
 * `customer.source.expiring` is about cards that expire, which the emulator does not have (only
 * Sources attach to its customers, and they do not expire).
 */
export const NOT_EMULATED_EVENTS: readonly string[] = ['customer.source.expiring']

/** The event types `trigger` can produce, sorted (`trigger --list`). */
export function triggerableEvents(): string[] {
  return Object.keys(TRIGGER_FLOWS).sort()
}
