// Local Stripe emulator over HTTP: `pnpm emulator --port 12111` (flags: see USAGE). Serves the API, files and
// `/_emulator/*` controls of @edgestripe/testing on 127.0.0.1 with node:http.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { createEmulator, type Emulator, type EmulatorOptions } from '../packages/testing/src/index.js'

/**
 * `port` plus the emulator's options (`now`, `clock`, `reportRunDelay`, …), which default as in
 * `createEmulator` (a `manual` clock: the caller holds `emulator.control`). `pnpm emulator` maps its
 * flags onto these, with `clock: 'real'` by default (see `parseEmulatorArgs`).
 */
export interface EmulatorServerOptions extends EmulatorOptions {
  /** port on 127.0.0.1; 0 picks a free one (default 12111) */
  port?: number
}

export interface EmulatorServer {
  url: string
  port: number
  emulator: Emulator
  close(): Promise<void>
}

function toRequest(message: IncomingMessage, origin: string, signal: AbortSignal): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(message.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item)
    else if (value !== undefined) headers.set(name, value)
  }
  const method = message.method ?? 'GET'
  const hasBody = method !== 'GET' && method !== 'HEAD'
  return new Request(new URL(message.url ?? '/', origin), {
    method,
    headers,
    body: hasBody ? (Readable.toWeb(message) as ReadableStream<Uint8Array>) : undefined,
    // @ts-expect-error Node's fetch needs `duplex` for streamed request bodies
    duplex: hasBody ? 'half' : undefined,
    signal,
  })
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

/** Starts the emulator on 127.0.0.1 (port 0 → any free port). */
export function startEmulatorServer(options: EmulatorServerOptions = {}): Promise<EmulatorServer> {
  const { port = 12111, ...emulatorOptions } = options
  const emulator = createEmulator(emulatorOptions)
  const server = createServer((req, res) => {
    const aborter = new AbortController()
    res.on('close', () => aborter.abort())
    const address = server.address() as AddressInfo
    const origin = `http://127.0.0.1:${address.port}`
    emulator
      .fetch(toRequest(req, origin, aborter.signal))
      .then((response) => writeResponse(response, res))
      .catch(() => {
        // an injected `reset` or `truncate` fault (also `after: 'process'`: the request was handled first), or a
        // client gone during a `delayMs`: drop the connection like a network failure
        res.socket?.destroy()
      })
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      const actual = (server.address() as AddressInfo).port
      resolve({
        url: `http://127.0.0.1:${actual}`,
        port: actual,
        emulator,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()))
            server.closeAllConnections()
          }),
      })
    })
  })
}

const USAGE = `Usage: pnpm emulator [--port N] [--clock real|manual] [--now UNIX_SECONDS] [--report-run-delay SECONDS]
  --port N                     port on 127.0.0.1, 0 = any free one (default 12111)
  --clock real|manual          real (default): emulator time follows the wall clock from start, so
                               report runs finish by themselves; manual: time moves only through
                               POST /_emulator/advance
  --now UNIX_SECONDS           emulator time at start (default: the wall clock)
  --report-run-delay SECONDS   how long a report run stays pending, in emulator seconds (default 5)`

/** Options of `pnpm emulator`, as `startEmulatorServer` takes them. The CLI defaults to the `real` clock. */
export function parseEmulatorArgs(argv: readonly string[]): EmulatorServerOptions {
  const options: EmulatorServerOptions = { port: 12111, clock: 'real' }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') continue
    if (arg === '--help' || arg === '-h') throw new Error(USAGE)
    const eq = arg.indexOf('=')
    const name = eq >= 0 ? arg.slice(0, eq) : arg
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i]
    if (value === undefined) throw new Error(`${name} needs a value.\n${USAGE}`)
    const integer = (min: number, max: number) => {
      const n = Number(value)
      if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new Error(`Invalid ${name}: ${value}`)
      return n
    }
    if (name === '--port') options.port = integer(0, 65535)
    else if (name === '--now') options.now = integer(0, 253_402_300_799)
    else if (name === '--report-run-delay') options.reportRunDelay = integer(0, 31_536_000)
    else if (name === '--clock') {
      if (value !== 'real' && value !== 'manual') throw new Error(`Invalid --clock: ${value} (real or manual)`)
      options.clock = value
    } else throw new Error(`Unknown option ${name}.\n${USAGE}`)
  }
  return options
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let options: EmulatorServerOptions
  try {
    options = parseEmulatorArgs(process.argv.slice(2))
  } catch (error) {
    console.error((error as Error).message)
    process.exit(2)
  }
  const server = await startEmulatorServer(options)
  const { control } = server.emulator
  const now = new Date(control.now() * 1000).toISOString()
  console.log(`Stripe emulator listening on ${server.url} (controls under ${server.url}/_emulator/)`)
  console.log(
    `Clock: ${options.clock} from ${now}; report runs succeed after ${options.reportRunDelay ?? 5} s${options.clock === 'real' ? '' : ' of advanced time'}.`,
  )
  const stop = () => {
    server.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
