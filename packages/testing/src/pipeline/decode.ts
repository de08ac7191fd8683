// Stage 1, decode: what `emulator.fetch` was given → one `Request`, and the target it names.
import { API_VERSION } from '../generated/routes.js'

/** What `Deno.serve` passes a handler after the request (not a `RequestInit`; ignored). */
export interface ServeHandlerInfo {
  readonly remoteAddr: unknown
  readonly completed?: Promise<void>
}

/** The request as the later stages read it. */
export interface DecodedRequest {
  request: Request
  url: URL
  /** upper case */
  method: string
  /** the `Stripe-Version` asked for (default: the emulator's API version) */
  stripeVersion: string
  /** the caller's signal: an abort rejects a held (delayed) answer as fetch would */
  signal: AbortSignal | undefined
}

/**
 * `fetch(input, init)` arguments → a `Request` (relative URLs resolve against a placeholder origin)
 * and the caller's signal, kept beside it: Node 20's `new Request(url, { signal })` follows the
 * signal in a way that holds ~2 KiB per request past `gc()` (an SDK gives every attempt its own
 * signal), so the emulator's own `Request` is made without it.
 */
export function toRequest(
  input: Request | string | URL,
  second?: RequestInit | ServeHandlerInfo,
): { request: Request; signal: AbortSignal | undefined } {
  const init = second && 'remoteAddr' in second ? undefined : (second as RequestInit | undefined)
  if (input instanceof Request && !init) return { request: input, signal: input.signal }
  const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined
  const request = new Request(
    typeof input === 'string' || input instanceof URL ? absolute(input) : input,
    init && { ...init, signal: undefined },
  )
  return { request, signal }
}

export function decodeRequest({ request, signal }: { request: Request; signal: AbortSignal | undefined }): DecodedRequest {
  return {
    request,
    url: new URL(request.url),
    method: request.method.toUpperCase(),
    stripeVersion: request.headers.get('Stripe-Version') || API_VERSION,
    signal,
  }
}

/** Relative URLs resolve against a placeholder origin so `fetch('/v1/…')` works. */
function absolute(input: string | URL): string | URL {
  if (input instanceof URL) return input
  return /^[a-z][a-z0-9+.-]*:/i.test(input) ? input : new URL(input, 'http://emulator.local').toString()
}
