// A Cloudflare Worker that registers its own webhook endpoint through the API (`POST /register`:
// createWebhookEndpoint, the signing secret kept in KV — create is the only call that returns
// it), then receives Stripe webhooks, verifies them (WebCrypto, no Node), and retrieves the related
// Treasury objects fresh — events can arrive late or out of order.
import { createStripe, narrowEvent, type StripeEvent, StripeSignatureVerificationError, verifyWebhook } from '@edgestripe/core'
import {
  retrieveCreditReversal,
  retrieveDebitReversal,
  retrieveFinancialAccount,
  retrieveInboundTransfer,
  retrieveOutboundPayment,
  retrieveOutboundTransfer,
  retrieveReceivedCredit,
  retrieveReceivedDebit,
  retrieveTransaction,
  treasuryEvents,
} from '@edgestripe/treasury'
import { createWebhookEndpoint } from '@edgestripe/webhook-endpoints'

/** The part of a Workers KV namespace binding this Worker uses. */
export interface SecretStore {
  get(key: string): Promise<string | null>
  put(key: string, value: string): Promise<void>
}

export interface Env {
  STRIPE_SECRET_KEY: string
  /** The endpoint's signing secret, when it was registered elsewhere (dashboard, CLI). */
  STRIPE_WEBHOOK_SECRET?: string
  /** KV namespace where `POST /register` keeps the secret of the endpoint it creates. */
  WEBHOOKS?: SecretStore
  /** Another API host (the emulator); default api.stripe.com. */
  STRIPE_API_BASE?: string
}

/** KV key of the signing secret of the endpoint `POST /register` created. */
const SECRET_KEY = 'stripe-webhook-secret'

const retrievers = {
  'treasury.credit_reversal': retrieveCreditReversal,
  'treasury.debit_reversal': retrieveDebitReversal,
  'treasury.financial_account': retrieveFinancialAccount,
  'treasury.inbound_transfer': retrieveInboundTransfer,
  'treasury.outbound_payment': retrieveOutboundPayment,
  'treasury.outbound_transfer': retrieveOutboundTransfer,
  'treasury.received_credit': retrieveReceivedCredit,
  'treasury.received_debit': retrieveReceivedDebit,
}

/** The Worker's handler; `fetch` is injectable so tests can answer with the emulator. */
export function createHandler(options: { fetch?: typeof globalThis.fetch } = {}) {
  return async (request: Request, env: Env): Promise<Response> => {
    if (request.method !== 'POST') return new Response('POST Stripe webhooks here.', { status: 405 })
    const client = () => createStripe({ apiKey: env.STRIPE_SECRET_KEY, fetch: options.fetch, baseURL: env.STRIPE_API_BASE })
    if (new URL(request.url).pathname === '/register') return register(request, env, client())
    const secret = env.STRIPE_WEBHOOK_SECRET ?? (await env.WEBHOOKS?.get(SECRET_KEY))
    if (!secret) return Response.json({ error: 'no webhook secret: POST /register first, or set STRIPE_WEBHOOK_SECRET' }, { status: 500 })
    let event: StripeEvent
    try {
      event = await verifyWebhook(await request.text(), request.headers.get('stripe-signature'), secret)
    } catch (error) {
      if (error instanceof StripeSignatureVerificationError) return Response.json({ error: error.reason }, { status: 400 })
      throw error
    }
    const typed = narrowEvent(event, treasuryEvents)
    if (!typed) return Response.json({ received: event.type, handled: false })

    const stripe = client()
    const { object } = typed.data
    const current = await retrievers[object.object](stripe, object.id)
    const transactionId = 'transaction' in current ? current.transaction : undefined
    const transaction = typeof transactionId === 'string' ? await retrieveTransaction(stripe, transactionId) : (transactionId ?? undefined)
    return Response.json({
      received: typed.type,
      handled: true,
      object: { id: current.id, object: current.object, status: 'status' in current ? current.status : undefined },
      transaction: transaction && { id: transaction.id, status: transaction.status, balance_impact: transaction.balance_impact },
    })
  }
}

/**
 * Registers this Worker's origin as a webhook endpoint for every Treasury event and keeps the
 * signing secret in KV (never in the answer). Register once: each call creates another endpoint.
 */
async function register(request: Request, env: Env, stripe: ReturnType<typeof createStripe>): Promise<Response> {
  if (!env.WEBHOOKS) return Response.json({ error: 'bind a KV namespace as WEBHOOKS to keep the secret' }, { status: 500 })
  const endpoint = await createWebhookEndpoint(stripe, {
    url: new URL('/', request.url).href,
    enabled_events: Object.keys(treasuryEvents) as (keyof typeof treasuryEvents)[],
    description: 'edgestripe cloudflare-worker example',
  })
  await env.WEBHOOKS.put(SECRET_KEY, endpoint.secret)
  return Response.json({ id: endpoint.id, url: endpoint.url, enabled_events: endpoint.enabled_events })
}

export default { fetch: createHandler() }
