// A real HTTP server on 127.0.0.1 (port 0) serving smoke-handler.ts. Used as a vitest
// `globalSetup` (it `provide`s `smokeURL` to the tests, which may run in another process:
// Chromium, workerd) and directly by tests that run in Node or Deno.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestProject } from 'vitest/node'
import { smokeHandler } from './smoke-handler'

export interface SmokeServer {
  url: string
  close: () => Promise<void>
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v)
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && chunks.length > 0
  return new Request(new URL(req.url ?? '/', origin), {
    method: req.method,
    headers,
    body: hasBody ? Buffer.concat(chunks) : undefined,
  })
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status
  res.setHeader('Smoke-Server', 'node-http')
  for (const [name, value] of response.headers) res.setHeader(name, value)
  res.end(Buffer.from(await response.arrayBuffer()))
}

export async function startSmokeServer(): Promise<SmokeServer> {
  const server = createServer((req, res) => {
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`
    toRequest(req, origin)
      .then(smokeHandler)
      .then((response) => send(res, response))
      .catch((error: unknown) => {
        res.statusCode = 500
        res.end(JSON.stringify({ error: { type: 'api_error', message: `smoke server: ${String(error)}` } }))
      })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  }
}

/** vitest globalSetup: one server per project run; its URL reaches tests through `inject('smokeURL')` (typed in test/vitest-context.d.ts). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startSmokeServer()
  project.provide('smokeURL', server.url)
  return server.close
}
