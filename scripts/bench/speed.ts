// Per-call CPU of the BUILT packages, with an in-memory transport (no network: what the client
// itself costs per request — building, validation, hooks, parsing) and with Node's own `fetch` to
// a loopback server in a child process (what users run; only this process's CPU is counted). Rounds are interleaved (each
// round runs every contender once, in a rotating order) so machine noise hits all of them alike;
// raw fetch (a hand-written call: fetch + JSON.parse) and stripe-node 23.1.0 are the anchors.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Stripe from 'stripe'
import { root } from './bundle'

const fixtures = JSON.parse(readFileSync(join(root, 'spec', 'fixtures.json'), 'utf8')).resources as Record<string, object>
const source = { ...fixtures.source, id: 'src_1', client_secret: 'src_client_secret_1' }
const outboundPayment = { ...fixtures['treasury.outbound_payment'], id: 'obp_1' }
const headers = { 'content-type': 'application/json', 'request-id': 'req_1' }
const sourceBody = JSON.stringify(source)
const paymentBody = JSON.stringify(outboundPayment)
/** Answers like Stripe, from memory: a GET gets the source, a POST the outbound payment. */
const memoryFetch = async (_input: RequestInfo | URL, init?: RequestInit) =>
  new Response(init?.method === 'POST' ? paymentBody : sourceBody, { headers })

/** The nested body of the POST (bracket-encoded on the wire). */
const payment = {
  financial_account: 'fa_1',
  amount: 10_000,
  currency: 'usd',
  description: 'Invoice 42',
  destination_payment_method_data: {
    type: 'us_bank_account' as const,
    us_bank_account: { routing_number: '110000000', account_number: '000123456789', account_holder_type: 'individual' as const },
    billing_details: { name: 'Jenny Rosen', address: { line1: '1 Main St', city: 'Paris', postal_code: '75001', country: 'FR' } },
  },
  metadata: { order_id: '42' },
}

export interface SpeedRow {
  name: string
  medianMicros: number
  minMicros: number
}

/** Runs each contender `iterations` times per round for `rounds` interleaved rounds; CPU µs per call. */
async function interleaved(contenders: Record<string, () => Promise<unknown>>, iterations = 2000, rounds = 9): Promise<SpeedRow[]> {
  const names = Object.keys(contenders)
  for (const name of names) for (let i = 0; i < Math.min(500, iterations); i++) await contenders[name]!() // warm-up (JIT)
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]!
      const run = contenders[name]!
      // CPU time of this process (user + system), not wall time: other processes on a busy machine do not count.
      const start = process.cpuUsage()
      for (let i = 0; i < iterations; i++) await run()
      const used = process.cpuUsage(start)
      samples[name]!.push((used.user + used.system) / iterations)
    }
  }
  return names.map((name) => {
    const sorted = samples[name]!.sort((a, b) => a - b)
    return { name, medianMicros: sorted[Math.floor(sorted.length / 2)]!, minMicros: sorted[0]! }
  })
}

/** A loopback HTTP server in a child process answering like `memoryFetch`; its port and a stop. */
async function loopbackServer(): Promise<{ port: number; stop: () => void }> {
  const script = `const http = require('node:http'); const get = process.argv[1], post = process.argv[2];
    const server = http.createServer((req, res) => { req.resume(); req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_1' }); res.end(req.method === 'POST' ? post : get) }) });
    server.keepAliveTimeout = 60000; server.listen(0, '127.0.0.1', () => console.log(server.address().port))`
  const child = spawn(process.execPath, ['-e', script, sourceBody, paymentBody], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim())))
    child.once('exit', (code) => reject(new Error(`loopback server exited (${code})`)))
  })
  return { port, stop: () => child.kill() }
}

/** GET retrieveSource and POST createOutboundPayment: raw fetch, edgestripe, stripe-node, interleaved. */
export async function speed(transport: 'memory' | 'loopback' = 'memory'): Promise<{ get: SpeedRow[]; post: SpeedRow[] }> {
  if (transport === 'loopback') {
    const server = await loopbackServer()
    try {
      return await speedOver(`http://127.0.0.1:${server.port}`, fetch, 300)
    } finally {
      server.stop()
    }
  }
  return speedOver('https://api.stripe.com', memoryFetch, 2000)
}

async function speedOver(
  origin: string,
  transport: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>,
  iterations: number,
): Promise<{ get: SpeedRow[]; post: SpeedRow[] }> {
  // The built packages, as users get them (run `pnpm build` first; `pnpm bench` does).
  const { createStripe } = await import(join(root, 'packages/core/dist/index.js'))
  const { retrieveSource } = await import(join(root, 'packages/sources/dist/index.js'))
  const { createOutboundPayment } = await import(join(root, 'packages/treasury/dist/index.js'))
  // Stripe's origin: the SDKs' defaults; any other (the loopback server): passed to both
  const { hostname, port, protocol } = new URL(origin)
  const local = protocol === 'http:'
  const baseURL = local ? { baseURL: origin } : {}
  const publishable = createStripe({ publishableKey: 'pk_test_bench123', fetch: transport, ...baseURL })
  const secret = createStripe({ apiKey: 'sk_test_bench123', fetch: transport, ...baseURL })
  const official = new Stripe('sk_test_bench123', {
    httpClient: Stripe.createFetchHttpClient(transport as typeof fetch),
    maxNetworkRetries: 0,
    ...(local && { host: hostname, port: Number(port), protocol: 'http' as const }),
  })

  // Hand-written calls: what an app would write without an SDK (no retries, no checks).
  const rawGet = async () => {
    const response = await transport(`${origin}/v1/sources/src_1?client_secret=${encodeURIComponent('src_client_secret_1')}`, {
      headers: { Authorization: 'Bearer pk_test_bench123', 'Stripe-Version': '2024-04-10' },
    })
    return JSON.parse(await response.text())
  }
  const rawPost = async () => {
    const p = payment
    const d = p.destination_payment_method_data
    const e = encodeURIComponent
    const body = `financial_account=${e(p.financial_account)}&amount=${p.amount}&currency=${e(p.currency)}&description=${e(p.description)}&destination_payment_method_data[type]=${e(d.type)}&destination_payment_method_data[us_bank_account][routing_number]=${e(d.us_bank_account.routing_number)}&destination_payment_method_data[us_bank_account][account_number]=${e(d.us_bank_account.account_number)}&destination_payment_method_data[us_bank_account][account_holder_type]=${e(d.us_bank_account.account_holder_type)}&destination_payment_method_data[billing_details][name]=${e(d.billing_details.name)}&destination_payment_method_data[billing_details][address][line1]=${e(d.billing_details.address.line1)}&destination_payment_method_data[billing_details][address][city]=${e(d.billing_details.address.city)}&destination_payment_method_data[billing_details][address][postal_code]=${e(d.billing_details.address.postal_code)}&destination_payment_method_data[billing_details][address][country]=${e(d.billing_details.address.country)}&metadata[order_id]=${e(p.metadata.order_id)}`
    const response = await transport(`${origin}/v1/treasury/outbound_payments`, {
      method: 'POST',
      headers: {
        Authorization: 'Bearer sk_test_bench123',
        'Stripe-Version': '2024-04-10',
        'Content-Type': 'application/x-www-form-urlencoded',
        'Idempotency-Key': crypto.randomUUID(),
      },
      body,
    })
    return JSON.parse(await response.text())
  }

  // Each must work before it is timed (a refused call would be fast and wrong).
  const checks = [
    await retrieveSource(publishable, 'src_1', { client_secret: 'src_client_secret_1' }),
    await createOutboundPayment(secret, payment),
  ]
  if (checks[0].object !== 'source' || checks[1].object !== 'treasury.outbound_payment') throw new Error('bench calls do not work')

  const get = await interleaved(
    {
      'raw fetch + JSON.parse': rawGet,
      'edgestripe retrieveSource (pk + client_secret)': () =>
        retrieveSource(publishable, 'src_1', { client_secret: 'src_client_secret_1' }),
      'stripe-node sources.retrieve': () => official.sources.retrieve('src_1', { client_secret: 'src_client_secret_1' }),
    },
    iterations,
  )
  const post = await interleaved(
    {
      'raw fetch + hand-written form + JSON.parse': rawPost,
      'edgestripe createOutboundPayment (nested body, idempotency key)': () => createOutboundPayment(secret, payment),
      'stripe-node treasury.outboundPayments.create': () => official.treasury.outboundPayments.create(payment),
    },
    iterations,
  )
  return { get, post }
}
