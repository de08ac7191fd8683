// Where an outbound payment or transfer sends money: its `destination_payment_method_details`, and
// for a FinancialAccount destination (`destination_payment_method_data[type]=financial_account`,
// the `stripe` network) the ReceivedCredit the destination gets when the flow posts.
import type { HandlerContext } from '../domain.js'
import { invalidRequest, missingParam, resourceMissing } from '../errors.js'
import type { Resources } from '../generated/resources.js'
import type { RouteParams } from '../generated/route-types.js'
import { newId } from '../ids.js'
import { fromTemplate } from '../objects.js'
import type { AccountStore } from '../store.js'
import { type FinancialAccount, postedMovement } from './treasury-ledger.js'

type OutboundPayment = Resources['treasury.outbound_payment']
type OutboundTransfer = Resources['treasury.outbound_transfer']
type ReceivedCredit = Resources['treasury.received_credit']
type DestinationDetails = NonNullable<OutboundPayment['destination_payment_method_details']>
type BillingDetails = DestinationDetails['billing_details']
type OutboundParams = RouteParams['PostTreasuryOutboundPayments'] | RouteParams['PostTreasuryOutboundTransfers']

const DATA = 'destination_payment_method_data'

/** Where a FinancialAccount destination lives: its account (`Stripe-Account` scope) and id. */
export interface FinancialAccountDestination {
  account: string
  financialAccount: string
}

/** The flow's emulator-only data (`store.record(id).internal`) that says where it pays out. */
export interface DestinationInternal {
  destination?: FinancialAccountDestination
}

/** `billing_details` as the spec's TreasurySharedResourceBillingDetails: an address of nulls when not given. */
function billingDetails(param: unknown): BillingDetails {
  const given = (param && typeof param === 'object' ? param : {}) as Record<string, unknown>
  const address = (given.address && typeof given.address === 'object' ? given.address : {}) as Record<string, unknown>
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null)
  return {
    address: {
      city: text(address.city),
      country: text(address.country),
      line1: text(address.line1),
      line2: text(address.line2),
      postal_code: text(address.postal_code),
      state: text(address.state),
    },
    email: text(given.email),
    name: text(given.name),
  }
}

/**
 * A financial account by id: the caller's own, or for an outbound payment (money to a third party)
 * any account's of the emulator; an outbound transfer stays within the caller's account.
 */
function findFinancialAccount(
  ctx: HandlerContext<unknown, unknown>,
  id: string,
  anyAccount: boolean,
): { store: AccountStore; account: FinancialAccount } | undefined {
  const own = ctx.store.get('treasury.financial_account', id)
  if (own) return { store: ctx.store, account: own }
  if (!anyAccount) return undefined
  for (const store of ctx.state.store.accounts()) {
    const account = store.get('treasury.financial_account', id)
    if (account) return { store, account }
  }
  return undefined
}

/**
 * Checks `destination_payment_method_data` and returns the flow's `destination_payment_method_details`
 * (undefined: keep the template's, for a `destination_payment_method` id) and, for a FinancialAccount
 * destination, where the money goes.
 */
export function resolveDestination(
  ctx: HandlerContext<OutboundParams, unknown>,
  kind: 'outbound_payment' | 'outbound_transfer',
  source: FinancialAccount,
  currency: string,
): { details?: DestinationDetails; destination?: FinancialAccountDestination } {
  const p = ctx.params
  const data = DATA in p ? p[DATA] : undefined
  if (!data) return {}
  if (data.type === 'financial_account') {
    const id = data.financial_account
    if (!id) throw missingParam(`${DATA}[financial_account]`)
    const found = findFinancialAccount(ctx, id, kind === 'outbound_payment')
    if (!found) throw resourceMissing('financial account', id, `${DATA}[financial_account]`)
    if (found.account.id === source.id) {
      throw invalidRequest(
        `${DATA}[financial_account] must be another financial account than financial_account.`,
        `${DATA}[financial_account]`,
      )
    }
    if (found.account.status === 'closed') {
      throw invalidRequest(`The financial account ${id} is closed: it cannot receive money.`, `${DATA}[financial_account]`)
    }
    if (!found.account.supported_currencies.includes(currency)) {
      throw invalidRequest(`The currency '${currency}' is not supported by financial account ${id}.`, 'currency')
    }
    return {
      details: {
        billing_details: billingDetails('billing_details' in data ? data.billing_details : undefined),
        financial_account: { id, network: 'stripe' },
        type: 'financial_account',
      },
      destination: { account: found.store.id, financialAccount: id },
    }
  }
  // a bank account given inline (outbound payments): its details as Stripe shows them
  const bank = ('us_bank_account' in data ? data.us_bank_account : undefined) || undefined
  const options = p.destination_payment_method_options || undefined
  const network = (options?.us_bank_account || undefined)?.network || 'ach'
  const accountNumber = bank?.account_number ?? ''
  return {
    details: {
      billing_details: billingDetails('billing_details' in data ? data.billing_details : undefined),
      type: 'us_bank_account',
      us_bank_account: {
        account_holder_type: bank?.account_holder_type || null,
        account_type: bank?.account_type || null,
        bank_name: 'STRIPE TEST BANK',
        fingerprint: null,
        last4: accountNumber ? accountNumber.slice(-4) : null,
        network,
        routing_number: bank?.routing_number || null,
      },
    },
  }
}

/** Where a flow pays out, when it goes to a FinancialAccount. */
export function destinationOf(store: AccountStore, flowId: string): FinancialAccountDestination | undefined {
  return (store.record(flowId)?.internal as DestinationInternal | undefined)?.destination
}

/**
 * Refuses to post a flow whose destination FinancialAccount closed meanwhile (it would receive money
 * it can no longer hold); the flow stays `processing` and can be failed or canceled.
 */
export function checkDestinationOpen(ctx: HandlerContext<unknown, unknown>, flow: OutboundPayment | OutboundTransfer): void {
  const destination = destinationOf(ctx.store, flow.id)
  if (!destination) return
  const account = ctx.state.store.find(destination.account)?.get('treasury.financial_account', destination.financialAccount)
  if (!account || account.status === 'closed') {
    throw invalidRequest(
      `The destination financial account ${destination.financialAccount} is closed: ${flow.id} cannot post.`,
      undefined,
      'invalid_state',
    )
  }
}

/**
 * The ReceivedCredit (network `stripe`) a FinancialAccount destination gets when `flow` posts, with its
 * posted transaction and entry on the destination's ledger. Returns it and the account it lives in.
 */
export function creditDestination(
  ctx: HandlerContext<unknown, unknown>,
  flow: OutboundPayment | OutboundTransfer,
  kind: 'outbound_payment' | 'outbound_transfer',
): { credit: ReceivedCredit; account: string } | undefined {
  const destination = destinationOf(ctx.store, flow.id)
  if (!destination) return undefined
  const store = ctx.state.store.account(destination.account)
  const account = store.get('treasury.financial_account', destination.financialAccount) as FinancialAccount
  const id = newId('rc')
  const description = flow.description ?? (kind === 'outbound_payment' ? 'OutboundPayment' : 'OutboundTransfer')
  const transaction = postedMovement(
    store,
    ctx.now,
    { financialAccount: account, currency: flow.currency, amount: flow.amount, flow: id, flowType: 'received_credit', description },
    'received_credit',
    { cash: flow.amount },
  )
  const details = flow.destination_payment_method_details as DestinationDetails | null | undefined
  const credit = store.insert(
    fromTemplate('treasury.received_credit', {
      id,
      amount: flow.amount,
      currency: flow.currency,
      created: ctx.now,
      description,
      failure_code: null,
      financial_account: account.id,
      hosted_regulatory_receipt_url: null,
      initiating_payment_method_details: {
        billing_details: details?.billing_details ?? billingDetails(undefined),
        financial_account: { id: flow.financial_account, network: 'stripe' },
        type: 'financial_account',
      },
      linked_flows: {
        credit_reversal: null,
        issuing_authorization: null,
        issuing_transaction: null,
        source_flow: flow.id,
        source_flow_details: null,
        source_flow_type: kind,
      },
      network: 'stripe',
      reversal_details: { deadline: null, restricted_reason: 'network_restricted' },
      status: 'succeeded',
      transaction: transaction.id,
    }),
  )
  return { credit, account: store.id }
}
