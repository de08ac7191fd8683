import type { Handler, HandlerContext } from './context.js'
import { invalidRequest, missingParam, resourceMissing } from './errors.js'
import { newId, randomToken } from './ids.js'
import { applyMetadata, fromTemplate, mergeParams, unsetToNull } from './objects.js'
import { paginate } from './pagination.js'
import type { AccountStore, StripeObject } from './store.js'
import type { Params, ParamValue } from './validate.js'

const RECEIVER_TYPES = new Set(['ach_credit_transfer', 'multibanco', 'wechat', 'klarna'])
const REDIRECT_TYPES = new Set(['alipay', 'bancontact', 'eps', 'giropay', 'ideal', 'p24', 'sofort', 'three_d_secure'])
const CODE_TYPES = new Set(['sepa_credit_transfer'])

export function getSource(store: AccountStore, id: string, param = 'source'): StripeObject {
  const source = store.get('source', id)
  if (!source) throw resourceMissing('source', id, param)
  return source
}

/** Customers are known when seeded or when their id looks like one (`cus_…`). */
export function requireCustomer(store: AccountStore, id: string, param = 'customer'): void {
  if (!store.customers.has(id) && !/^cus_[A-Za-z0-9]+$/.test(id)) throw resourceMissing('customer', id, param)
}

function defaultFlow(type: string): string {
  if (RECEIVER_TYPES.has(type)) return 'receiver'
  if (REDIRECT_TYPES.has(type)) return 'redirect'
  if (CODE_TYPES.has(type)) return 'code_verification'
  return 'none'
}

function typeDetails(type: string, template: StripeObject): unknown {
  if (type === 'ach_credit_transfer') {
    return {
      ...(template.ach_credit_transfer as object),
      account_number: `test_${randomToken(12).toLowerCase()}`,
      fingerprint: randomToken(16),
    }
  }
  return {}
}

function buildSource(ctx: HandlerContext, p: Params, type: string, base?: StripeObject): StripeObject {
  const id = newId('src')
  const template = fromTemplate('source', {})
  const flow = typeof p.flow === 'string' && p.flow ? p.flow : base ? (base.flow as string) : defaultFlow(type)
  const source = fromTemplate('source', {
    id,
    created: ctx.now,
    client_secret: `src_client_secret_${randomToken(24)}`,
    type,
    flow,
    amount: unsetToNull(p.amount ?? base?.amount ?? null),
    currency: unsetToNull(p.currency ?? base?.currency ?? (type === 'ach_credit_transfer' ? 'usd' : null)),
    usage: unsetToNull(p.usage ?? base?.usage ?? (flow === 'redirect' ? 'single_use' : 'reusable')),
    statement_descriptor: unsetToNull(p.statement_descriptor ?? null),
    metadata: {},
    status: flow === 'none' ? 'chargeable' : 'pending',
  })
  // `customer` is only present on an attached source (the spec has it optional, not nullable)
  delete source.customer
  delete source.ach_credit_transfer
  source[type] = base ? structuredClone(base[type]) : typeDetails(type, template)
  const owner = { ...(template.owner as object), email: null } as Record<string, unknown>
  source.owner = mergeParams(base ? (base.owner as Record<string, unknown>) : owner, p.owner ?? {})
  if (flow === 'receiver') {
    source.receiver = {
      ...(template.receiver as object),
      address: `110000000-test_${randomToken(10).toLowerCase()}`,
      amount_charged: 0,
      amount_received: 0,
      amount_returned: 0,
      ...(p.receiver && typeof p.receiver === 'object' ? (p.receiver as object) : {}),
    }
  } else delete source.receiver
  if (flow === 'redirect') {
    const redirect = (p.redirect ?? {}) as Record<string, ParamValue>
    if (!base && !redirect.return_url) throw missingParam('redirect[return_url]')
    source.redirect = {
      failure_reason: null,
      return_url: redirect.return_url ?? null,
      status: 'pending',
      url: `${ctx.origin}/_emulator/sources/${id}/authorize`,
    }
  }
  if (flow === 'code_verification') source.code_verification = { attempts_remaining: 3, status: 'pending' }
  if (p.mandate) source.mandate = mergeParams(null, p.mandate)
  if (p.source_order) source.source_order = mergeParams(null, p.source_order)
  applyMetadata(source, p.metadata)
  return source
}

const createSource: Handler = (ctx) => {
  const p = ctx.params
  if (typeof p.original_source === 'string' && p.original_source) {
    if (typeof p.customer !== 'string' || !p.customer) throw missingParam('customer')
    const original = getSource(ctx.store, p.original_source, 'original_source')
    if (original.customer !== p.customer) {
      throw invalidRequest(`The source ${original.id} does not belong to customer ${p.customer}.`, 'original_source')
    }
    return ctx.store.insert(buildSource(ctx, p, original.type as string, original))
  }
  if (typeof p.type !== 'string' || !p.type) throw missingParam('type')
  return ctx.store.insert(buildSource(ctx, p, p.type))
}

const retrieveSource: Handler = (ctx) => {
  const source = getSource(ctx.store, ctx.pathParams.source as string)
  if (ctx.auth.kind === 'publishable') {
    // Documented choice: a publishable key needs the source's own client_secret; without it
    // (or with another one) the source is hidden, as Stripe answers: 404 resource_missing.
    if (ctx.params.client_secret !== source.client_secret) throw resourceMissing('source', source.id, 'source')
  }
  return source
}

function updateSourceFields(source: StripeObject, p: Params): StripeObject {
  if (p.amount !== undefined) source.amount = unsetToNull(p.amount)
  if (p.owner !== undefined) source.owner = mergeParams(source.owner as Record<string, unknown>, p.owner)
  if (p.mandate !== undefined) source.mandate = mergeParams(source.mandate as Record<string, unknown>, p.mandate)
  if (p.source_order !== undefined) source.source_order = mergeParams(null, p.source_order)
  applyMetadata(source, p.metadata)
  return source
}

const updateSource: Handler = (ctx) => updateSourceFields(getSource(ctx.store, ctx.pathParams.source as string), ctx.params)

const verifySource: Handler = (ctx) => {
  const source = getSource(ctx.store, ctx.pathParams.source as string)
  if (source.status !== 'pending') {
    throw invalidRequest(`This source cannot be verified because its status is ${source.status}.`, 'source')
  }
  if (source.code_verification) {
    source.code_verification = { attempts_remaining: 3, status: 'succeeded' }
  }
  source.status = 'chargeable'
  return source
}

const retrieveMandateNotification: Handler = (ctx) => {
  getSource(ctx.store, ctx.pathParams.source as string)
  const id = ctx.pathParams.mandate_notification as string
  const notification = ctx.store.get('source_mandate_notification', id)
  if (!notification || (notification.source as { id?: string })?.id !== ctx.pathParams.source) {
    throw resourceMissing('source mandate notification', id, 'mandate_notification')
  }
  return notification
}

const listSourceTransactions: Handler = (ctx) => {
  const id = ctx.pathParams.source as string
  getSource(ctx.store, id)
  const items = ctx.store.list('source_transaction', (tx) => tx.source === id)
  return paginate(items, ctx.params, `/v1/sources/${id}/source_transactions`, ctx.store.list('source_transaction'))
}

const retrieveSourceTransaction: Handler = (ctx) => {
  getSource(ctx.store, ctx.pathParams.source as string)
  const id = ctx.pathParams.source_transaction as string
  const tx = ctx.store.get('source_transaction', id)
  if (!tx || tx.source !== ctx.pathParams.source) throw resourceMissing('source transaction', id, 'source_transaction')
  return tx
}

/** A source attached to the path's customer, or 404 naming `id`. */
function customerSource(ctx: HandlerContext): StripeObject {
  const customer = ctx.pathParams.customer as string
  requireCustomer(ctx.store, customer)
  const id = ctx.pathParams.id as string
  const source = ctx.store.get('source', id)
  if (!source || source.customer !== customer) throw resourceMissing('source', id, 'id')
  return source
}

const attachSource: Handler = (ctx) => {
  const customer = ctx.pathParams.customer as string
  requireCustomer(ctx.store, customer)
  const p = ctx.params
  if (p.bank_account !== undefined || p.card !== undefined || p.alipay_account !== undefined) {
    throw invalidRequest('The emulator only attaches Sources: pass `source` with a src_… id.', 'source')
  }
  if (typeof p.source !== 'string' || !p.source) throw missingParam('source')
  const source = getSource(ctx.store, p.source, 'source')
  if (source.status === 'consumed' || source.status === 'canceled' || source.status === 'failed') {
    throw invalidRequest(`The source you provided is not in a chargeable or pending state (status: ${source.status}).`, 'source')
  }
  if (source.customer && source.customer !== customer) {
    throw invalidRequest(`The source ${source.id} is already attached to another customer.`, 'source')
  }
  source.customer = customer
  applyMetadata(source, p.metadata)
  return source
}

const listCustomerSources: Handler = (ctx) => {
  const customer = ctx.pathParams.customer as string
  requireCustomer(ctx.store, customer)
  const kind = ctx.params.object
  if (kind !== undefined && kind !== '' && kind !== 'source') {
    return { object: 'list', data: [], has_more: false, url: `/v1/customers/${customer}/sources` }
  }
  const items = ctx.store.list('source', (source) => source.customer === customer)
  return paginate(items, ctx.params, `/v1/customers/${customer}/sources`, ctx.store.list('source'))
}

const retrieveCustomerSource: Handler = (ctx) => customerSource(ctx)

const updateCustomerSource: Handler = (ctx) => updateSourceFields(customerSource(ctx), ctx.params)

const verifyCustomerSource: Handler = (ctx) => {
  const source = customerSource(ctx)
  throw invalidRequest(`Only bank accounts can be verified here; ${source.id} is a Source: use POST /v1/sources/${source.id}/verify.`, 'id')
}

const detachSource: Handler = (ctx) => {
  const source = customerSource(ctx)
  source.status = 'consumed'
  delete source.customer
  return source
}

export const sourceHandlers: Record<string, Handler> = {
  PostSources: createSource,
  GetSourcesSource: retrieveSource,
  PostSourcesSource: updateSource,
  PostSourcesSourceVerify: verifySource,
  GetSourcesSourceMandateNotificationsMandateNotification: retrieveMandateNotification,
  GetSourcesSourceSourceTransactions: listSourceTransactions,
  GetSourcesSourceSourceTransactionsSourceTransaction: retrieveSourceTransaction,
  PostCustomersCustomerSources: attachSource,
  GetCustomersCustomerSources: listCustomerSources,
  GetCustomersCustomerSourcesId: retrieveCustomerSource,
  PostCustomersCustomerSourcesId: updateCustomerSource,
  PostCustomersCustomerSourcesIdVerify: verifyCustomerSource,
  DeleteCustomersCustomerSourcesId: detachSource,
}

/** Control: a pending source becomes chargeable (as after the customer authorizes or pays). */
export function makeSourceChargeable(store: AccountStore, id: string): StripeObject {
  const source = getSource(store, id)
  if (source.status !== 'pending' && source.status !== 'chargeable') {
    throw invalidRequest(`Source ${id} is ${source.status}; only pending sources can become chargeable.`, 'source')
  }
  source.status = 'chargeable'
  if (source.redirect) (source.redirect as Record<string, unknown>).status = 'succeeded'
  if (source.code_verification) (source.code_verification as Record<string, unknown>).status = 'succeeded'
  return source
}

/** Control: funds pushed to a receiver source (e.g. an ACH credit) → a source_transaction, chargeable. */
export function pushSourceFunds(store: AccountStore, id: string, amount: number, now: number): StripeObject {
  const source = getSource(store, id)
  if (source.flow !== 'receiver') throw invalidRequest(`Source ${id} is not a receiver source.`, 'source')
  const receiver = source.receiver as Record<string, number>
  receiver.amount_received = (receiver.amount_received ?? 0) + amount
  if (source.status === 'pending') source.status = 'chargeable'
  const tx = fromTemplate('source_transaction', {
    id: newId('srctxn'),
    amount,
    created: now,
    currency: source.currency ?? 'usd',
    source: source.id,
    status: 'succeeded',
    type: source.type,
  })
  store.insert(tx)
  return source
}

/** Control: a pending or chargeable source ends `failed` or `canceled` (e.g. the customer never paid). */
export function endSource(store: AccountStore, id: string, status: 'failed' | 'canceled'): StripeObject {
  const source = getSource(store, id)
  if (source.status !== 'pending' && source.status !== 'chargeable') {
    throw invalidRequest(`Source ${id} is ${source.status}; only pending or chargeable sources can become ${status}.`, 'source')
  }
  source.status = status
  if (source.redirect) (source.redirect as Record<string, unknown>).status = status === 'failed' ? 'failed' : 'not_required'
  if (source.redirect && status === 'failed') (source.redirect as Record<string, unknown>).failure_reason = 'declined'
  if (source.code_verification) (source.code_verification as Record<string, unknown>).status = 'failed'
  return source
}
