import { type AuthInfo, authenticate, requireSecretKey } from './auth.js'
import { createClock, wallSeconds } from './clock.js'
import { accountStore, type EmulatorOptions, type EmulatorState, type Handler, type RequestLogEntry } from './context.js'
import { handleControlRequest } from './control-http.js'
import { createControl, type EmulatorControl } from './controls.js'
import { EmulatorError, invalidRequest } from './errors.js'
import { createEventHub, recordRouteEvents } from './events.js'
import { expandBody } from './expand.js'
import { delay, FaultQueue, faultsAfterProcessing, truncateResponse } from './faults.js'
import { matchFilePath, serveFile } from './files.js'
import { decodeForm, type FormObject } from './form-decode.js'
import { API_VERSION, routes } from './generated/routes.js'
import { baseHeaders, jsonResponse, preflightResponse } from './http.js'
import { lookupIdempotent, requestFingerprint, saveIdempotent } from './idempotency.js'
import { reportingHandlers } from './reporting.js'
import { compileRoutes, matchRoute } from './router.js'
import { sigmaHandlers } from './sigma.js'
import { sourceHandlers } from './sources.js'
import { treasuryHandlers } from './treasury.js'
import { validateParams } from './validate.js'

export interface Emulator {
  /** A WHATWG fetch answering like api.stripe.com (bound: pass it as a client's `fetch`). */
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>
  control: EmulatorControl
}

/** 2024-04-24T23:06:40Z: a fixed start time for tests that want deterministic timestamps (`now: DEFAULT_NOW`). */
export const DEFAULT_NOW = 1_714_000_000

const HANDLERS: Record<string, Handler> = {
  ...sourceHandlers,
  ...treasuryHandlers,
  ...reportingHandlers,
  ...sigmaHandlers,
}

/** Creates an in-memory, stateful Stripe emulator for the Sources, Treasury, Reporting and Sigma APIs. */
/* @__NO_SIDE_EFFECTS__ */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  if (options.clock !== undefined && options.clock !== 'manual' && options.clock !== 'real') {
    throw new TypeError(`createEmulator: clock must be 'manual' or 'real', not ${String(options.clock)}`)
  }
  const state: EmulatorState = {
    clock: createClock(options.now ?? wallSeconds(), options.clock),
    reportRunDelay: options.reportRunDelay ?? 5,
    defaultAccount: options.defaultAccount ?? 'acct_emulator',
    accounts: new Map(),
    faults: new FaultQueue(),
    log: [],
    events: createEventHub(options),
  }
  const compiled = compileRoutes(routes)
  const control = createControl(state)

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url)
    const method = request.method.toUpperCase()
    const stripeVersion = request.headers.get('Stripe-Version') || API_VERSION
    // controls answer (and refuse) their own preflights: no CORS for them
    if (options.controlRoutes !== false && url.pathname.startsWith('/_emulator/')) {
      if (method !== 'OPTIONS') state.events.origin = url.origin
      return handleControlRequest(control, request, stripeVersion)
    }
    if (method === 'OPTIONS') return preflightResponse(request, stripeVersion)
    state.events.origin = url.origin

    const account = request.headers.get('Stripe-Account') || state.defaultAccount
    const idempotencyKey = method === 'POST' ? request.headers.get('Idempotency-Key') : null
    const headers = baseHeaders(stripeVersion)
    const entry: RequestLogEntry = {
      requestId: headers.get('Request-Id') as string,
      method,
      path: url.pathname,
      status: 0,
      account,
      idempotencyKey,
      created: false,
      replayed: false,
    }
    state.log.push(entry)

    const served: Served = { url, method, account, idempotencyKey, headers, entry, stripeVersion }
    const fault = state.faults.take(method, url.pathname)
    if (!fault) return serve(request, served)
    if ('truncate' in fault) {
      // The request is handled for real (a POST still creates); only the answer is cut short.
      entry.fault = 'truncate'
      return truncateResponse(await serve(request, served))
    }
    // `after: 'process'`: the request is handled for real first (objects created, idempotency key
    // saved, events recorded), then the fault replaces or holds back its answer.
    const afterProcessing = faultsAfterProcessing(fault)
    const suffix = afterProcessing ? ' (after process)' : ''
    const processed = afterProcessing ? await serve(request, served) : undefined
    if ('reset' in fault) {
      entry.fault = `reset${suffix}`
      throw new TypeError('fetch failed (emulator: connection reset)')
    }
    if ('delayMs' in fault) {
      entry.fault = `delay${suffix}`
      // an abort rejects like fetch; after processing, what was done stays done
      await delay(fault.delayMs, request.signal)
      return processed ?? serve(request, served)
    }
    entry.fault = `status ${fault.status}${suffix}`
    entry.status = fault.status
    for (const [name, value] of Object.entries(fault.headers ?? {})) headers.set(name, value)
    const body = fault.body ?? {
      error: { type: 'api_error', message: 'An error occurred with our connection to Stripe. (emulated fault)' },
    }
    if (typeof body === 'string') {
      headers.set('Content-Type', 'application/json')
      return new Response(body, { status: fault.status, headers })
    }
    return jsonResponse(fault.status, body, headers)
  }

  /** Handles one API request past the fault stage. */
  async function serve(request: Request, at: Served): Promise<Response> {
    const { url, method, account, idempotencyKey, headers, entry, stripeVersion } = at
    // arrayBuffer, not text(): workerd warns on text() of a form-encoded body
    const bodyText = method === 'POST' ? new TextDecoder().decode(await request.arrayBuffer()) : ''
    const store = accountStore(state, account)
    if (request.headers.get('Stripe-Account')) headers.set('Stripe-Account', account)
    if (idempotencyKey) headers.set('Idempotency-Key', idempotencyKey)
    let executing = false
    const insertsBefore = store.insertCount
    try {
      const auth: AuthInfo = authenticate(request.headers.get('Authorization'))
      const file = method === 'GET' ? matchFilePath(url.pathname) : undefined
      if (file) {
        const response = serveFile(store, auth, file, url.origin, headers)
        entry.status = response.status
        return response
      }
      const match = matchRoute(compiled, method, url.pathname)
      if (!match) {
        throw invalidRequest(
          `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
          undefined,
          'resource_missing',
          404,
        )
      }
      if (!match.route.publishable) requireSecretKey(auth)
      const decoded: FormObject = method === 'POST' ? decodeForm(bodyText) : decodeForm(url.searchParams)
      const now = state.clock.now
      let fingerprint = ''
      if (idempotencyKey) {
        fingerprint = requestFingerprint(method, url.pathname, decoded)
        const saved = lookupIdempotent(store, idempotencyKey, fingerprint, now)
        if (saved) {
          const replayHeaders = new Headers(saved.headers)
          replayHeaders.set('Idempotent-Replayed', 'true')
          replayHeaders.set('Stripe-Version', stripeVersion)
          entry.status = saved.status
          entry.replayed = true
          entry.requestId = replayHeaders.get('Request-Id') ?? entry.requestId
          return new Response(saved.body, { status: saved.status, headers: replayHeaders })
        }
      }
      const params = validateParams(match.route.params, decoded)
      const handler = HANDLERS[match.route.id]
      if (!handler) throw invalidRequest(`The emulator does not implement ${match.route.id}.`, undefined, undefined, 501)
      executing = true
      const ctx = {
        route: match.route,
        params,
        pathParams: match.pathParams,
        store,
        state,
        auth,
        now,
        origin: url.origin,
        url,
      }
      const result = handler(ctx)
      recordRouteEvents(ctx, result, { id: entry.requestId, idempotency_key: idempotencyKey })
      const expand = Array.isArray(params.expand) ? (params.expand as string[]) : []
      const body = expandBody(store, structuredClone(result), expand)
      return finish(200, body)
    } catch (error) {
      const failure =
        error instanceof EmulatorError
          ? error
          : new EmulatorError(500, {
              type: 'api_error',
              message: `Emulator error: ${error instanceof Error ? error.message : String(error)}`,
            })
      return finish(failure.status, { error: failure.body })
    }

    function finish(status: number, body: unknown): Response {
      entry.status = status
      entry.created = method === 'POST' && store.insertCount > insertsBefore
      const response = jsonResponse(status, body, headers)
      if (idempotencyKey && executing) {
        const text = JSON.stringify(body, null, 2)
        const fingerprint = requestFingerprint(method, url.pathname, decodeForm(bodyText))
        saveIdempotent(store, idempotencyKey, { fingerprint, status, headers: [...headers], body: text }, state.clock.now)
      }
      return response
    }
  }

  return {
    fetch(input, init) {
      try {
        const request =
          input instanceof Request && !init
            ? input
            : new Request(typeof input === 'string' || input instanceof URL ? absolute(input) : input, init)
        return handle(request)
      } catch (error) {
        return Promise.reject(error)
      }
    },
    control,
  }
}

interface Served {
  url: URL
  method: string
  account: string
  idempotencyKey: string | null
  headers: Headers
  entry: RequestLogEntry
  stripeVersion: string
}

/** Relative URLs resolve against a placeholder origin so `fetch('/v1/…')` works. */
function absolute(input: string | URL): string | URL {
  if (input instanceof URL) return input
  return /^[a-z][a-z0-9+.-]*:/i.test(input) ? input : new URL(input, 'http://emulator.local').toString()
}
