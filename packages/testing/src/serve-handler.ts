import type { Emulator } from './emulator.js'
import { API_VERSION } from './generated/routes.js'
import { type AllowedHosts, hostRefusedMessage, isHostAllowed } from './host-check.js'
import { baseHeaders, jsonResponse } from './http.js'

export interface ServeHandlerOptions {
  /**
   * `Host`s answered besides loopback names (localhost, *.localhost, 127.x.x.x, [::1]): exact names,
   * `.domain` for a domain and its subdomains, or `true` for any (a deployed Worker whose host is
   * its own). Others get a 403: a web page cannot reach the emulator through DNS rebinding.
   */
  allowedHosts?: AllowedHosts
}

/**
 * The emulator as a server's request handler, `(request) => Promise<Response>`:
 * `Deno.serve({ port: 0 }, serveHandler(emulator))`, `Bun.serve({ fetch: serveHandler(emulator) })`,
 * a Worker's `fetch`. What those servers pass after the request (Deno's `info`, a Worker's `env` and
 * `ctx`) is dropped. (`emulator.fetch` itself recognises Deno's `info`; a Worker's `env` it would take
 * for a `RequestInit`.) Requests whose `Host` (else the URL's host) is not loopback or allowed are
 * refused with a 403, as `startEmulatorServer` does.
 */
/* @__NO_SIDE_EFFECTS__ */
export function serveHandler(
  emulator: Pick<Emulator, 'fetch'>,
  options: ServeHandlerOptions = {},
): (request: Request) => Promise<Response> {
  return (request) => {
    const host = request.headers.get('Host') ?? new URL(request.url).host
    if (!isHostAllowed(host, options.allowedHosts)) {
      const error = { type: 'invalid_request_error', message: hostRefusedMessage(host) }
      return Promise.resolve(jsonResponse(403, { error }, baseHeaders(API_VERSION)))
    }
    return emulator.fetch(request)
  }
}
