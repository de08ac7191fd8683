import type { Emulator } from '../src/index.js'

export const ORIGIN = 'http://127.0.0.1:9'

/** Encodes nested params in Stripe's bracket form (`a[b]=1`, `expand[0]=x`). */
export function encodeForm(params: Record<string, unknown>): string {
  const out = new URLSearchParams()
  const walk = (prefix: string, value: unknown) => {
    if (value === undefined) return
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(`${prefix}[${index}]`, item)
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(prefix ? `${prefix}[${key}]` : key, child)
    } else out.append(prefix, String(value ?? ''))
  }
  walk('', params)
  return out.toString()
}

export interface CallOptions {
  key?: string | null
  account?: string
  idempotencyKey?: string
  headers?: Record<string, string>
}

export interface CallResult {
  status: number
  body: any
  headers: Headers
  text: string
}

/** One API call against an emulator, params in the query (GET/DELETE) or form body (POST). */
export async function call(
  emulator: Emulator,
  method: string,
  path: string,
  params: Record<string, unknown> = {},
  options: CallOptions = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers }
  const key = options.key === undefined ? 'sk_test_123' : options.key
  if (key) headers.Authorization = `Bearer ${key}`
  if (options.account) headers['Stripe-Account'] = options.account
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey
  const encoded = encodeForm(params)
  let url = `${ORIGIN}${path}`
  let body: string | undefined
  if (method === 'POST') {
    headers['Content-Type'] = 'application/x-www-form-urlencoded'
    body = encoded
  } else if (encoded) url += `?${encoded}`
  const response = await emulator.fetch(url, { method, headers, body })
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = text
  }
  return { status: response.status, body: parsed, headers: response.headers, text }
}

/** Sum of `balance_impact` of every entry, per balance kind, for one financial account. */
export function entrySums(entries: { balance_impact: Record<string, number>; currency: string }[], currency = 'usd') {
  const sums = { cash: 0, inbound_pending: 0, outbound_pending: 0 }
  for (const entry of entries) {
    if (entry.currency !== currency) continue
    sums.cash += entry.balance_impact.cash ?? 0
    sums.inbound_pending += entry.balance_impact.inbound_pending ?? 0
    sums.outbound_pending += entry.balance_impact.outbound_pending ?? 0
  }
  return sums
}

/** `parameters` covering a report type's whole available range (`data_available_start` → `_end`). */
export async function reportInterval(
  emulator: Emulator,
  reportType: string,
  extra: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const type = (await call(emulator, 'GET', `/v1/reporting/report_types/${reportType}`)).body
  return { interval_start: type.data_available_start, interval_end: type.data_available_end, ...extra }
}
