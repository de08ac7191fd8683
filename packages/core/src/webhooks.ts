import { type SignatureFailure, StripeSignatureVerificationError } from './errors.js'
import type { StripeEvent } from './events.js'

export interface VerifyWebhookOptions {
  /** Seconds a signature stays valid after its `t`. Default 300; 0 turns the check off. */
  tolerance?: number
  /** The current Unix time in seconds. Default: the clock. */
  now?: number
}

const encoder = new TextEncoder()

/**
 * Verifies a `Stripe-Signature` header (HMAC-SHA256 of `${t}.${payload}` with the endpoint secret,
 * on WebCrypto) and returns the parsed event. Pass the raw body, exactly as received. Any of the
 * header's `v1=` signatures may match (secret rotation); signatures are compared in constant time.
 * Throws `StripeSignatureVerificationError` with a `reason`: `no_header`, `no_timestamp`,
 * `no_signature` (no `v1`), `no_match`, `too_old` (beyond `tolerance`), `invalid_payload` (not JSON).
 * Narrow the event with a domain's map, e.g. `narrowEvent(event, sourceEvents)`.
 */
export async function verifyWebhook<E = StripeEvent>(
  payload: string | Uint8Array,
  signatureHeader: string | null | undefined,
  secret: string,
  { tolerance = 300, now = Date.now() / 1000 }: VerifyWebhookOptions = {},
): Promise<E> {
  if (!signatureHeader || typeof signatureHeader !== 'string') fail('no_header', 'No Stripe-Signature header.')
  let t = Number.NaN
  const signatures: string[] = []
  for (const item of signatureHeader.split(',')) {
    const [key, value = ''] = item.trim().split('=', 2)
    if (key === 't' && Number.isNaN(t)) t = /^\d+$/.test(value) ? Number(value) : Number.NaN
    else if (key === 'v1') signatures.push(value)
  }
  if (Number.isNaN(t)) fail('no_timestamp', 'The Stripe-Signature header has no valid timestamp (t=).')
  if (!signatures.length) fail('no_signature', 'The Stripe-Signature header has no v1 signature.')
  const expected = await _hmac(t, payload, secret)
  let match = false
  for (const signature of signatures) match = _equal(signature, expected) || match
  if (!match) {
    fail('no_match', 'No v1 signature matches the payload: check the endpoint secret and that the body is passed unchanged.')
  }
  if (tolerance > 0 && now - t > tolerance) {
    fail('too_old', `The signature's timestamp is ${Math.round(now - t)} s old, beyond the ${tolerance} s tolerance.`)
  }
  try {
    return JSON.parse(typeof payload === 'string' ? payload : new TextDecoder().decode(payload)) as E
  } catch (cause) {
    return fail('invalid_payload', 'The signed payload is not JSON.', cause)
  }
}

/** Signs `payload` as Stripe does; returns a `Stripe-Signature` header `t=…,v1=…` (for tests and emulators). */
export async function signWebhookPayload(
  payload: string | Uint8Array,
  secret: string,
  { timestamp = Math.floor(Date.now() / 1000) }: { timestamp?: number } = {},
): Promise<string> {
  return `t=${timestamp},v1=${await _hmac(timestamp, payload, secret)}`
}

async function _hmac(t: number, payload: string | Uint8Array, secret: string): Promise<string> {
  const body = typeof payload === 'string' ? encoder.encode(payload) : payload
  const prefix = encoder.encode(`${t}.`)
  const data = new Uint8Array(prefix.length + body.length)
  data.set(prefix)
  data.set(body, prefix.length)
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, data))
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Compares in time that depends only on the length (which is public: 64 hex digits). */
function _equal(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

function fail(reason: SignatureFailure, message: string, cause?: unknown): never {
  throw new StripeSignatureVerificationError({ message, reason, raw: { type: 'invalid_request_error', code: reason }, cause })
}
