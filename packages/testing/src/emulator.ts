import { type AuthInfo, authenticate, requireSecretKey } from './auth.js'
import { createClock, wallSeconds } from './clock.js'
import { CONTROL_ROUTES, compileControlRoutes, coreControlRoutes, handleControlRequest } from './control-http.js'
import { type CoreControl, createControl, createKit } from './controls.js'
import type { AnyEmulatorDomain, ControlRoute, ControlsOf, DomainEvents, DomainHandlers, HandlerContext } from './domain.js'
import { DEFAULT_DOMAINS, type DefaultDomains } from './domains/index.js'
import { EmulatorError, invalidRequest } from './errors.js'
import { createEventHub, recordRouteEvents } from './events.js'
import { expandBody } from './expand.js'
import { delay, FaultQueue, faultsAfterProcessing, truncateResponse } from './faults.js'
import { matchFilePath, serveFile } from './files.js'
import { decodeForm, type FormObject } from './form-decode.js'
import { API_VERSION, routes } from './generated/routes.js'
import { baseHeaders, jsonResponse, preflightResponse, readBody, textResponse } from './http.js'
import { lookupIdempotent, requestFingerprint, saveIdempotent } from './idempotency.js'
import { Ring } from './ring.js'
import { compileRoutes, matchRoute } from './router.js'
import { type EmulatorSnapshot, restoreSnapshot } from './snapshot.js'
import { accountStore, DEFAULT_LIMITS, type EmulatorOptions, type EmulatorState, type RequestLogEntry } from './state.js'
import { validateParams } from './validate.js'

export interface Emulator<Controls extends object = ControlsOf<DefaultDomains>> {
  /**
   * A WHATWG fetch answering like api.stripe.com (bound: pass it as a client's `fetch`). It is also a
   * server's handler as it is, `Deno.serve(options, emulator.fetch)`: the `info` Deno passes after the
   * request is recognised by its `remoteAddr` and ignored.
   */
  fetch(input: Request | string | URL, init?: RequestInit | ServeHandlerInfo): Promise<Response>
  control: CoreControl & Controls
}

/** What `Deno.serve` passes a handler after the request (not a `RequestInit`; ignored). */
export interface ServeHandlerInfo {
  readonly remoteAddr: unknown
  readonly completed?: Promise<void>
}

/** The controls of an emulator with the default domains (all seven, `DEFAULT_DOMAINS`). */
export type EmulatorControl = CoreControl & ControlsOf<DefaultDomains>

export interface CreateEmulatorOptions<Domains extends readonly AnyEmulatorDomain[]> extends EmulatorOptions {
  /** the API domains it serves (default: all seven, `DEFAULT_DOMAINS`) */
  domains?: Domains
  /**
   * Starts from a `control.snapshot()` (parsed JSON): its objects, keys, events, clock and URL
   * webhook endpoints. The snapshot's clock, default account and report-run delay win over `now`,
   * `defaultAccount` and `reportRunDelay`. A snapshot that is not valid is refused with a TypeError.
   */
  state?: EmulatorSnapshot | unknown
}

/** 2024-04-24T23:06:40Z: a fixed start time for tests that want deterministic timestamps (`now: DEFAULT_NOW`). */
export const DEFAULT_NOW = 1_714_000_000

/** Creates an in-memory, stateful Stripe emulator serving the given domains (default: all four). */
/* @__NO_SIDE_EFFECTS__ */
export function createEmulator<const Domains extends readonly AnyEmulatorDomain[] = DefaultDomains>(
  options: CreateEmulatorOptions<Domains> = {},
): Emulator<ControlsOf<Domains>> {
  if (options.clock !== undefined && options.clock !== 'manual' && options.clock !== 'real') {
    throw new TypeError(`createEmulator: clock must be 'manual' or 'real', not ${String(options.clock)}`)
  }
  const domains: readonly AnyEmulatorDomain[] = options.domains ?? DEFAULT_DOMAINS
  const restored = options.state === undefined ? undefined : restoreSnapshot(options.state)
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_LIMITS.maxRequestBytes
  if (!Number.isSafeInteger(maxRequestBytes) || maxRequestBytes < 0) {
    throw new TypeError(`createEmulator: maxRequestBytes must be a non-negative integer, not ${String(options.maxRequestBytes)}`)
  }
  const accounts: EmulatorState['accounts'] = restored?.accounts ?? new Map()
  const state: EmulatorState = {
    clock: restored
      ? createClock(restored.clock.start, options.clock, restored.clock.now)
      : createClock(options.now ?? wallSeconds(), options.clock),
    reportRunDelay: restored?.reportRunDelay ?? options.reportRunDelay ?? 5,
    defaultAccount: restored?.defaultAccount ?? options.defaultAccount ?? 'acct_emulator',
    accounts,
    faults: new FaultQueue(),
    log: new Ring(options.requestLogSize ?? DEFAULT_LIMITS.requestLogSize),
    events: createEventHub({
      ...options,
      accounts,
      eventLogSize: options.eventLogSize ?? DEFAULT_LIMITS.eventLogSize,
      deliveryLogSize: options.deliveryLogSize ?? DEFAULT_LIMITS.deliveryLogSize,
    }),
    maxRequestBytes,
  }
  // webhook retries and delayed deliveries wait on the emulator clock
  state.events.now = () => state.clock.now
  if (restored) {
    for (const event of restored.events) state.events.log.push(event)
    for (const endpoint of restored.webhookEndpoints) state.events.endpoints.set(endpoint.id, endpoint)
  }
  const { handlers, events, prefixes } = composeDomains(domains)
  const compiled = compileRoutes(routes)
  const kit = createKit(state)
  const control = createControl(state, domains, kit)
  Object.defineProperty(control, CONTROL_ROUTES, {
    value: compileControlRoutes([...(coreControlRoutes as readonly ControlRoute[]), ...domains.flatMap((d) => d.controlRoutes ?? [])]),
  })

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url)
    const method = request.method.toUpperCase()
    const stripeVersion = request.headers.get('Stripe-Version') || API_VERSION
    // controls answer (and refuse) their own preflights: no CORS for them
    if (options.controlRoutes !== false && url.pathname.startsWith('/_emulator/')) {
      if (method !== 'OPTIONS') state.events.origin = url.origin
      return handleControlRequest(control, request, stripeVersion, state.maxRequestBytes)
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
    const store = accountStore(state, account)
    if (request.headers.get('Stripe-Account')) headers.set('Stripe-Account', account)
    if (idempotencyKey) headers.set('Idempotency-Key', idempotencyKey)
    let executing = false
    let fingerprint = ''
    const insertsBefore = store.insertCount
    try {
      // bytes, not text(): workerd warns on text() of a form-encoded body; 413 above the limit
      const bodyText = method === 'POST' ? await readBody(request, state.maxRequestBytes) : ''
      const auth: AuthInfo = authenticate(request.headers.get('Authorization'))
      const file = method === 'GET' ? matchFilePath(url.pathname) : undefined
      if (file) {
        const response = serveFile(store, auth, file, url.origin, headers)
        entry.status = response.status
        return response
      }
      const match = matchRoute(compiled, method, url.pathname)
      if (!match || !prefixes.some((prefix) => match.route.path.startsWith(prefix))) {
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
      if (idempotencyKey) {
        fingerprint = requestFingerprint(method, url.pathname, decoded)
        const saved = lookupIdempotent(store, idempotencyKey, fingerprint, now)
        if (saved) {
          const replayHeaders = baseHeaders(stripeVersion, saved.requestId)
          if (request.headers.get('Stripe-Account')) replayHeaders.set('Stripe-Account', account)
          replayHeaders.set('Idempotency-Key', idempotencyKey)
          replayHeaders.set('Idempotent-Replayed', 'true')
          entry.status = saved.status
          entry.replayed = true
          entry.requestId = saved.requestId
          return textResponse(saved.status, JSON.stringify(JSON.parse(saved.body), null, 2), replayHeaders)
        }
      }
      const params = validateParams(match.route.params, decoded)
      const handler = handlers.get(match.route.id)
      if (!handler) throw invalidRequest(`The emulator does not implement ${match.route.id}.`, undefined, undefined, 501)
      executing = true
      const ctx: HandlerContext = {
        route: match.route,
        params: params as HandlerContext['params'],
        pathParams: match.pathParams,
        store,
        state,
        auth,
        now,
        origin: url.origin,
        url,
      }
      const result = handler(ctx)
      recordRouteEvents(ctx, events.get(match.route.id), result, { id: entry.requestId, idempotency_key: idempotencyKey })
      const expand = Array.isArray(params.expand) ? (params.expand as string[]) : []
      // serialized right away (finish), so the stored objects need no copy unless expansion edits it
      const body = expand.length ? expandBody(store, structuredClone(result), expand) : result
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
        const requestId = headers.get('Request-Id') as string
        saveIdempotent(store, idempotencyKey, { fingerprint, status, requestId, body: JSON.stringify(body) }, state.clock.now)
      }
      return response
    }
  }

  return {
    fetch(input, second) {
      try {
        const init = second && 'remoteAddr' in second ? undefined : (second as RequestInit | undefined)
        const request =
          input instanceof Request && !init
            ? input
            : new Request(typeof input === 'string' || input instanceof URL ? absolute(input) : input, init)
        return handle(request)
      } catch (error) {
        return Promise.reject(error)
      }
    },
    control: control as CoreControl & ControlsOf<Domains>,
  }
}

/** Merges the domains' handlers and events; two domains serving one operation (or one name) is an error. */
function composeDomains(domains: readonly AnyEmulatorDomain[]) {
  const handlers = new Map<string, (ctx: HandlerContext) => unknown>()
  const events = new Map<string, NonNullable<DomainEvents[keyof DomainEvents]>>()
  const names = new Set<string>()
  for (const domain of domains) {
    if (names.has(domain.name)) throw new TypeError(`createEmulator: two domains named ${domain.name}`)
    names.add(domain.name)
    for (const [id, handler] of Object.entries(domain.handlers as DomainHandlers)) {
      if (handlers.has(id)) throw new TypeError(`createEmulator: ${id} is handled by two domains (${domain.name} and another)`)
      handlers.set(id, handler as (ctx: HandlerContext) => unknown)
    }
    for (const [id, raise] of Object.entries(domain.events ?? {})) events.set(id, raise as never)
  }
  return { handlers, events, prefixes: domains.flatMap((domain) => domain.prefixes) }
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
