// Safe on a developer's machine (issue 19, item 3): what a web page on another origin, a rebinding
// `Host` and a hostile webhook endpoint can NOT do. No test here sends a packet to a non-loopback
// address: refusals are proved with an injected `webhookFetch` that fails the test if called.
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isHostAllowed } from '../src/host-check.js'
import { createEmulator, DEFAULT_NOW, type Emulator, serveHandler } from '../src/index.js'
import { type EmulatorServer, startEmulatorServer } from '../src/server.js'
import { urlRefusal } from '../src/webhook-target.js'
import { call, ORIGIN } from './helpers.js'

const PAGE = 'http://evil.example'

const financialAccount = (emulator: Emulator) =>
  emulator.fetch(`${ORIGIN}/v1/treasury/financial_accounts`, {
    method: 'POST',
    headers: { Authorization: 'Bearer sk_test_1', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'supported_currencies[0]=usd',
  })

/** Requests that reached the transport below (must stay empty: each test checks it). */
let sentAnyway: string[] = []

/** A webhook transport that fails the test if anything is ever sent through it (recorded and thrown). */
const noNetwork = (): typeof fetch => (input) => {
  sentAnyway.push(String(input instanceof Request ? input.url : input))
  throw new Error('a packet would have been sent')
}

describe('a page on another origin', () => {
  it('cannot use a secret or restricted key: 403 before anything runs, no CORS headers, nothing created', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    for (const key of ['sk_test_1', 'rk_test_1']) {
      const res = await call(
        emulator,
        'POST',
        '/v1/treasury/financial_accounts',
        { supported_currencies: ['usd'] },
        { key, headers: { Origin: PAGE } },
      )
      expect(res.status).toBe(403)
      expect(res.body.error.message).toContain('--cors-origin')
      expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull()
    }
    expect(emulator.control.requests()).toEqual([])
    const list = await call(emulator, 'GET', '/v1/treasury/financial_accounts')
    expect(list.body.data).toEqual([])
  })

  it('may make publishable-key calls (as Stripe.js does), answered with its own origin, never *', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const created = await call(
      emulator,
      'POST',
      '/v1/sources',
      { type: 'ach_credit_transfer' },
      { key: 'pk_test_1', headers: { Origin: PAGE } },
    )
    expect(created.status).toBe(200)
    expect(created.headers.get('Access-Control-Allow-Origin')).toBe(PAGE)
    expect(created.headers.get('Vary')).toContain('Origin')
    const preflight = await emulator.fetch(`${ORIGIN}/v1/sources`, {
      method: 'OPTIONS',
      headers: { Origin: PAGE, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe(PAGE)
    // a secret-key-only operation with a pk: Stripe's 401, readable by the page
    const secretOnly = await call(emulator, 'GET', '/v1/treasury/financial_accounts', {}, { key: 'pk_test_1', headers: { Origin: PAGE } })
    expect(secretOnly.status).toBe(401)
  })

  it('never reaches the controls, even from an allowed origin', async () => {
    const emulator = createEmulator({ accounts: 'shared', corsOrigins: [PAGE] })
    const before = emulator.control.now()
    const advance = await emulator.fetch(`${ORIGIN}/_emulator/advance`, {
      method: 'POST',
      headers: { Origin: PAGE, Authorization: 'Bearer sk_test_1' },
      body: JSON.stringify({ seconds: 3600 }),
    })
    expect(advance.status).toBe(403)
    expect(emulator.control.now()).toBe(before)
    const preflight = await emulator.fetch(`${ORIGIN}/_emulator/snapshot`, { method: 'OPTIONS', headers: { Origin: PAGE } })
    expect(preflight.status).toBe(403)
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBeNull()
  })

  it('an origin the user allows (corsOrigins / --cors-origin) may use any key', async () => {
    const emulator = createEmulator({ accounts: 'shared', corsOrigins: ['http://localhost:5173/', /^http:\/\/127\.0\.0\.1:\d+$/] })
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:4000']) {
      const res = await call(emulator, 'GET', '/v1/treasury/financial_accounts', {}, { headers: { Origin: origin } })
      expect(res.status).toBe(200)
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe(origin)
    }
    expect(
      (await call(emulator, 'GET', '/v1/treasury/financial_accounts', {}, { headers: { Origin: 'http://localhost:5174' } })).status,
    ).toBe(403)
  })

  it('for any origin, key and path: a non-publishable cross-origin call is refused, and no answer says *  (property)', async () => {
    const emulator = createEmulator({ accounts: 'shared', corsOrigins: ['http://allowed.test'] })
    await fc.assert(
      fc.asyncProperty(
        fc.webUrl().map((url) => new URL(url).origin),
        fc.constantFrom('sk_test_1', 'rk_test_2', 'pk_test_3', ''),
        fc.constantFrom(
          'GET /v1/treasury/financial_accounts',
          'POST /v1/sources',
          'GET /v1/nope',
          'OPTIONS /v1/sources',
          'GET /_emulator/requests',
        ),
        async (origin, key, route) => {
          const [method, path] = route.split(' ') as [string, string]
          const headers: Record<string, string> = { Origin: origin }
          if (key) headers.Authorization = `Bearer ${key}`
          const res = await emulator.fetch(`${ORIGIN}${path}`, { method, headers, body: method === 'POST' ? 'type=card' : undefined })
          expect(res.headers.get('Access-Control-Allow-Origin')).not.toBe('*')
          const allowed = origin === 'http://allowed.test' || origin === ORIGIN
          if (path.startsWith('/_emulator/')) expect(res.status === 403 || allowed).toBe(true)
          else if (method !== 'OPTIONS' && !allowed && !key.startsWith('pk_')) {
            expect(res.status).toBe(403)
            expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull()
          }
        },
      ),
      { numRuns: 200 },
    )
    expect(emulator.control.requests().every((entry) => entry.path !== '/v1/treasury/financial_accounts' || entry.status !== 200)).toBe(
      true,
    )
  })
})

describe('a rebinding Host over HTTP', () => {
  let server: EmulatorServer
  beforeAll(async () => {
    server = await startEmulatorServer({ port: 0, allowedHosts: ['emulator.test', '.dev.test'] })
  })
  afterAll(() => server.close())

  /** One raw HTTP/1.1 request with exactly this Host header; resolves with the status line. */
  const withHost = (host: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(
          `GET /v1/treasury/financial_accounts HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer sk_test_1\r\nConnection: close\r\n\r\n`,
        )
      })
      let text = ''
      socket.on('data', (chunk) => {
        text += chunk
      })
      socket.on('end', () => resolve(text.split('\r\n')[0] as string))
      socket.on('error', reject)
    })

  it('refuses a Host that is neither a loopback name nor allowed (403), before the emulator sees it', async () => {
    server.emulator.control.clearRequests()
    for (const host of [
      `evil.example:${server.port}`,
      'evil.example',
      `attacker.localhost.evil.example:${server.port}`,
      '10.0.0.1',
      'emulator.test.evil',
    ]) {
      expect(await withHost(host)).toBe('HTTP/1.1 403 Forbidden')
    }
    expect(server.emulator.control.requests()).toEqual([])
  })

  it('answers loopback names and the allowed hosts', async () => {
    for (const host of [
      `127.0.0.1:${server.port}`,
      `localhost:${server.port}`,
      'app.localhost',
      '[::1]',
      'emulator.test',
      'a.dev.test:1',
      'dev.test',
    ]) {
      expect(await withHost(host)).toBe('HTTP/1.1 200 OK')
    }
  })

  it('for any host name outside loopback and the allowed list, isHostAllowed is false (property)', () => {
    fc.assert(
      fc.property(fc.domain(), fc.option(fc.integer({ min: 1, max: 65535 })), (domain, port) => {
        fc.pre(domain !== 'localhost' && !domain.endsWith('.localhost'))
        expect(isHostAllowed(port === null ? domain : `${domain}:${port}`, ['allowed.test'])).toBe(false)
      }),
    )
  })
})

describe('webhook endpoints on private addresses', () => {
  beforeAll(() => {
    sentAnyway = []
  })
  afterAll(() => {
    expect(sentAnyway).toEqual([])
  })

  const privateUrls = [
    'http://10.0.0.1/hook',
    'http://0x0a000001/hook', // 10.0.0.1 spelled another way
    'http://192.168.1.1/hook',
    'http://172.16.0.5/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[fd00:ec2::254]/',
    'http://[fe80::1]/',
    'http://[::ffff:10.0.0.1]/',
    'http://0.0.0.0:8080/',
    'http://100.64.0.1/',
    'http://metadata.google.internal/',
  ]

  it('an endpoint on 10.0.0.1 (and the other private, link-local and metadata ranges) is refused at registration, no packet sent', async () => {
    const emulator = createEmulator({ accounts: 'shared', webhookFetch: noNetwork() })
    for (const url of privateUrls) {
      const res = await call(emulator, 'POST', '/v1/webhook_endpoints', { url, enabled_events: ['*'] })
      expect(res.status, url).toBe(400)
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: 'url', code: 'url_invalid' })
      expect(res.body.error.message).toContain('--allow-private-webhooks')
      expect(() => emulator.control.addWebhookEndpoint({ url })).toThrow(TypeError)
    }
    const ok = await call(emulator, 'POST', '/v1/webhook_endpoints', { url: 'http://127.0.0.1:9/hook', enabled_events: ['*'] })
    const update = await call(emulator, 'POST', `/v1/webhook_endpoints/${ok.body.id}`, { url: 'http://10.0.0.1/' })
    expect(update.status).toBe(400)
    expect(update.body.error.param).toBe('url')
  })

  it('for any address in a refused IPv4 range, registration is refused without sending (property)', async () => {
    const emulator = createEmulator({ accounts: 'shared', webhookFetch: noNetwork() })
    const octet = fc.integer({ min: 0, max: 255 })
    const address = fc.oneof(
      fc.tuple(fc.constant(10), octet, octet, octet),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), octet, octet),
      fc.tuple(fc.constant(192), fc.constant(168), octet, octet),
      fc.tuple(fc.constant(169), fc.constant(254), octet, octet),
      fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), octet, octet),
      fc.tuple(fc.constant(0), octet, octet, octet),
    )
    await fc.assert(
      fc.asyncProperty(address, async (parts) => {
        const res = await call(emulator, 'POST', '/v1/webhook_endpoints', { url: `http://${parts.join('.')}/hook`, enabled_events: ['*'] })
        expect(res.status).toBe(400)
        // the same address as an IPv4-mapped IPv6 literal
        expect(urlRefusal(new URL(`http://[::ffff:${parts.join('.')}]/`))).toBeDefined()
      }),
      { numRuns: 200 },
    )
  })

  it('a host name that resolves to a private address is refused at delivery, without sending', async () => {
    const resolved: string[] = []
    const emulator = createEmulator({
      accounts: 'shared',
      webhookFetch: noNetwork(),
      webhookResolve: async (hostname) => {
        resolved.push(hostname)
        return ['10.1.2.3']
      },
      webhookRetries: [],
    })
    const created = await call(emulator, 'POST', '/v1/webhook_endpoints', {
      url: 'https://rebound.example.test/hook',
      enabled_events: ['*'],
    })
    expect(created.status).toBe(200)
    await financialAccount(emulator)
    const [delivery] = await emulator.control.deliverEvents()
    expect(delivery).toMatchObject({ ok: false, status: null })
    expect(delivery?.error).toContain('rebound.example.test resolves to 10.1.2.3')
    expect(resolved).toEqual(['rebound.example.test'])
    expect(sentAnyway).toEqual([])
  })

  it('an endpoint on 10.0.0.1 that got in anyway (a snapshot from an emulator that allowed it) is refused at delivery, without sending', async () => {
    const permissive = createEmulator({ accounts: 'shared', allowPrivateWebhooks: true, webhookFetch: noNetwork() })
    expect((await call(permissive, 'POST', '/v1/webhook_endpoints', { url: 'http://10.0.0.1/hook', enabled_events: ['*'] })).status).toBe(
      200,
    )
    const strict = createEmulator({
      accounts: 'shared',
      state: JSON.parse(JSON.stringify(permissive.control.snapshot())),
      webhookFetch: noNetwork(),
      webhookRetries: [],
    })
    await financialAccount(strict)
    const [delivery] = await strict.control.deliverEvents()
    expect(delivery).toMatchObject({ ok: false, status: null })
    expect(delivery?.error).toContain('Invalid URL: http://10.0.0.1/hook is a private address (10.0.0.0/8)')
    expect(sentAnyway).toEqual([])
  })

  it('allowPrivateWebhooks (--allow-private-webhooks) lets them through', async () => {
    const sent: string[] = []
    const emulator = createEmulator({
      accounts: 'shared',
      allowPrivateWebhooks: true,
      webhookFetch: async (request) => {
        sent.push((request as Request).url)
        return new Response('ok')
      },
    })
    const created = await call(emulator, 'POST', '/v1/webhook_endpoints', { url: 'http://10.0.0.1/hook', enabled_events: ['*'] })
    expect(created.status).toBe(200)
    await financialAccount(emulator)
    expect(await emulator.control.deliverEvents()).toMatchObject([{ ok: true, status: 200 }])
    expect(sent).toEqual(['http://10.0.0.1/hook'])
  })
})

describe('hostile webhook endpoints (loopback servers)', () => {
  async function listen(handler: (res: ServerResponse, path: string) => void) {
    const server = createServer((req, res) => {
      req.resume()
      handler(res, req.url ?? '')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return {
      url,
      close: () => {
        server.closeAllConnections()
        return new Promise((resolve) => server.close(resolve))
      },
    }
  }

  it('a redirect is a failed attempt and is not followed', async () => {
    const paths: string[] = []
    const target = await listen((res, path) => {
      paths.push(path)
      if (path === '/hook') res.writeHead(302, { Location: '/elsewhere' }).end()
      else res.end('ok')
    })
    try {
      const emulator = createEmulator({ accounts: 'shared', webhookRetries: [] })
      emulator.control.addWebhookEndpoint({ url: `${target.url}/hook` })
      await financialAccount(emulator)
      expect(await emulator.control.deliverEvents()).toMatchObject([
        { ok: false, status: 302, error: 'endpoint answered 302 (redirects are not followed)' },
      ])
      expect(paths).toEqual(['/hook'])
    } finally {
      await target.close()
    }
  })

  it('an endless body: the attempt ends, and only a bounded prefix is taken in', async () => {
    let written = 0
    let closed = false
    const chunk = Buffer.alloc(64 * 1024, 120)
    const target = await listen((res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' })
      res.on('close', () => {
        closed = true
      })
      const pump = () => {
        // writes as fast as the emulator takes it in, forever
        while (!closed && res.write(chunk)) written += chunk.length
        if (!closed) {
          written += chunk.length
          res.once('drain', pump)
        }
      }
      pump()
    })
    try {
      const emulator = createEmulator({ accounts: 'shared', webhookTimeoutMs: 10_000 })
      emulator.control.addWebhookEndpoint({ url: `${target.url}/hook` })
      await financialAccount(emulator)
      const started = Date.now()
      expect(await emulator.control.deliverEvents()).toMatchObject([{ ok: true, status: 200 }])
      // well before the 10 s timeout: the read stopped at the prefix, not at the timeout
      expect(Date.now() - started).toBeLessThan(5_000)
      await expect.poll(() => closed, { timeout: 3_000 }).toBe(true)
      // what was sent before the emulator let go: the 64 KiB prefix plus socket buffers, not ~unbounded
      expect(written).toBeLessThan(16 * 1024 * 1024)
    } finally {
      await target.close()
    }
  })

  it('a stuck endpoint among ten events costs about one timeout, and the healthy endpoint gets all ten', async () => {
    const timeout = 400
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW, webhookTimeoutMs: timeout, webhookRetries: [] })
    const healthy: string[] = []
    emulator.control.addWebhookEndpoint({ handler: () => new Promise(() => {}) }) // never answers
    emulator.control.addWebhookEndpoint({
      handler: async (request) => {
        healthy.push(JSON.parse(await request.text()).id)
        return new Response('ok')
      },
    })
    for (let i = 0; i < 10; i++) await financialAccount(emulator)
    const started = Date.now()
    const deliveries = await emulator.control.deliverEvents()
    const elapsed = Date.now() - started
    expect(deliveries).toHaveLength(20)
    expect(deliveries.filter((d) => d.ok)).toHaveLength(10)
    expect(deliveries.filter((d) => d.error === `timed out after ${timeout} ms`)).toHaveLength(10)
    // one timeout (plus scheduling), where one per event would be 10 × 400 ms
    expect(elapsed).toBeGreaterThanOrEqual(timeout - 5)
    expect(elapsed).toBeLessThan(timeout * 5)
    // the healthy endpoint still receives the events in the order they happened
    const ids = emulator.control.events().map((event) => event.id)
    expect(ids).toHaveLength(10)
    expect(healthy).toEqual(ids)
  })
})

describe('serveHandler (Deno.serve, Bun.serve, a Worker) checks Host too', () => {
  it('refuses a rebinding host, answers loopback and allowed ones', async () => {
    const emulator = createEmulator()
    const strict = serveHandler(emulator)
    const auth = { headers: { Authorization: 'Bearer sk_test_1' } }
    expect((await strict(new Request('http://evil.example/v1/treasury/financial_accounts', auth))).status).toBe(403)
    expect((await strict(new Request('http://127.0.0.1:8000/v1/treasury/financial_accounts', auth))).status).toBe(200)
    expect((await strict(new Request('http://localhost:8000/v1/treasury/financial_accounts', auth))).status).toBe(200)
    const worker = serveHandler(emulator, { allowedHosts: ['.workers.dev'] })
    expect((await worker(new Request('https://emu.me.workers.dev/v1/treasury/financial_accounts', auth))).status).toBe(200)
    expect(
      emulator
        .controlFor('sk_test_1')
        .requests()
        .filter((entry) => entry.status === 200),
    ).toHaveLength(3)
  })
})
