import { type SignatureFailure, StripeSignatureVerificationError } from './errors.js'
import { type EventOf, type EventSchemas, type NarrowEventOptions, narrowEvent, type StripeEvent } from './events.js'

export interface VerifyWebhookOptions {
  /**
   * Seconds a signature stays valid after its `t`. Default 300; 0 turns the check off. Anything
   * but a finite number ≥ 0 (NaN, negative, Infinity) throws (`reason: 'invalid_options'`): it
   * would silently disable the check.
   */
  tolerance?: number
  /** The current Unix time in seconds, finite. Default: the clock. */
  now?: number
}

/** `verifyWebhook` with a map of event schemas: the event comes back narrowed by `type`, as `narrowEvent` does. */
export interface VerifyWebhookEventsOptions<M extends EventSchemas> extends VerifyWebhookOptions, NarrowEventOptions {
  /** One domain's event map (`treasuryEvents`), or several spread together. */
  events: M
}

// pure: the core ships as one module per entry; an unannotated `new` would stay in every bundle
const encoder = /* @__PURE__ */ new TextEncoder()

/** The raw request body: text, or bytes as `request.arrayBuffer()` (or a `Uint8Array`) gives them. */
export type WebhookPayload = string | Uint8Array | ArrayBuffer

/**
 * Verifies a `Stripe-Signature` header (HMAC-SHA256 of `${t}.${payload}` with the endpoint secret,
 * on WebCrypto) and returns the parsed event. Pass the raw body, exactly as received (a string, a
 * `Uint8Array` or an `ArrayBuffer`). Any of the header's `v1=` signatures may match (secret
 * rotation); signatures are compared in constant time. A repeated `t=` counts by its last value,
 * as in stripe-node. Throws `StripeSignatureVerificationError` with a `reason`: `no_header`,
 * `no_timestamp`, `no_signature` (no `v1`), `no_match`, `too_old` (beyond `tolerance`),
 * `invalid_payload` (not a raw body, or not JSON), `no_secret` (the secret is missing or empty) or
 * `invalid_options` (`tolerance` or `now` not a finite number, or `tolerance` negative). It never
 * throws anything else: one `catch` answers every unverifiable delivery.
 * Narrow the event with a domain's map, e.g. `narrowEvent(event, sourceEvents)`.
 */
export function verifyWebhook<E = StripeEvent>(
  payload: WebhookPayload,
  signatureHeader: string | null | undefined,
  secret: string,
  options?: VerifyWebhookOptions,
): Promise<E>
/**
 * With `events` (a domain's map, e.g. `treasuryEvents`): the verified event narrowed by `type`
 * (`TreasuryEvent`), or `undefined` when its type is not in the map (answer 2xx: it is verified,
 * just not yours to handle). A `data.object` whose `id` or `object` does not fit its schema (or any
 * mismatch, with `strict`) throws `StripeSignatureVerificationError` with `reason: 'invalid_payload'`.
 */
export function verifyWebhook<M extends EventSchemas>(
  payload: WebhookPayload,
  signatureHeader: string | null | undefined,
  secret: string,
  options: VerifyWebhookEventsOptions<M>,
): Promise<EventOf<M> | undefined>
export async function verifyWebhook(
  payload: WebhookPayload,
  signatureHeader: string | null | undefined,
  secret: string,
  options: VerifyWebhookOptions & Partial<VerifyWebhookEventsOptions<EventSchemas>> = {},
): Promise<unknown> {
  const { tolerance = 300, now = Date.now() / 1000, events } = options
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    fail('invalid_options', `tolerance must be a finite number of seconds ≥ 0 (0 turns the age check off), got ${String(tolerance)}.`)
  }
  if (typeof now !== 'number' || !Number.isFinite(now))
    fail('invalid_options', `now must be a finite Unix time in seconds, got ${String(now)}.`)
  checkSecret(secret)
  const body = payloadBytes(payload)
  if (!signatureHeader || typeof signatureHeader !== 'string') fail('no_header', 'No Stripe-Signature header.')
  let t = Number.NaN
  const signatures: string[] = []
  for (const item of signatureHeader.split(',')) {
    const [key, value = ''] = item.trim().split('=', 2)
    if (key === 't') t = /^\d+$/.test(value) ? Number(value) : Number.NaN
    else if (key === 'v1') signatures.push(value)
  }
  if (Number.isNaN(t)) fail('no_timestamp', 'The Stripe-Signature header has no valid timestamp (t=).')
  if (!signatures.length) fail('no_signature', 'The Stripe-Signature header has no v1 signature.')
  const expected = await hmac(t, body, secret)
  let match = false
  for (const signature of signatures) match = constantTimeEqual(signature, expected) || match
  if (!match) {
    fail('no_match', 'No v1 signature matches the payload: check the endpoint secret and that the body is passed unchanged.')
  }
  if (tolerance > 0 && now - t > tolerance) {
    fail('too_old', `The signature's timestamp is ${Math.round(now - t)} s old, beyond the ${tolerance} s tolerance.`)
  }
  let event: StripeEvent
  try {
    event = JSON.parse(typeof payload === 'string' ? payload : new TextDecoder().decode(body))
  } catch (cause) {
    return fail('invalid_payload', 'The signed payload is not JSON.', cause)
  }
  if (!events) return event
  if (!event || typeof event !== 'object' || typeof event.type !== 'string') fail('invalid_payload', 'The signed payload is not an event.')
  try {
    return narrowEvent(event, events, options)
  } catch (cause) {
    return fail('invalid_payload', (cause as Error).message, cause) // narrowEvent throws StripeValidationError
  }
}

/** Signs `payload` as Stripe does; returns a `Stripe-Signature` header `t=…,v1=…` (for tests and emulators). */
export async function signWebhookPayload(
  payload: WebhookPayload,
  secret: string,
  { timestamp = Math.floor(Date.now() / 1000) }: { timestamp?: number } = {},
): Promise<string> {
  checkSecret(secret)
  return `t=${timestamp},v1=${await hmac(timestamp, payloadBytes(payload), secret)}`
}

/** The payload's bytes; anything but a string, bytes or an `ArrayBuffer` (e.g. a parsed object) fails. */
function payloadBytes(payload: unknown): Uint8Array {
  if (typeof payload === 'string') return encoder.encode(payload)
  if (ArrayBuffer.isView(payload)) return new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength)
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload)
  return fail('invalid_payload', 'The webhook payload must be the raw body (a string, Uint8Array or ArrayBuffer), not a parsed object.')
}

/** The endpoint secret must be a non-empty string (WebCrypto would throw a raw DataError on ''). */
function checkSecret(secret: unknown): void {
  if (typeof secret !== 'string' || secret === '') {
    fail(
      'no_secret',
      `The webhook endpoint secret is ${secret === '' ? 'empty' : 'missing'} (${typeof secret}): pass the whsec_… secret of the endpoint.`,
    )
  }
}

async function hmac(t: number, body: Uint8Array, secret: string): Promise<string> {
  const prefix = encoder.encode(`${t}.`)
  const data = new Uint8Array(prefix.length + body.length)
  data.set(prefix)
  data.set(body, prefix.length)
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, data))
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Compares in time that depends only on the length (which is public: 64 hex digits). */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

function fail(reason: SignatureFailure, message: string, cause?: unknown): never {
  throw new StripeSignatureVerificationError({ message, reason, raw: { type: 'invalid_request_error', code: reason }, cause })
}
