import type { EventOf } from '@edgestripe/core'
import {
  CreditReversal,
  DebitReversal,
  FinancialAccount,
  InboundTransfer,
  OutboundPayment,
  OutboundTransfer,
  ReceivedCredit,
  ReceivedDebit,
} from './generated/resources.js'

/** Treasury event types → the schema of their `data.object` (use with `narrowEvent`). */
export const treasuryEvents = {
  'treasury.credit_reversal.created': CreditReversal,
  'treasury.credit_reversal.posted': CreditReversal,
  'treasury.debit_reversal.completed': DebitReversal,
  'treasury.debit_reversal.created': DebitReversal,
  'treasury.debit_reversal.initial_credit_granted': DebitReversal,
  'treasury.financial_account.closed': FinancialAccount,
  'treasury.financial_account.created': FinancialAccount,
  'treasury.financial_account.features_status_updated': FinancialAccount,
  'treasury.inbound_transfer.canceled': InboundTransfer,
  'treasury.inbound_transfer.created': InboundTransfer,
  'treasury.inbound_transfer.failed': InboundTransfer,
  'treasury.inbound_transfer.succeeded': InboundTransfer,
  'treasury.outbound_payment.canceled': OutboundPayment,
  'treasury.outbound_payment.created': OutboundPayment,
  'treasury.outbound_payment.expected_arrival_date_updated': OutboundPayment,
  'treasury.outbound_payment.failed': OutboundPayment,
  'treasury.outbound_payment.posted': OutboundPayment,
  'treasury.outbound_payment.returned': OutboundPayment,
  'treasury.outbound_payment.tracking_details_updated': OutboundPayment,
  'treasury.outbound_transfer.canceled': OutboundTransfer,
  'treasury.outbound_transfer.created': OutboundTransfer,
  'treasury.outbound_transfer.expected_arrival_date_updated': OutboundTransfer,
  'treasury.outbound_transfer.failed': OutboundTransfer,
  'treasury.outbound_transfer.posted': OutboundTransfer,
  'treasury.outbound_transfer.returned': OutboundTransfer,
  'treasury.outbound_transfer.tracking_details_updated': OutboundTransfer,
  'treasury.received_credit.created': ReceivedCredit,
  'treasury.received_credit.failed': ReceivedCredit,
  'treasury.received_credit.succeeded': ReceivedCredit,
  'treasury.received_debit.created': ReceivedDebit,
}

export type TreasuryEvent = EventOf<typeof treasuryEvents>
