import type { GenericSchema, InferOutput } from 'valibot'
import type { ValidationIssue } from './errors.js'
import { StripeValidationError } from './errors.js'
import { check } from './validate.js'

/** A Stripe event; `data.object` is typed by a domain's event map (the core knows no event types). */
export interface StripeEvent<Type extends string = string, Obj = unknown> {
  id: string
  object: 'event'
  type: Type
  api_version: string | null
  created: number
  livemode: boolean
  pending_webhooks: number
  account?: string
  request: { id: string | null; idempotency_key: string | null } | null
  data: { object: Obj; previous_attributes?: Record<string, unknown> }
}

/** Event type → schema of its `data.object`, e.g. `{ 'source.chargeable': Source }`. */
export type EventSchemas = Record<string, GenericSchema>

/** The union of typed events a map describes. */
export type EventOf<M extends EventSchemas> = {
  [T in keyof M & string]: StripeEvent<T, InferOutput<M[T]>>
}[keyof M & string]

export interface NarrowEventOptions {
  /** Throw on any mismatch of `data.object` with its schema, not only on `id`/`object`. Default false. */
  strict?: boolean
  /** Called with the issues when `data.object` does not fully match its schema (and the event is still returned). */
  onInvalid?: (issues: ValidationIssue[], event: StripeEvent) => void
}

/**
 * Narrows an event by `type` with a map of schemas (one domain's, or several spread together):
 * returns the event typed by its `type` when the map has that type, `undefined` when it does not.
 *
 * Lenient by default, like response validation: an endpoint may be pinned to a newer API version
 * than the schemas, whose objects lack or reshape fields, and throwing there would answer Stripe
 * with a 500 and have it redeliver the event for days. So only what identifies the object must
 * match: `data.object` is an object whose `id` and `object` fit the schema (`object` is the literal
 * type, so an event carrying another kind of object still throws `StripeValidationError`). Any
 * other mismatch goes to `onInvalid` (with the issues) and the event is returned typed; read such
 * fields defensively, or retrieve the object. `strict: true` throws on every mismatch.
 */
export function narrowEvent<M extends EventSchemas>(
  event: StripeEvent,
  schemas: M,
  { strict = false, onInvalid }: NarrowEventOptions = {},
): EventOf<M> | undefined {
  if (!Object.hasOwn(schemas, event.type)) return undefined
  const issues = check(schemas[event.type]!, event.data?.object) // an own key, checked above
  // The event's object matches its type's schema: the event is that type's.
  if (!issues) return event as EventOf<M>
  const first = strict ? issues[0]! /* `check` gives issues or none */ : issues.find((issue) => /^(id|object)?$/.test(issue.path))
  if (!first) {
    onInvalid?.(issues, event)
    return event as EventOf<M> // lenient: its id and object are right, the rest is reported
  }
  throw new StripeValidationError({
    message: `Event ${event.id} (${event.type}): data.object.${first.path || '(root)'}: ${first.message}`,
    raw: { type: 'invalid_request_error' },
    issues,
  })
}
