// A Cloudflare Worker that receives Stripe webhooks, verifies them (WebCrypto, no Node), and
// retrieves the related Treasury objects fresh — events can arrive late or out of order.
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

export interface Env {
  STRIPE_SECRET_KEY: string
  STRIPE_WEBHOOK_SECRET: string
  /** Another API host (the emulator); default api.stripe.com. */
  STRIPE_API_BASE?: string
}

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
    let event: StripeEvent
    try {
      event = await verifyWebhook(await request.text(), request.headers.get('stripe-signature'), env.STRIPE_WEBHOOK_SECRET)
    } catch (error) {
      if (error instanceof StripeSignatureVerificationError) return Response.json({ error: error.reason }, { status: 400 })
      throw error
    }
    const typed = narrowEvent(event, treasuryEvents)
    if (!typed) return Response.json({ received: event.type, handled: false })

    const stripe = createStripe({ apiKey: env.STRIPE_SECRET_KEY, fetch: options.fetch, baseURL: env.STRIPE_API_BASE })
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

export default { fetch: createHandler() }
