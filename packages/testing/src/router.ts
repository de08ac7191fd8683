import type { RouteDigest } from './digest-types.js'

export interface CompiledRoute {
  route: RouteDigest
  pattern: RegExp
}

export interface RouteMatch {
  route: RouteDigest
  pathParams: Record<string, string>
}

export function compileRoutes(routes: readonly RouteDigest[]): CompiledRoute[] {
  return routes.map((route) => ({
    route,
    pattern: new RegExp(`^${route.path.replace(/\{[^}]+\}/g, '([^/]+)').replace(/\//g, '\\/')}$`),
  }))
}

/** Finds the operation for a method and path; literal segments win over `{param}` ones. */
export function matchRoute(compiled: readonly CompiledRoute[], method: string, path: string): RouteMatch | undefined {
  let best: RouteMatch | undefined
  let bestParams = Number.POSITIVE_INFINITY
  for (const { route, pattern } of compiled) {
    if (route.method !== method) continue
    const match = pattern.exec(path)
    if (!match) continue
    if (route.pathParams.length >= bestParams) continue
    const pathParams: Record<string, string> = {}
    route.pathParams.forEach((name, index) => {
      pathParams[name] = decodeURIComponent(match[index + 1] ?? '')
    })
    best = { route, pathParams }
    bestParams = route.pathParams.length
  }
  return best
}
