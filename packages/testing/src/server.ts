/// <reference types="node" />
// `@edgestripe/testing/server` (Node only): the emulator served over HTTP by node:http — the API,
// `/v1/files/{id}/contents` and the `/_emulator/*` controls on one origin.
import { lookup } from 'node:dns/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import type { AnyEmulatorDomain, ControlsOf } from './domain.js'
import type { DefaultDomains } from './domains/index.js'
import { type CreateEmulatorOptions, createEmulator, type Emulator } from './emulator.js'
import { API_VERSION } from './generated/routes.js'
import { type AllowedHosts, hostRefusedMessage, isHostAllowed } from './host-check.js'
import { baseHeaders } from './http.js'
import { startClockScheduler } from './scheduler.js'
import { DEFAULT_LIMITS } from './state.js'

// --- `--persist DIR`: the emulator on SQLite (persistent-emulator.ts) ---
export {
  createPersistentEmulator,
  PersistError,
  type PersistentEmulator,
  type PersistentEmulatorOptions,
} from './persistent-emulator.js'

/** Port of `startEmulatorServer` and `edgestripe-emulator` when none is given (stripe-mock has 12111/12112). */
export const DEFAULT_PORT = 12180

/**
 * `port` and `host` plus the emulator's options (`now`, `clock`, `reportRunDelay`, `maxRequestBytes`,
 * …), which default as in `createEmulator` (a `manual` clock: the caller holds
 * `server.emulator.control`). `maxRequestBytes` (default `DEFAULT_LIMITS.maxRequestBytes`, 1 MiB)
 * is also the server's own limit: it stops reading a body that goes over.
 */
export interface EmulatorServerOptions<Domains extends readonly AnyEmulatorDomain[] = DefaultDomains>
  extends CreateEmulatorOptions<Domains> {
  /** 0 picks a free port (default {@link DEFAULT_PORT}) */
  port?: number
  /** interface to listen on (default `127.0.0.1`) */
  host?: string
  /** serve this emulator instead of creating one (the other emulator options are then unused) */
  emulator?: Emulator<ControlsOf<Domains>>
  /**
   * `Host` headers answered besides loopback names (localhost, *.localhost, 127.x.x.x, [::1]) and
   * `host`: exact names, `.domain` for a domain and its subdomains, or `true` for any (DNS
   * rebinding protection off). Others get a 403 (host-check.ts).
   */
  allowedHosts?: AllowedHosts
  /**
   * On the `real` clock (the emulator's, given or made), a timer runs what comes due by itself —
   * report runs finishing, webhook retries and delayed deliveries — with no request (scheduler.ts;
   * unref'd, cleared by `close()`). Default true; unused with the `manual` clock.
   */
  scheduler?: boolean
}

export interface EmulatorServer<Controls extends object = ControlsOf<DefaultDomains>> {
  /** `http://host:port`, the origin of file URLs and of the same-origin `/_emulator/*` controls */
  url: string
  port: number
  emulator: Emulator<Controls>
  /** stops listening and drops open connections */
  close(): Promise<void>
}

/** Methods the server hands to the emulator (PUT: `PUT /_emulator/snapshot`); anything else is a 405 (TRACE, PATCH, CONNECT, …). */
const METHODS = /* @__PURE__ */ new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'])
const ALLOW = 'GET, HEAD, POST, PUT, DELETE, OPTIONS'

/**
 * An origin-form request target (RFC 9112 §3.2.1): a path of RFC 3986 path characters with valid
 * percent escapes, then an optional query (brackets allowed there: `expand[]=…` as curl sends it).
 */
const PATH = /^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/
const QUERY = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?[\]]|%[0-9A-Fa-f]{2})*$/

/** The request's URL against `origin`, or undefined when the target is not a valid origin-form. */
export function requestURL(target: string, origin: string): URL | undefined {
  const q = target.indexOf('?')
  const path = q < 0 ? target : target.slice(0, q)
  const query = q < 0 ? '' : target.slice(q + 1)
  if (!PATH.test(path) || !QUERY.test(query)) return undefined
  try {
    // origin + target, not new URL(target, origin): `//host/…` must stay a path on this origin
    const url = new URL(origin + target)
    return url.origin === origin ? url : undefined
  } catch {
    return undefined
  }
}

/** A Stripe-shaped error answer written by the server itself (the request never reached the emulator). */
function refuse(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  const headers: Record<string, string> = { ...extra, 'Content-Type': 'application/json' }
  baseHeaders(API_VERSION).forEach((value, name) => {
    headers[name] = value
  })
  const body = `${JSON.stringify({ error: { type: 'invalid_request_error', message } }, null, 2)}\n`
  headers['Content-Length'] = String(Buffer.byteLength(body))
  res.writeHead(status, headers)
  res.end(body)
}

function tooLarge(res: ServerResponse, req: IncomingMessage, limit: number): void {
  // stop reading: nothing more of the body is taken in, and the connection closes once the answer is out
  req.pause()
  res.on('finish', () => req.socket.destroySoon())
  refuse(res, 413, `Request body too large: the emulator accepts at most ${limit} bytes (maxRequestBytes).`, { Connection: 'close' })
}

/** The declared Content-Length, when there is one. */
function declaredLength(req: IncomingMessage): number | undefined {
  const value = req.headers['content-length']
  return value === undefined ? undefined : Number(value)
}

/** Reads the body up to `limit` bytes; `undefined` once it goes over (reading stops there). */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = []
    let size = 0
    const done = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', reject)
    }
    const onData = (chunk: Uint8Array) => {
      size += chunk.byteLength
      if (size > limit) {
        done()
        req.pause()
        resolve(undefined)
      } else chunks.push(chunk)
    }
    const onEnd = () => {
      done()
      resolve(Buffer.concat(chunks, size))
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', reject)
  })
}

function toRequest(req: IncomingMessage, method: string, url: URL, body: Uint8Array<ArrayBuffer>, signal: AbortSignal): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item)
    else if (value !== undefined) headers.set(name, value)
  }
  const hasBody = method !== 'GET' && method !== 'HEAD'
  return new Request(url, { method, headers, body: hasBody ? body : undefined, signal })
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    headers[name] = value
  })
  res.writeHead(response.status, headers)
  if (!response.body) return void res.end()
  const reader = response.body.getReader()
  for (;;) {
    // a body that errors (the `truncate` fault) rejects here: the caller destroys the socket after
    // what was already flushed, so the client sees the body stop part-way
    const { done, value } = await reader.read()
    if (done) break
    await new Promise<void>((resolve, reject) => res.write(value, (error) => (error ? reject(error) : resolve())))
  }
  res.end()
}

/** Serves one request; never throws: every request gets an answer or (a fault) a dropped connection. */
async function serveRequest(
  emulator: Pick<Emulator<object>, 'fetch'>,
  origin: string,
  limit: number,
  req: IncomingMessage,
  res: ServerResponse,
  hosts: { allowed?: AllowedHosts; listen: string },
): Promise<void> {
  const method = req.method ?? 'GET'
  // emu-safety: DNS rebinding: only loopback or configured `Host`s (host-check.ts)
  if (!isHostAllowed(req.headers.host, hosts.allowed, hosts.listen)) return refuse(res, 403, hostRefusedMessage(req.headers.host))
  if (!METHODS.has(method)) {
    return refuse(res, 405, `Unsupported request method (${method}). The emulator answers ${ALLOW}.`, { Allow: ALLOW })
  }
  const url = requestURL(req.url ?? '', origin)
  if (!url) return refuse(res, 400, `Invalid request target: ${JSON.stringify(req.url ?? '')}.`)
  const length = declaredLength(req)
  if (length !== undefined && length > limit) return tooLarge(res, req, limit)
  const body = await readBody(req, limit)
  if (!body) return tooLarge(res, req, limit)
  const aborter = new AbortController()
  res.on('close', () => aborter.abort())
  const response = await emulator.fetch(toRequest(req, method, url, body, aborter.signal))
  await writeResponse(response, res)
}

/** `expect: 100-continue` with a body over the limit: the 413 comes before any of it is sent. */
function checkContinue(req: IncomingMessage, res: ServerResponse, limit: number, next: () => void): void {
  const length = declaredLength(req)
  if (length !== undefined && length > limit) tooLarge(res, req, limit)
  else {
    res.writeContinue()
    next()
  }
}

/** Answer on a raw socket (CONNECT, or a request Node's parser refused). */
function rawAnswer(socket: Duplex, status: string, extra = ''): void {
  if (!socket.writable) return void socket.destroy()
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n${extra}\r\n`)
}

/**
 * Every address a webhook endpoint's host name resolves to (the emulator refuses the delivery when
 * one is private: webhook-target.ts). The fetch that follows resolves again; a name that changes
 * its answer in between is not caught.
 */
export async function resolveWebhookHost(hostname: string): Promise<readonly string[]> {
  const addresses = await lookup(hostname, { all: true, verbatim: true })
  return addresses.map((entry) => entry.address)
}

function hostForURL(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}

/**
 * Starts the emulator over HTTP on `host` (default 127.0.0.1) and `port` (default
 * {@link DEFAULT_PORT}; 0 → any free port). Rejects with the listen error (`EADDRINUSE`, …).
 */
export function startEmulatorServer<const Domains extends readonly AnyEmulatorDomain[] = DefaultDomains>(
  options: EmulatorServerOptions<Domains> = {},
): Promise<EmulatorServer<ControlsOf<Domains>>> {
  const { port = DEFAULT_PORT, host = '127.0.0.1', emulator: given, allowedHosts, scheduler: timers = true, ...emulatorOptions } = options
  const emulator = given ?? createEmulator<Domains>({ webhookResolve: resolveWebhookHost, ...emulatorOptions })
  const limit = emulatorOptions.maxRequestBytes ?? DEFAULT_LIMITS.maxRequestBytes
  let origin = ''
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    serveRequest(emulator, origin, limit, req, res, { allowed: allowedHosts, listen: host }).catch(() => {
      // an injected `reset` or `truncate` fault (also `after: 'process'`: the request was handled
      // first), a client gone during a `delayMs`, or a body that broke off: drop the connection like
      // a network failure
      res.socket?.destroy()
    })
  }
  const server = createServer(handle)
  server.on('checkContinue', (req, res) => checkContinue(req, res, limit, () => handle(req, res)))
  server.on('connect', (_req, socket: Duplex) => rawAnswer(socket, '405 Method Not Allowed', `Allow: ${ALLOW}\r\n`))
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'HPE_INVALID_METHOD') rawAnswer(socket, '405 Method Not Allowed', `Allow: ${ALLOW}\r\n`)
    else if (error.code === 'HPE_HEADER_OVERFLOW') rawAnswer(socket, '431 Request Header Fields Too Large')
    else if (error.code === 'ECONNRESET') socket.destroy()
    else rawAnswer(socket, '400 Bad Request')
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      // later server errors (EMFILE on accept, …) must not kill the process the emulator runs in
      server.on('error', (error) => console.error(`edgestripe emulator: ${error.message}`))
      const actual = (server.address() as AddressInfo).port
      origin = `http://${hostForURL(host)}:${actual}`
      // the real clock's hand: due work runs with no request (undefined on a manual clock)
      const scheduler = timers ? startClockScheduler(emulator) : undefined
      resolve({
        url: origin,
        port: actual,
        emulator,
        close: () =>
          new Promise<void>((done, fail) => {
            scheduler?.stop()
            server.close((error) => (error ? fail(error) : done()))
            server.closeAllConnections()
          }),
      })
    })
  })
}
