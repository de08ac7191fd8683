// `edgestripe-emulator --persist DIR` as a separate process: what it answered 2xx survives a
// SIGKILL at any moment, money movements are never half-applied (the Treasury ledger invariant
// holds after a restart), one process per DIR, and clock values stay within what it saves and loads.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import Stripe from 'stripe'
import { afterAll, describe, expect, it } from 'vitest'
import { startBin } from '../packages/testing/test/bin-process.js'

const root = `${import.meta.dirname}/..`
const KEY = 'sk_test_persist'
const dirs: string[] = []
const children = new Set<ChildProcess>()

afterAll(() => {
  for (const child of children) child.kill('SIGKILL')
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'edgestripe-persist-'))
  dirs.push(dir)
  return dir
}

interface Started {
  child: ChildProcess
  url: string
}

/** The bin from source (as `pnpm emulator` runs it), on a free port, on the manual clock. */
function start(args: string[]): Promise<Started> {
  return startBin(['--clock', 'manual', ...args], (child) => {
    children.add(child)
    child.on('exit', () => children.delete(child))
  })
}

/** Runs the bin until it exits by itself. */
function runToExit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('node', ['--import', 'tsx', `${root}/packages/testing/src/bin.ts`, '--port', '0', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.on('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

async function post(url: string, path: string, params: Record<string, string | number>): Promise<{ status: number; body: any }> {
  const body = new URLSearchParams(Object.entries(params).map(([key, value]) => [key, String(value)]))
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
  })
  return { status: res.status, body: await res.json() }
}

async function get(url: string, path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${KEY}` } })
  return { status: res.status, body: await res.json() }
}

async function newFinancialAccount(url: string): Promise<string> {
  const res = await post(url, '/v1/treasury/financial_accounts', {
    'supported_currencies[0]': 'usd',
    'features[inbound_transfers][ach][requested]': 'true',
    'features[outbound_payments][ach][requested]': 'true',
  })
  expect(res.status).toBe(200)
  return res.body.id
}

/** Balance = Σ transaction entries (each balance), and cash = Σ transactions' cash impact. */
async function expectLedger(url: string, fa: string) {
  const account = (await get(url, `/v1/treasury/financial_accounts/${fa}`)).body
  const sums = { cash: 0, inbound_pending: 0, outbound_pending: 0 }
  let entries: any[] = []
  let after = ''
  for (;;) {
    const page = (await get(url, `/v1/treasury/transaction_entries?financial_account=${fa}&limit=100${after}`)).body
    entries = entries.concat(page.data)
    if (!page.has_more) break
    after = `&starting_after=${page.data[page.data.length - 1].id}`
  }
  for (const entry of entries) {
    sums.cash += entry.balance_impact.cash
    sums.inbound_pending += entry.balance_impact.inbound_pending
    sums.outbound_pending += entry.balance_impact.outbound_pending
  }
  expect(sums).toEqual({
    cash: account.balance.cash.usd,
    inbound_pending: account.balance.inbound_pending.usd,
    outbound_pending: account.balance.outbound_pending.usd,
  })
  return account
}

const MOVES = [
  { path: '/v1/test_helpers/treasury/received_credits', extra: { network: 'ach' } },
  { path: '/v1/test_helpers/treasury/received_debits', extra: { network: 'ach' } },
  { path: '/v1/treasury/inbound_transfers', extra: { origin_payment_method: 'pm_1' } },
] as const

describe('edgestripe-emulator --persist DIR', () => {
  it('restarts after a SIGKILL with everything the official SDK was answered', async () => {
    const dir = tempDir()
    let server = await start(['--persist', dir])
    const stripe = new Stripe(KEY, { host: '127.0.0.1', port: Number(new URL(server.url).port), protocol: 'http', maxNetworkRetries: 0 })
    const fa = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'], features: {} })
    const credit = await stripe.testHelpers.treasury.receivedCredits.create({
      financial_account: fa.id,
      amount: 12_345,
      currency: 'usd',
      network: 'ach',
    })
    const endpoint = await stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/hook', enabled_events: ['*'] })
    await fetch(`${server.url}/_emulator/advance`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ seconds: 3600 }),
    })
    const now = (await (await fetch(`${server.url}/_emulator/now`, { headers: { Authorization: `Bearer ${KEY}` } })).json()) as any
    await kill(server.child)

    server = await start(['--persist', dir])
    const again = new Stripe(KEY, { host: '127.0.0.1', port: Number(new URL(server.url).port), protocol: 'http', maxNetworkRetries: 0 })
    expect((await again.treasury.receivedCredits.retrieve(credit.id)).amount).toBe(12_345)
    expect((await again.treasury.financialAccounts.retrieve(fa.id)).balance.cash.usd).toBe(12_345)
    expect((await again.webhookEndpoints.retrieve(endpoint.id)).url).toBe('http://127.0.0.1:9/hook')
    const events = (await (await fetch(`${server.url}/_emulator/events`, { headers: { Authorization: `Bearer ${KEY}` } })).json()) as any
    expect(events.data.map((event: { type: string }) => event.type)).toContain('treasury.received_credit.created')
    const later = (await (await fetch(`${server.url}/_emulator/now`, { headers: { Authorization: `Bearer ${KEY}` } })).json()) as any
    expect(later).toEqual(now)
    // another key's account is another namespace
    const other = await fetch(`${server.url}/v1/treasury/financial_accounts/${fa.id}`, {
      headers: { Authorization: 'Bearer sk_test_other' },
    })
    expect(other.status).toBe(404)
    await kill(server.child)
  }, 60_000)

  it('with --state FILE: FILE is imported into an empty DIR, not over a DIR that holds accounts, and saved on SIGTERM', async () => {
    const source = await start([])
    await post(source.url, '/v1/treasury/financial_accounts', { 'supported_currencies[0]': 'usd' }).then((res) =>
      expect(res.status).toBe(200),
    )
    const snapshot = await (await fetch(`${source.url}/_emulator/snapshot?all=true`)).json()
    await kill(source.child)
    const file = join(tempDir(), 'state.json')
    writeFileSync(file, JSON.stringify(snapshot))
    const dir = tempDir()
    let server = await start(['--persist', dir, '--state', file])
    const listed = (await get(server.url, '/v1/treasury/financial_accounts')).body
    expect(listed.data).toHaveLength(1)
    // a second account in DIR, then SIGTERM saves FILE with both
    const second = await newFinancialAccount(server.url)
    await new Promise<void>((resolve) => {
      server.child.on('exit', () => resolve())
      server.child.kill('SIGTERM')
    })
    const saved = JSON.parse(readFileSync(file, 'utf8'))
    const ids = (saved.keys.persist.accounts as { objects: { object: { id: string } }[] }[]).flatMap((account) =>
      account.objects.map((entry) => entry.object.id),
    )
    expect(ids).toContain(second)
    // DIR holds accounts now: FILE is not imported over it (nothing doubles)
    writeFileSync(file, JSON.stringify(snapshot))
    server = await start(['--persist', dir, '--state', file])
    expect((await get(server.url, '/v1/treasury/financial_accounts')).body.data).toHaveLength(2)
    await kill(server.child)
  }, 60_000)

  it('refuses a DIR another process holds with one line and exit status 2', async () => {
    const dir = tempDir()
    const first = await start(['--persist', dir])
    const second = await runToExit(['--persist', dir])
    expect(second.code).toBe(2)
    expect(second.stderr.trim().split('\n')).toHaveLength(1)
    expect(second.stderr).toMatch(/is in use by another emulator process \(pid \d+\)/)
    await kill(first.child)
  }, 30_000)

  it('keeps clock values within what it saves and loads: advance past year 9999 is a 400; such a state file is one line', async () => {
    const dir = tempDir()
    const server = await start(['--persist', dir])
    const advance = (seconds: number) =>
      fetch(`${server.url}/_emulator/advance`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ seconds }),
      })
    for (const seconds of [1e13, 1e308]) {
      const res = await advance(seconds)
      expect(res.status).toBe(400)
      expect(((await res.json()) as any).error.message).toMatch(/cannot pass 253402300799/)
    }
    expect((await advance(60)).status).toBe(200)
    await kill(server.child)
    // whatever it saved, it loads
    const restarted = await start(['--persist', dir])
    await kill(restarted.child)

    const file = join(tempDir(), 'state.json')
    const snapshot = await (async () => {
      const s = await start([])
      const body = await (await fetch(`${s.url}/_emulator/snapshot`)).json()
      await kill(s.child)
      return body as any
    })()
    writeFileSync(file, JSON.stringify({ ...snapshot, clock: { now: 2 ** 53 - 1, start: 0 } }))
    const bad = await runToExit(['--state', file])
    expect(bad.code).toBe(2)
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)
    expect(bad.stderr).toMatch(/clock\.now must be unix seconds from 0 to 253402300799/)
    expect(bad.stderr).not.toMatch(/\n\s+at /)
  }, 60_000)

  it('loses no 2xx-answered request and half-applies no money movement when killed at a random point (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ move: fc.integer({ min: 0, max: MOVES.length - 1 }), amount: fc.integer({ min: 1, max: 5_000 }) }), {
          minLength: 5,
          maxLength: 40,
        }),
        fc.nat(40),
        fc.integer({ min: 1, max: 4 }),
        async (moves, killAfter, parallel) => {
          const dir = tempDir()
          let server = await start(['--persist', dir])
          const fa = await newFinancialAccount(server.url)
          const answered: { path: string; id: string }[] = []
          let done = 0
          let killed: Promise<void> | undefined
          const queue = [...moves]
          const worker = async () => {
            for (let move = queue.shift(); move; move = queue.shift()) {
              const { path, extra } = MOVES[move.move] as (typeof MOVES)[number]
              try {
                const res = await post(server.url, path, { financial_account: fa, currency: 'usd', amount: move.amount, ...extra })
                if (res.status >= 200 && res.status < 300) answered.push({ path, id: res.body.id })
              } catch {
                // the connection died with the process: not answered
              }
              // the kill lands while other requests are in flight
              if (++done === killAfter) killed = kill(server.child)
            }
          }
          await Promise.all(Array.from({ length: parallel }, worker))
          await (killed ?? kill(server.child))
          server = await start(['--persist', dir])
          for (const { path, id } of answered) {
            const read = await get(server.url, `${path.replace('/test_helpers', '')}/${id}`)
            expect(read.status, `${path}/${id}`).toBe(200)
          }
          await expectLedger(server.url, fa)
          await kill(server.child)
        },
      ),
      { numRuns: 5 },
    )
  }, 120_000)
})
