// The inspector page's static files (`/_emulator/ui/`, `/_emulator/ui/<object id>`, its script and
// stylesheet), embedded at build time (generated/inspector-assets.ts, loaded only when asked for)
// and served with a strict CSP: scripts and styles from this origin only, no inline script, no
// framing. The page itself holds no data; it reads `/_emulator/ui/api/…`.

export const INSPECTOR_PREFIX = '/_emulator/ui'

/** Whether a path is the inspector's (page, assets or data). */
export function isInspectorPath(pathname: string): boolean {
  return pathname === INSPECTOR_PREFIX || pathname.startsWith(`${INSPECTOR_PREFIX}/`)
}

/** Whether a path is one of the page's static files (not its data API). */
export function isInspectorPagePath(pathname: string): boolean {
  return isInspectorPath(pathname) && !pathname.startsWith(`${INSPECTOR_PREFIX}/api/`)
}

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

function plain(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extra } })
}

/**
 * Answers a request for the page: `/_emulator/ui` redirects to `/_emulator/ui/`; `inspector.js` and
 * `inspector.css` are the built files; any other path under it is the page (a deep link to an
 * object: the page reads the id from its URL). GET and HEAD only; revalidated by ETag.
 */
export async function serveInspectorPage(request: Request, url: URL): Promise<Response> {
  const method = request.method.toUpperCase()
  if (method !== 'GET' && method !== 'HEAD') return plain(405, 'Method not allowed', { Allow: 'GET, HEAD' })
  if (url.pathname === INSPECTOR_PREFIX)
    return new Response(null, { status: 308, headers: { Location: `${INSPECTOR_PREFIX}/${url.search}` } })
  const { INSPECTOR_ASSETS } = await import('../generated/inspector-assets.js')
  const name = url.pathname.slice(INSPECTOR_PREFIX.length + 1)
  const asset = Object.hasOwn(INSPECTOR_ASSETS, name) && name !== 'index.html' ? INSPECTOR_ASSETS[name] : INSPECTOR_ASSETS['index.html']
  if (!asset) return plain(404, 'Not found')
  const headers = { ...SECURITY_HEADERS, 'Content-Type': asset.type, 'Cache-Control': 'no-cache', ETag: asset.etag }
  if (request.headers.get('If-None-Match') === asset.etag) return new Response(null, { status: 304, headers })
  return new Response(method === 'HEAD' ? null : asset.body, { status: 200, headers })
}
