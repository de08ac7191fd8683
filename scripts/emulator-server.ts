// Local Stripe emulator over HTTP: `pnpm emulator --port 12111`. Serves the API, files and
// `/_emulator/*` controls of @edgestripe/testing on 127.0.0.1 with node:http.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { createEmulator, type Emulator, type EmulatorOptions } from '../packages/testing/src/index.js'

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
    const { done, value } = await reader.read()
    if (done) break
    res.write(value)
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
        // an injected `reset` fault (or an aborted request): drop the connection like a network failure
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

function parsePort(argv: string[]): number {
  const index = argv.findIndex((arg) => arg === '--port' || arg.startsWith('--port='))
  if (index < 0) return 12111
  const arg = argv[index] as string
  const value = arg.includes('=') ? arg.split('=')[1] : argv[index + 1]
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid --port: ${value}`)
  return port
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startEmulatorServer({ port: parsePort(process.argv.slice(2)) })
  console.log(`Stripe emulator listening on ${server.url} (controls under ${server.url}/_emulator/)`)
  const stop = () => {
    server.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
