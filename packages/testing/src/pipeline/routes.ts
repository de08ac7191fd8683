// The route table: every API operation the domains serve, the file downloads and the controls
// (`/_emulator/*`), in one router (see `router.ts`).
import { coreControlRoutes } from '../control-routes.js'
import type { RouteDigest } from '../digest-types.js'
import type { AnyEmulatorDomain, ControlRoute, DomainEvents, DomainHandlers, HandlerContext } from '../domain.js'
import { routes } from '../generated/routes.js'
import { createRouter, type Router } from '../router.js'

/** Where the router sends a request. */
export type Target =
  | {
      kind: 'api'
      route: RouteDigest
      /** undefined: under a served prefix but not implemented (a 501) */
      handler: ((ctx: HandlerContext) => unknown) | undefined
      raise: NonNullable<DomainEvents[keyof DomainEvents]> | undefined
    }
  | { kind: 'file'; contents: boolean }
  | { kind: 'control'; route: ControlRoute }

/** Path prefix of the controls. */
export const CONTROL_PREFIX = '/_emulator'

/**
 * One router for the API, files and (unless `controls` is false) the controls. Two domains serving
 * one operation, two with one name, or two control routes for one path are TypeErrors.
 */
export function buildRouter(domains: readonly AnyEmulatorDomain[], controls: boolean): Router<Target> {
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
  const prefixes = domains.flatMap((domain) => domain.prefixes)
  const router = createRouter<Target>()
  for (const route of routes) {
    // an operation outside every domain's prefixes is unknown (404), as an unknown path
    if (!prefixes.some((prefix) => route.path.startsWith(prefix))) continue
    router.add(route.method, route.path, { kind: 'api', route, handler: handlers.get(route.id), raise: events.get(route.id) })
  }
  // Stripe serves contents from files.stripe.com; the emulator on its own origin
  router.add('GET', '/v1/files/{file}', { kind: 'file', contents: false })
  router.add('GET', '/v1/files/{file}/contents', { kind: 'file', contents: true })
  if (controls) {
    const table = [...(coreControlRoutes as readonly ControlRoute[]), ...domains.flatMap((domain) => domain.controlRoutes ?? [])]
    for (const route of table) router.add(route.method, CONTROL_PREFIX + route.path, { kind: 'control', route })
  }
  return router
}
