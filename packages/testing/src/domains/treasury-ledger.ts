import { invalidRequest, resourceMissing } from '../errors.js'
import type { Resources } from '../generated/resources.js'
import { newId } from '../ids.js'
import { fromTemplate } from '../objects.js'
import type { AccountStore } from '../store.js'

export type FinancialAccount = Resources['treasury.financial_account']
export type Transaction = Resources['treasury.transaction']
export type TransactionEntry = Resources['treasury.transaction_entry']
export type FlowType = Transaction['flow_type']
export type EntryType = TransactionEntry['type']

export interface BalanceImpact {
  cash: number
  inbound_pending: number
  outbound_pending: number
}

export const BALANCE_KEYS = ['cash', 'inbound_pending', 'outbound_pending'] as const

export function getFinancialAccount(store: AccountStore, id: string, param = 'financial_account'): FinancialAccount {
  const account = store.get('treasury.financial_account', id)
  if (!account) throw resourceMissing('financial account', id, param)
  return account
}

/** Checks the currency is one the financial account holds. */
export function requireCurrency(account: FinancialAccount, currency: string): void {
  if (!account.supported_currencies.includes(currency)) {
    throw invalidRequest(`The currency '${currency}' is not supported by financial account ${account.id}.`, 'currency')
  }
}

export function cashBalance(account: FinancialAccount, currency: string): number {
  return account.balance.cash[currency] ?? 0
}

export function requireFunds(account: FinancialAccount, currency: string, amount: number): void {
  if (cashBalance(account, currency) < amount) {
    throw invalidRequest(
      `The financial account ${account.id} has insufficient funds: ${amount} ${currency} requested, ${cashBalance(account, currency)} available.`,
      'amount',
      'insufficient_funds',
    )
  }
}

export interface TransactionInput {
  financialAccount: FinancialAccount
  currency: string
  amount: number
  flow: string
  flowType: FlowType
  description: string
}

/** Opens a `treasury.transaction` for a money movement (entries follow via `addEntry`). */
export function openTransaction(store: AccountStore, now: number, input: TransactionInput): Transaction {
  return store.insert(
    fromTemplate('treasury.transaction', {
      id: newId('trxn'),
      amount: input.amount,
      balance_impact: { cash: 0, inbound_pending: 0, outbound_pending: 0 },
      created: now,
      currency: input.currency,
      description: input.description,
      financial_account: input.financialAccount.id,
      flow: input.flow,
      flow_type: input.flowType,
      status: 'open',
      status_transitions: { posted_at: null, void_at: null },
      entries: null,
      flow_details: null,
    }),
  )
}

/**
 * Writes one `treasury.transaction_entry` and applies its impact to the transaction and to the
 * financial account balance, so balances always equal the sum of entries.
 */
export function addEntry(
  store: AccountStore,
  now: number,
  transaction: Transaction,
  type: EntryType,
  impact: Partial<BalanceImpact>,
): TransactionEntry {
  const full: BalanceImpact = { cash: 0, inbound_pending: 0, outbound_pending: 0, ...impact }
  const account = getFinancialAccount(store, transaction.financial_account)
  const currency = transaction.currency
  const balance = account.balance
  const totals = transaction.balance_impact
  for (const key of BALANCE_KEYS) {
    balance[key] = { ...balance[key], [currency]: (balance[key][currency] ?? 0) + full[key] }
    totals[key] += full[key]
  }
  return store.insert(
    fromTemplate('treasury.transaction_entry', {
      id: newId('trxne'),
      balance_impact: full,
      created: now,
      currency,
      effective_at: now,
      financial_account: account.id,
      flow: transaction.flow,
      flow_type: transaction.flow_type,
      transaction: transaction.id,
      type,
      flow_details: null,
    }),
  )
}

export function settleTransaction(transaction: Transaction, status: 'posted' | 'void', now: number): void {
  transaction.status = status
  transaction.status_transitions = {
    posted_at: status === 'posted' ? now : null,
    void_at: status === 'void' ? now : null,
  }
}

/** A one-shot posted transaction with one entry (received credits/debits, reversals, returns). */
export function postedMovement(
  store: AccountStore,
  now: number,
  input: TransactionInput,
  entryType: EntryType,
  impact: Partial<BalanceImpact>,
): Transaction {
  const transaction = openTransaction(store, now, input)
  addEntry(store, now, transaction, entryType, impact)
  settleTransaction(transaction, 'posted', now)
  return transaction
}
