// `createEmulator`: the options checked, the accounts (one per key) and the router made, and
// `fetch` running a request through the stages of pipeline/:
//
//   decode → choose the account (key, `Stripe-Account`) → faults → route → idempotency
//   → handler through the store → events → respond
//
// with the controls (`/_emulator/*`) routed by the same router to the control stage.
import { accountKeyOf } from './account-keys.js'
import { type AuthInfo, authenticate } from './auth.js'
import { MAX_EMULATOR_TIME } from './clock.js'
import type { CoreControl } from './controls.js'
import { applyCorsHeaders, corsDecision, corsPreflightHeaders, crossOriginRefusedMessage, isPublishableAuthorization } from './cors.js'
import type { AnyEmulatorDomain, ControlsOf } from './domain.js'
import { DEFAULT_DOMAINS, type DefaultDomains } from './domains/index.js'
import { createDueWork, registerDueWork } from './due-work.js'
import { EmulatorError } from './errors.js'
import { baseHeaders, jsonResponse, preflightResponse } from './http.js'
import { INSPECTOR_API_PREFIX, serveInspectorApi } from './inspector/api.js'
import { isInspectorPath, serveInspectorPage } from './inspector/page.js'
import { createKeyAccounts, type KeyAccount, type KeyAccounts } from './key-accounts.js'
import { serveApi } from './pipeline/api.js'
import { chooseAccount } from './pipeline/choose-account.js'
import { serveControl } from './pipeline/control.js'
import { type DecodedRequest, decodeRequest, type ServeHandlerInfo, toRequest } from './pipeline/decode.js'
import type { Exchange } from './pipeline/exchange.js'
import { withFaults } from './pipeline/faults.js'
import { buildRouter, CONTROL_PREFIX, type Target } from './pipeline/routes.js'
import type { Router } from './router.js'
import { type EmulatorSnapshot, restoreSnapshot } from './snapshot.js'
import { DEFAULT_LIMITS, type EmulatorOptions, type RequestLogEntry } from './state.js'

export type { ServeHandlerInfo } from './pipeline/decode.js'

export interface Emulator<Controls extends object = ControlsOf<DefaultDomains>> {
  /**
   * A WHATWG fetch answering like api.stripe.com (bound: pass it as a client's `fetch`). It is also a
   * server's handler as it is, `Deno.serve(options, emulator.fetch)`: the `info` Deno passes after the
   * request is recognised by its `remoteAddr` and ignored.
   */
  fetch(input: Request | string | URL, init?: RequestInit | ServeHandlerInfo): Promise<Response>
  /** the controls of the default account (requests without a key; every key's with `accounts: 'shared'`) */
  control: CoreControl & Controls
  /** the controls of a key's account: `controlFor('sk_test_X')` acts on what requests with `sk_test_X`, `pk_test_X`… see */
  controlFor(key: string): CoreControl & Controls
}

/** The controls of an emulator with the default domains (all seven, `DEFAULT_DOMAINS`). */
export type EmulatorControl = CoreControl & ControlsOf<DefaultDomains>

export interface CreateEmulatorOptions<Domains extends readonly AnyEmulatorDomain[]> extends EmulatorOptions {
  /** the API domains it serves (default: all seven, `DEFAULT_DOMAINS`) */
  domains?: Domains
  /**
   * Starts from a `control.snapshot()` (parsed JSON): its objects, keys, events, clock and URL
   * webhook endpoints, for the default account (and, from a `snapshot({ all: true })`, for the
   * accounts of the keys under `keys`). The snapshot's clock, default account and report-run delay
   * win over `now`, `defaultAccount` and `reportRunDelay`. A snapshot that is not valid is refused
   * with a TypeError. `reset({ to: 'start' })` goes back to it.
   */
  state?: EmulatorSnapshot | unknown
}

/** 2024-04-24T23:06:40Z: a fixed start time for tests that want deterministic timestamps (`now: DEFAULT_NOW`). */
export const DEFAULT_NOW = 1_714_000_000

/** Creates an in-memory, stateful Stripe emulator serving the given domains (default: all seven). */
/* @__NO_SIDE_EFFECTS__ */
export function createEmulator<const Domains extends readonly AnyEmulatorDomain[] = DefaultDomains>(
  options: CreateEmulatorOptions<Domains> = {},
): Emulator<ControlsOf<Domains>> {
  const { domains, start, maxRequestBytes } = checkOptions(options)
  const accounts = createKeyAccounts({ ...options, domains, start, maxRequestBytes })
  const router = buildRouter(domains, options.controlRoutes !== false)
  type Controls = CoreControl & ControlsOf<Domains>
  const emulator: Emulator<ControlsOf<Domains>> = {
    fetch(input, second) {
      try {
        return handle(accounts, router, decodeRequest(toRequest(input, second)), options.controlRoutes !== false, options.corsOrigins)
      } catch (error) {
        return Promise.reject(error)
      }
    },
    control: accounts.of('').control as Controls,
    controlFor(key) {
      const keyPart = accountKeyOf(`Bearer ${key}`)
      if (keyPart === undefined)
        throw new TypeError(`controlFor: ${JSON.stringify(key)} is not a test key (sk_test_…, rk_test_…, pk_test_…)`)
      return accounts.of(keyPart).control as Controls
    },
  }
  // what a timer on the real clock runs (scheduler.ts) and the Worker's alarm waits for (worker.ts)
  registerDueWork(emulator, createDueWork(accounts, domains))
  return emulator
}

/** The options checked (a TypeError names the first wrong one), with their defaults. */
function checkOptions<Domains extends readonly AnyEmulatorDomain[]>(options: CreateEmulatorOptions<Domains>) {
  if (options.clock !== undefined && options.clock !== 'manual' && options.clock !== 'real') {
    throw new TypeError(`createEmulator: clock must be 'manual' or 'real', not ${String(options.clock)}`)
  }
  if (options.accounts !== undefined && options.accounts !== 'per-key' && options.accounts !== 'shared') {
    throw new TypeError(`createEmulator: accounts must be 'per-key' or 'shared', not ${String(options.accounts)}`)
  }
  if (options.now !== undefined && (!Number.isSafeInteger(options.now) || options.now < 0 || options.now > MAX_EMULATOR_TIME)) {
    throw new TypeError(`createEmulator: now must be unix seconds from 0 to ${MAX_EMULATOR_TIME}, not ${String(options.now)}`)
  }
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_LIMITS.maxRequestBytes
  if (!Number.isSafeInteger(maxRequestBytes) || maxRequestBytes < 0) {
    throw new TypeError(`createEmulator: maxRequestBytes must be a non-negative integer, not ${String(options.maxRequestBytes)}`)
  }
  // checked whole now: a bad snapshot is refused before anything is served
  if (options.state !== undefined) restoreSnapshot(options.state)
  return {
    domains: (options.domains ?? DEFAULT_DOMAINS) as readonly AnyEmulatorDomain[],
    start: options.state as EmulatorSnapshot | undefined,
    maxRequestBytes,
  }
}

/** One request through the stages. */
async function handle(
  accounts: KeyAccounts,
  router: Router<Target>,
  decoded: DecodedRequest,
  controls: boolean,
  corsOrigins: EmulatorOptions['corsOrigins'],
): Promise<Response> {
  const { request, url, method, stripeVersion } = decoded
  // the inspector (`/_emulator/ui/`): its page, and its data (same-origin only, as the controls)
  if (controls && isInspectorPath(url.pathname)) {
    if (!url.pathname.startsWith(INSPECTOR_API_PREFIX)) return serveInspectorPage(request, url)
    const maxRequestBytes = accounts.of('').state.maxRequestBytes
    return serveInspectorApi(
      {
        accounts,
        maxRequestBytes,
        // a test-helper action: the emulator's own API route or control, as the object's account
        dispatch: (inner, keyAccount) => {
          const innerDecoded = decodeRequest({ request: inner, signal: undefined })
          if (innerDecoded.url.pathname.startsWith(`${CONTROL_PREFIX}/`))
            return serveControl(accounts, router, innerDecoded, maxRequestBytes)
          return serveAccountRequest(accounts, router, innerDecoded, keyAccount)
        },
      },
      request,
      url,
    )
  }
  // controls answer (and refuse) their own preflights: no CORS for them
  if (controls && url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
    return serveControl(accounts, router, decoded, accounts.of('').state.maxRequestBytes)
  }
  // cross-origin calls only with a publishable key or from an allowed origin (cors.ts)
  const cors = corsDecision(request, url, corsOrigins)
  if (method === 'OPTIONS') {
    const preflight = preflightResponse(stripeVersion)
    corsPreflightHeaders(request, preflight.headers, cors)
    return preflight
  }
  if (cors.kind === 'publishable-only' && !isPublishableAuthorization(request.headers.get('Authorization'))) {
    return jsonResponse(
      403,
      { error: { type: 'invalid_request_error', message: crossOriginRefusedMessage(cors.origin) } },
      baseHeaders(stripeVersion),
    )
  }
  if (cors.kind === 'same-origin') return serveAccountRequest(accounts, router, decoded)
  const answer = await serveAccountRequest(accounts, router, decoded)
  applyCorsHeaders(answer.headers, cors.origin)
  return answer
}

/**
 * An API request past the cross-origin check: the account chosen (or `keyAccount`, for the
 * inspector's actions), logged, through faults to the API stages.
 */
function serveAccountRequest(
  accounts: KeyAccounts,
  router: Router<Target>,
  decoded: DecodedRequest,
  keyAccount?: KeyAccount,
): Promise<Response> {
  const { request, url, method, stripeVersion } = decoded
  const chosen = keyAccount
    ? { keyAccount, account: request.headers.get('Stripe-Account') || keyAccount.state.defaultAccount }
    : chooseAccount(accounts, request)
  const state = chosen.keyAccount.state
  state.events.origin = url.origin
  const headers = baseHeaders(stripeVersion)
  const idempotencyKey = method === 'POST' ? request.headers.get('Idempotency-Key') : null
  const entry: RequestLogEntry = {
    requestId: headers.get('Request-Id') as string,
    method,
    path: url.pathname,
    status: 0,
    account: chosen.account,
    idempotencyKey,
    created: false,
    replayed: false,
  }
  state.log.push(entry)
  state.requestBodies.start(entry, url, state.clock.now) // request log with bodies (request-log.ts)
  const exchange: Exchange = { ...decoded, ...chosen, auth: authOrError(request), idempotencyKey, headers, entry }
  const answer = withFaults(exchange, (current) => serveApi(current, router))
  // a write may have left work waiting on the account's clock (a report run): due-work.ts. A read adds
  // none (a run it settles only takes some away; an attempt it holds is told by the hub itself)
  if (method !== 'GET' && method !== 'HEAD') {
    const changed = () => accounts.changed(chosen.keyAccount)
    answer.then(changed, changed)
  }
  return answer
}

/** The authenticate stage: the key, or the 401 the route stage answers with. */
function authOrError(request: Request): AuthInfo | EmulatorError {
  try {
    return authenticate(request.headers.get('Authorization'))
  } catch (error) {
    if (error instanceof EmulatorError) return error
    throw error
  }
}
