import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseEmulatorArgs, USAGE } from '../packages/testing/src/cli.js'
import { DEFAULT_PORT } from '../packages/testing/src/server.js'
import { writeStateFile } from '../packages/testing/src/state-file.js'

// `pnpm emulator` (the edgestripe-emulator bin run from source) as a separate process, driven by the
// official SDK: the cross-process use the emulator exists for (other test suites point any Stripe
// client at it). The built bin (packages/testing/dist/bin.js, what `npx edgestripe-emulator` runs)
// is started too.
let child: ChildProcess
let url: string
let banner: string

interface Started {
  child: ChildProcess
  url: string
  out: string
}

const root = `${import.meta.dirname}/..`

function startCli(args: string[], command = ['pnpm', 'run', '--silent', 'emulator']): Promise<Started> {
  const proc = spawn(command[0] as string, [...command.slice(1), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise<Started>((resolve, reject) => {
    let out = ''
    const onData = (chunk: unknown) => {
      out += chunk
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)[^\n]*\n[^\n]*Clock:[^\n]*\n/.exec(out)
      if (match) resolve({ child: proc, url: match[1]!, out })
    }
    proc.stdout?.on('data', onData)
    proc.stderr?.on('data', onData)
    proc.on('exit', (code) => reject(new Error(`${command.join(' ')} exited with ${code}: ${out}`)))
  })
}

/** The bin from source, without pnpm in between (faster; the same module `pnpm emulator` runs). */
function binCommand(): string[] {
  return ['node', '--import', 'tsx', `${root}/packages/testing/src/bin.ts`]
}

/** Runs the CLI until it exits by itself. */
function runToExit(command: string[], args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(command[0] as string, [...command.slice(1), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  proc.stdout.on('data', (chunk) => {
    stdout += chunk
  })
  proc.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  return new Promise((resolve) => proc.on('close', (code) => resolve({ code, stdout, stderr })))
}

async function stopCli(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return
  const exited = new Promise((resolve) => proc.on('exit', resolve))
  proc.kill('SIGTERM')
  await exited
}

beforeAll(async () => {
  const started = await startCli(['--port', '0'])
  child = started.child
  url = started.url
  banner = started.out
}, 60_000)

afterAll(async () => {
  await stopCli(child)
})

describe('pnpm emulator options', () => {
  it('parses --port, --host, --now, --report-run-delay and --clock (both --flag value and --flag=value)', () => {
    expect(DEFAULT_PORT).not.toBe(12111) // stripe-mock's
    expect(parseEmulatorArgs([])).toEqual({ port: DEFAULT_PORT, clock: 'real' })
    expect(parseEmulatorArgs(['--host', '::1', '--port=0'])).toEqual({ port: 0, host: '::1', clock: 'real' })
    expect(parseEmulatorArgs(['--help'])).toMatchObject({ help: true })
    expect(parseEmulatorArgs(['--shared-account'])).toEqual({ port: DEFAULT_PORT, clock: 'real', accounts: 'shared' })
    expect(() => parseEmulatorArgs(['--port', '65536'])).toThrow(/Invalid --port/)
    expect(() => parseEmulatorArgs(['--port', '1e3'])).toThrow(/Invalid --port/)
    expect(() => parseEmulatorArgs(['--host', 'a b'])).toThrow(/Invalid --host/)
    expect(parseEmulatorArgs(['--port', '0', '--now=1700000000', '--report-run-delay', '2', '--clock', 'manual'])).toEqual({
      port: 0,
      now: 1_700_000_000,
      reportRunDelay: 2,
      clock: 'manual',
    })
    expect(() => parseEmulatorArgs(['--clock', 'fast'])).toThrow(/--clock/)
    expect(() => parseEmulatorArgs(['--now', 'soon'])).toThrow(/--now/)
    expect(() => parseEmulatorArgs(['--report-run-delay', '-1'])).toThrow(/--report-run-delay/)
    expect(() => parseEmulatorArgs(['--report-run-delay'])).toThrow(/needs a value/)
    expect(() => parseEmulatorArgs(['--speed', '2'])).toThrow(/Unknown option --speed/)
  })

  it('parses --allowed-host and --cors-origin (repeatable) and --allow-private-webhooks', () => {
    expect(
      parseEmulatorArgs([
        '--allowed-host',
        'emulator.test',
        '--allowed-host=.dev.test',
        '--cors-origin',
        'http://localhost:5173/',
        '--cors-origin=https://app.test',
        '--allow-private-webhooks',
      ]),
    ).toEqual({
      port: DEFAULT_PORT,
      clock: 'real',
      allowedHosts: ['emulator.test', '.dev.test'],
      corsOrigins: ['http://localhost:5173', 'https://app.test'],
      allowPrivateWebhooks: true,
    })
    expect(() => parseEmulatorArgs(['--cors-origin', '*'])).toThrow(/Invalid --cors-origin/)
    expect(() => parseEmulatorArgs(['--cors-origin', 'file:///x'])).toThrow(/Invalid --cors-origin/)
    expect(() => parseEmulatorArgs(['--allowed-host', 'a b'])).toThrow(/Invalid --allowed-host/)
    expect(USAGE).toContain('--allow-private-webhooks')
  })

  it('defaults to the wall clock, running in real time, for a separate client', async () => {
    expect(banner).toMatch(/Clock: real from /)
    expect(banner).toMatch(/Inspector: http:\/\/127\.0\.0\.1:\d+\/_emulator\/ui\/\n/)
    const { now } = await (await fetch(`${url}/_emulator/now`)).json()
    expect(Math.abs(now - Date.now() / 1000)).toBeLessThan(120)
  })

  it('with --clock real --now --report-run-delay, a report run finishes by itself', async () => {
    const started = await startCli(['--port=0', '--clock', 'real', '--now', '1700000000', '--report-run-delay', '1'])
    try {
      const { port } = new URL(started.url)
      const first = (await (await fetch(`${started.url}/_emulator/now`)).json()).now
      expect(first).toBeGreaterThanOrEqual(1_700_000_000)
      expect(first).toBeLessThan(1_700_000_060)
      const stripe = new Stripe('sk_test_123', { host: '127.0.0.1', port: Number(port), protocol: 'http', maxNetworkRetries: 0 })
      const type = await stripe.reporting.reportTypes.retrieve('balance.summary.1')
      const run = await stripe.reporting.reportRuns.create({
        report_type: type.id,
        parameters: { interval_start: type.data_available_start, interval_end: type.data_available_end },
      })
      expect(run.status).toBe('pending')
      let status = run.status
      for (let i = 0; i < 40 && status === 'pending'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        status = (await stripe.reporting.reportRuns.retrieve(run.id)).status
      }
      expect(status).toBe('succeeded')
    } finally {
      await stopCli(started.child)
    }
  }, 60_000)

  it('refuses a bad option with one line and the usage, exit status 2', async () => {
    for (const args of [['--clock', 'bogus'], ['--port', 'x'], ['--speed', '2'], ['--now']]) {
      const { code, stdout, stderr } = await runToExit(binCommand(), args)
      expect(code).toBe(2)
      expect(stdout).toBe('')
      expect(stderr.split('\n')[0]).toMatch(
        /^edgestripe-emulator: (Invalid --clock: bogus|Invalid --port: x|Unknown option --speed|--now needs a value)/,
      )
      expect(stderr).toContain(USAGE)
      expect(stderr).not.toMatch(/\n\s+at /)
    }
  }, 60_000)

  it('--help prints the usage and exits 0', async () => {
    const { code, stdout } = await runToExit(binCommand(), ['--help'])
    expect(code).toBe(0)
    expect(stdout.trim()).toBe(USAGE)
  }, 60_000)

  it('a port in use: one clear line on stderr, exit status 2, no stack trace', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const { port } = blocker.address() as { port: number }
    try {
      const { code, stdout, stderr } = await runToExit(binCommand(), ['--port', String(port)])
      expect(code).toBe(2)
      expect(stdout).toBe('')
      expect(stderr).toBe(
        `edgestripe-emulator: port ${port} is already in use on 127.0.0.1 (pick another with --port N, or --port 0 for any free one)\n`,
      )
    } finally {
      blocker.close()
    }
  }, 60_000)

  it('the built bin (what npx edgestripe-emulator runs) prints its URL and serves the official SDK', async () => {
    const bin = `${root}/packages/testing/dist/bin.js`
    expect(existsSync(bin), 'build @edgestripe/testing first (pnpm build; pnpm test does)').toBe(true)
    const started = await startCli(['--port', '0'], ['node', bin])
    try {
      const stripe = new Stripe('sk_test_123', {
        host: '127.0.0.1',
        port: Number(new URL(started.url).port),
        protocol: 'http',
        maxNetworkRetries: 0,
      })
      const source = await stripe.sources.create({ type: 'ach_credit_transfer', currency: 'usd', owner: { email: 'a@b.co' } })
      expect(source.id).toMatch(/^src_/)
      // money between financial accounts, over the bin
      const a = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'] })
      const b = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'] })
      await stripe.testHelpers.treasury.receivedCredits.create({ financial_account: a.id, amount: 500, currency: 'usd', network: 'ach' })
      const payment = await stripe.treasury.outboundPayments.create({
        financial_account: a.id,
        amount: 200,
        currency: 'usd',
        destination_payment_method_data: { type: 'financial_account', financial_account: b.id },
      })
      await stripe.testHelpers.treasury.outboundPayments.post(payment.id)
      expect((await stripe.treasury.financialAccounts.retrieve(b.id)).balance.cash.usd).toBe(200)
      expect((await stripe.treasury.receivedCredits.list({ financial_account: b.id })).data[0]?.network).toBe('stripe')
    } finally {
      await stopCli(started.child)
    }
  }, 60_000)
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
    const advanced = await fetch(`${url}/_emulator/advance`, {
      method: 'POST',
      // the controls act on the account of the key they carry: the SDK's sk_test_123
      headers: { Authorization: 'Bearer sk_test_123' },
      body: JSON.stringify({ seconds: 3600 }),
    })
    expect(advanced.status).toBe(200)
    const done = await stripe.reporting.reportRuns.retrieve(run.id)
    expect(done.status).toBe('succeeded')
    expect(done.result?.url?.startsWith(url)).toBe(true)
    const csv = await fetch(done.result!.url!, { headers: { authorization: 'Bearer sk_test_123' } })
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    expect((await csv.text()).split('\n')[0]).toMatch(/^[a-z_]+(,[a-z_]+)*\r?$/)
  })
})

describe('edgestripe-emulator --state', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgestripe-state-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const sdk = (url: string) =>
    new Stripe('sk_test_123', { host: '127.0.0.1', port: Number(new URL(url).port), protocol: 'http', maxNetworkRetries: 0 })

  it('starts empty without the file, saves on SIGTERM and SIGINT, and starts again from what it saved', async () => {
    const file = join(dir, 'state.json')
    const first = await startCli(['--port', '0', '--state', file], binCommand())
    expect(first.out).toMatch(/State: new, .*state\.json; saved there on SIGINT\/SIGTERM/)
    const source = await sdk(first.url).sources.create({ type: 'ach_credit_transfer', currency: 'usd', owner: { email: 'a@b.co' } })
    await stopCli(first.child)
    expect(first.child.exitCode).toBe(0)
    const saved = JSON.parse(readFileSync(file, 'utf8'))
    expect(saved.format).toBe('edgestripe-emulator-snapshot')
    expect(readdirSync(dir)).toEqual(['state.json']) // no temp file left

    const second = await startCli(['--port', '0', '--state', file], binCommand())
    expect(second.out).toMatch(/State: loaded from .*state\.json/)
    expect((await sdk(second.url).sources.retrieve(source.id)).id).toBe(source.id)
    const fa = await sdk(second.url).treasury.financialAccounts.create({ supported_currencies: ['usd'] })
    const exited = new Promise((resolve) => second.child.on('exit', resolve))
    second.child.kill('SIGINT')
    await exited

    const third = await startCli(['--port', '0', '--state', file], binCommand())
    try {
      expect((await sdk(third.url).sources.retrieve(source.id)).id).toBe(source.id)
      expect((await sdk(third.url).treasury.financialAccounts.retrieve(fa.id)).id).toBe(fa.id)
    } finally {
      await stopCli(third.child)
    }
  }, 90_000)

  it('refuses a corrupt, truncated or foreign file with one line and exit 2, and leaves it as it was', async () => {
    const file = join(dir, 'bad.json')
    const good = join(dir, 'good.json')
    const started = await startCli(['--port', '0', '--state', good], binCommand())
    await sdk(started.url).sources.create({ type: 'card' })
    await stopCli(started.child)
    const text = readFileSync(good, 'utf8')
    for (const [content, reason] of [
      [text.slice(0, Math.floor(text.length / 2)), /not JSON/],
      ['{"hello": "world"}', /format|snapshot/i],
      [JSON.stringify({ ...JSON.parse(text), version: 99 }), /version/],
      ['[]', /snapshot|object/i],
    ] as const) {
      writeFileSync(file, content)
      const { code, stdout, stderr } = await runToExit(binCommand(), ['--port', '0', '--state', file])
      expect(code).toBe(2)
      expect(stdout).toBe('')
      expect(stderr.trim().split('\n')).toHaveLength(1)
      expect(stderr).toMatch(new RegExp(`^edgestripe-emulator: cannot load state from ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `))
      expect(stderr).toMatch(reason)
      expect(readFileSync(file, 'utf8')).toBe(content)
    }
  }, 90_000)

  it('writes atomically: the JSON is made before the file is touched, through a temp file renamed over it', () => {
    const file = join(dir, 'atomic.json')
    writeStateFile(file, { a: 1 })
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n')
    // a snapshot that cannot be serialized leaves the previous file whole (and no temp file)
    expect(() => writeStateFile(file, { big: 1n })).toThrow(TypeError)
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n')
    expect(readdirSync(dir).filter((name) => name.includes('atomic'))).toEqual(['atomic.json'])
    // a target that cannot be replaced (a directory): the write fails, the temp file is removed
    const blocked = join(dir, 'blocked.json')
    mkdirSync(blocked)
    expect(() => writeStateFile(blocked, { a: 2 })).toThrow()
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })
})
