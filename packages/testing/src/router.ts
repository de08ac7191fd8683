// The one router of the emulator: API operations, file downloads and the `/_emulator/*` controls are
// added to the same table and matched the same way, so a malformed path answers alike everywhere
// (a 400 in Stripe's error shape) and an unknown one too (a 404, `resource_missing`). The shape is
// hono's `Router<T>` (`add` + `match`).
import type { RouteDigest } from './digest-types.js'
import { invalidRequest } from './errors.js'

export interface RouteMatch<T> {
  value: T
  /** decoded `{name}` segments of the path */
  pathParams: Record<string, string>
}

export interface Router<T> {
  /** Adds a route: `path` with `{name}` segments; the same method and path twice is a TypeError. */
  add(method: string, path: string, value: T): void
  /**
   * The route for a method and path (literal segments win over `{param}` ones), or undefined.
   * A path segment that is not valid percent-encoding is a 400 `EmulatorError`.
   */
  match(method: string, path: string): RouteMatch<T> | undefined
}

interface Pattern<T> {
  value: T
  regex: RegExp
  names: string[]
}

/* @__NO_SIDE_EFFECTS__ */
export function createRouter<T>(): Router<T> {
  // paths without `{param}`: one map lookup; the others by method, fewest params first
  const literal = new Map<string, T>()
  const patterns = new Map<string, Pattern<T>[]>()
  const seen = new Set<string>()
  return {
    add(method, path, value) {
      const key = `${method} ${path.replace(/\{[^}]+\}/g, '{}')}`
      if (seen.has(key)) throw new TypeError(`createEmulator: two routes for ${key}`)
      seen.add(key)
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string)
      if (!names.length) {
        literal.set(`${method} ${path}`, value)
        return
      }
      const source = path
        .split(/\{[^}]+\}/)
        .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
        .join('([^/]+)')
      const list = patterns.get(method) ?? []
      list.push({ value, regex: new RegExp(`^${source}$`), names })
      list.sort((a, b) => a.names.length - b.names.length)
      patterns.set(method, list)
    },
    match(method, path) {
      const exact = literal.get(`${method} ${path}`)
      if (exact !== undefined) return { value: exact, pathParams: {} }
      for (const { value, regex, names } of patterns.get(method) ?? []) {
        const found = regex.exec(path)
        if (!found) continue
        const pathParams: Record<string, string> = {}
        names.forEach((name, index) => {
          pathParams[name] = decodeSegment(found[index + 1] as string, path)
        })
        return { value, pathParams }
      }
      return undefined
    },
  }
}

function decodeSegment(segment: string, path: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw invalidRequest(`Invalid request URL: ${path} is not valid percent-encoding.`, undefined, undefined, 400)
  }
}

/** The 404 of a path no route serves, as Stripe answers it. */
export function unrecognizedURL(method: string, path: string) {
  return invalidRequest(
    `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    undefined,
    'resource_missing',
    404,
  )
}

/** A router of the spec's operations (the test fixture server's). */
export function compileRoutes(routes: readonly RouteDigest[]): Router<RouteDigest> {
  const router = createRouter<RouteDigest>()
  for (const route of routes) router.add(route.method, route.path, route)
  return router
}

/** Finds the operation for a method and path in `compileRoutes`' router. */
export function matchRoute(
  router: Router<RouteDigest>,
  method: string,
  path: string,
): { route: RouteDigest; pathParams: Record<string, string> } | undefined {
  const match = router.match(method, path)
  return match && { route: match.value, pathParams: match.pathParams }
}
