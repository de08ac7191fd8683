import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the server does with one request. */
export type Step =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { reset: true }
  | { stallBody: true; status?: number }
  | { stallHeaders: true }

export interface SeenRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

/**
 * A loopback server that answers from a script of steps (then 200 `{ id: 'obj_ok' }`), records
 * every request, and can reset connections or stall mid-body.
 */
export async function startFaultServer() {
  const seen: SeenRequest[] = []
  let script: Step[] = []
  const open = new Set<ServerResponse>()
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      const step = script.shift() ?? { status: 200, body: { id: 'obj_ok', object: 'thing' } }
      const requestId = `req_${seen.length}`
      if ('reset' in step) return req.socket.destroy()
      if ('stallHeaders' in step) return void open.add(res)
      if ('stallBody' in step) {
        res.writeHead(step.status ?? 200, { 'content-type': 'application/json', 'request-id': requestId })
        res.write('{"id": "obj_')
        open.add(res)
        return
      }
      res.writeHead(step.status, { 'content-type': 'application/json', 'request-id': requestId, ...step.headers })
      res.end(typeof step.body === 'string' ? step.body : JSON.stringify(step.body ?? {}))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    script(steps: Step[]) {
      script = [...steps]
      seen.length = 0
    },
    async close() {
      for (const res of open) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
