import type { GenericSchema, InferOutput } from 'valibot'
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

/**
 * Narrows an event by `type` with a map of schemas (one domain's, or several spread together):
 * returns the event typed by its `type` when the map has that type and `data.object` matches the
 * schema, `undefined` when the map does not know the type, and throws `StripeValidationError`
 * (with the issues) when the object does not match.
 */
export function narrowEvent<M extends EventSchemas>(event: StripeEvent, schemas: M): EventOf<M> | undefined {
  if (!Object.hasOwn(schemas, event.type)) return undefined
  const issues = check(schemas[event.type]!, event.data?.object)
  if (!issues) return event as EventOf<M>
  const first = issues[0]!
  throw new StripeValidationError({
    message: `Event ${event.id} (${event.type}): data.object.${first.path || '(root)'}: ${first.message}`,
    raw: { type: 'invalid_request_error' },
    issues,
  })
}
