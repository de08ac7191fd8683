// Hostile clients of the HTTP server, over raw sockets (node:net): every request gets an answer
// (405 for methods the emulator does not serve, 400 for a target that is not a valid origin-form,
// 413 for a body over maxRequestBytes, without reading the rest of it) and the server stays up.
import { connect } from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmulatorServer, requestURL, startEmulatorServer } from '../src/server.js'
import { DEFAULT_LIMITS } from '../src/state.js'

const MAX_BODY_BYTES = DEFAULT_LIMITS.maxRequestBytes

let server: EmulatorServer

beforeAll(async () => {
  server = await startEmulatorServer({ accounts: 'shared', port: 0 })
})

afterAll(async () => {
  await server.close()
})

interface RawAnswer {
  status: number
  head: string
  body: string
}

/** Writes `raw` on a fresh connection and reads until the server closes it (or 5 s: a hang fails). */
function raw(raw: string | Uint8Array): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1')
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no answer within 5 s to ${JSON.stringify(String(raw).slice(0, 80))}`))
    }, 5000)
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', () => {})
    socket.on('close', () => {
      clearTimeout(timer)
      const text = Buffer.concat(chunks).toString('latin1')
      const end = text.indexOf('\r\n\r\n')
      const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(text)?.[1] ?? 0)
      resolve({ status, head: end < 0 ? text : text.slice(0, end), body: end < 0 ? '' : text.slice(end + 4) })
    })
    socket.write(raw)
    // half-close: the server answers what it got, then closes (Connection: close on every request)
    socket.end()
  })
}

/** The server still answers a normal request. */
async function alive(): Promise<void> {
  const res = await fetch(`${server.url}/_emulator/now`)
  expect(res.status).toBe(200)
  expect((await res.json()).now).toBe(server.emulator.control.now())
}

const SERVED = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS']

describe('every request gets an answer and the server stays up', () => {
  it('TRACE, TRACK, CONNECT, PATCH and unknown methods get a 405 with Allow', async () => {
    for (const method of ['TRACE', 'TRACK', 'PATCH', 'PROPFIND', 'M-SEARCH', 'BREW', 'FOO']) {
      const answer = await raw(`${method} /v1/sources HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)
      expect([method, answer.status]).toEqual([method, 405])
      expect(answer.head).toMatch(/\r\nallow: GET, HEAD, POST, PUT, DELETE, OPTIONS/i)
    }
    const connectAnswer = await raw('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n')
    expect(connectAnswer.status).toBe(405)
    await alive()
  })

  it('a 405 from the server itself is a Stripe-shaped error', async () => {
    const answer = await raw('TRACE /v1/sources HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    expect(answer.head).toMatch(/\r\ncontent-type: application\/json/i)
    expect(answer.head).toMatch(/\r\nrequest-id: req_/i)
    expect(JSON.parse(answer.body).error).toMatchObject({ type: 'invalid_request_error', message: expect.stringMatching(/TRACE/) })
  })

  it('an unparsable request target (GET //[, bad escapes, absolute-form elsewhere) is a 400', async () => {
    for (const target of ['//[', '/v1/%zz', '/v1/sources/src_%', '/v1/[x]', '*', 'http://other.example/v1/sources', '/a\\b', '/{x}']) {
      const answer = await raw(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)
      expect([target, answer.status]).toEqual([target, 400])
    }
    await alive()
  })

  it('brackets in the query are served (curl -g sends expand[]=… as is)', async () => {
    const answer = await raw(
      'GET /v1/treasury/financial_accounts?expand[]=data.balance&limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk_test_1\r\nConnection: close\r\n\r\n',
    )
    expect(answer.status).not.toBe(400)
  })

  it('any method and request target, however built, gets an answer (property)', async () => {
    const token = fc.stringMatching(/^[A-Z][A-Z-]{0,9}$/)
    const method = fc.oneof(fc.constantFrom(...SERVED, 'TRACE', 'TRACK', 'PATCH', 'PROPFIND', 'PURGE', 'LINK'), token)
    const validTarget = fc
      .array(fc.stringMatching(/^[A-Za-z0-9_.~-]{0,12}$/), { minLength: 1, maxLength: 4 })
      .map((segments) => `/${segments.join('/')}`)
    const anyTarget = fc.oneof(
      validTarget,
      fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 20 }),
      fc.constantFrom('//[', '/v1/%', '/%E0%A4%A', '/v1/sources?x=%zz', '/?#', '//', '/./../..'),
    )
    await fc.assert(
      fc.asyncProperty(method, anyTarget, fc.boolean(), async (m, target, withBody) => {
        const body = withBody ? 'a=1' : ''
        const head = `${m} ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${withBody ? `Content-Length: ${body.length}\r\n` : ''}\r\n`
        const answer = await raw(head + body)
        expect(answer.status).toBeGreaterThanOrEqual(200)
        expect(answer.status).toBeLessThan(600)
        if (!SERVED.includes(m) && requestURL(target, server.url)) expect(answer.status).toBe(405)
        if (SERVED.includes(m) && !requestURL(target, server.url)) expect(answer.status).toBe(400)
      }),
      { numRuns: 150 },
    )
    await alive()
  }, 60_000)

  it('garbage on the socket gets a 400 and the server stays up', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 200 }), async (bytes) => {
        const answer = await raw(bytes)
        // llhttp answers what it cannot parse; an empty answer only when it waits for more bytes
        expect([0, 400, 405, 431].includes(answer.status) || answer.status >= 200).toBe(true)
      }),
      { numRuns: 100 },
    )
    await alive()
  }, 60_000)
})

describe(`request bodies above maxRequestBytes (default ${MAX_BODY_BYTES}) get a 413`, () => {
  const post = (extra: string) =>
    `POST /v1/sources HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk_test_1\r\nContent-Type: application/x-www-form-urlencoded\r\n${extra}\r\n`

  it('a declared Content-Length over the limit is refused before any body is read', async () => {
    const answer = await raw(post(`Content-Length: ${MAX_BODY_BYTES + 1}\r\n`))
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body).error.message).toMatch(String(MAX_BODY_BYTES))
    await alive()
  })

  it('Expect: 100-continue with a body over the limit: the 413 comes instead of 100 Continue', async () => {
    const answer = await raw(post(`Content-Length: ${MAX_BODY_BYTES * 50}\r\nExpect: 100-continue\r\n`))
    expect(answer.status).toBe(413)
    expect(answer.head).not.toMatch(/100 Continue/)
  })

  it('fetch with a large body gets the 413', async () => {
    const res = await fetch(`${server.url}/v1/sources`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sk_test_1', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `type=card&metadata[a]=${'x'.repeat(MAX_BODY_BYTES)}`,
    })
    expect(res.status).toBe(413)
    expect((await res.json()).error.type).toBe('invalid_request_error')
  })

  it('a chunked body: the server answers 413 once past the limit and stops reading (the client cannot push 64 MiB)', async () => {
    const socket = connect(server.port, '127.0.0.1')
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
    let answer = ''
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1')
    })
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()))
    socket.on('error', () => {})
    socket.write(post('Transfer-Encoding: chunked\r\n'))
    const chunk = Buffer.alloc(64 * 1024, 'a')
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
    let written = 0
    let open = true
    void closed.then(() => {
      open = false
    })
    const deadline = Date.now() + 10_000
    while (open && written < 64 * 1024 * 1024 && Date.now() < deadline) {
      if (!socket.write(frame)) {
        // wait for the kernel to take more, the connection to close, or 200 ms with neither
        await Promise.race([
          new Promise((resolve) => socket.once('drain', resolve)),
          closed,
          new Promise((resolve) => setTimeout(resolve, 200)),
        ])
        if (socket.writableNeedDrain) continue
      }
      written += frame.length
    }
    socket.destroy()
    await closed
    expect(answer).toMatch(/^HTTP\/1\.1 413 /)
    // what was accepted: the limit plus socket buffers, far from the 64 MiB offered
    expect(written).toBeLessThan(24 * 1024 * 1024)
    await alive()
  }, 20_000)

  it('a body of exactly the limit is read and handed to the emulator', async () => {
    const body = `type=card&metadata[a]=${'x'.repeat(MAX_BODY_BYTES - 'type=card&metadata[a]='.length)}`
    expect(body.length).toBe(MAX_BODY_BYTES)
    const res = await fetch(`${server.url}/v1/sources`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sk_test_1', 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    })
    expect(res.status).not.toBe(413)
    expect((await res.json()).error?.param ?? 'created').toMatch(/metadata|created/)
  })
})
