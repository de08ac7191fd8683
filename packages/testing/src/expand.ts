import type { AccountStore, StripeObject } from './store.js'

/**
 * Fields the spec marks expandable (`x-expandableFields`) whose unexpanded value is not an id but
 * `null`: built from the store when asked for. A transaction's `entries` (a list object) and its
 * `flow_details` (the flow itself, under its type), and an entry's `flow_details`.
 */
const EXPANDERS: Record<string, (store: AccountStore, object: StripeObject) => unknown> = {
  'treasury.transaction.entries': (store, transaction) => {
    const data = []
    for (const record of store.scan('treasury.transaction_entry', { by: ['transaction', transaction.id] })) {
      data.push(structuredClone(record.object))
    }
    return { object: 'list', data, has_more: false, url: `/v1/treasury/transaction_entries?transaction=${transaction.id}` }
  },
  'treasury.transaction.flow_details': flowDetails,
  'treasury.transaction_entry.flow_details': flowDetails,
}

/** `{ type, [type]: flow }` for the flow of a transaction or entry (null when the flow is not held). */
function flowDetails(store: AccountStore, object: StripeObject): unknown {
  const type = object.flow_type
  const flow = typeof object.flow === 'string' ? store.record(object.flow)?.object : undefined
  if (typeof type !== 'string' || !flow) return object.flow_details ?? null
  return { type, [type]: structuredClone(flow) }
}

/**
 * Expands each `expand[]` path (`transaction`, `data.transaction`, `transaction.entries`, …): an id
 * string becomes its object, a null list or detail field the spec lets expand is built (see
 * EXPANDERS), and the rest of the path goes on inside it. On a list, paths start with `data.`.
 */
export function expandBody(store: AccountStore, body: unknown, paths: readonly string[]): unknown {
  if (!paths.length || !body || typeof body !== 'object') return body
  const isList = (body as { object?: string }).object === 'list'
  for (const path of paths) {
    const parts = path.split('.')
    if (isList && parts[0] === 'data') {
      for (const item of (body as { data: unknown[] }).data) expandPath(store, item, parts.slice(1))
    } else expandPath(store, body, parts)
  }
  return body
}

function expandPath(store: AccountStore, node: unknown, parts: string[]): void {
  if (!node || typeof node !== 'object' || parts.length === 0) return
  if ((node as { object?: unknown }).object === 'list' && Array.isArray((node as { data?: unknown }).data)) {
    // inside an expanded list (`entries.data.flow_details`): the path goes on in each item
    const rest = parts[0] === 'data' ? parts.slice(1) : parts
    for (const item of (node as { data: unknown[] }).data) expandPath(store, item, rest)
    return
  }
  const [head, ...rest] = parts as [string, ...string[]]
  const target = node as Record<string, unknown>
  const value = target[head]
  if (typeof value === 'string') {
    const record = store.record(value)
    if (record) target[head] = structuredClone(record.object)
  } else if (value === null || value === undefined) {
    const expander = EXPANDERS[`${String(target.object)}.${head}`]
    if (expander && typeof target.id === 'string') target[head] = expander(store, target as StripeObject)
  }
  expandPath(store, target[head], rest)
}
