import type { Emulator } from './emulator.js'

/**
 * The emulator as a server's request handler, `(request) => Promise<Response>`:
 * `Deno.serve({ port: 0 }, serveHandler(emulator))`, `Bun.serve({ fetch: serveHandler(emulator) })`,
 * a Worker's `fetch`. What those servers pass after the request (Deno's `info`, a Worker's `env` and
 * `ctx`) is dropped. (`emulator.fetch` itself recognises Deno's `info`; a Worker's `env` it would take
 * for a `RequestInit`.)
 */
/* @__NO_SIDE_EFFECTS__ */
export function serveHandler(emulator: Pick<Emulator, 'fetch'>): (request: Request) => Promise<Response> {
  return (request) => emulator.fetch(request)
}
