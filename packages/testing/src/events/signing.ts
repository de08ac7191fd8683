// Signing: a delivery as Stripe sends it, a JSON POST with a `Stripe-Signature` over the payload
// (`t=<timestamp>,v1=<HMAC-SHA256>`, the endpoint's secret).
import { signWebhookPayload } from '@edgestripe/core'
import type { WebhookEndpoint } from './types.js'

/**
 * A delivery's `POST` as Stripe sends it, signed with `secret` at `timestamp`, with no URL or signal:
 * the emulator's deliveries and `edgestripe-emulator listen` both send this. A 3xx is a failed
 * attempt, as on Stripe: redirects are never followed.
 */
export async function signedPost(
  payload: string,
  secret: string,
  timestamp: number,
): Promise<RequestInit & { method: 'POST'; headers: Record<string, string>; body: string; redirect: 'manual' }> {
  const signature = await signWebhookPayload(payload, secret, { timestamp })
  return {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Stripe-Signature': signature,
      'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
    },
    body: payload,
    redirect: 'manual',
  }
}

/** The signed `POST` of one delivery attempt to an endpoint (a placeholder URL for in-process handlers). */
export async function signedDelivery(payload: string, endpoint: WebhookEndpoint, timestamp: number, signal: AbortSignal): Promise<Request> {
  return new Request(endpoint.url ?? 'http://webhook.emulator.local/', {
    ...(await signedPost(payload, endpoint.secret, timestamp)),
    signal,
  })
}
