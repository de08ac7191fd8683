// Stage 4, idempotency: a POST with an `Idempotency-Key` this account saw with the same params
// gets the first answer again (`Idempotent-Replayed: true`); with other params, a 400. Keys belong
// to the account (and connected account) they were sent to.
import { baseHeaders, textResponse } from '../http.js'
import { lookupIdempotent } from '../idempotency.js'
import type { AccountStore } from '../store.js'
import type { Exchange } from './exchange.js'

/** The replayed answer, or undefined when the request is to be handled. */
export function replayIdempotent(exchange: Exchange, store: AccountStore, fingerprint: string): Response | undefined {
  const { idempotencyKey, request, account, entry, stripeVersion, keyAccount } = exchange
  if (!idempotencyKey) return undefined
  const saved = lookupIdempotent(store, idempotencyKey, fingerprint, keyAccount.state.clock.now)
  if (!saved) return undefined
  const replayHeaders = baseHeaders(stripeVersion, saved.requestId)
  if (request.headers.get('Stripe-Account')) replayHeaders.set('Stripe-Account', account)
  replayHeaders.set('Idempotency-Key', idempotencyKey)
  replayHeaders.set('Idempotent-Replayed', 'true')
  entry.status = saved.status
  entry.replayed = true
  entry.requestId = saved.requestId
  const text = JSON.stringify(JSON.parse(saved.body), null, 2)
  keyAccount.state.requestBodies.responseBody(entry, text) // request log with bodies (request-log.ts)
  return textResponse(saved.status, text, replayHeaders)
}
