// Signing: a delivery as Stripe sends it, a JSON POST with a `Stripe-Signature` over the payload
// (`t=<timestamp>,v1=<HMAC-SHA256>`, the endpoint's secret).
import { signWebhookPayload } from '@edgestripe/core'
import type { WebhookEndpoint } from './types.js'

/** The signed `POST` of one delivery attempt to an endpoint (a placeholder URL for in-process handlers). */
export async function signedDelivery(payload: string, endpoint: WebhookEndpoint, timestamp: number, signal: AbortSignal): Promise<Request> {
  const signature = await signWebhookPayload(payload, endpoint.secret, { timestamp })
  return new Request(endpoint.url ?? 'http://webhook.emulator.local/', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Stripe-Signature': signature,
      'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
    },
    body: payload,
    signal,
  })
}
