// Who may call the API from a web page on another origin. The model: Vite's 2025 dev-server
// hardening (CORS limited to origins the user allows). A page a developer has open while the
// emulator runs must not read or move its objects: a cross-origin request is answered only when
// it uses a publishable key (what a browser page legitimately sends, as with Stripe.js) or comes
// from an origin the user allowed (`corsOrigins`, `--cors-origin`). `/_emulator/*` controls are
// never answered cross-origin (control-http.ts). `Access-Control-Allow-Origin` is never `*`.

import { CORS_ALLOW_HEADERS, CORS_EXPOSE_HEADERS } from './http.js'

/** Origins allowed to call the API with any key: exact origins (`http://localhost:5173`) or patterns. */
export type CorsOrigins = readonly (string | RegExp)[]

/** What to do with one API request, by its `Origin`. */
export type CorsDecision =
  /** no `Origin`, or the emulator's own: not a cross-origin call, no CORS headers */
  | { kind: 'same-origin' }
  /** an allowed origin: answered for any key, `Access-Control-Allow-Origin` is that origin */
  | { kind: 'allowed'; origin: string }
  /** another origin: answered only with a publishable key */
  | { kind: 'publishable-only'; origin: string }

/** The origin of an entry (`http://localhost:5173/` → `http://localhost:5173`); the entry itself when not a URL. */
function normalizeOrigin(entry: string): string {
  try {
    return new URL(entry).origin
  } catch {
    return entry
  }
}

/** Whether `origin` is among the allowed ones. */
export function isOriginAllowed(origin: string, allowed: CorsOrigins = []): boolean {
  for (const entry of allowed) {
    if (typeof entry === 'string' ? normalizeOrigin(entry) === origin : entry.test(origin)) return true
  }
  return false
}

/**
 * Classifies a request by its `Origin` header: none, or the request's own origin (also when it
 * names the request's `Host`), is same-origin.
 */
export function corsDecision(request: Request, url: URL, allowed: CorsOrigins = []): CorsDecision {
  const origin = request.headers.get('Origin')
  if (origin === null) return { kind: 'same-origin' }
  if (origin === url.origin) return { kind: 'same-origin' }
  const host = request.headers.get('Host')
  if (host !== null) {
    try {
      if (new URL(origin).host === host.toLowerCase()) return { kind: 'same-origin' }
    } catch {}
  }
  return isOriginAllowed(origin, allowed) ? { kind: 'allowed', origin } : { kind: 'publishable-only', origin }
}

/** The key of an `Authorization` header is a publishable one (`Bearer pk_…`, or Basic with `pk_…` as user). */
export function isPublishableAuthorization(header: string | null): boolean {
  if (!header) return false
  const [scheme = '', value = ''] = header.trim().split(/\s+/)
  if (scheme.toLowerCase() === 'bearer') return value.startsWith('pk_')
  if (scheme.toLowerCase() === 'basic') {
    try {
      return atob(value).startsWith('pk_')
    } catch {
      return false
    }
  }
  return false
}

/** Message of the 403 for a cross-origin call with a secret or restricted key (or none). */
export function crossOriginRefusedMessage(origin: string): string {
  return (
    `Cross-origin request from ${origin} refused: a web page on another origin may call the emulator only with a ` +
    'publishable key (pk_test_…). Allow this origin for every key with --cors-origin ORIGIN ' +
    '(createEmulator({ corsOrigins: [...] })).'
  )
}

/** CORS headers of an answer to an allowed cross-origin request (never `*`: the origin itself). */
export function applyCorsHeaders(headers: Headers, origin: string): void {
  headers.set('Access-Control-Allow-Origin', origin)
  headers.set('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS)
  headers.append('Vary', 'Origin')
}

/**
 * Answer to an API preflight. The preflight carries no key, so any origin may send the actual
 * request (a publishable-key call is answered); the actual request is checked for its key.
 * The allowed origin is echoed, never `*`.
 */
export function corsPreflightHeaders(request: Request, headers: Headers, decision: CorsDecision): void {
  if (decision.kind === 'same-origin') return
  applyCorsHeaders(headers, decision.origin)
  headers.set('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS')
  const requested = request.headers.get('Access-Control-Request-Headers')
  headers.set('Access-Control-Allow-Headers', requested ? `${CORS_ALLOW_HEADERS}, ${requested}` : CORS_ALLOW_HEADERS)
  headers.set('Access-Control-Max-Age', '600')
}
