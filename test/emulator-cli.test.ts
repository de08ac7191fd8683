import { type ChildProcess, spawn } from 'node:child_process'
import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// `pnpm emulator` as a separate process, driven by the official SDK: the cross-process use the
// emulator exists for (other test suites point any Stripe client at it).
let child: ChildProcess
let url: string

beforeAll(async () => {
  child = spawn('pnpm', ['run', '--silent', 'emulator', '--port', '0'], {
    cwd: `${import.meta.dirname}/..`,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk) => {
      out += chunk
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (match) resolve(match[1]!)
    })
    child.on('exit', (code) => reject(new Error(`pnpm emulator exited with ${code}: ${out}`)))
  })
}, 60_000)

afterAll(async () => {
  if (child.exitCode !== null) return
  const exited = new Promise((resolve) => child.on('exit', resolve))
  child.kill('SIGTERM')
  await exited
})

describe('pnpm emulator', () => {
  it('serves the API to the official SDK, with HTTP controls and file contents on one origin', async () => {
    const { port } = new URL(url)
    const stripe = new Stripe('sk_test_123', { host: '127.0.0.1', port: Number(port), protocol: 'http', maxNetworkRetries: 0 })
    const source = await stripe.sources.create({ type: 'ach_credit_transfer', currency: 'usd', owner: { email: 'a@b.co' } })
    expect((await stripe.sources.retrieve(source.id)).id).toBe(source.id)

    const types = await stripe.reporting.reportTypes.list()
    const type = types.data.find((t) => t.id === 'balance.summary.1')!
    const run = await stripe.reporting.reportRuns.create({
      report_type: type.id,
      parameters: { interval_start: type.data_available_start, interval_end: type.data_available_end },
    })
    expect(run.status).toBe('pending')
    const advanced = await fetch(`${url}/_emulator/advance`, { method: 'POST', body: JSON.stringify({ seconds: 3600 }) })
    expect(advanced.status).toBe(200)
    const done = await stripe.reporting.reportRuns.retrieve(run.id)
    expect(done.status).toBe('succeeded')
    expect(done.result?.url?.startsWith(url)).toBe(true)
    const csv = await fetch(done.result!.url!, { headers: { authorization: 'Bearer sk_test_123' } })
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    expect((await csv.text()).split('\n')[0]).toMatch(/^[a-z_]+(,[a-z_]+)*\r?$/)
  })
})
