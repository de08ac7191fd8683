import type { AuthInfo } from './auth.js'
import type { AccountOption, CoreControl } from './controls.js'
import type { RouteDigest } from './digest-types.js'
import type { EmulatorEvent } from './events.js'
import type { RouteId, RouteParams, RoutePathParams } from './generated/route-types.js'
import type { EmulatorState } from './state.js'
import type { AccountStore, StripeObject } from './store.js'

/**
 * What a handler gets for one API call. `params` and `pathParams` are typed from the spec by the
 * generator (`generated/route-types.ts`): `params` as the validator outputs them (integers as
 * numbers, booleans as booleans, `''` = Stripe's "unset" wherever it is allowed).
 */
export interface HandlerContext<Params = RouteParams[RouteId], PathParams = Record<string, string>> {
  route: RouteDigest
  params: Params
  pathParams: PathParams
  /** the `Stripe-Account` scope of the call */
  store: AccountStore
  state: EmulatorState
  auth: AuthInfo
  /** emulator time of the call (unix seconds) */
  now: number
  /** origin of the request URL (file URLs, redirect pages) */
  origin: string
  url: URL
  /** the `Stripe-Version` the call is answered in (api-versions.ts); the spec's when absent */
  apiVersion?: string
}

/** The context of one operation, by its operationId. */
export type RouteContext<Id extends RouteId> = HandlerContext<RouteParams[Id], RoutePathParams[Id]>

/** One operation's implementation: returns the response body (200) or throws an `EmulatorError`. */
export type Handler<Id extends RouteId = RouteId> = (ctx: RouteContext<Id>) => unknown

/** Implementations by operationId: each typed by its own params. */
export type DomainHandlers = { [Id in RouteId]?: Handler<Id> }

/**
 * An event a call raises: its type and the object (snapshotted when recorded), the account it
 * belongs to when that is not the caller's (a FinancialAccount of another account credited), and
 * for a `*.updated` event the changed attributes' previous values (`data.previous_attributes`).
 */
export type RaisedEvent = readonly [
  type: string,
  object: { id: string; object: string },
  account?: string,
  previousAttributes?: Record<string, unknown>,
]

/** The events a successful call raises, from its result (none for reads, replays and errors). */
export type DomainEvents = { [Id in RouteId]?: (result: StripeObject, ctx: RouteContext<Id>) => readonly RaisedEvent[] }

/** What a domain's controls work with. */
export interface DomainKit {
  state: EmulatorState
  /** the account store to act on (default account when `options.account` is absent) */
  store(options?: AccountOption): AccountStore
  /** records an event (no API request: `request` ids are null) and starts its deliveries */
  raise(type: string, object: { id: string; object: string }, options?: AccountOption): EmulatorEvent
}

/** One HTTP control under `/_emulator`: `path` with `{name}` segments, e.g. `/sources/{id}/funds`. */
export interface ControlRoute<Controls = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path: string
  /** returns the JSON answer (200) or throws (an `EmulatorError` keeps its status, other errors are 400s) */
  handle(input: ControlRequest<Controls>): unknown
}

export interface ControlRequest<Controls = unknown, Params = Record<string, string>> {
  /** this domain's controls (for core routes: the whole control object) */
  controls: Controls
  /** decoded `{name}` segments of the path */
  params: Params
  /** the JSON body of a POST or PUT (`{}` when empty) */
  body: Record<string, unknown>
  /** `account` from the body or the query string */
  account: AccountOption | undefined
  url: URL
}

/** `{ id: string }` for `/things/{id}/do`: the params a control path has. */
export type ControlPathParams<Path extends string> = Path extends `${string}{${infer Name}}${infer Rest}`
  ? { [Key in Name]: string } & ControlPathParams<Rest>
  : unknown

/**
 * A control route whose `params` are typed from its path (`params.id` for `/sources/{id}/fail`).
 * Pure: returns its input.
 */
/* @__NO_SIDE_EFFECTS__ */
export function controlRoute<Controls, const Path extends string>(
  method: ControlRoute['method'],
  path: Path,
  handle: (input: ControlRequest<Controls, ControlPathParams<Path>>) => unknown,
): ControlRoute<Controls> {
  return { method, path, handle: handle as ControlRoute<Controls>['handle'] }
}

/** What the shared contract suite (`test/domain-contract.ts`) needs to exercise a list of the domain. */
export interface DomainFixture<Controls = object> {
  /** a list operation of this domain */
  list: RouteId
  /** path of the list (path params filled in by `setup`'s `path` when it returns one) */
  path?: string
  /** prepares what the objects need (a financial account, a source…); returns the list's params */
  setup?(api: FixtureApi<Controls>): Promise<{ params?: Record<string, unknown>; path?: string }>
  /** creates one object that the list shows (through the API or the controls); returns its id */
  create(api: FixtureApi<Controls>, setup: { params?: Record<string, unknown>; path?: string }): Promise<string>
}

/** API and controls as the contract suite hands them to fixtures. */
export interface FixtureApi<Controls = object> {
  call(method: 'GET' | 'POST' | 'DELETE', path: string, params?: Record<string, unknown>): Promise<{ status: number; body: any }>
  /** the emulator's controls: the core ones and this domain's */
  control: CoreControl & Controls
}

/** A seeder for `control.seed(kind, object)` of a kind that is more than its fixture template. */
export type Seeder = (kit: DomainKit, object: Record<string, unknown>, options?: AccountOption) => StripeObject

export interface EmulatorDomain<Name extends string = string, Controls extends object = object> {
  /** short name (`sources`, `treasury`…), unique among the emulator's domains */
  name: Name
  /** path prefixes of the API routes it serves: every spec route under them needs a handler or `notEmulated` */
  prefixes: readonly string[]
  handlers: DomainHandlers
  /** operations under `prefixes` it deliberately answers with 501 (documented as not emulated) */
  notEmulated?: readonly RouteId[]
  events?: DomainEvents
  /** in-process controls: merged onto `emulator.control` */
  controls?: (kit: DomainKit) => Controls
  /** HTTP mirror of the controls under `/_emulator` */
  controlRoutes?: readonly ControlRoute<Controls>[]
  /** `control.seed` kinds with their own construction */
  seeders?: Readonly<Record<string, Seeder>>
  /** runs after the clock moved from `previous` (e.g. pending report runs settle) */
  onAdvance?(kit: DomainKit, previous: number): void
  /**
   * The earliest emulator time at which `onAdvance` has something to do (a pending report run's
   * end), or undefined: what a real clock's timer waits for (due-work.ts).
   */
  nextDue?(kit: DomainKit): number | undefined
  /** lists for the shared contract suite */
  fixtures?: readonly DomainFixture<Controls>[]
}

/** Any domain, whatever its controls. */
export type AnyEmulatorDomain = EmulatorDomain<string, any>

/**
 * Defines one emulator domain in one module: its operation handlers (typed by the spec's params),
 * the events they raise, its controls and their HTTP routes, seeders and contract-suite fixtures.
 * Add it to `createEmulator({ domains })` (and to `DEFAULT_DOMAINS` in `domains/index.ts`).
 * See `src/domains/README.md`.
 */
/* @__NO_SIDE_EFFECTS__ */
export function defineEmulatorDomain<const Name extends string, Controls extends object = object>(
  domain: EmulatorDomain<Name, Controls>,
): EmulatorDomain<Name, Controls> {
  return domain
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never

/** The merged controls of a list of domains. */
export type ControlsOf<Domains extends readonly AnyEmulatorDomain[]> = UnionToIntersection<
  {
    [Index in keyof Domains]: Domains[Index] extends EmulatorDomain<string, infer Controls> ? Controls : never
  }[number]
> &
  object
