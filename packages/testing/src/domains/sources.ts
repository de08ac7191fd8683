import type { AccountOption } from '../controls.js'
import {
  controlRoute,
  type DomainKit,
  defineEmulatorDomain,
  type EmulatorDomain,
  type HandlerContext,
  type RaisedEvent,
} from '../domain.js'
import { invalidRequest, missingParam, resourceMissing } from '../errors.js'
import { previousAttributes } from '../events/previous-attributes.js'
import type { Resources } from '../generated/resources.js'
import type { RouteParams } from '../generated/route-types.js'
import { newId, randomToken } from '../ids.js'
import { applyMetadata, fromTemplate, mergeParams, unsetToNull } from '../objects.js'
import { paginate } from '../pagination.js'
import type { AccountStore } from '../store.js'

type Source = Resources['source']
type CreateParams = RouteParams['PostSources']

const RECEIVER_TYPES = /* @__PURE__ */ new Set(['ach_credit_transfer', 'multibanco', 'wechat', 'klarna'])
const REDIRECT_TYPES = /* @__PURE__ */ new Set(['alipay', 'bancontact', 'eps', 'giropay', 'ideal', 'p24', 'sofort', 'three_d_secure'])
const CODE_TYPES = /* @__PURE__ */ new Set(['sepa_credit_transfer'])

export function getSource(store: AccountStore, id: string, param = 'source'): Source {
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

function typeDetails(type: string, template: Source): unknown {
  if (type === 'ach_credit_transfer') {
    return {
      ...template.ach_credit_transfer,
      account_number: `test_${randomToken(12).toLowerCase()}`,
      fingerprint: randomToken(16),
    }
  }
  return {}
}

function buildSource(ctx: HandlerContext, p: CreateParams, type: Source['type'], base?: Source): Source {
  const id = newId('src')
  const template = fromTemplate('source', {})
  const flow = typeof p.flow === 'string' && p.flow ? p.flow : base ? base.flow : defaultFlow(type)
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
  // the type-specific hash is keyed by the type itself (`source.ideal`, `source.wechat`…)
  const details: Record<string, unknown> = source
  details[type] = base ? structuredClone(base[type]) : typeDetails(type, template)
  const owner = { ...template.owner, email: null }
  source.owner = mergeParams(base ? base.owner : owner, p.owner ?? {})
  if (flow === 'receiver') {
    source.receiver = {
      ...template.receiver,
      address: `110000000-test_${randomToken(10).toLowerCase()}`,
      amount_charged: 0,
      amount_received: 0,
      amount_returned: 0,
      ...(p.receiver && typeof p.receiver === 'object' ? p.receiver : {}),
    } as Source['receiver']
  } else delete source.receiver
  if (flow === 'redirect') {
    const redirect = p.redirect || undefined
    if (!base && !redirect?.return_url) throw missingParam('redirect[return_url]')
    source.redirect = {
      failure_reason: null,
      return_url: redirect?.return_url ?? base?.redirect?.return_url ?? '',
      status: 'pending',
      url: `${ctx.origin}/_emulator/sources/${id}/authorize`,
    }
  }
  if (flow === 'code_verification') source.code_verification = { attempts_remaining: 3, status: 'pending' }
  // `mandate` is echoed back although the 2024-04-10 source schema does not list it
  if (p.mandate) details.mandate = mergeParams(null, p.mandate)
  if (p.source_order) source.source_order = mergeParams<Source['source_order']>(null, p.source_order)
  applyMetadata(source, p.metadata)
  return source
}

function updateSourceFields(source: Source, p: RouteParams['PostSourcesSource']): Source {
  if (p.amount !== undefined) source.amount = unsetToNull(p.amount)
  if (p.owner !== undefined) source.owner = mergeParams(source.owner, p.owner)
  if (p.mandate !== undefined) {
    const details: Record<string, unknown> = source
    details.mandate = mergeParams(details.mandate, p.mandate)
  }
  if (p.source_order !== undefined) source.source_order = mergeParams<Source['source_order']>(null, p.source_order)
  applyMetadata(source, p.metadata)
  return source
}

/** A source attached to the path's customer, or 404 naming `id`. */
function customerSource(ctx: HandlerContext<unknown, { customer: string; id: string }>): Source {
  const customer = ctx.pathParams.customer
  requireCustomer(ctx.store, customer)
  const id = ctx.pathParams.id
  const source = ctx.store.get('source', id)
  if (!source || source.customer !== customer) throw resourceMissing('source', id, 'id')
  return source
}

/** Attaches or detaches: keeps the store's per-customer index of sources up to date. */
function setCustomer(ctx: HandlerContext<unknown, unknown>, source: Source, customer: string | undefined): void {
  const previous = source.customer
  if (customer === undefined) delete source.customer
  else source.customer = customer
  ctx.store.reindex(source, 'customer', previous)
}

/**
 * The `customer.source.*` event a call on a customer's source raises, by the call's context: the
 * handler knows what changed (attached, or which attributes), its `events` entry reads it back. One
 * call, one context object: nothing is shared between calls.
 */
const customerSourceEvents = /* @__PURE__ */ new WeakMap<object, RaisedEvent>()

const raisedBy = (_result: unknown, ctx: object): readonly RaisedEvent[] => {
  const event = customerSourceEvents.get(ctx)
  return event ? [event] : []
}

/**
 * Runs `change` on a source; when the source is attached to a customer and an attribute changed,
 * the call raises `customer.source.updated` with the previous values (`previous_attributes`).
 */
function updateAttached(ctx: HandlerContext<unknown, unknown>, source: Source, change: (source: Source) => void): Source {
  const before = structuredClone(source)
  change(source)
  const previous = previousAttributes(before as unknown as Record<string, unknown>, source as unknown as Record<string, unknown>)
  if (source.customer && previous) customerSourceEvents.set(ctx, ['customer.source.updated', source, undefined, previous])
  return source
}

/** Sources controls: the transitions a customer or the network makes happen. */
export interface SourcesControl {
  /** a pending source becomes `chargeable` (`source.chargeable`) */
  makeSourceChargeable(id: string, options?: AccountOption): Source
  /**
   * funds arrive on a receiver source: a source_transaction, `amount_received` grows, chargeable
   * (`source.transaction.created`, then `source.chargeable` if it was pending). `status: 'pending'`:
   * funds that have not cleared yet (a transaction `pending`, nothing received until
   * `settleSourceTransaction`). Funds the source was not waiting for — more than its `amount`, or
   * on a source that is no longer pending or chargeable — are a mispayment: the customer must be
   * refunded, so the receiver's `refund_attributes_status` goes from `missing` to `requested`
   * (`source.refund_attributes_required`).
   */
  pushSourceFunds(id: string, amount: number, options?: AccountOption & { status?: 'pending' | 'succeeded' }): Source
  /**
   * a pending source transaction clears (`succeeded`: the funds are received, as `pushSourceFunds`)
   * or fails (`failed`): `source.transaction.updated`
   */
  settleSourceTransaction(id: string, status: 'succeeded' | 'failed', options?: AccountOption): Resources['source_transaction']
  /**
   * the merchant debits a SEPA or ACSS debit source (a charge, which the emulator does not
   * model otherwise): when the source's mandate has `notification_method: manual`, Stripe leaves
   * the pre-debit notice to the merchant — a `source_mandate_notification` (`reason:
   * debit_initiated`, `status: pending`) and `source.mandate_notification`; otherwise Stripe
   * notifies the customer itself and there is no notification
   */
  debitSource(id: string, amount: number, options?: AccountOption): SourceDebit
  /** a pending or chargeable source fails (`source.failed`) */
  failSource(id: string, options?: AccountOption): Source
  /** a pending or chargeable source is canceled (`source.canceled`) */
  cancelSource(id: string, options?: AccountOption): Source
}

/** What `debitSource` answers: the source and the notification the merchant must send, if any. */
export interface SourceDebit {
  source: Source
  mandate_notification: Resources['source_mandate_notification'] | null
}

/** the source types whose debits Stripe announces with a mandate notification (bacs_debit is no Source type in the spec) */
const DEBIT_TYPES = /* @__PURE__ */ new Set(['sepa_debit', 'acss_debit'])

function debitSource(store: AccountStore, id: string, amount: number, now: number): SourceDebit {
  const source = getSource(store, id)
  if (!DEBIT_TYPES.has(source.type)) {
    throw invalidRequest(`Source ${id} is a ${source.type} source: only sepa_debit and acss_debit sources are debited.`, 'source')
  }
  if (source.status !== 'chargeable')
    throw invalidRequest(`Source ${id} is ${source.status}; only a chargeable source can be debited.`, 'source')
  if (!Number.isInteger(amount) || amount <= 0) throw invalidRequest('amount must be a positive integer.', 'amount')
  if (source.usage === 'single_use') source.status = 'consumed'
  const details = source as unknown as Record<string, Record<string, unknown> | undefined>
  if (details.mandate?.notification_method !== 'manual') return { source: structuredClone(source), mandate_notification: null }
  const own = details[source.type] ?? {}
  const last4 = typeof own.last4 === 'string' ? own.last4 : null
  const typeData =
    source.type === 'sepa_debit'
      ? {
          sepa_debit: {
            creditor_identifier: 'TEST42ZZZ0000424242',
            last4,
            mandate_reference: typeof own.mandate_reference === 'string' ? own.mandate_reference : null,
          },
        }
      : { acss_debit: { statement_descriptor: source.statement_descriptor ?? null } }
  const template = fromTemplate('source_mandate_notification', {}) as Record<string, unknown>
  delete template.sepa_debit
  const notification = {
    ...template,
    id: newId('srcmn'),
    amount,
    created: now,
    reason: 'debit_initiated',
    // the source as it was when the debit started (the object the notification is about)
    source: structuredClone(source),
    status: 'pending',
    type: source.type,
    ...typeData,
  } as unknown as Resources['source_mandate_notification']
  store.insert(notification)
  return { source: structuredClone(source), mandate_notification: structuredClone(notification) }
}

function sourcesControl(kit: DomainKit): SourcesControl {
  /** Runs a source transition and raises `type` when the status changed. */
  const change = (id: string, options: AccountOption | undefined, type: string, run: (store: AccountStore) => Source) => {
    const store = kit.store(options)
    const before = store.get('source', id)?.status
    const source = run(store)
    if (source.status !== before) kit.raise(type, source, options)
    return structuredClone(source)
  }
  return {
    makeSourceChargeable: (id, options) => change(id, options, 'source.chargeable', (store) => makeSourceChargeable(store, id)),
    pushSourceFunds: (id, amount, options) =>
      change(id, options, 'source.chargeable', (store) => {
        const status = options?.status ?? 'succeeded'
        if (status !== 'succeeded' && status !== 'pending') throw invalidRequest('status must be pending or succeeded.', 'status')
        const { source, transaction, mispaid } = pushSourceFunds(store, id, amount, kit.state.clock.now, status)
        kit.raise('source.transaction.created', transaction, options)
        if (mispaid) kit.raise('source.refund_attributes_required', source, options)
        return source
      }),
    settleSourceTransaction: (id, status, options) => {
      const store = kit.store(options)
      const transaction = store.get('source_transaction', id)
      if (!transaction) throw resourceMissing('source transaction', id, 'source_transaction')
      if (transaction.status !== 'pending') {
        throw invalidRequest(`Source transaction ${id} is ${transaction.status}; only a pending one can settle.`, 'source_transaction')
      }
      if (status !== 'succeeded' && status !== 'failed') throw invalidRequest('status must be succeeded or failed.', 'status')
      transaction.status = status
      kit.raise('source.transaction.updated', transaction, options)
      if (status === 'succeeded') {
        const source = getSource(store, transaction.source)
        const before = source.status
        const mispaid = receiveFunds(source, transaction.amount)
        if (mispaid) kit.raise('source.refund_attributes_required', source, options)
        if (source.status !== before) kit.raise('source.chargeable', source, options)
      }
      return structuredClone(transaction)
    },
    debitSource: (id, amount, options) => {
      const debit = debitSource(kit.store(options), id, amount, kit.state.clock.now)
      if (debit.mandate_notification) kit.raise('source.mandate_notification', debit.mandate_notification, options)
      return debit
    },
    failSource: (id, options) => change(id, options, 'source.failed', (store) => endSource(store, id, 'failed')),
    cancelSource: (id, options) => change(id, options, 'source.canceled', (store) => endSource(store, id, 'canceled')),
  }
}

const chargeable = (source: { status?: unknown; id: string; object: string }) =>
  source.status === 'chargeable' ? ([['source.chargeable', source]] as const) : []

/** Sources: `/v1/sources` and the Sources a customer has (`/v1/customers/{customer}/sources`). */
export const sources: EmulatorDomain<'sources', SourcesControl> = /* @__PURE__ */ defineEmulatorDomain<'sources', SourcesControl>({
  name: 'sources',
  prefixes: ['/v1/sources', '/v1/customers/'],
  handlers: {
    PostSources: (ctx) => {
      const p = ctx.params
      if (p.original_source) {
        if (!p.customer) throw missingParam('customer')
        const original = getSource(ctx.store, p.original_source, 'original_source')
        if (original.customer !== p.customer) {
          throw invalidRequest(`The source ${original.id} does not belong to customer ${p.customer}.`, 'original_source')
        }
        return ctx.store.insert(buildSource(ctx, p, original.type, original))
      }
      if (!p.type) throw missingParam('type')
      return ctx.store.insert(buildSource(ctx, p, p.type as Source['type']))
    },
    GetSourcesSource: (ctx) => {
      const source = getSource(ctx.store, ctx.pathParams.source)
      if (ctx.auth.kind === 'publishable') {
        // Documented choice: a publishable key needs the source's own client_secret; without it
        // (or with another one) the source is hidden, as Stripe answers: 404 resource_missing.
        if (ctx.params.client_secret !== source.client_secret) throw resourceMissing('source', source.id, 'source')
      }
      return source
    },
    // Stripe tells a customer's webhooks about changes to the sources attached to it
    PostSourcesSource: (ctx) =>
      updateAttached(ctx, getSource(ctx.store, ctx.pathParams.source), (source) => updateSourceFields(source, ctx.params)),
    PostSourcesSourceVerify: (ctx) => {
      const source = getSource(ctx.store, ctx.pathParams.source)
      if (source.status !== 'pending') {
        throw invalidRequest(`This source cannot be verified because its status is ${source.status}.`, 'source')
      }
      if (source.code_verification) source.code_verification = { attempts_remaining: 3, status: 'succeeded' }
      source.status = 'chargeable'
      return source
    },
    GetSourcesSourceMandateNotificationsMandateNotification: (ctx) => {
      getSource(ctx.store, ctx.pathParams.source)
      const id = ctx.pathParams.mandate_notification
      const notification = ctx.store.get('source_mandate_notification', id)
      if (!notification || notification.source.id !== ctx.pathParams.source) {
        throw resourceMissing('source mandate notification', id, 'mandate_notification')
      }
      return notification
    },
    GetSourcesSourceSourceTransactions: (ctx) => {
      const id = ctx.pathParams.source
      getSource(ctx.store, id)
      return paginate(ctx.store, {
        kind: 'source_transaction',
        by: ['source', id],
        params: ctx.params,
        url: `/v1/sources/${id}/source_transactions`,
      })
    },
    GetSourcesSourceSourceTransactionsSourceTransaction: (ctx) => {
      getSource(ctx.store, ctx.pathParams.source)
      const id = ctx.pathParams.source_transaction
      const tx = ctx.store.get('source_transaction', id)
      if (!tx || tx.source !== ctx.pathParams.source) throw resourceMissing('source transaction', id, 'source_transaction')
      return tx
    },
    PostCustomersCustomerSources: (ctx) => {
      const customer = ctx.pathParams.customer
      requireCustomer(ctx.store, customer)
      const p = ctx.params
      if (p.bank_account !== undefined || p.card !== undefined || p.alipay_account !== undefined) {
        throw invalidRequest('The emulator only attaches Sources: pass `source` with a src_… id.', 'source')
      }
      if (!p.source) throw missingParam('source')
      const source = getSource(ctx.store, p.source, 'source')
      if (source.status === 'consumed' || source.status === 'canceled' || source.status === 'failed') {
        throw invalidRequest(`The source you provided is not in a chargeable or pending state (status: ${source.status}).`, 'source')
      }
      if (source.customer && source.customer !== customer) {
        throw invalidRequest(`The source ${source.id} is already attached to another customer.`, 'source')
      }
      if (source.customer === customer) {
        // attached already: only `metadata` can change (`customer.source.updated` when it does)
        return updateAttached(ctx, source, (attached) => applyMetadata(attached, p.metadata))
      }
      setCustomer(ctx, source, customer)
      applyMetadata(source, p.metadata)
      customerSourceEvents.set(ctx, ['customer.source.created', source])
      return source
    },
    GetCustomersCustomerSources: (ctx) => {
      const customer = ctx.pathParams.customer
      requireCustomer(ctx.store, customer)
      const kind = ctx.params.object
      if (kind !== undefined && kind !== '' && kind !== 'source') {
        return { object: 'list', data: [], has_more: false, url: `/v1/customers/${customer}/sources` }
      }
      return paginate(ctx.store, {
        kind: 'source',
        by: ['customer', customer],
        params: ctx.params,
        url: `/v1/customers/${customer}/sources`,
      })
    },
    GetCustomersCustomerSourcesId: (ctx) => customerSource(ctx),
    PostCustomersCustomerSourcesId: (ctx) => updateAttached(ctx, customerSource(ctx), (source) => updateSourceFields(source, ctx.params)),
    PostCustomersCustomerSourcesIdVerify: (ctx) => {
      const source = customerSource(ctx)
      throw invalidRequest(
        `Only bank accounts can be verified here; ${source.id} is a Source: use POST /v1/sources/${source.id}/verify.`,
        'id',
      )
    },
    DeleteCustomersCustomerSourcesId: (ctx) => {
      const source = customerSource(ctx)
      source.status = 'consumed'
      setCustomer(ctx, source, undefined)
      return source
    },
  },
  events: {
    PostSources: chargeable,
    PostSourcesSourceVerify: chargeable,
    PostSourcesSource: raisedBy,
    PostCustomersCustomerSources: raisedBy,
    PostCustomersCustomerSourcesId: raisedBy,
    // the detached source (`consumed`, no `customer` any more)
    DeleteCustomersCustomerSourcesId: (source) => [['customer.source.deleted', source]],
  },
  controls: sourcesControl,
  controlRoutes: [
    controlRoute('POST', '/sources/{id}/chargeable', ({ controls, params, account }) => controls.makeSourceChargeable(params.id, account)),
    // the redirect flow's authorization page: visiting it authorizes the source
    controlRoute('GET', '/sources/{id}/authorize', ({ controls, params, account }) => controls.makeSourceChargeable(params.id, account)),
    controlRoute('POST', '/sources/{id}/funds', ({ controls, params, body, account }) =>
      controls.pushSourceFunds(params.id, Number(body.amount), {
        ...account,
        ...(body.status === undefined ? {} : { status: String(body.status) as 'pending' | 'succeeded' }),
      }),
    ),
    controlRoute('POST', '/source-transactions/{id}/settle', ({ controls, params, body, account }) =>
      controls.settleSourceTransaction(params.id, String(body.status ?? 'succeeded') as 'succeeded' | 'failed', account),
    ),
    controlRoute('POST', '/sources/{id}/debit', ({ controls, params, body, account }) =>
      controls.debitSource(params.id, Number(body.amount), account),
    ),
    controlRoute('POST', '/sources/{id}/fail', ({ controls, params, account }) => controls.failSource(params.id, account)),
    controlRoute('POST', '/sources/{id}/cancel', ({ controls, params, account }) => controls.cancelSource(params.id, account)),
  ],
  fixtures: [
    {
      list: 'GetSourcesSourceSourceTransactions',
      async setup(api) {
        const source = await api.call('POST', '/v1/sources', { type: 'ach_credit_transfer', currency: 'usd' })
        return { path: `/v1/sources/${source.body.id}/source_transactions` }
      },
      async create(api, setup) {
        const id = (setup.path as string).split('/')[3] as string
        api.control.advance(1)
        api.control.pushSourceFunds(id, 100)
        return api.control.objects('source_transaction')[0]?.id as string
      },
    },
    {
      list: 'GetCustomersCustomerSources',
      async setup() {
        return { path: '/v1/customers/cus_contract/sources' }
      },
      async create(api) {
        const source = await api.call('POST', '/v1/sources', { type: 'ach_credit_transfer', currency: 'usd' })
        await api.call('POST', '/v1/customers/cus_contract/sources', { source: source.body.id })
        return source.body.id
      },
    },
  ],
})

/** Control: a pending source becomes chargeable (as after the customer authorizes or pays). */
export function makeSourceChargeable(store: AccountStore, id: string): Source {
  const source = getSource(store, id)
  if (source.status !== 'pending' && source.status !== 'chargeable') {
    throw invalidRequest(`Source ${id} is ${source.status}; only pending sources can become chargeable.`, 'source')
  }
  source.status = 'chargeable'
  if (source.redirect) source.redirect.status = 'succeeded'
  if (source.code_verification) source.code_verification.status = 'succeeded'
  return source
}

/**
 * Funds received on a receiver source: `amount_received` grows, a pending source becomes
 * chargeable. Returns true when they are a mispayment that needs the customer's refund details
 * (more than the source's `amount`, or a source that no longer takes funds): the receiver's
 * `refund_attributes_status` moves from `missing` to `requested`.
 */
function receiveFunds(source: Source, amount: number): boolean {
  const receiver = source.receiver as NonNullable<Source['receiver']>
  const wasOpen = source.status === 'pending' || source.status === 'chargeable'
  receiver.amount_received = (receiver.amount_received ?? 0) + amount
  if (source.status === 'pending') source.status = 'chargeable'
  const over = source.amount != null && receiver.amount_received > source.amount
  if (!(over || !wasOpen) || receiver.refund_attributes_status !== 'missing') return false
  receiver.refund_attributes_status = 'requested'
  return true
}

/** Control: funds pushed to a receiver source (e.g. an ACH credit) → a source_transaction, chargeable. */
export function pushSourceFunds(
  store: AccountStore,
  id: string,
  amount: number,
  now: number,
  status: 'pending' | 'succeeded' = 'succeeded',
): { source: Source; transaction: Resources['source_transaction']; mispaid: boolean } {
  const source = getSource(store, id)
  const receiver = source.receiver
  if (source.flow !== 'receiver' || !receiver) throw invalidRequest(`Source ${id} is not a receiver source.`, 'source')
  if (!Number.isInteger(amount) || amount <= 0) throw invalidRequest('amount must be a positive integer.', 'amount')
  const mispaid = status === 'succeeded' && receiveFunds(source, amount)
  const tx = fromTemplate('source_transaction', {
    id: newId('srctxn'),
    amount,
    created: now,
    currency: source.currency ?? 'usd',
    source: source.id,
    status,
    // the receiver types (ACH credit transfer, multibanco, …) all have a source_transaction type of their own
    type: source.type as Resources['source_transaction']['type'],
  })
  store.insert(tx)
  return { source, transaction: tx, mispaid }
}

/** Control: a pending or chargeable source ends `failed` or `canceled` (e.g. the customer never paid). */
export function endSource(store: AccountStore, id: string, status: 'failed' | 'canceled'): Source {
  const source = getSource(store, id)
  if (source.status !== 'pending' && source.status !== 'chargeable') {
    throw invalidRequest(`Source ${id} is ${source.status}; only pending or chargeable sources can become ${status}.`, 'source')
  }
  source.status = status
  if (source.redirect) source.redirect.status = status === 'failed' ? 'failed' : 'not_required'
  if (source.redirect && status === 'failed') source.redirect.failure_reason = 'declined'
  if (source.code_verification) source.code_verification.status = 'failed'
  return source
}
