import type { Handler, HandlerContext } from './context.js'
import { invalidRequest, resourceMissing } from './errors.js'
import { newId } from './ids.js'
import { applyMetadata, fromTemplate, mergeParams, unsetToNull } from './objects.js'
import { matchesRange, paginate } from './pagination.js'
import type { StripeObject } from './store.js'
import {
  addEntry,
  cashBalance,
  getFinancialAccount,
  openTransaction,
  postedMovement,
  requireCurrency,
  requireFunds,
  settleTransaction,
} from './treasury-ledger.js'
import type { Params, ParamValue } from './validate.js'

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

function featureAt(features: Record<string, unknown>, path: string): Record<string, unknown> | undefined {
  let node: unknown = features
  for (const part of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[part]
  return node as Record<string, unknown> | undefined
}

function setFeature(features: Record<string, unknown>, path: string, requested: boolean): void {
  const parts = path.split('.')
  let node = features
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>
  node[parts.at(-1) as string] = { requested, status: requested ? 'active' : 'restricted', status_details: [] }
}

function applyFeatureParams(features: Record<string, unknown>, params: ParamValue | undefined): void {
  if (!params || typeof params !== 'object') return
  for (const path of FEATURE_PATHS) {
    const requested = featureAt(params as Record<string, unknown>, path)?.requested
    if (typeof requested === 'boolean') setFeature(features, path, requested)
  }
}

function featuresOf(ctx: HandlerContext, account: StripeObject): Record<string, unknown> {
  return ctx.store.record(account.id)?.internal.features as Record<string, unknown>
}

function syncActiveFeatures(account: StripeObject, features: Record<string, unknown>): void {
  account.active_features = FEATURE_PATHS.filter((path) => featureAt(features, path)?.status === 'active')
  account.pending_features = []
  account.restricted_features = FEATURE_PATHS.filter((path) => featureAt(features, path)?.status === 'restricted')
}

const createFinancialAccount: Handler = (ctx) => {
  const p = ctx.params
  const currencies = (p.supported_currencies as string[]).map((c) => c.toLowerCase())
  const zero = Object.fromEntries(currencies.map((c) => [c, 0]))
  const account = fromTemplate('treasury.financial_account', {
    id: newId('fa'),
    created: ctx.now,
    balance: { cash: { ...zero }, inbound_pending: { ...zero }, outbound_pending: { ...zero } },
    supported_currencies: currencies,
    metadata: {},
    platform_restrictions: { inbound_flows: 'unrestricted', outbound_flows: 'unrestricted' },
    features: undefined,
  })
  delete account.features
  if (p.platform_restrictions) {
    account.platform_restrictions = mergeParams(account.platform_restrictions as Record<string, unknown>, p.platform_restrictions)
  }
  if (p.nickname !== undefined) account.nickname = p.nickname === '' ? null : p.nickname
  applyMetadata(account, p.metadata)
  const features: Record<string, unknown> = { object: 'treasury.financial_account_features' }
  applyFeatureParams(features, p.features)
  syncActiveFeatures(account, features)
  return ctx.store.insert(account, { features })
}

const retrieveFinancialAccount: Handler = (ctx) => getFinancialAccount(ctx.store, ctx.pathParams.financial_account as string)

const updateFinancialAccount: Handler = (ctx) => {
  const account = getFinancialAccount(ctx.store, ctx.pathParams.financial_account as string)
  const p = ctx.params
  if (p.platform_restrictions !== undefined) {
    account.platform_restrictions = mergeParams(account.platform_restrictions as Record<string, unknown>, p.platform_restrictions)
  }
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
const closeFinancialAccount: Handler = (ctx) => {
  const account = getFinancialAccount(ctx.store, ctx.pathParams.financial_account as string)
  if (account.status === 'closed') throw invalidRequest('This financial account is already closed.', 'financial_account')
  const balance = account.balance as Record<string, Record<string, number>>
  if (Object.values(balance).some((byCurrency) => Object.values(byCurrency).some((amount) => amount !== 0))) {
    throw invalidRequest('A financial account can only be closed when all its balances are zero.', 'financial_account')
  }
  const inFlight = ['treasury.inbound_transfer', 'treasury.outbound_payment', 'treasury.outbound_transfer'].some((kind) =>
    ctx.store.list(kind).some((item) => item.financial_account === account.id && item.status === 'processing'),
  )
  if (inFlight) throw invalidRequest('A financial account with transfers in flight cannot be closed.', 'financial_account')
  account.status = 'closed'
  account.status_details = { closed: { reasons: ['user_request'] } }
  account.active_features = []
  account.pending_features = []
  return account
}

const listFinancialAccounts: Handler = (ctx) => {
  const status = ctx.params.status
  const accounts = ctx.store.list('treasury.financial_account').filter((item) => status === undefined || item.status === status)
  return paginate(accounts, ctx.params, '/v1/treasury/financial_accounts', ctx.store.list('treasury.financial_account'))
}

const retrieveFeatures: Handler = (ctx) => featuresOf(ctx, getFinancialAccount(ctx.store, ctx.pathParams.financial_account as string))

const updateFeatures: Handler = (ctx) => {
  const account = getFinancialAccount(ctx.store, ctx.pathParams.financial_account as string)
  const features = featuresOf(ctx, account)
  applyFeatureParams(features, ctx.params)
  syncActiveFeatures(account, features)
  return features
}

/** Common checks of a money movement's `financial_account`, `currency`, `amount`. */
function movementInput(ctx: HandlerContext) {
  const p = ctx.params
  const account = getFinancialAccount(ctx.store, p.financial_account as string)
  if (account.status === 'closed') throw invalidRequest('This financial account is closed: it cannot move money.', 'financial_account')
  const currency = String(p.currency).toLowerCase()
  requireCurrency(account, currency)
  const amount = Number(p.amount)
  if (!(amount > 0)) throw invalidRequest('Amount must be greater than 0.', 'amount')
  return { account, currency, amount }
}

function getFlow(ctx: HandlerContext, kind: string, noun: string, param: string): StripeObject {
  const id = ctx.pathParams[param] as string
  const flow = ctx.store.get(kind, id)
  if (!flow) throw resourceMissing(noun, id, param)
  return flow
}

function transactionOf(ctx: HandlerContext, flow: StripeObject): StripeObject {
  return ctx.store.get('treasury.transaction', flow.transaction as string) as StripeObject
}

function requireStatus(flow: StripeObject, allowed: string[], action: string): void {
  if (!allowed.includes(flow.status as string)) {
    throw invalidRequest(
      `${flow.object === 'treasury.inbound_transfer' ? 'InboundTransfer' : flow.object === 'treasury.outbound_payment' ? 'OutboundPayment' : 'OutboundTransfer'} ${flow.id} cannot be ${action} because its status is ${flow.status}.`,
      undefined,
      'invalid_state',
    )
  }
}

// ---- inbound transfers -------------------------------------------------------------------

const createInboundTransfer: Handler = (ctx) => {
  const { account, currency, amount } = movementInput(ctx)
  const p = ctx.params
  const id = newId('ibt')
  const description = unsetToNull(p.description ?? 'InboundTransfer') as string | null
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
    statement_descriptor: unsetToNull(p.statement_descriptor ?? 'transfer'),
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

function finishInbound(ctx: HandlerContext, flow: StripeObject, outcome: 'succeeded' | 'failed' | 'canceled'): StripeObject {
  const transaction = transactionOf(ctx, flow)
  const amount = flow.amount as number
  addEntry(ctx.store, ctx.now, transaction, 'inbound_transfer', {
    inbound_pending: -amount,
    cash: outcome === 'succeeded' ? amount : 0,
  })
  settleTransaction(transaction, outcome === 'succeeded' ? 'posted' : 'void', ctx.now)
  flow.status = outcome
  flow.cancelable = false
  const transitions = flow.status_transitions as Record<string, unknown>
  if (outcome === 'succeeded') transitions.succeeded_at = ctx.now
  if (outcome === 'failed') transitions.failed_at = ctx.now
  if (outcome === 'canceled') transitions.canceled_at = ctx.now
  return flow
}

const inboundParam = (ctx: HandlerContext, name: string) => getFlow(ctx, 'treasury.inbound_transfer', 'inbound transfer', name)

const succeedInbound: Handler = (ctx) => {
  const flow = inboundParam(ctx, 'id')
  requireStatus(flow, ['processing'], 'succeeded')
  return finishInbound(ctx, flow, 'succeeded')
}

const failInbound: Handler = (ctx) => {
  const flow = inboundParam(ctx, 'id')
  requireStatus(flow, ['processing'], 'failed')
  const details = (ctx.params.failure_details ?? {}) as Record<string, unknown>
  flow.failure_details = { code: details.code ?? 'could_not_process' }
  return finishInbound(ctx, flow, 'failed')
}

const cancelInbound: Handler = (ctx) => {
  const flow = inboundParam(ctx, 'inbound_transfer')
  if (flow.status !== 'processing' || !flow.cancelable) {
    throw invalidRequest(`InboundTransfer ${flow.id} cannot be canceled because its status is ${flow.status}.`, undefined, 'invalid_state')
  }
  return finishInbound(ctx, flow, 'canceled')
}

const returnInbound: Handler = (ctx) => {
  const flow = inboundParam(ctx, 'id')
  requireStatus(flow, ['succeeded'], 'returned')
  if (flow.returned) throw invalidRequest(`InboundTransfer ${flow.id} was already returned.`, undefined, 'invalid_state')
  const account = getFinancialAccount(ctx.store, flow.financial_account as string)
  const debit = receivedDebit(
    ctx,
    account,
    flow.currency as string,
    flow.amount as number,
    'ach',
    'InboundTransfer return',
    'inbound_transfer_return',
  )
  ;(debit.linked_flows as Record<string, unknown>).inbound_transfer = flow.id
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

/** A bank-account destination goes over ACH unless `destination_payment_method_options` says wire. */
function checkStatementDescriptor(p: Params): void {
  const descriptor = p.statement_descriptor
  if (typeof descriptor !== 'string') return
  const data = p.destination_payment_method_data as Params | undefined
  if (data?.type === 'financial_account') return // between financial accounts: the `stripe` network
  const options = (p.destination_payment_method_options as Params | undefined)?.us_bank_account
  const network = (options && typeof options === 'object' ? (options as Params).network : undefined) ?? 'ach'
  const limit = DESCRIPTOR_LIMITS[network as string]
  if (limit !== undefined && descriptor.length > limit) {
    throw invalidRequest(
      `Invalid statement_descriptor: must be at most ${limit} characters for ${network} (got ${descriptor.length}).`,
      'statement_descriptor',
    )
  }
}

function createOutbound(kind: OutboundKind): Handler {
  return (ctx) => {
    const { account, currency, amount } = movementInput(ctx)
    const p = ctx.params
    requireFunds(account, currency, amount)
    if (kind === 'outbound_payment' && p.destination_payment_method === undefined && p.destination_payment_method_data === undefined) {
      throw invalidRequest(
        'Missing required param: destination_payment_method or destination_payment_method_data.',
        'destination_payment_method',
        'parameter_missing',
      )
    }
    if (kind === 'outbound_payment' && typeof p.customer === 'string' && p.customer) {
      if (!/^cus_[A-Za-z0-9]+$/.test(p.customer) && !ctx.store.customers.has(p.customer)) {
        throw resourceMissing('customer', p.customer, 'customer')
      }
    }
    checkStatementDescriptor(p)
    const id = newId(OUTBOUND[kind].prefix)
    const description = unsetToNull(p.description ?? null) as string | null
    const transaction = openTransaction(ctx.store, ctx.now, {
      financialAccount: account,
      currency,
      amount: -amount,
      flow: id,
      flowType: kind,
      description: description ?? OUTBOUND[kind].label,
    })
    const fields: Record<string, unknown> = {
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
      statement_descriptor: unsetToNull(p.statement_descriptor ?? (kind === 'outbound_payment' ? 'payment' : 'transfer')),
      status: 'processing',
      status_transitions: { canceled_at: null, failed_at: null, posted_at: null, returned_at: null },
      transaction: transaction.id,
      returned_details: null,
      tracking_details: null,
    }
    if (kind === 'outbound_payment') {
      fields.customer = unsetToNull(p.customer ?? null)
      if (p.end_user_details !== undefined) fields.end_user_details = mergeParams({ ip_address: null, present: false }, p.end_user_details)
    }
    const flow = fromTemplate(OUTBOUND[kind].object, fields)
    applyMetadata(flow, p.metadata)
    addEntry(ctx.store, ctx.now, transaction, kind, { cash: -amount, outbound_pending: amount })
    return ctx.store.insert(flow)
  }
}

function outboundFlow(ctx: HandlerContext, kind: OutboundKind, param: string): StripeObject {
  return getFlow(ctx, OUTBOUND[kind].object, OUTBOUND[kind].noun, param)
}

function endOutbound(ctx: HandlerContext, kind: OutboundKind, param: string, outcome: 'posted' | 'failed' | 'canceled'): StripeObject {
  const flow = outboundFlow(ctx, kind, param)
  const action = { posted: 'posted', failed: 'failed', canceled: 'canceled' }[outcome]
  requireStatus(flow, ['processing'], action)
  const transaction = transactionOf(ctx, flow)
  const amount = flow.amount as number
  if (outcome === 'posted') {
    addEntry(ctx.store, ctx.now, transaction, `${kind}_posting`, { outbound_pending: -amount })
    settleTransaction(transaction, 'posted', ctx.now)
  } else {
    const type = outcome === 'failed' ? `${kind}_failure` : `${kind}_cancellation`
    addEntry(ctx.store, ctx.now, transaction, type, { outbound_pending: -amount, cash: amount })
    settleTransaction(transaction, 'void', ctx.now)
  }
  flow.status = outcome
  flow.cancelable = false
  ;(flow.status_transitions as Record<string, unknown>)[`${outcome}_at`] = ctx.now
  return flow
}

function returnOutbound(kind: OutboundKind, param: string): Handler {
  return (ctx) => {
    const flow = outboundFlow(ctx, kind, param)
    requireStatus(flow, ['posted'], 'returned')
    const account = getFinancialAccount(ctx.store, flow.financial_account as string)
    const amount = flow.amount as number
    const transaction = postedMovement(
      ctx.store,
      ctx.now,
      {
        financialAccount: account,
        currency: flow.currency as string,
        amount,
        flow: flow.id,
        flowType: kind,
        description: `${OUTBOUND[kind].label} return`,
      },
      `${kind}_return`,
      { cash: amount },
    )
    const details = (ctx.params.returned_details ?? {}) as Record<string, unknown>
    flow.status = 'returned'
    ;(flow.status_transitions as Record<string, unknown>).returned_at = ctx.now
    flow.returned_details = { code: details.code ?? 'declined', transaction: transaction.id }
    return flow
  }
}

function trackOutbound(kind: OutboundKind, param: string): Handler {
  return (ctx) => {
    const flow = outboundFlow(ctx, kind, param)
    requireStatus(flow, ['processing', 'posted'], 'updated')
    const tracking = ctx.params.tracking_details as Record<string, Record<string, unknown>>
    const type = tracking.type as unknown as string
    flow.tracking_details = { type, [type]: tracking[type] ?? {} }
    return flow
  }
}

// ---- received credits and debits, reversals ------------------------------------------------

const createReceivedCredit: Handler = (ctx) => {
  const { account, currency, amount } = movementInput(ctx)
  const p = ctx.params
  const id = newId('rc')
  const description = String(unsetToNull(p.description ?? null) ?? 'Received credit')
  const transaction = postedMovement(
    ctx.store,
    ctx.now,
    { financialAccount: account, currency, amount, flow: id, flowType: 'received_credit', description },
    'received_credit',
    { cash: amount },
  )
  return ctx.store.insert(
    fromTemplate('treasury.received_credit', {
      id,
      amount,
      currency,
      created: ctx.now,
      description,
      financial_account: account.id,
      network: p.network,
      status: 'succeeded',
      transaction: transaction.id,
      reversal_details: { deadline: ctx.now + 3 * 86_400, restricted_reason: null },
    }),
  )
}

function receivedDebit(
  ctx: HandlerContext,
  account: StripeObject,
  currency: string,
  amount: number,
  network: ParamValue,
  description: string,
  entryType = 'received_debit',
): StripeObject {
  const id = newId('rd')
  const cash = cashBalance(account, currency)
  const fields: Record<string, unknown> = {
    id,
    amount,
    currency,
    created: ctx.now,
    description,
    financial_account: account.id,
    network,
    reversal_details: { deadline: ctx.now + 3 * 86_400, restricted_reason: null },
    linked_flows: { debit_reversal: null, inbound_transfer: null, issuing_authorization: null, issuing_transaction: null, payout: null },
  }
  if (entryType === 'received_debit' && cash < amount) {
    Object.assign(fields, { status: 'failed', failure_code: 'insufficient_funds', transaction: null })
  } else {
    const transaction = postedMovement(
      ctx.store,
      ctx.now,
      { financialAccount: account, currency, amount: -amount, flow: id, flowType: 'received_debit', description },
      entryType,
      { cash: -amount },
    )
    Object.assign(fields, { status: 'succeeded', failure_code: null, transaction: transaction.id })
  }
  return ctx.store.insert(fromTemplate('treasury.received_debit', fields))
}

const createReceivedDebit: Handler = (ctx) => {
  const { account, currency, amount } = movementInput(ctx)
  const description = String(unsetToNull(ctx.params.description ?? null) ?? 'Received debit')
  return receivedDebit(ctx, account, currency, amount, ctx.params.network as string, description)
}

const createCreditReversal: Handler = (ctx) => {
  const id = ctx.params.received_credit as string
  const credit = ctx.store.get('treasury.received_credit', id)
  if (!credit) throw resourceMissing('received credit', id, 'received_credit')
  const links = credit.linked_flows as Record<string, unknown>
  if (credit.status !== 'succeeded' || links.credit_reversal) {
    throw invalidRequest(`ReceivedCredit ${id} cannot be reversed.`, 'received_credit', 'invalid_state')
  }
  const account = getFinancialAccount(ctx.store, credit.financial_account as string)
  const amount = credit.amount as number
  const currency = credit.currency as string
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
    network: credit.network,
    received_credit: id,
    status: 'posted',
    status_transitions: { posted_at: ctx.now },
    transaction: transaction.id,
  })
  applyMetadata(reversal, ctx.params.metadata)
  return ctx.store.insert(reversal)
}

const createDebitReversal: Handler = (ctx) => {
  const id = ctx.params.received_debit as string
  const debit = ctx.store.get('treasury.received_debit', id)
  if (!debit) throw resourceMissing('received debit', id, 'received_debit')
  const links = debit.linked_flows as Record<string, unknown>
  if (debit.status !== 'succeeded' || links.debit_reversal) {
    throw invalidRequest(`ReceivedDebit ${id} cannot be reversed.`, 'received_debit', 'invalid_state')
  }
  const account = getFinancialAccount(ctx.store, debit.financial_account as string)
  const amount = debit.amount as number
  const currency = debit.currency as string
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
    network: debit.network,
    received_debit: id,
    status: 'processing',
    status_transitions: { completed_at: null },
    transaction: transaction.id,
  })
  applyMetadata(reversal, ctx.params.metadata)
  return ctx.store.insert(reversal)
}

// ---- lists and retrieves ---------------------------------------------------------------------

/** A treasury list: required `financial_account` plus equality filters on the named params. */
function listOf(kind: string, path: string, filters: string[] = [], ranges: string[] = []): Handler {
  return (ctx) => {
    const p = ctx.params
    getFinancialAccount(ctx.store, p.financial_account as string)
    const items = ctx.store.list(kind, (item) => {
      if (item.financial_account !== p.financial_account) return false
      for (const name of filters) {
        const wanted = p[name]
        if (wanted !== undefined && wanted !== '' && item[name] !== wanted) return false
      }
      for (const name of ranges) if (!matchesRange(item[name], p[name])) return false
      if (p.status_transitions && typeof p.status_transitions === 'object') {
        const posted = (p.status_transitions as Params).posted_at
        const at = (item.status_transitions as Record<string, unknown> | undefined)?.posted_at
        if (posted !== undefined && (at == null || !matchesRange(at, posted))) return false
      }
      return true
    })
    return paginate(items, p, path, ctx.store.list(kind))
  }
}

function retrieveOf(kind: string, noun: string, param: string): Handler {
  return (ctx) => getFlow(ctx, kind, noun, param)
}

export const treasuryHandlers: Record<string, Handler> = {
  PostTreasuryFinancialAccounts: createFinancialAccount,
  GetTreasuryFinancialAccounts: listFinancialAccounts,
  GetTreasuryFinancialAccountsFinancialAccount: retrieveFinancialAccount,
  PostTreasuryFinancialAccountsFinancialAccount: updateFinancialAccount,
  PostTreasuryFinancialAccountsFinancialAccountClose: closeFinancialAccount,
  GetTreasuryFinancialAccountsFinancialAccountFeatures: retrieveFeatures,
  PostTreasuryFinancialAccountsFinancialAccountFeatures: updateFeatures,

  PostTreasuryInboundTransfers: createInboundTransfer,
  GetTreasuryInboundTransfers: listOf('treasury.inbound_transfer', '/v1/treasury/inbound_transfers', ['status']),
  GetTreasuryInboundTransfersId: retrieveOf('treasury.inbound_transfer', 'inbound transfer', 'id'),
  PostTreasuryInboundTransfersInboundTransferCancel: cancelInbound,
  PostTestHelpersTreasuryInboundTransfersIdSucceed: succeedInbound,
  PostTestHelpersTreasuryInboundTransfersIdFail: failInbound,
  PostTestHelpersTreasuryInboundTransfersIdReturn: returnInbound,

  PostTreasuryOutboundPayments: createOutbound('outbound_payment'),
  GetTreasuryOutboundPayments: listOf('treasury.outbound_payment', '/v1/treasury/outbound_payments', ['status', 'customer'], ['created']),
  GetTreasuryOutboundPaymentsId: retrieveOf('treasury.outbound_payment', 'outbound payment', 'id'),
  PostTreasuryOutboundPaymentsIdCancel: (ctx) => endOutbound(ctx, 'outbound_payment', 'id', 'canceled'),
  PostTestHelpersTreasuryOutboundPaymentsIdPost: (ctx) => endOutbound(ctx, 'outbound_payment', 'id', 'posted'),
  PostTestHelpersTreasuryOutboundPaymentsIdFail: (ctx) => endOutbound(ctx, 'outbound_payment', 'id', 'failed'),
  PostTestHelpersTreasuryOutboundPaymentsIdReturn: returnOutbound('outbound_payment', 'id'),
  PostTestHelpersTreasuryOutboundPaymentsId: trackOutbound('outbound_payment', 'id'),

  PostTreasuryOutboundTransfers: createOutbound('outbound_transfer'),
  GetTreasuryOutboundTransfers: listOf('treasury.outbound_transfer', '/v1/treasury/outbound_transfers', ['status']),
  GetTreasuryOutboundTransfersOutboundTransfer: retrieveOf('treasury.outbound_transfer', 'outbound transfer', 'outbound_transfer'),
  PostTreasuryOutboundTransfersOutboundTransferCancel: (ctx) => endOutbound(ctx, 'outbound_transfer', 'outbound_transfer', 'canceled'),
  PostTestHelpersTreasuryOutboundTransfersOutboundTransferPost: (ctx) =>
    endOutbound(ctx, 'outbound_transfer', 'outbound_transfer', 'posted'),
  PostTestHelpersTreasuryOutboundTransfersOutboundTransferFail: (ctx) =>
    endOutbound(ctx, 'outbound_transfer', 'outbound_transfer', 'failed'),
  PostTestHelpersTreasuryOutboundTransfersOutboundTransferReturn: returnOutbound('outbound_transfer', 'outbound_transfer'),
  PostTestHelpersTreasuryOutboundTransfersOutboundTransfer: trackOutbound('outbound_transfer', 'outbound_transfer'),

  PostTestHelpersTreasuryReceivedCredits: createReceivedCredit,
  GetTreasuryReceivedCredits: listOf('treasury.received_credit', '/v1/treasury/received_credits', ['status']),
  GetTreasuryReceivedCreditsId: retrieveOf('treasury.received_credit', 'received credit', 'id'),
  PostTestHelpersTreasuryReceivedDebits: createReceivedDebit,
  GetTreasuryReceivedDebits: listOf('treasury.received_debit', '/v1/treasury/received_debits', ['status']),
  GetTreasuryReceivedDebitsId: retrieveOf('treasury.received_debit', 'received debit', 'id'),

  PostTreasuryCreditReversals: createCreditReversal,
  GetTreasuryCreditReversals: listOf('treasury.credit_reversal', '/v1/treasury/credit_reversals', ['status', 'received_credit']),
  GetTreasuryCreditReversalsCreditReversal: retrieveOf('treasury.credit_reversal', 'credit reversal', 'credit_reversal'),
  PostTreasuryDebitReversals: createDebitReversal,
  GetTreasuryDebitReversals: listOf('treasury.debit_reversal', '/v1/treasury/debit_reversals', ['status', 'received_debit']),
  GetTreasuryDebitReversalsDebitReversal: retrieveOf('treasury.debit_reversal', 'debit reversal', 'debit_reversal'),

  GetTreasuryTransactions: listOf('treasury.transaction', '/v1/treasury/transactions', ['status'], ['created']),
  GetTreasuryTransactionsId: retrieveOf('treasury.transaction', 'transaction', 'id'),
  GetTreasuryTransactionEntries: listOf(
    'treasury.transaction_entry',
    '/v1/treasury/transaction_entries',
    ['transaction'],
    ['created', 'effective_at'],
  ),
  GetTreasuryTransactionEntriesId: retrieveOf('treasury.transaction_entry', 'transaction entry', 'id'),
}
