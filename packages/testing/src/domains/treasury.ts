import type { AccountOption } from '../controls.js'
import {
  controlRoute,
  type DomainKit,
  defineEmulatorDomain,
  type EmulatorDomain,
  type FixtureApi,
  type HandlerContext,
  type RaisedEvent,
} from '../domain.js'
import { invalidRequest, missingParam, resourceMissing } from '../errors.js'
import { recordEvent } from '../events.js'
import type { Resources } from '../generated/resources.js'
import type { RouteParams } from '../generated/route-types.js'
import { newId } from '../ids.js'
import { applyMetadata, fromTemplate, mergeParams, unsetToNull } from '../objects.js'
import { matchesRange, type PageParams, paginate, type RangeFilter } from '../pagination.js'
import type { AccountStore, ObjectOf, StripeObject } from '../store.js'
import { checkDestinationOpen, creditDestination, destinationOf, resolveDestination } from './treasury-destinations.js'
import {
  addEntry,
  cashBalance,
  type EntryType,
  type FinancialAccount,
  getFinancialAccount,
  openTransaction,
  postedMovement,
  requireCurrency,
  requireFunds,
  settleTransaction,
} from './treasury-ledger.js'

type Features = Resources['treasury.financial_account_features']
type InboundTransfer = Resources['treasury.inbound_transfer']
type OutboundPayment = Resources['treasury.outbound_payment']
type OutboundTransfer = Resources['treasury.outbound_transfer']
type ReceivedDebit = Resources['treasury.received_debit']
type ReceivedCredit = Resources['treasury.received_credit']
type DebitReversal = Resources['treasury.debit_reversal']
type Ctx<Id extends keyof RouteParams> = HandlerContext<RouteParams[Id], unknown>

const FEATURE_PATHS = [
  'card_issuing',
  'deposit_insurance',
  'financial_addresses.aba',
  'inbound_transfers.ach',
  'intra_stripe_flows',
  'outbound_payments.ach',
  'outbound_payments.us_domestic_wire',
  'outbound_transfers.ach',
  'outbound_transfers.us_domestic_wire',
] as const

type FeaturePath = (typeof FEATURE_PATHS)[number]
type JsonTree = { [key: string]: unknown }

/** The node at a dotted feature path (`outbound_payments.ach`) of a features object or param. */
function featureAt(features: object, path: FeaturePath): { requested?: unknown; status?: unknown } | undefined {
  let node: unknown = features
  for (const part of path.split('.')) node = node && typeof node === 'object' ? (node as JsonTree)[part] : undefined
  return node && typeof node === 'object' ? node : undefined
}

function setFeature(features: Features, path: FeaturePath, requested: boolean): void {
  const parts = path.split('.')
  let node: JsonTree = features
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as JsonTree
  node[parts.at(-1) as string] = { requested, status: requested ? 'active' : 'restricted', status_details: [] }
}

function applyFeatureParams(features: Features, params: object | '' | undefined): void {
  if (!params) return
  for (const path of FEATURE_PATHS) {
    const requested = featureAt(params, path)?.requested
    if (typeof requested === 'boolean') setFeature(features, path, requested)
  }
}

/** A financial account's features live in the store's emulator-only data (they are their own object). */
function featuresOf(ctx: HandlerContext<unknown, unknown>, account: FinancialAccount): Features {
  const internal = ctx.store.record(account.id)?.internal as { features?: Features } | undefined
  if (!internal?.features) throw resourceMissing('financial account', account.id, 'financial_account')
  return internal.features
}

function syncActiveFeatures(account: FinancialAccount, features: Features): void {
  account.active_features = FEATURE_PATHS.filter((path) => featureAt(features, path)?.status === 'active')
  account.pending_features = []
  account.restricted_features = FEATURE_PATHS.filter((path) => featureAt(features, path)?.status === 'restricted')
}

function createFinancialAccount(ctx: Ctx<'PostTreasuryFinancialAccounts'>): FinancialAccount {
  const p = ctx.params
  const currencies = p.supported_currencies.map((c) => c.toLowerCase())
  const zero = Object.fromEntries(currencies.map((c) => [c, 0]))
  const account = fromTemplate('treasury.financial_account', {
    id: newId('fa'),
    created: ctx.now,
    balance: { cash: { ...zero }, inbound_pending: { ...zero }, outbound_pending: { ...zero } },
    supported_currencies: currencies,
    metadata: {},
    platform_restrictions: { inbound_flows: 'unrestricted', outbound_flows: 'unrestricted' },
  })
  delete account.features
  if (p.platform_restrictions) account.platform_restrictions = mergeParams(account.platform_restrictions, p.platform_restrictions)
  if (p.nickname !== undefined) account.nickname = p.nickname === '' ? null : p.nickname
  applyMetadata(account, p.metadata)
  const features: Features = { object: 'treasury.financial_account_features' }
  applyFeatureParams(features, p.features)
  syncActiveFeatures(account, features)
  return ctx.store.insert(account, { features })
}

function updateFinancialAccount(ctx: Ctx<'PostTreasuryFinancialAccountsFinancialAccount'> & { pathParams: { financial_account: string } }) {
  const account = getFinancialAccount(ctx.store, ctx.pathParams.financial_account)
  const p = ctx.params
  if (p.platform_restrictions !== undefined)
    account.platform_restrictions = mergeParams(account.platform_restrictions, p.platform_restrictions)
  if (p.features !== undefined) {
    const features = featuresOf(ctx, account)
    applyFeatureParams(features, p.features)
    syncActiveFeatures(account, features)
  }
  if (p.nickname !== undefined) account.nickname = p.nickname === '' ? null : p.nickname
  applyMetadata(account, p.metadata)
  return account
}

/**
 * `POST …/close` (newer API versions, see spec/OVERLAY.md): like Stripe, only a financial account
 * with every balance at zero and no transfer in flight can be closed; a closed one moves no money.
 */
function closeFinancialAccount(ctx: HandlerContext<unknown, { financial_account: string }>): FinancialAccount {
  const account = getFinancialAccount(ctx.store, ctx.pathParams.financial_account)
  if (account.status === 'closed') throw invalidRequest('This financial account is already closed.', 'financial_account')
  if (Object.values(account.balance).some((byCurrency) => Object.values(byCurrency).some((amount) => amount !== 0))) {
    throw invalidRequest('A financial account can only be closed when all its balances are zero.', 'financial_account')
  }
  const inFlight = (['treasury.inbound_transfer', 'treasury.outbound_payment', 'treasury.outbound_transfer'] as const).some((kind) =>
    [...ctx.store.scan(kind, { by: ['financial_account', account.id] })].some((record) => record.object.status === 'processing'),
  )
  if (inFlight) throw invalidRequest('A financial account with transfers in flight cannot be closed.', 'financial_account')
  account.status = 'closed'
  // `user_request`: the reason newer API versions give (the 2024-04-10 enum predates closing by API)
  Object.assign(account, { status_details: { closed: { reasons: ['user_request'] } } })
  account.active_features = []
  account.pending_features = []
  return account
}

/** Common checks of a money movement's `financial_account`, `currency`, `amount`. */
function movementInput(ctx: HandlerContext<{ financial_account: string; currency: string; amount: number }, unknown>) {
  const p = ctx.params
  const account = getFinancialAccount(ctx.store, p.financial_account)
  if (account.status === 'closed') throw invalidRequest('This financial account is closed: it cannot move money.', 'financial_account')
  const currency = p.currency.toLowerCase()
  requireCurrency(account, currency)
  const amount = p.amount
  if (!(amount > 0)) throw invalidRequest('Amount must be greater than 0.', 'amount')
  return { account, currency, amount }
}

/** The flows that move money and can be in `processing`. */
type FlowKind = 'treasury.inbound_transfer' | 'treasury.outbound_payment' | 'treasury.outbound_transfer'

function getFlow<
  Kind extends
    | FlowKind
    | 'treasury.received_credit'
    | 'treasury.received_debit'
    | 'treasury.credit_reversal'
    | 'treasury.debit_reversal'
    | 'treasury.transaction'
    | 'treasury.transaction_entry',
>(ctx: HandlerContext<unknown, unknown>, kind: Kind, noun: string, id: string, param: string): ObjectOf<Kind> {
  const flow = ctx.store.get(kind, id)
  if (!flow) throw resourceMissing(noun, id, param)
  return flow
}

function transactionOf(ctx: HandlerContext<unknown, unknown>, flow: { transaction?: string | null }) {
  return getFlow(ctx, 'treasury.transaction', 'transaction', flow.transaction ?? '', 'transaction')
}

const LABELS: Record<FlowKind, string> = {
  'treasury.inbound_transfer': 'InboundTransfer',
  'treasury.outbound_payment': 'OutboundPayment',
  'treasury.outbound_transfer': 'OutboundTransfer',
}

function requireStatus(flow: InboundTransfer | OutboundPayment | OutboundTransfer, allowed: string[], action: string): void {
  if (!allowed.includes(flow.status)) {
    throw invalidRequest(
      `${LABELS[flow.object]} ${flow.id} cannot be ${action} because its status is ${flow.status}.`,
      undefined,
      'invalid_state',
    )
  }
}

// ---- inbound transfers -------------------------------------------------------------------

function createInboundTransfer(ctx: Ctx<'PostTreasuryInboundTransfers'>): InboundTransfer {
  const { account, currency, amount } = movementInput(ctx)
  const p = ctx.params
  const id = newId('ibt')
  const description = unsetToNull(p.description ?? 'InboundTransfer')
  const transaction = openTransaction(ctx.store, ctx.now, {
    financialAccount: account,
    currency,
    amount,
    flow: id,
    flowType: 'inbound_transfer',
    description: description ?? 'InboundTransfer',
  })
  const flow = fromTemplate('treasury.inbound_transfer', {
    id,
    amount,
    currency,
    created: ctx.now,
    cancelable: true,
    description,
    financial_account: account.id,
    metadata: {},
    origin_payment_method: p.origin_payment_method,
    statement_descriptor: p.statement_descriptor || 'transfer',
    status: 'processing',
    status_transitions: { failed_at: null, succeeded_at: null },
    transaction: transaction.id,
    returned: false,
    failure_details: null,
    linked_flows: { received_debit: null },
  })
  applyMetadata(flow, p.metadata)
  addEntry(ctx.store, ctx.now, transaction, 'inbound_transfer', { inbound_pending: amount })
  return ctx.store.insert(flow)
}

function finishInbound(
  ctx: HandlerContext<unknown, unknown>,
  flow: InboundTransfer,
  outcome: 'succeeded' | 'failed' | 'canceled',
): InboundTransfer {
  const transaction = transactionOf(ctx, flow)
  const amount = flow.amount
  addEntry(ctx.store, ctx.now, transaction, 'inbound_transfer', {
    inbound_pending: -amount,
    cash: outcome === 'succeeded' ? amount : 0,
  })
  settleTransaction(transaction, outcome === 'succeeded' ? 'posted' : 'void', ctx.now)
  const previous = flow.status
  flow.status = outcome
  ctx.store.reindex(flow, 'status', previous)
  flow.cancelable = false
  const transitions = flow.status_transitions
  if (outcome === 'succeeded') transitions.succeeded_at = ctx.now
  if (outcome === 'failed') transitions.failed_at = ctx.now
  if (outcome === 'canceled') transitions.canceled_at = ctx.now
  return flow
}

const inbound = (ctx: HandlerContext<unknown, unknown>, id: string, param: string) =>
  getFlow(ctx, 'treasury.inbound_transfer', 'inbound transfer', id, param)

function returnInbound(ctx: HandlerContext<unknown, { id: string }>): InboundTransfer {
  const flow = inbound(ctx, ctx.pathParams.id, 'id')
  requireStatus(flow, ['succeeded'], 'returned')
  if (flow.returned) throw invalidRequest(`InboundTransfer ${flow.id} was already returned.`, undefined, 'invalid_state')
  const account = getFinancialAccount(ctx.store, flow.financial_account)
  const debit = receivedDebit(ctx, account, flow.currency, flow.amount, 'ach', 'InboundTransfer return', 'inbound_transfer_return')
  debit.linked_flows.inbound_transfer = flow.id
  flow.returned = true
  flow.linked_flows = { received_debit: debit.id }
  return flow
}

// ---- outbound payments and transfers -------------------------------------------------------

type OutboundKind = 'outbound_payment' | 'outbound_transfer'

const OUTBOUND = {
  outbound_payment: { object: 'treasury.outbound_payment', prefix: 'obp', noun: 'outbound payment', label: 'OutboundPayment' },
  outbound_transfer: { object: 'treasury.outbound_transfer', prefix: 'obt', noun: 'outbound transfer', label: 'OutboundTransfer' },
} as const

/** Stripe's per-network limits on an outbound flow's `statement_descriptor`. */
const DESCRIPTOR_LIMITS: Record<string, number> = { ach: 10, us_domestic_wire: 140 }

type OutboundParams = RouteParams['PostTreasuryOutboundPayments'] | RouteParams['PostTreasuryOutboundTransfers']

/** A bank-account destination goes over ACH unless `destination_payment_method_options` says wire. */
function checkStatementDescriptor(p: OutboundParams): void {
  const descriptor = p.statement_descriptor
  if (typeof descriptor !== 'string') return
  if (
    'destination_payment_method_data' in p &&
    p.destination_payment_method_data &&
    p.destination_payment_method_data.type === 'financial_account'
  ) {
    return // between financial accounts: the `stripe` network
  }
  const options = p.destination_payment_method_options || undefined
  const network = (options?.us_bank_account || undefined)?.network || 'ach'
  const limit = DESCRIPTOR_LIMITS[network]
  if (limit !== undefined && descriptor.length > limit) {
    throw invalidRequest(
      `Invalid statement_descriptor: must be at most ${limit} characters for ${network} (got ${descriptor.length}).`,
      'statement_descriptor',
    )
  }
}

/** An outbound payment carries the payment-only params (customer, end user, destination data) along. */
type OutboundTarget = { kind: 'outbound_transfer' } | { kind: 'outbound_payment'; payment: RouteParams['PostTreasuryOutboundPayments'] }

function createOutbound(ctx: HandlerContext<OutboundParams, unknown>, target: OutboundTarget): OutboundPayment | OutboundTransfer {
  const { account, currency, amount } = movementInput(ctx)
  const p = ctx.params
  const kind = target.kind
  requireFunds(account, currency, amount)
  const payment = target.kind === 'outbound_payment' ? target.payment : undefined
  if (payment && payment.destination_payment_method === undefined && payment.destination_payment_method_data === undefined) {
    throw invalidRequest(
      'Missing required param: destination_payment_method or destination_payment_method_data.',
      'destination_payment_method',
      'parameter_missing',
    )
  }
  if (payment?.customer) {
    if (!/^cus_[A-Za-z0-9]+$/.test(payment.customer) && !ctx.store.customers.has(payment.customer)) {
      throw resourceMissing('customer', payment.customer, 'customer')
    }
  }
  checkStatementDescriptor(p)
  const { details, destination } = resolveDestination(ctx, kind, account, currency)
  const id = newId(OUTBOUND[kind].prefix)
  const description = unsetToNull(p.description ?? null)
  const transaction = openTransaction(ctx.store, ctx.now, {
    financialAccount: account,
    currency,
    amount: -amount,
    flow: id,
    flowType: kind,
    description: description ?? OUTBOUND[kind].label,
  })
  const common = {
    id,
    amount,
    currency,
    created: ctx.now,
    cancelable: true,
    description,
    destination_payment_method: unsetToNull(p.destination_payment_method ?? null),
    expected_arrival_date: ctx.now + 2 * 86_400,
    financial_account: account.id,
    metadata: {},
    statement_descriptor: p.statement_descriptor || (kind === 'outbound_payment' ? 'payment' : 'transfer'),
    status: 'processing' as const,
    status_transitions: { canceled_at: null, failed_at: null, posted_at: null, returned_at: null },
    transaction: transaction.id,
    returned_details: null,
    tracking_details: null,
  }
  const flow =
    kind === 'outbound_payment'
      ? fromTemplate('treasury.outbound_payment', {
          ...common,
          customer: unsetToNull(payment?.customer ?? null),
          ...(details ? { destination_payment_method_details: details } : {}),
          ...(payment?.end_user_details !== undefined
            ? { end_user_details: mergeParams({ ip_address: null, present: false }, payment.end_user_details) }
            : {}),
        })
      : fromTemplate('treasury.outbound_transfer', {
          ...common,
          // the 2024-04-10 spec types an outbound transfer's details as `us_bank_account` only; FA-to-FA
          // transfers (the overlay's `destination_payment_method_data`) carry the newer `financial_account`
          // shape, the same as an outbound payment's (stripe-node 23.1.0 OutboundTransfer.DestinationPaymentMethodDetails)
          ...(details
            ? { destination_payment_method_details: details as unknown as OutboundTransfer['destination_payment_method_details'] }
            : {}),
        })
  applyMetadata(flow, p.metadata)
  addEntry(ctx.store, ctx.now, transaction, kind, { cash: -amount, outbound_pending: amount })
  return ctx.store.insert(flow, destination ? { destination } : {})
}

function outboundFlow(
  ctx: HandlerContext<unknown, unknown>,
  kind: OutboundKind,
  id: string,
  param: string,
): OutboundPayment | OutboundTransfer {
  return getFlow(ctx, OUTBOUND[kind].object, OUTBOUND[kind].noun, id, param)
}

function endOutbound(
  ctx: HandlerContext<unknown, unknown>,
  kind: OutboundKind,
  id: string,
  param: string,
  outcome: 'posted' | 'failed' | 'canceled',
): OutboundPayment | OutboundTransfer {
  const flow = outboundFlow(ctx, kind, id, param)
  requireStatus(flow, ['processing'], outcome)
  if (outcome === 'posted') checkDestinationOpen(ctx, flow)
  const transaction = transactionOf(ctx, flow)
  const amount = flow.amount
  if (outcome === 'posted') {
    addEntry(ctx.store, ctx.now, transaction, `${kind}_posting`, { outbound_pending: -amount })
    settleTransaction(transaction, 'posted', ctx.now)
    // to a FinancialAccount: the destination receives a ReceivedCredit (network `stripe`) on its own ledger
    const credited = creditDestination(ctx, flow, kind)
    const record = ctx.store.record(flow.id)
    if (credited && record) record.internal.credited = { id: credited.credit.id, account: credited.account }
  } else {
    const type: EntryType = outcome === 'failed' ? `${kind}_failure` : `${kind}_cancellation`
    addEntry(ctx.store, ctx.now, transaction, type, { outbound_pending: -amount, cash: amount })
    settleTransaction(transaction, 'void', ctx.now)
  }
  flow.status = outcome
  ctx.store.reindex(flow, 'status', 'processing') // requireStatus above: it was processing
  flow.cancelable = false
  flow.status_transitions[`${outcome}_at`] = ctx.now
  return flow
}

function returnOutbound(
  ctx: HandlerContext<RouteParams['PostTestHelpersTreasuryOutboundPaymentsIdReturn'], unknown>,
  kind: OutboundKind,
  id: string,
  param: string,
): OutboundPayment | OutboundTransfer {
  const flow = outboundFlow(ctx, kind, id, param)
  requireStatus(flow, ['posted'], 'returned')
  if (destinationOf(ctx.store, flow.id)) {
    throw invalidRequest(
      `${OUTBOUND[kind].label} ${flow.id} went to a financial account over the stripe network: it cannot be returned.`,
      undefined,
      'invalid_state',
    )
  }
  const account = getFinancialAccount(ctx.store, flow.financial_account)
  const amount = flow.amount
  const transaction = postedMovement(
    ctx.store,
    ctx.now,
    {
      financialAccount: account,
      currency: flow.currency,
      amount,
      flow: flow.id,
      flowType: kind,
      description: `${OUTBOUND[kind].label} return`,
    },
    `${kind}_return`,
    { cash: amount },
  )
  const details = ctx.params.returned_details || undefined
  const previous = flow.status
  flow.status = 'returned'
  ctx.store.reindex(flow, 'status', previous)
  flow.status_transitions.returned_at = ctx.now
  flow.returned_details = { code: details?.code || 'declined', transaction: transaction.id }
  return flow
}

function trackOutbound(
  ctx: HandlerContext<RouteParams['PostTestHelpersTreasuryOutboundPaymentsId'], unknown>,
  kind: OutboundKind,
  id: string,
  param: string,
): OutboundPayment | OutboundTransfer {
  const flow = outboundFlow(ctx, kind, id, param)
  requireStatus(flow, ['processing', 'posted'], 'updated')
  const tracking = ctx.params.tracking_details
  // the spec's tracking details: `ach` needs `trace_id`, `us_domestic_wire` needs `imad`; only the type's own details
  const other = tracking.type === 'ach' ? 'us_domestic_wire' : 'ach'
  if (tracking[other] !== undefined) {
    throw invalidRequest(
      `tracking_details[${other}] cannot be set when tracking_details[type] is ${tracking.type}.`,
      `tracking_details[${other}]`,
    )
  }
  if (tracking.type === 'ach') {
    const traceId = (tracking.ach || undefined)?.trace_id
    if (!traceId) throw missingParam('tracking_details[ach][trace_id]')
    flow.tracking_details = { type: 'ach', ach: { trace_id: traceId } }
  } else {
    const wire = tracking.us_domestic_wire || undefined
    if (!wire?.imad) throw missingParam('tracking_details[us_domestic_wire][imad]')
    flow.tracking_details = { type: 'us_domestic_wire', us_domestic_wire: { imad: wire.imad, omad: wire.omad || null } }
  }
  return flow
}

// ---- received credits and debits, reversals ------------------------------------------------

/** A ReceivedCredit's money arrives: a posted transaction with its `received_credit` entry. */
function receivedCreditObject(
  ctx: { store: AccountStore; now: number },
  account: FinancialAccount,
  input: { currency: string; amount: number; network: ReceivedCredit['network']; description: string },
): ReceivedCredit {
  const { currency, amount, description } = input
  const id = newId('rc')
  const transaction = postedMovement(
    ctx.store,
    ctx.now,
    { financialAccount: account, currency, amount, flow: id, flowType: 'received_credit', description },
    'received_credit',
    { cash: amount },
  )
  return fromTemplate('treasury.received_credit', {
    id,
    amount,
    currency,
    created: ctx.now,
    description,
    failure_code: null,
    financial_account: account.id,
    network: input.network,
    status: 'succeeded',
    transaction: transaction.id,
    reversal_details: { deadline: ctx.now + 3 * 86_400, restricted_reason: null },
  })
}

/**
 * A credit sent to a closed financial account: Stripe does not take it — the ReceivedCredit is
 * `failed` with `failure_code: account_closed`, no transaction, nothing on the ledger, nothing to reverse.
 */
function failedReceivedCredit(ctx: Ctx<'PostTestHelpersTreasuryReceivedCredits'>, account: FinancialAccount): ReceivedCredit {
  const p = ctx.params
  const currency = p.currency.toLowerCase()
  requireCurrency(account, currency)
  if (!(p.amount > 0)) throw invalidRequest('Amount must be greater than 0.', 'amount')
  return ctx.store.insert(
    fromTemplate('treasury.received_credit', {
      id: newId('rc'),
      amount: p.amount,
      currency,
      created: ctx.now,
      description: p.description || 'Received credit',
      failure_code: 'account_closed',
      financial_account: account.id,
      network: p.network,
      status: 'failed',
      transaction: null,
      reversal_details: { deadline: null, restricted_reason: null },
    }),
  )
}

function createReceivedCredit(ctx: Ctx<'PostTestHelpersTreasuryReceivedCredits'>) {
  const closed = getFinancialAccount(ctx.store, ctx.params.financial_account)
  if (closed.status === 'closed') return failedReceivedCredit(ctx, closed)
  const { account, currency, amount } = movementInput(ctx)
  const p = ctx.params
  return ctx.store.insert(
    receivedCreditObject(ctx, account, { currency, amount, network: p.network, description: p.description || 'Received credit' }),
  )
}

function receivedDebit(
  ctx: HandlerContext<unknown, unknown>,
  account: FinancialAccount,
  currency: string,
  amount: number,
  network: ReceivedDebit['network'],
  description: string,
  entryType: 'received_debit' | 'inbound_transfer_return' = 'received_debit',
): ReceivedDebit {
  const id = newId('rd')
  const cash = cashBalance(account, currency)
  const debit = fromTemplate('treasury.received_debit', {
    id,
    amount,
    currency,
    created: ctx.now,
    description,
    financial_account: account.id,
    network,
    reversal_details: { deadline: ctx.now + 3 * 86_400, restricted_reason: null },
    linked_flows: { debit_reversal: null, inbound_transfer: null, issuing_authorization: null, issuing_transaction: null, payout: null },
  })
  if (entryType === 'received_debit' && cash < amount) {
    Object.assign(debit, { status: 'failed', failure_code: 'insufficient_funds', transaction: null })
  } else {
    const transaction = postedMovement(
      ctx.store,
      ctx.now,
      { financialAccount: account, currency, amount: -amount, flow: id, flowType: 'received_debit', description },
      entryType,
      { cash: -amount },
    )
    Object.assign(debit, { status: 'succeeded', failure_code: null, transaction: transaction.id })
  }
  return ctx.store.insert(debit)
}

function createCreditReversal(ctx: Ctx<'PostTreasuryCreditReversals'>) {
  const id = ctx.params.received_credit
  const credit = getFlow(ctx, 'treasury.received_credit', 'received credit', id, 'received_credit')
  const links = credit.linked_flows
  if (credit.status !== 'succeeded' || links.credit_reversal) {
    throw invalidRequest(`ReceivedCredit ${id} cannot be reversed.`, 'received_credit', 'invalid_state')
  }
  if (credit.reversal_details?.restricted_reason) {
    throw invalidRequest(
      `ReceivedCredit ${id} cannot be reversed (${credit.reversal_details.restricted_reason}).`,
      'received_credit',
      'invalid_state',
    )
  }
  const account = getFinancialAccount(ctx.store, credit.financial_account ?? '')
  const { amount, currency } = credit
  requireFunds(account, currency, amount)
  const reversalId = newId('credrev')
  const transaction = postedMovement(
    ctx.store,
    ctx.now,
    { financialAccount: account, currency, amount: -amount, flow: reversalId, flowType: 'credit_reversal', description: 'Credit reversal' },
    'credit_reversal',
    { cash: -amount },
  )
  links.credit_reversal = reversalId
  const reversal = fromTemplate('treasury.credit_reversal', {
    id: reversalId,
    amount,
    currency,
    created: ctx.now,
    financial_account: account.id,
    metadata: {},
    network: credit.network === 'stripe' ? 'stripe' : 'ach',
    received_credit: id,
    status: 'posted',
    status_transitions: { posted_at: ctx.now },
    transaction: transaction.id,
  })
  applyMetadata(reversal, ctx.params.metadata)
  return ctx.store.insert(reversal)
}

function createDebitReversal(ctx: Ctx<'PostTreasuryDebitReversals'>) {
  const id = ctx.params.received_debit
  const debit = getFlow(ctx, 'treasury.received_debit', 'received debit', id, 'received_debit')
  const links = debit.linked_flows
  if (debit.status !== 'succeeded' || links.debit_reversal) {
    throw invalidRequest(`ReceivedDebit ${id} cannot be reversed.`, 'received_debit', 'invalid_state')
  }
  const account = getFinancialAccount(ctx.store, debit.financial_account ?? '')
  const { amount, currency } = debit
  const reversalId = newId('debrev')
  const transaction = postedMovement(
    ctx.store,
    ctx.now,
    { financialAccount: account, currency, amount, flow: reversalId, flowType: 'debit_reversal', description: 'Debit reversal' },
    'debit_reversal',
    { cash: amount },
  )
  links.debit_reversal = reversalId
  const reversal = fromTemplate('treasury.debit_reversal', {
    id: reversalId,
    amount,
    currency,
    created: ctx.now,
    financial_account: account.id,
    linked_flows: null,
    metadata: {},
    network: debit.network === 'stripe' ? 'ach' : debit.network,
    received_debit: id,
    status: 'processing',
    status_transitions: { completed_at: null },
    transaction: transaction.id,
  })
  applyMetadata(reversal, ctx.params.metadata)
  return ctx.store.insert(reversal, { completesAt: ctx.now + DEBIT_REVERSAL_DAYS * 86_400 })
}

/**
 * How long a DebitReversal stays `processing` (the originating bank's answer to the ACH return):
 * one day of emulator time, then it completes `succeeded`, keeping the credit it granted at creation.
 */
export const DEBIT_REVERSAL_DAYS = 1

/** Completes a processing DebitReversal whose time came; true when it changed. */
function settleDebitReversal(store: AccountStore, reversal: DebitReversal, now: number): boolean {
  if (reversal.status !== 'processing') return false
  const completesAt = store.record(reversal.id)?.internal.completesAt
  if (typeof completesAt !== 'number' || now < completesAt) return false
  reversal.status = 'succeeded'
  store.reindex(reversal, 'status', 'processing') // field scans of processing flows stay exact (treasuryNextDue)
  reversal.status_transitions.completed_at = completesAt
  return true
}

/** The outbound flows still `processing` when their expected arrival passed get the next day's date. */
function delayOutbound(flow: OutboundPayment | OutboundTransfer, now: number): boolean {
  if (flow.status !== 'processing' || flow.expected_arrival_date > now) return false
  flow.expected_arrival_date = now - (now % 86_400) + 86_400
  return true
}

/**
 * After the clock moved, in every account: DebitReversals whose day passed complete
 * (`treasury.debit_reversal.completed`), and OutboundPayments/Transfers still processing past their
 * `expected_arrival_date` are expected the next day (`treasury.outbound_*.expected_arrival_date_updated`).
 */
function treasuryOnAdvance(kit: DomainKit): void {
  const now = kit.state.clock.now
  for (const store of kit.state.store.accounts()) {
    const account = { account: store.id }
    for (const reversal of store.list('treasury.debit_reversal', (item) => item.status === 'processing').reverse()) {
      if (settleDebitReversal(store, reversal, now)) kit.raise('treasury.debit_reversal.completed', reversal, account)
    }
    for (const flow of store.list('treasury.outbound_payment', (item) => item.status === 'processing').reverse()) {
      if (delayOutbound(flow, now)) kit.raise('treasury.outbound_payment.expected_arrival_date_updated', flow, account)
    }
    for (const flow of store.list('treasury.outbound_transfer', (item) => item.status === 'processing').reverse()) {
      if (delayOutbound(flow, now)) kit.raise('treasury.outbound_transfer.expected_arrival_date_updated', flow, account)
    }
  }
}

/**
 * When `treasuryOnAdvance` next has something to do, in any account: the earliest completion of a
 * processing DebitReversal or expected arrival of a processing OutboundPayment/Transfer (what a real
 * clock's timer waits for). Field scans: flows are created `processing` and reindexed when they end.
 */
function treasuryNextDue(kit: DomainKit): number | undefined {
  let next: number | undefined
  const at = (time: unknown) => {
    if (typeof time === 'number' && (next === undefined || time < next)) next = time
  }
  for (const store of kit.state.store.accounts()) {
    for (const record of store.scan('treasury.debit_reversal', { by: ['status', 'processing'] })) {
      if (record.object.status === 'processing') at(record.internal.completesAt)
    }
    for (const kind of ['treasury.outbound_payment', 'treasury.outbound_transfer']) {
      for (const record of store.scan(kind, { by: ['status', 'processing'] })) {
        if (record.object.status === 'processing') at(record.object.expected_arrival_date)
      }
    }
  }
  return next
}

// ---- check deposits (a control: the depositor's side) ---------------------------------------

export interface TreasuryControl {
  /**
   * A check deposited into a financial account clears (`succeeded`: a ReceivedCredit whose money
   * reaches the ledger) or bounces (`failed`, `failure_code: other`, nothing on the ledger):
   * `treasury.received_credit.created`, then `.succeeded` or `.failed` (Stripe sends those two only
   * for check deposits).
   */
  depositCheck(input: CheckDeposit & AccountOption): ReceivedCredit
}

export interface CheckDeposit {
  financial_account: string
  amount: number
  currency?: string
  outcome?: 'succeeded' | 'failed'
}

function treasuryControl(kit: DomainKit): TreasuryControl {
  return {
    depositCheck(input) {
      const store = kit.store(input)
      const now = kit.state.clock.now
      const account = getFinancialAccount(store, String(input.financial_account))
      if (account.status === 'closed')
        throw invalidRequest('This financial account is closed: it cannot receive a check.', 'financial_account')
      const currency = String(input.currency ?? 'usd').toLowerCase()
      requireCurrency(account, currency)
      const amount = input.amount
      if (!Number.isInteger(amount) || amount <= 0) throw invalidRequest('amount must be a positive integer.', 'amount')
      const outcome = input.outcome ?? 'succeeded'
      if (outcome !== 'succeeded' && outcome !== 'failed') throw invalidRequest('outcome must be succeeded or failed.', 'outcome')
      const description = 'Check deposit'
      const credit =
        outcome === 'succeeded'
          ? receivedCreditObject({ store, now }, account, { currency, amount, network: 'ach', description })
          : fromTemplate('treasury.received_credit', {
              id: newId('rc'),
              amount,
              currency,
              created: now,
              description,
              failure_code: 'other',
              financial_account: account.id,
              network: 'ach',
              status: 'failed',
              transaction: null,
              reversal_details: { deadline: null, restricted_reason: null },
            })
      store.insert(credit, { checkDeposit: true })
      kit.raise('treasury.received_credit.created', credit, input)
      kit.raise(outcome === 'succeeded' ? 'treasury.received_credit.succeeded' : 'treasury.received_credit.failed', credit, input)
      return structuredClone(credit)
    },
  }
}

// ---- lists and retrieves ---------------------------------------------------------------------

/** The params of a treasury list: the page params, the required financial account, filters. */
type TreasuryListParams = PageParams & {
  financial_account: string
  status_transitions?: { posted_at?: RangeFilter } | ''
  [filter: string]: unknown
}

/**
 * A treasury list: objects of `kind` of the required `financial_account` (an index per account:
 * O(page) however many other accounts hold), plus equality filters and ranges on the named params.
 */
function listOf(kind: string, path: string, filters: string[] = [], ranges: string[] = []) {
  return (ctx: HandlerContext<TreasuryListParams, unknown>) => {
    const p = ctx.params
    getFinancialAccount(ctx.store, p.financial_account)
    const wanted = filters.filter((name) => p[name] !== undefined && p[name] !== '')
    const postedAt = p.status_transitions ? p.status_transitions.posted_at : undefined
    const filtered = wanted.length > 0 || ranges.length > 0 || postedAt !== undefined
    return paginate(ctx.store, {
      kind,
      by: ['financial_account', p.financial_account],
      params: p,
      url: path,
      filter: filtered
        ? (item) => {
            for (const name of wanted) if (item[name] !== p[name]) return false
            for (const name of ranges) if (!matchesRange(item[name], p[name] as RangeFilter | undefined)) return false
            if (postedAt !== undefined) {
              const at = (item.status_transitions as { posted_at?: number | null } | undefined)?.posted_at
              if (at == null || !matchesRange(at, postedAt)) return false
            }
            return true
          }
        : undefined,
    })
  }
}

/** `treasury.received_credit.created` for the credit a posted FA-to-FA flow made, in the destination's account. */
function creditEvents(ctx: HandlerContext<unknown, unknown>, flow: StripeObject): readonly RaisedEvent[] {
  const credited = ctx.store.record(flow.id)?.internal.credited as { id: string; account: string } | undefined
  const credit = credited && ctx.state.store.find(credited.account)?.get('treasury.received_credit', credited.id)
  return credit && credited ? [['treasury.received_credit.created', credit, credited.account]] : []
}

const single =
  (type: string) =>
  (result: StripeObject): readonly RaisedEvent[] => [[type, result]]

/** Treasury: financial accounts, money movements, the ledger, and its test helpers. */
export const treasury: EmulatorDomain<'treasury', TreasuryControl> = /* @__PURE__ */ defineEmulatorDomain<'treasury', TreasuryControl>({
  name: 'treasury',
  prefixes: ['/v1/treasury/', '/v1/test_helpers/treasury/'],
  handlers: {
    PostTreasuryFinancialAccounts: createFinancialAccount,
    GetTreasuryFinancialAccounts: (ctx) => {
      const status = ctx.params.status || undefined
      return paginate(ctx.store, {
        kind: 'treasury.financial_account',
        params: ctx.params,
        url: '/v1/treasury/financial_accounts',
        filter: status ? (item) => item.status === status : undefined,
      })
    },
    GetTreasuryFinancialAccountsFinancialAccount: (ctx) => getFinancialAccount(ctx.store, ctx.pathParams.financial_account),
    PostTreasuryFinancialAccountsFinancialAccount: updateFinancialAccount,
    PostTreasuryFinancialAccountsFinancialAccountClose: closeFinancialAccount,
    GetTreasuryFinancialAccountsFinancialAccountFeatures: (ctx) =>
      featuresOf(ctx, getFinancialAccount(ctx.store, ctx.pathParams.financial_account)),
    PostTreasuryFinancialAccountsFinancialAccountFeatures: (ctx) => {
      const account = getFinancialAccount(ctx.store, ctx.pathParams.financial_account)
      const features = featuresOf(ctx, account)
      applyFeatureParams(features, ctx.params)
      syncActiveFeatures(account, features)
      return features
    },

    PostTreasuryInboundTransfers: createInboundTransfer,
    GetTreasuryInboundTransfers: listOf('treasury.inbound_transfer', '/v1/treasury/inbound_transfers', ['status']),
    GetTreasuryInboundTransfersId: (ctx) => inbound(ctx, ctx.pathParams.id, 'id'),
    PostTreasuryInboundTransfersInboundTransferCancel: (ctx) => {
      const flow = inbound(ctx, ctx.pathParams.inbound_transfer, 'inbound_transfer')
      if (flow.status !== 'processing' || !flow.cancelable) {
        throw invalidRequest(
          `InboundTransfer ${flow.id} cannot be canceled because its status is ${flow.status}.`,
          undefined,
          'invalid_state',
        )
      }
      return finishInbound(ctx, flow, 'canceled')
    },
    PostTestHelpersTreasuryInboundTransfersIdSucceed: (ctx) => {
      const flow = inbound(ctx, ctx.pathParams.id, 'id')
      requireStatus(flow, ['processing'], 'succeeded')
      return finishInbound(ctx, flow, 'succeeded')
    },
    PostTestHelpersTreasuryInboundTransfersIdFail: (ctx) => {
      const flow = inbound(ctx, ctx.pathParams.id, 'id')
      requireStatus(flow, ['processing'], 'failed')
      const details = ctx.params.failure_details || undefined
      // without a code: `other`, the spec's catch-all (its enum has no `could_not_process`)
      flow.failure_details = { code: details?.code || 'other' }
      return finishInbound(ctx, flow, 'failed')
    },
    PostTestHelpersTreasuryInboundTransfersIdReturn: returnInbound,

    PostTreasuryOutboundPayments: (ctx) => createOutbound(ctx, { kind: 'outbound_payment', payment: ctx.params }),
    GetTreasuryOutboundPayments: listOf('treasury.outbound_payment', '/v1/treasury/outbound_payments', ['status', 'customer'], ['created']),
    GetTreasuryOutboundPaymentsId: (ctx) => outboundFlow(ctx, 'outbound_payment', ctx.pathParams.id, 'id'),
    PostTreasuryOutboundPaymentsIdCancel: (ctx) => endOutbound(ctx, 'outbound_payment', ctx.pathParams.id, 'id', 'canceled'),
    PostTestHelpersTreasuryOutboundPaymentsIdPost: (ctx) => endOutbound(ctx, 'outbound_payment', ctx.pathParams.id, 'id', 'posted'),
    PostTestHelpersTreasuryOutboundPaymentsIdFail: (ctx) => endOutbound(ctx, 'outbound_payment', ctx.pathParams.id, 'id', 'failed'),
    PostTestHelpersTreasuryOutboundPaymentsIdReturn: (ctx) => returnOutbound(ctx, 'outbound_payment', ctx.pathParams.id, 'id'),
    PostTestHelpersTreasuryOutboundPaymentsId: (ctx) => trackOutbound(ctx, 'outbound_payment', ctx.pathParams.id, 'id'),

    PostTreasuryOutboundTransfers: (ctx) => createOutbound(ctx, { kind: 'outbound_transfer' }),
    GetTreasuryOutboundTransfers: listOf('treasury.outbound_transfer', '/v1/treasury/outbound_transfers', ['status']),
    GetTreasuryOutboundTransfersOutboundTransfer: (ctx) =>
      outboundFlow(ctx, 'outbound_transfer', ctx.pathParams.outbound_transfer, 'outbound_transfer'),
    PostTreasuryOutboundTransfersOutboundTransferCancel: (ctx) =>
      endOutbound(ctx, 'outbound_transfer', ctx.pathParams.outbound_transfer, 'outbound_transfer', 'canceled'),
    PostTestHelpersTreasuryOutboundTransfersOutboundTransferPost: (ctx) =>
      endOutbound(ctx, 'outbound_transfer', ctx.pathParams.outbound_transfer, 'outbound_transfer', 'posted'),
    PostTestHelpersTreasuryOutboundTransfersOutboundTransferFail: (ctx) =>
      endOutbound(ctx, 'outbound_transfer', ctx.pathParams.outbound_transfer, 'outbound_transfer', 'failed'),
    PostTestHelpersTreasuryOutboundTransfersOutboundTransferReturn: (ctx) =>
      returnOutbound(ctx, 'outbound_transfer', ctx.pathParams.outbound_transfer, 'outbound_transfer'),
    PostTestHelpersTreasuryOutboundTransfersOutboundTransfer: (ctx) =>
      trackOutbound(ctx, 'outbound_transfer', ctx.pathParams.outbound_transfer, 'outbound_transfer'),

    PostTestHelpersTreasuryReceivedCredits: createReceivedCredit,
    GetTreasuryReceivedCredits: listOf('treasury.received_credit', '/v1/treasury/received_credits', ['status']),
    GetTreasuryReceivedCreditsId: (ctx) => getFlow(ctx, 'treasury.received_credit', 'received credit', ctx.pathParams.id, 'id'),
    PostTestHelpersTreasuryReceivedDebits: (ctx) => {
      const { account, currency, amount } = movementInput(ctx)
      return receivedDebit(ctx, account, currency, amount, ctx.params.network, ctx.params.description || 'Received debit')
    },
    GetTreasuryReceivedDebits: listOf('treasury.received_debit', '/v1/treasury/received_debits', ['status']),
    GetTreasuryReceivedDebitsId: (ctx) => getFlow(ctx, 'treasury.received_debit', 'received debit', ctx.pathParams.id, 'id'),

    PostTreasuryCreditReversals: createCreditReversal,
    GetTreasuryCreditReversals: listOf('treasury.credit_reversal', '/v1/treasury/credit_reversals', ['status', 'received_credit']),
    GetTreasuryCreditReversalsCreditReversal: (ctx) =>
      getFlow(ctx, 'treasury.credit_reversal', 'credit reversal', ctx.pathParams.credit_reversal, 'credit_reversal'),
    PostTreasuryDebitReversals: createDebitReversal,
    GetTreasuryDebitReversals: listOf('treasury.debit_reversal', '/v1/treasury/debit_reversals', ['status', 'received_debit']),
    GetTreasuryDebitReversalsDebitReversal: (ctx) => {
      const reversal = getFlow(ctx, 'treasury.debit_reversal', 'debit reversal', ctx.pathParams.debit_reversal, 'debit_reversal')
      // with the `real` clock the day may have passed without an advance: the read that sees it completes it
      if (settleDebitReversal(ctx.store, reversal, ctx.now)) {
        const { state } = ctx
        recordEvent(state.events, {
          type: 'treasury.debit_reversal.completed',
          object: reversal,
          account: ctx.store.id,
          defaultAccount: state.defaultAccount,
          now: ctx.now,
        })
      }
      return reversal
    },

    GetTreasuryTransactions: listOf('treasury.transaction', '/v1/treasury/transactions', ['status'], ['created']),
    GetTreasuryTransactionsId: (ctx) => getFlow(ctx, 'treasury.transaction', 'transaction', ctx.pathParams.id, 'id'),
    GetTreasuryTransactionEntries: listOf(
      'treasury.transaction_entry',
      '/v1/treasury/transaction_entries',
      ['transaction'],
      ['created', 'effective_at'],
    ),
    GetTreasuryTransactionEntriesId: (ctx) => getFlow(ctx, 'treasury.transaction_entry', 'transaction entry', ctx.pathParams.id, 'id'),
  },
  events: {
    PostTreasuryFinancialAccounts: single('treasury.financial_account.created'),
    PostTreasuryFinancialAccountsFinancialAccountClose: single('treasury.financial_account.closed'),
    PostTreasuryFinancialAccountsFinancialAccountFeatures: (_features, ctx) => {
      const account = ctx.store.get('treasury.financial_account', ctx.pathParams.financial_account)
      return account ? [['treasury.financial_account.features_status_updated', account]] : []
    },
    PostTreasuryInboundTransfers: single('treasury.inbound_transfer.created'),
    PostTreasuryInboundTransfersInboundTransferCancel: single('treasury.inbound_transfer.canceled'),
    PostTestHelpersTreasuryInboundTransfersIdSucceed: single('treasury.inbound_transfer.succeeded'),
    PostTestHelpersTreasuryInboundTransfersIdFail: single('treasury.inbound_transfer.failed'),
    PostTestHelpersTreasuryInboundTransfersIdReturn: (flow, ctx) => {
      const debit = ctx.store.get('treasury.received_debit', (flow.linked_flows as InboundTransfer['linked_flows']).received_debit ?? '')
      return debit ? [['treasury.received_debit.created', debit]] : []
    },
    PostTreasuryOutboundPayments: single('treasury.outbound_payment.created'),
    PostTreasuryOutboundPaymentsIdCancel: single('treasury.outbound_payment.canceled'),
    PostTestHelpersTreasuryOutboundPaymentsIdPost: (flow, ctx) => [['treasury.outbound_payment.posted', flow], ...creditEvents(ctx, flow)],
    PostTestHelpersTreasuryOutboundPaymentsIdFail: single('treasury.outbound_payment.failed'),
    PostTestHelpersTreasuryOutboundPaymentsIdReturn: single('treasury.outbound_payment.returned'),
    PostTestHelpersTreasuryOutboundPaymentsId: single('treasury.outbound_payment.tracking_details_updated'),
    PostTreasuryOutboundTransfers: single('treasury.outbound_transfer.created'),
    PostTreasuryOutboundTransfersOutboundTransferCancel: single('treasury.outbound_transfer.canceled'),
    PostTestHelpersTreasuryOutboundTransfersOutboundTransferPost: (flow, ctx) => [
      ['treasury.outbound_transfer.posted', flow],
      ...creditEvents(ctx, flow),
    ],
    PostTestHelpersTreasuryOutboundTransfersOutboundTransferFail: single('treasury.outbound_transfer.failed'),
    PostTestHelpersTreasuryOutboundTransfersOutboundTransferReturn: single('treasury.outbound_transfer.returned'),
    PostTestHelpersTreasuryOutboundTransfersOutboundTransfer: single('treasury.outbound_transfer.tracking_details_updated'),
    PostTestHelpersTreasuryReceivedCredits: (credit) => [
      ['treasury.received_credit.created', credit],
      ...(credit.status === 'failed' ? ([['treasury.received_credit.failed', credit]] as const) : []),
    ],
    PostTestHelpersTreasuryReceivedDebits: single('treasury.received_debit.created'),
    PostTreasuryCreditReversals: (reversal) => [
      ['treasury.credit_reversal.created', reversal],
      ...(reversal.status === 'posted' ? ([['treasury.credit_reversal.posted', reversal]] as const) : []),
    ],
    // the reversal credits the financial account when it is created: that is its initial credit
    PostTreasuryDebitReversals: (reversal) => [
      ['treasury.debit_reversal.created', reversal],
      ['treasury.debit_reversal.initial_credit_granted', reversal],
    ],
  },
  controls: treasuryControl,
  controlRoutes: [
    controlRoute('POST', '/treasury/check-deposits', ({ controls, body, account }) =>
      controls.depositCheck({
        ...account,
        financial_account: String(body.financial_account ?? ''),
        amount: Number(body.amount),
        ...(body.currency === undefined ? {} : { currency: String(body.currency) }),
        ...(body.outcome === undefined ? {} : { outcome: String(body.outcome) as CheckDeposit['outcome'] }),
      }),
    ),
  ],
  onAdvance: treasuryOnAdvance,
  nextDue: treasuryNextDue,
  fixtures: [
    {
      list: 'GetTreasuryInboundTransfers',
      setup: fundedAccount,
      create: (api, setup) => createFlow(api, setup, '/v1/treasury/inbound_transfers'),
    },
    {
      list: 'GetTreasuryOutboundPayments',
      setup: fundedAccount,
      create: (api, setup) => createFlow(api, setup, '/v1/treasury/outbound_payments'),
    },
    {
      list: 'GetTreasuryOutboundTransfers',
      setup: fundedAccount,
      create: (api, setup) => createFlow(api, setup, '/v1/treasury/outbound_transfers'),
    },
    {
      list: 'GetTreasuryReceivedCredits',
      setup: fundedAccount,
      create: (api, setup) => createFlow(api, setup, '/v1/test_helpers/treasury/received_credits'),
    },
    {
      list: 'GetTreasuryReceivedDebits',
      setup: fundedAccount,
      create: (api, setup) => createFlow(api, setup, '/v1/test_helpers/treasury/received_debits'),
    },
    {
      list: 'GetTreasuryTransactions',
      setup: fundedAccount,
      async create(api, setup) {
        await createFlow(api, setup, '/v1/test_helpers/treasury/received_credits')
        return api.control.objects('treasury.transaction')[0]?.id as string
      },
    },
    {
      list: 'GetTreasuryFinancialAccounts',
      async create(api) {
        api.control.advance(1)
        return (await api.call('POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })).body.id as string
      },
    },
  ],
})

// --- Contract-suite fixtures ---

/** A financial account with funds, for the contract suite's lists. */
async function fundedAccount(api: FixtureApi) {
  const fa = await api.call('POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })
  await api.call('POST', '/v1/test_helpers/treasury/received_credits', {
    financial_account: fa.body.id,
    amount: 1_000_000_000,
    currency: 'usd',
    network: 'ach',
  })
  return { params: { financial_account: fa.body.id } }
}

/** Creates one flow of the list under test, one emulator second after the previous. */
async function createFlow(api: FixtureApi, setup: { params?: Record<string, unknown> }, path: string): Promise<string> {
  api.control.advance(1)
  const created = await api.call('POST', path, {
    financial_account: setup.params?.financial_account,
    amount: 100,
    currency: 'usd',
    ...(path.includes('outbound_') ? { destination_payment_method: 'pm_usBankAccount' } : {}),
    ...(path.includes('inbound_transfers') ? { origin_payment_method: 'pm_usBankAccount' } : {}),
    ...(path.includes('received_') ? { network: 'ach' } : {}),
  })
  if (created.status !== 200) throw new Error(`${path}: ${JSON.stringify(created.body)}`)
  return created.body.id as string
}
