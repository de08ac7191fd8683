// Stages 5–8 of an API request, past the faults: route → (idempotency) → handler through the store
// → events → respond. Every error becomes Stripe's error shape here.
import { renderForVersion } from '../api-versions.js'
import { type AuthInfo, requireSecretKey } from '../auth.js'
import type { HandlerContext } from '../domain.js'
import { EmulatorError, invalidRequest } from '../errors.js'
import { recordRouteEvents } from '../events/event-log.js'
import { expandBody } from '../expand.js'
import { serveFile } from '../files.js'
import { decodeForm, type FormObject } from '../form-decode.js'
import { readBody, textResponse } from '../http.js'
import { requestFingerprint, saveIdempotent } from '../idempotency.js'
import { type Router, unrecognizedURL } from '../router.js'
import { accountStore } from '../state.js'
import type { AccountStore } from '../store.js'
import { validateParams } from '../validate.js'
import type { Exchange } from './exchange.js'
import { replayIdempotent } from './idempotency.js'
import type { Target } from './routes.js'

/** Handles one API request past the fault stage. */
export async function serveApi(exchange: Exchange, router: Router<Target>): Promise<Response> {
  const { request, url, method, account, idempotencyKey, headers, keyAccount } = exchange
  const state = keyAccount.state
  const store = accountStore(state, account)
  if (request.headers.get('Stripe-Account')) headers.set('Stripe-Account', account)
  if (idempotencyKey) headers.set('Idempotency-Key', idempotencyKey)
  const outcome: Outcome = { executing: false, fingerprint: '', insertsBefore: store.insertCount }
  try {
    // bytes, not text(): workerd warns on text() of a form-encoded body; 413 above the limit
    const bodyText = method === 'POST' ? await readBody(request, state.maxRequestBytes) : ''
    if (method === 'POST') state.requestBodies.requestBody(exchange.entry, bodyText) // request log with bodies
    const auth = authenticated(exchange)
    const target = route(router, method, url.pathname)
    if (target.kind === 'file') {
      const response = serveFile(store, auth, { id: target.pathParams.file as string, contents: target.contents }, url.origin, headers)
      exchange.entry.status = response.status
      return response
    }
    if (!target.route.publishable) requireSecretKey(auth)
    const decoded: FormObject = method === 'POST' ? decodeForm(bodyText) : decodeForm(url.searchParams)
    if (idempotencyKey) outcome.fingerprint = requestFingerprint(method, url.pathname, decoded)
    // the idempotency lookup, handler, events, and the answer saved under the idempotency key: one
    // transaction of the account's store (all of it kept, or none of it when the handler throws)
    return state.store.transaction(() => {
      const replay = idempotencyKey ? replayIdempotent(exchange, store, outcome.fingerprint) : undefined
      if (replay) return replay
      const params = validateParams(target.route.params, decoded)
      if (!target.handler) throw invalidRequest(`The emulator does not implement ${target.route.id}.`, undefined, undefined, 501)
      outcome.executing = true
      const ctx: HandlerContext = {
        route: target.route,
        params: params as HandlerContext['params'],
        pathParams: target.pathParams,
        store,
        state,
        auth,
        now: state.clock.now,
        origin: url.origin,
        url,
        // shapes follow the request's Stripe-Version (api-versions.ts)
        apiVersion: exchange.stripeVersion,
      }
      const result = (target.handler as NonNullable<typeof target.handler>)(ctx)
      recordRouteEvents(ctx, target.raise, result, { id: exchange.entry.requestId, idempotency_key: idempotencyKey })
      const expand = Array.isArray(params.expand) ? (params.expand as string[]) : []
      // serialized right away (respond), so the stored objects need no copy unless expansion edits it
      const body = expand.length ? expandBody(store, structuredClone(result), expand) : result
      // rendered in the version asked for (api-versions.ts)
      return respond(exchange, store, outcome, 200, renderForVersion(body, exchange.stripeVersion))
    })
  } catch (error) {
    const failure =
      error instanceof EmulatorError
        ? error
        : new EmulatorError(500, {
            type: 'api_error',
            message: `Emulator error: ${error instanceof Error ? error.message : String(error)}`,
          })
    // the error answer is saved under the idempotency key (when the handler ran) in a transaction of its own
    return state.store.transaction(() => respond(exchange, store, outcome, failure.status, { error: failure.body }))
  }
}

interface Outcome {
  /** the handler ran: the answer is saved under the idempotency key, whatever it is */
  executing: boolean
  fingerprint: string
  insertsBefore: number
}

/** The key the choose-account stage read, or its 401. */
function authenticated(exchange: Exchange): AuthInfo {
  if (exchange.auth instanceof EmulatorError) throw exchange.auth
  return exchange.auth
}

type Routed =
  | (Extract<Target, { kind: 'api' }> & { pathParams: Record<string, string> })
  | (Extract<Target, { kind: 'file' }> & { pathParams: Record<string, string> })

/** Route stage: the operation (or file) this method and path name; a 404 otherwise (controls are not API routes). */
function route(router: Router<Target>, method: string, path: string): Routed {
  const match = router.match(method, path)
  if (!match || match.value.kind === 'control') throw unrecognizedURL(method, path)
  return { ...match.value, pathParams: match.pathParams }
}

/** Respond stage: the JSON answer, logged, and saved under the idempotency key when the handler ran. */
function respond(exchange: Exchange, store: AccountStore, outcome: Outcome, status: number, body: unknown): Response {
  const { entry, method, headers, idempotencyKey, keyAccount } = exchange
  entry.status = status
  entry.created = method === 'POST' && store.insertCount > outcome.insertsBefore
  const text = JSON.stringify(body, null, 2)
  keyAccount.state.requestBodies.responseBody(entry, text) // request log with bodies (request-log.ts)
  const response = textResponse(status, text, headers)
  if (idempotencyKey && outcome.executing) {
    const requestId = headers.get('Request-Id') as string
    saveIdempotent(
      store,
      idempotencyKey,
      { fingerprint: outcome.fingerprint, status, requestId, body: JSON.stringify(body) },
      keyAccount.state.clock.now,
    )
  }
  return response
}
