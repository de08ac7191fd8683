// Webhook delivery as Stripe does it, misbehaviour included: the retry schedule of failed
// deliveries, and injected faults that make a delivery arrive twice, late (after later events), or
// fail — so code under test can be made to cope with what Stripe's webhooks really do.

/**
 * Seconds of emulator time between a failed attempt and the next one: 5 min, 1 h, 3 h — three
 * retries over a few hours, as Stripe retries in a sandbox (live mode keeps trying for 3 days).
 */
export const DEFAULT_WEBHOOK_RETRIES: readonly number[] = [300, 3600, 10_800]

/**
 * What happens to a matching delivery's first attempt:
 * - `{ duplicate: true }`: it is sent twice in a row (same event, same payload; Stripe may deliver
 *   an event more than once);
 * - `{ delaySeconds }`: it is held back that many seconds of emulator time, so events raised
 *   meanwhile arrive first (out of order), and is sent on the `advance()` (or `deliverEvents()`,
 *   with the real clock) that reaches it;
 * - `{ status }`: it fails as if the endpoint had answered `status` (the endpoint is not called),
 *   and is retried on the schedule.
 */
export type WebhookFault = { duplicate: true } | { delaySeconds: number } | { status: number }

export interface WebhookFaultRule {
  /** how many matching deliveries it strikes (default 1) */
  count?: number
  /** event type and/or endpoint id it strikes (default: every delivery) */
  match?: { type?: string; endpoint?: string }
  fault: WebhookFault
}

interface ActiveRule {
  remaining: number
  match: { type?: string; endpoint?: string }
  fault: WebhookFault
}

/** Wall time an endpoint has to answer a delivery (option `webhookTimeoutMs`). */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000

/** Longest delay timers take (2³¹ − 1 ms, ~24.8 days): a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

/** Checks the delivery timeout (option `webhookTimeoutMs`): a positive number of ms a timer can wait. */
export function deliveryTimeout(ms: number | undefined): number {
  if (ms === undefined) return DEFAULT_WEBHOOK_TIMEOUT_MS
  if (typeof ms !== 'number' || !(ms > 0 && ms <= MAX_TIMER_MS)) {
    throw new TypeError(
      `createEmulator: webhookTimeoutMs must be a number of milliseconds above 0 and at most ${MAX_TIMER_MS}, not ${JSON.stringify(ms)}`,
    )
  }
  return ms
}

/** Checks a retry schedule (option `webhookRetries`): finite, non-negative seconds. */
export function retrySchedule(delays: readonly number[] | undefined): readonly number[] {
  if (delays === undefined) return DEFAULT_WEBHOOK_RETRIES
  if (!Array.isArray(delays) || delays.some((delay) => typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0)) {
    throw new TypeError(`createEmulator: webhookRetries must be an array of non-negative seconds, not ${JSON.stringify(delays)}`)
  }
  return [...delays]
}

/** Checks one rule completely (a TypeError naming what is wrong) and normalizes it. */
function checkRule(rule: WebhookFaultRule): ActiveRule {
  if (!rule || typeof rule !== 'object') throw new TypeError('injectWebhookFaults needs { count?, match?, fault }')
  const count = rule.count ?? 1
  if (!Number.isInteger(count) || count < 1)
    throw new TypeError(`injectWebhookFaults: count must be a positive integer, not ${String(rule.count)}`)
  const match = rule.match ?? {}
  if (typeof match !== 'object') throw new TypeError('injectWebhookFaults: match must be { type?, endpoint? }')
  for (const key of Object.keys(match)) {
    if (key !== 'type' && key !== 'endpoint') throw new TypeError(`injectWebhookFaults: unknown match key ${key} (type, endpoint)`)
    if (typeof (match as Record<string, unknown>)[key] !== 'string')
      throw new TypeError(`injectWebhookFaults: match.${key} must be a string`)
  }
  const fault = rule.fault as Record<string, unknown> | undefined
  const keys = fault && typeof fault === 'object' ? Object.keys(fault) : []
  if (!fault || keys.length !== 1) {
    throw new TypeError('injectWebhookFaults: fault must be one of { duplicate: true }, { delaySeconds }, { status }')
  }
  if ('duplicate' in fault) {
    if (fault.duplicate !== true) throw new TypeError('injectWebhookFaults: fault.duplicate must be true')
  } else if ('delaySeconds' in fault) {
    const delay = fault.delaySeconds
    if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) {
      throw new TypeError('injectWebhookFaults: fault.delaySeconds must be a non-negative number')
    }
  } else if ('status' in fault) {
    const status = fault.status
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599 || (status >= 200 && status < 300)) {
      throw new TypeError('injectWebhookFaults: fault.status must be a failing HTTP status (100–199, 300–599)')
    }
  } else throw new TypeError(`injectWebhookFaults: unknown fault ${keys[0]} (duplicate, delaySeconds, status)`)
  return { remaining: count, match: { ...match }, fault: { ...(fault as WebhookFault) } }
}

/** The injected webhook faults of one emulator, taken in the order they were added. */
export class WebhookFaultQueue {
  private rules: ActiveRule[] = []

  add(rule: WebhookFaultRule): void {
    this.rules.push(checkRule(rule))
  }

  clear(): void {
    this.rules = []
  }

  /** The fault for a delivery's first attempt, if a rule matches (counting it down). */
  take(type: string, endpoint: string): WebhookFault | undefined {
    const index = this.rules.findIndex(
      (rule) =>
        (rule.match.type === undefined || rule.match.type === type) &&
        (rule.match.endpoint === undefined || rule.match.endpoint === endpoint),
    )
    const rule = this.rules[index]
    if (!rule) return undefined
    if (--rule.remaining === 0) this.rules.splice(index, 1)
    return rule.fault
  }
}
