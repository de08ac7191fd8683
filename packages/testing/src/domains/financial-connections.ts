import { storedSessionFilters } from '../api-versions.js'
import type { AccountOption } from '../controls.js'
import { controlRoute, type DomainKit, defineEmulatorDomain, type EmulatorDomain, type HandlerContext } from '../domain.js'
import { invalidRequest, resourceMissing } from '../errors.js'
import type { Resources } from '../generated/resources.js'
import { API_VERSION } from '../generated/routes.js'
import { newId, randomToken } from '../ids.js'
import { fromTemplate } from '../objects.js'
import { matchesRange, paginate } from '../pagination.js'
import type { AccountStore } from '../store.js'
import {
  type AccountNumbersInput,
  createAuthorization,
  type DeactivationInput,
  type FinancialConnectionsLifecycleControl,
  financialConnectionsLifecycleControl,
  financialConnectionsNextDue,
  financialConnectionsOnAdvance,
  initialAccountNumbers,
} from './financial-connections-lifecycle.js'

type Session = Resources['financial_connections.session']
type Account = Resources['financial_connections.account']

/** A refresh feature → the account fields it fills and the event it raises. */
const FEATURES = {
  balance: { refresh: 'balance_refresh', event: 'financial_connections.account.refreshed_balance', permission: 'balances' },
  ownership: { refresh: 'ownership_refresh', event: 'financial_connections.account.refreshed_ownership', permission: 'ownership' },
  transactions: {
    refresh: 'transaction_refresh',
    event: 'financial_connections.account.refreshed_transactions',
    permission: 'transactions',
  },
} as const
type Feature = keyof typeof FEATURES

function getAccount(store: AccountStore, id: string, param = 'account'): Account {
  const account = store.get('financial_connections.account', id)
  if (!account) throw resourceMissing('financial connections account', id, param)
  return account
}

function getSession(store: AccountStore, id: string, param = 'session'): Session {
  const session = store.get('financial_connections.session', id)
  if (!session) throw resourceMissing('financial connections session', id, param)
  return session
}

function features(list: readonly string[], allowed: readonly string[], param: string): string[] {
  if (!list.length) throw invalidRequest(`${param} must not be empty.`, param)
  for (const feature of list) if (!allowed.includes(feature)) throw invalidRequest(`Invalid ${param}: ${feature}.`, param)
  return [...new Set(list)]
}

function requireActive(account: Account, action: string): void {
  if (account.status !== 'active') {
    throw invalidRequest(`Cannot ${action} account ${account.id}: its status is ${account.status}.`, undefined, 'account_invalid_status')
  }
}

/** Completes a pending refresh: fills the feature's data (balance, owners, transactions) and marks it succeeded. */
function completeRefresh(store: AccountStore, now: number, account: Account, feature: Feature): void {
  const fields = account as unknown as Record<string, unknown>
  if (feature === 'balance') {
    fields.balance = {
      as_of: now,
      cash: { available: { usd: 10_000 } },
      current: { usd: 10_000 },
      type: 'cash',
    }
    fields.balance_refresh = { last_attempted_at: now, next_refresh_available_at: null, status: 'succeeded' }
  } else if (feature === 'ownership') {
    const ownership = `fcaowns_${randomToken(24)}`
    const template = fromTemplate('financial_connections.account_owner', {})
    store.insert({ ...template, id: newId('fcaown'), ownership, refreshed_at: now })
    fields.ownership = ownership
    fields.ownership_refresh = { last_attempted_at: now, status: 'succeeded' }
  } else {
    const refresh = `fctxnref_${randomToken(24)}`
    for (const [amount, description] of [
      [-1_250, 'Rocket Rides'],
      [300_000, 'Payroll'],
    ] as const) {
      store.insert(
        fromTemplate('financial_connections.transaction', {
          id: newId('fctxn'),
          account: account.id,
          amount,
          description,
          status: 'posted',
          status_transitions: { posted_at: now, void_at: null },
          transacted_at: now,
          transaction_refresh: refresh,
          updated: now,
        }),
      )
    }
    fields.transaction_refresh = { id: refresh, last_attempted_at: now, next_refresh_available_at: null, status: 'succeeded' }
  }
}

export interface FinancialConnectionsControl extends FinancialConnectionsLifecycleControl {
  /**
   * The user finishes the session in Stripe.js, linking `accounts` bank accounts (default 1): they
   * are created `active` with the session's holder and permissions, listed on the session, and
   * `financial_connections.account.created` is raised for each. A session completes once.
   */
  completeFinancialConnectionsSession(id: string, input?: { accounts?: number } & AccountOption): Session
  /**
   * Finishes the account's pending refresh of `feature` (or starts and finishes one): balance,
   * ownership (a new ownership with one owner) or transactions (two posted transactions), then
   * `financial_connections.account.refreshed_<feature>`.
   */
  refreshFinancialConnectionsAccount(id: string, feature: Feature, options?: AccountOption): Account
  /** The user disconnects the account from their bank's side: `disconnected`, `financial_connections.account.disconnected`. */
  disconnectFinancialConnectionsAccount(id: string, options?: AccountOption): Account
}

function financialConnectionsControl(kit: DomainKit): FinancialConnectionsControl {
  return {
    ...financialConnectionsLifecycleControl(kit),
    completeFinancialConnectionsSession(id, input = {}) {
      const store = kit.store(input)
      const session = getSession(store, id, 'id')
      if (session.accounts.data.length) throw invalidRequest(`Session ${id} is already complete.`, 'id')
      const count = input.accounts ?? 1
      if (!Number.isInteger(count) || count < 1 || count > 10) throw invalidRequest('accounts must be an integer from 1 to 10.', 'accounts')
      const now = kit.state.clock.now
      // the user's login at the institution: one authorization for the accounts it links
      const authorization = createAuthorization(store, 'StripeBank')
      for (let i = 0; i < count; i++) {
        const account = fromTemplate('financial_connections.account', {
          id: newId('fca'),
          created: now,
          account_holder: structuredClone(session.account_holder ?? null),
          display_name: i === 0 ? 'Emulator Checking' : `Emulator Account ${i + 1}`,
          last4: String(6789 + i).slice(-4),
          permissions: [...session.permissions],
          status: 'active',
          subscriptions: [],
          balance: null,
          balance_refresh: null,
          ownership: null,
          ownership_refresh: null,
          transaction_refresh: null,
        })
        Object.assign(account, { account_numbers: initialAccountNumbers() })
        store.insert(account, { session: session.id, authorization: authorization.id })
        session.accounts.data.push(structuredClone(account))
        kit.raise('financial_connections.account.created', account, input)
        for (const feature of session.prefetch ?? []) {
          const name = (feature === 'balances' ? 'balance' : feature) as Feature
          completeRefresh(store, now, account, name)
          kit.raise(FEATURES[name].event, account, input)
        }
      }
      return structuredClone(session)
    },
    refreshFinancialConnectionsAccount(id, feature, options) {
      const store = kit.store(options)
      const account = getAccount(store, id, 'id')
      if (!Object.hasOwn(FEATURES, feature)) throw invalidRequest(`Invalid feature: ${String(feature)}.`, 'feature')
      requireActive(account, 'refresh')
      completeRefresh(store, kit.state.clock.now, account, feature)
      kit.raise(FEATURES[feature].event, account, options)
      return structuredClone(account)
    },
    disconnectFinancialConnectionsAccount(id, options) {
      const account = getAccount(kit.store(options), id, 'id')
      requireActive(account, 'disconnect')
      account.status = 'disconnected'
      kit.raise('financial_connections.account.disconnected', account, options)
      return structuredClone(account)
    },
  }
}

const account = (ctx: HandlerContext<unknown, { account: string }>) => getAccount(ctx.store, ctx.pathParams.account)

/**
 * Financial Connections: sessions (completed by a control, linking N accounts), accounts (list by
 * session or holder, refresh, subscribe, disconnect), owners and transactions (filled by refreshes).
 * A refresh through the API starts `pending`; `control.refreshFinancialConnectionsAccount` finishes
 * it. Events: `financial_connections.account.{created,disconnected,refreshed_*}`; the institution's
 * side (deactivation, account numbers, the authorization a session's login gives) is in
 * `financial-connections-lifecycle.ts`.
 */
export const financialConnections: EmulatorDomain<'financial-connections', FinancialConnectionsControl> =
  /* @__PURE__ */ defineEmulatorDomain({
    name: 'financial-connections',
    prefixes: ['/v1/financial_connections/'],
    handlers: {
      PostFinancialConnectionsSessions: (ctx) => {
        const p = ctx.params
        const holder = p.account_holder
        if (holder.type === 'customer' && !holder.customer)
          throw invalidRequest('Missing required param: account_holder[customer].', 'account_holder[customer]')
        if (holder.type === 'account' && !holder.account)
          throw invalidRequest('Missing required param: account_holder[account].', 'account_holder[account]')
        const permissions = features(p.permissions, ['balances', 'ownership', 'payment_method', 'transactions'], 'permissions')
        const id = newId('fcsess')
        const session = fromTemplate('financial_connections.session', {
          id,
          account_holder: { ...holder } as Session['account_holder'],
          accounts: { data: [], has_more: false, object: 'list', url: '/v1/financial_connections/accounts' },
          client_secret: `${id}_secret_${randomToken(24)}`,
          // as the request's Stripe-Version takes them: `countries` before 2026-09-30.endive, `country` since
          filters: storedSessionFilters(p.filters as never, ctx.apiVersion ?? API_VERSION) as Session['filters'],
          permissions: permissions as Session['permissions'],
          prefetch: p.prefetch ? (features(p.prefetch, ['balances', 'ownership', 'transactions'], 'prefetch') as Session['prefetch']) : [],
          ...(p.return_url ? { return_url: p.return_url } : {}),
        })
        return ctx.store.insert(session)
      },
      GetFinancialConnectionsSessionsSession: (ctx) => getSession(ctx.store, ctx.pathParams.session),
      GetFinancialConnectionsAccounts: (ctx) => {
        const p = ctx.params
        const holder = p.account_holder || undefined
        if (p.session && holder) throw invalidRequest('You may only specify one of these parameters: account_holder, session.', 'session')
        if (p.session) getSession(ctx.store, p.session)
        return paginate(ctx.store, {
          kind: 'financial_connections.account',
          filter: (a) =>
            (!p.session || ctx.store.record(a.id)?.internal.session === p.session) &&
            (!holder?.customer || a.account_holder?.customer === holder.customer) &&
            (!holder?.account || a.account_holder?.account === holder.account),
          params: p,
          url: '/v1/financial_connections/accounts',
        })
      },
      GetFinancialConnectionsAccountsAccount: (ctx) => account(ctx),
      PostFinancialConnectionsAccountsAccountDisconnect: (ctx) => {
        const current = account(ctx)
        requireActive(current, 'disconnect')
        current.status = 'disconnected'
        return current
      },
      PostFinancialConnectionsAccountsAccountRefresh: (ctx) => {
        const current = account(ctx)
        requireActive(current, 'refresh')
        const fields = current as unknown as Record<string, unknown>
        for (const feature of features(ctx.params.features, ['balance', 'ownership', 'transactions'], 'features') as Feature[]) {
          if (!current.permissions?.includes(FEATURES[feature].permission)) {
            throw invalidRequest(`The account was not linked with the ${FEATURES[feature].permission} permission.`, 'features')
          }
          const previous = fields[FEATURES[feature].refresh] as Record<string, unknown> | null
          fields[FEATURES[feature].refresh] = {
            ...(feature === 'transactions' ? { id: `fctxnref_${randomToken(24)}` } : {}),
            ...(feature === 'ownership' ? {} : { next_refresh_available_at: null }),
            ...(previous && feature === 'transactions' ? { id: previous.id } : {}),
            last_attempted_at: ctx.now,
            status: 'pending',
          }
        }
        return current
      },
      PostFinancialConnectionsAccountsAccountSubscribe: (ctx) => {
        const current = account(ctx)
        requireActive(current, 'subscribe')
        const wanted = features(ctx.params.features, ['transactions'], 'features')
        current.subscriptions = [...new Set([...(current.subscriptions ?? []), ...wanted])] as Account['subscriptions']
        return current
      },
      PostFinancialConnectionsAccountsAccountUnsubscribe: (ctx) => {
        const current = account(ctx)
        const dropped = features(ctx.params.features, ['transactions'], 'features')
        current.subscriptions = (current.subscriptions ?? []).filter((f) => !dropped.includes(f))
        return current
      },
      GetFinancialConnectionsAccountsAccountOwners: (ctx) => {
        const current = account(ctx)
        return paginate(ctx.store, {
          kind: 'financial_connections.account_owner',
          by: ['ownership', ctx.params.ownership],
          params: ctx.params,
          url: `/v1/financial_connections/accounts/${current.id}/owners`,
        })
      },
      GetFinancialConnectionsTransactions: (ctx) => {
        const p = ctx.params
        getAccount(ctx.store, p.account)
        const after = p.transaction_refresh ? p.transaction_refresh.after : undefined
        return paginate(ctx.store, {
          kind: 'financial_connections.transaction',
          by: ['account', p.account],
          filter: (t) => matchesRange(t.transacted_at, p.transacted_at) && (!after || t.transaction_refresh > after),
          params: p,
          url: '/v1/financial_connections/transactions',
        })
      },
      GetFinancialConnectionsTransactionsTransaction: (ctx) => {
        const id = ctx.pathParams.transaction
        const transaction = ctx.store.get('financial_connections.transaction', id)
        if (!transaction) throw resourceMissing('financial connections transaction', id, 'transaction')
        return transaction
      },
    },
    events: {
      PostFinancialConnectionsAccountsAccountDisconnect: (result) => [['financial_connections.account.disconnected', result]],
    },
    controls: financialConnectionsControl,
    controlRoutes: [
      {
        method: 'POST',
        path: '/financial-connections/sessions/{id}/complete',
        handle: ({ controls, params, body, account }) =>
          controls.completeFinancialConnectionsSession(params.id as string, {
            ...account,
            ...(body.accounts === undefined ? {} : { accounts: Number(body.accounts) }),
          }),
      },
      {
        method: 'POST',
        path: '/financial-connections/accounts/{id}/refresh',
        handle: ({ controls, params, body, account }) =>
          controls.refreshFinancialConnectionsAccount(params.id as string, String(body.feature) as Feature, account),
      },
      {
        method: 'POST',
        path: '/financial-connections/accounts/{id}/disconnect',
        handle: ({ controls, params, account }) => controls.disconnectFinancialConnectionsAccount(params.id as string, account),
      },
      // the institution's side (financial-connections-lifecycle.ts)
      controlRoute('POST', '/financial-connections/accounts/{id}/deactivate', ({ controls, params, account }) =>
        controls.deactivateFinancialConnectionsAccount(params.id, account),
      ),
      controlRoute('POST', '/financial-connections/accounts/{id}/reactivate', ({ controls, params, account }) =>
        controls.reactivateFinancialConnectionsAccount(params.id, account),
      ),
      controlRoute('POST', '/financial-connections/accounts/{id}/schedule-deactivation', ({ controls, params, body, account }) =>
        controls.scheduleFinancialConnectionsAccountDeactivation(params.id, { ...(body as DeactivationInput), ...account }),
      ),
      controlRoute('POST', '/financial-connections/accounts/{id}/account-numbers', ({ controls, params, body, account }) =>
        controls.updateFinancialConnectionsAccountNumbers(params.id, { ...(body as AccountNumbersInput), ...account }),
      ),
      controlRoute('GET', '/financial-connections/accounts/{id}/authorization', ({ controls, params, account }) =>
        controls.financialConnectionsAuthorization(params.id, account),
      ),
      controlRoute(
        'POST',
        '/financial-connections/accounts/{id}/authorization/schedule-deactivation',
        ({ controls, params, body, account }) =>
          controls.scheduleFinancialConnectionsAuthorizationDeactivation(params.id, { ...(body as DeactivationInput), ...account }),
      ),
    ],
    onAdvance: financialConnectionsOnAdvance,
    nextDue: financialConnectionsNextDue,
    fixtures: [
      {
        list: 'GetFinancialConnectionsAccounts',
        async create(api) {
          api.control.advance(1)
          const session = await api.call('POST', '/v1/financial_connections/sessions', {
            account_holder: { type: 'customer', customer: 'cus_contract' },
            permissions: ['balances'],
          })
          return (api.control as unknown as FinancialConnectionsControl).completeFinancialConnectionsSession(session.body.id).accounts
            .data[0]!.id
        },
      },
    ],
  })
