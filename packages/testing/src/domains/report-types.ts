/** The report types the emulator knows, with the columns each can produce. */
export interface ReportTypeSpec {
  id: string
  name: string
  defaultColumns: readonly string[]
  /** every column the emulator can fill (default columns first) */
  columns: readonly string[]
  /** itemized reports list entries; summaries aggregate by category */
  kind: 'balance_summary' | 'itemized' | 'summary' | 'payouts'
  /** `parameters[…]` a run of this type must be given (Stripe: 400 `Missing required param`) */
  requiredParameters: readonly string[]
}

/** Stripe's financial reports all cover an explicit interval: no defaults are filled in. */
const INTERVAL = ['interval_start', 'interval_end'] as const

const ITEMIZED_COLUMNS = [
  'balance_transaction_id',
  'created_utc',
  'created',
  'available_on_utc',
  'currency',
  'gross',
  'fee',
  'net',
  'reporting_category',
  'description',
  'financial_account',
  'transaction',
]

export const REPORT_TYPES: readonly ReportTypeSpec[] = [
  {
    id: 'balance.summary.1',
    name: 'Balance summary',
    defaultColumns: ['category', 'description', 'net_amount', 'currency'],
    columns: ['category', 'description', 'net_amount', 'currency'],
    kind: 'balance_summary',
    requiredParameters: INTERVAL,
  },
  {
    id: 'balance_change_from_activity.itemized.3',
    name: 'Balance change from activity (itemized)',
    defaultColumns: ITEMIZED_COLUMNS.slice(0, 10),
    columns: ITEMIZED_COLUMNS,
    kind: 'itemized',
    requiredParameters: INTERVAL,
  },
  {
    id: 'balance_change_from_activity.summary.1',
    name: 'Balance change from activity (summary)',
    defaultColumns: ['reporting_category', 'currency', 'count', 'gross', 'fee', 'net'],
    columns: ['reporting_category', 'currency', 'count', 'gross', 'fee', 'net'],
    kind: 'summary',
    requiredParameters: INTERVAL,
  },
  {
    id: 'payouts.itemized.3',
    name: 'Payouts (itemized)',
    defaultColumns: ['payout_id', 'effective_at_utc', 'currency', 'gross', 'fee', 'net', 'reporting_category', 'description'],
    columns: ['payout_id', 'effective_at_utc', 'effective_at', 'currency', 'gross', 'fee', 'net', 'reporting_category', 'description'],
    kind: 'payouts',
    requiredParameters: INTERVAL,
  },
  {
    id: 'payouts.summary.1',
    name: 'Payouts (summary)',
    defaultColumns: ['reporting_category', 'currency', 'count', 'gross', 'fee', 'net'],
    columns: ['reporting_category', 'currency', 'count', 'gross', 'fee', 'net'],
    kind: 'payouts',
    requiredParameters: INTERVAL,
  },
]
