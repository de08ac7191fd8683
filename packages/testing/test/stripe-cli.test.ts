// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${name:path}` is the Stripe CLI's reference syntax, not a template
// The Stripe-CLI commands of `edgestripe-emulator` (src/cli/) against an emulator served over HTTP
// on 127.0.0.1: every triggerable event reaches a `listen --forward-to` endpoint and verifies with
// the printed secret (ours and the official package's verifier); fixture files with references run;
// `logs tail` shows redacted bodies; errors are one line and exit status 2.
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { narrowEvent, redact, type StripeEvent, verifyWebhook } from '@edgestripe/core'
import { financialConnectionsEvents } from '@edgestripe/financial-connections'
import { identityEvents } from '@edgestripe/identity'
import { reportingEvents } from '@edgestripe/reporting'
import { sigmaEvents } from '@edgestripe/sigma'
import { sourceEvents } from '@edgestripe/sources'
import { treasuryEvents } from '@edgestripe/treasury'
import fc from 'fast-check'
import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runStripeCommand } from '../src/cli/commands.js'
import { applyRewrites, encodeFixtureForm } from '../src/cli/fixture-file.js'
import { type CliIO, sleep } from '../src/cli/io.js'
import { listenSecret } from '../src/cli/listen.js'
import { NOT_EMULATED_EVENTS, TRIGGER_FLOWS, triggerableEvents } from '../src/cli/trigger-flows.js'
import { decodeForm } from '../src/form-decode.js'
import { type EmulatorServer, startEmulatorServer } from '../src/server.js'

const root = `${import.meta.dirname}/../../..`
const DOMAIN_EVENTS = {
  ...financialConnectionsEvents,
  ...identityEvents,
  ...reportingEvents,
  ...sigmaEvents,
  ...sourceEvents,
  ...treasuryEvents,
}
const SEVEN = /^(source|customer\.source|treasury|sigma|reporting|financial_connections|identity|webhook_endpoint)\./

/** The seven domains' event types in stripe@23.1.0's `WebhookEndpointCreateParams.EnabledEvent`. */
function stripeEnabledEvents(): string[] {
  const types = readFileSync(`${root}/node_modules/stripe/esm/resources/WebhookEndpoints.d.ts`, 'utf8')
  const union = /namespace WebhookEndpointCreateParams \{[\s\S]*?type EnabledEvent = ([^;]+);/.exec(types)?.[1] ?? ''
  return [...union.matchAll(/'([a-z_.]+)'/g)].map((match) => match[1] as string).filter((type) => SEVEN.test(type))
}

/** Event type strings in the emulator's source (its domains and core, not the CLI's own table). */
function emittedInSource(known: readonly string[]): string[] {
  const dir = `${root}/packages/testing/src`
  const files = [
    ...readdirSync(dir).map((name) => join(dir, name)),
    ...readdirSync(`${dir}/domains`).map((name) => join(dir, 'domains', name)),
  ]
  const text = files
    .filter((file) => file.endsWith('.ts'))
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n')
  return known.filter((type) => text.includes(`'${type}'`)).sort()
}

interface Captured {
  out: string[]
  err: string[]
}

/** A `CliIO` that records what a command prints; `stop` aborts a long-running command. */
function captureIO(env: Record<string, string> = {}): { io: CliIO; captured: Captured; stop(): void } {
  const captured: Captured = { out: [], err: [] }
  const controller = new AbortController()
  return {
    captured,
    stop: () => controller.abort(),
    io: {
      out: (line) => captured.out.push(line),
      err: (line) => captured.err.push(line),
      env,
      signal: controller.signal,
      fetch: globalThis.fetch,
      readFile: async (path) => readFileSync(path, 'utf8'),
      sleep,
    },
  }
}

async function waitFor<T>(what: string, get: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = get()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

interface Received {
  body: string
  signature: string
}

let server: EmulatorServer
let hook: ReturnType<typeof createServer>
let hookURL: string
const received: Received[] = []

beforeAll(async () => {
  // the real clock, as the bin runs it: a report run finishes 1 s after it is created
  server = await startEmulatorServer({ port: 0, clock: 'real', reportRunDelay: 1 })
  hook = createServer((req: IncomingMessage, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      received.push({ body, signature: String(req.headers['stripe-signature']) })
      res.writeHead(200).end('{"received":true}')
    })
  })
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve))
  hookURL = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/webhook`
})

afterAll(async () => {
  await server?.close()
  await new Promise((resolve) => hook?.close(resolve))
})

const base = () => ['--api-base', server.url]

describe('trigger --list', () => {
  it('lists exactly the event types the emulator emits, all of them in stripe@23.1.0’s list; the rest are "not emulated"', async () => {
    const stripeTypes = stripeEnabledEvents()
    expect(stripeTypes).toHaveLength(65) // 61 of the seven domains + the four customer.source.*
    const { io, captured } = captureIO()
    expect(await runStripeCommand(['trigger', '--list'], io)).toBe(0)
    // every type of the seven domains but customer.source.expiring (no cards that expire: "Not emulated")
    expect(captured.out).toHaveLength(64)
    expect(captured.out).toEqual(stripeTypes.filter((type) => type !== 'customer.source.expiring').sort())
    expect([...NOT_EMULATED_EVENTS]).toEqual(['customer.source.expiring'])
    expect(captured.out).toEqual(emittedInSource(stripeTypes))
    expect(captured.out).toEqual(triggerableEvents())
    expect(captured.out.every((type) => stripeTypes.includes(type))).toBe(true)
    expect([...captured.out, ...NOT_EMULATED_EVENTS].sort()).toEqual([...stripeTypes].sort())
  })
})

describe('trigger → listen --forward-to', () => {
  it('every listable type, triggered with a fresh key, reaches the endpoint and verifies with verifyWebhook and stripe.webhooks.constructEvent', async () => {
    const stripe = new Stripe('sk_test_unused')
    const types = triggerableEvents()
    expect(types.length).toBe(Object.keys(TRIGGER_FLOWS).length)
    for (const [index, type] of types.entries()) {
      const key = `sk_test_cli${index}x${Date.now()}`
      const printed = captureIO()
      expect(await runStripeCommand(['listen', '--print-secret', '--api-key', key, ...base()], printed.io)).toBe(0)
      expect(printed.captured.out).toHaveLength(1)
      const secret = printed.captured.out[0] as string
      expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/)

      const listener = captureIO()
      const listening = runStripeCommand(['listen', '--forward-to', hookURL, '--format', 'json', '--api-key', key, ...base()], listener.io)
      await waitFor('listen to be ready', () => (listener.captured.err.some((line) => line.startsWith('Ready!')) ? true : undefined))
      const triggered = captureIO()
      const status = await runStripeCommand(['trigger', type, '--api-key', key, ...base()], triggered.io)
      expect(status, `${type}: ${triggered.captured.err.join('\n')}`).toBe(0)
      const id = /Trigger succeeded! \S+ (evt_\w+)/.exec(triggered.captured.out.at(-1) ?? '')?.[1]
      expect(id, type).toBeDefined()
      const delivery = await waitFor(`${type} at the endpoint`, () => received.find((item) => item.body.includes(`"id": "${id}"`)))
      await waitFor(`${type}'s delivery line`, () => listener.captured.out.find((line) => line.includes(id as string)))
      listener.stop()
      expect(await listening).toBe(0)

      const line = JSON.parse(listener.captured.out.find((item) => item.includes(id as string)) as string)
      expect(line).toMatchObject({ type, id, status: 200, url: hookURL })
      const ours = await verifyWebhook(delivery.body, delivery.signature, secret)
      expect(ours).toMatchObject({ id, type })
      const theirs = stripe.webhooks.constructEvent(delivery.body, delivery.signature, secret)
      expect(theirs).toMatchObject({ id, type })
      // the object matches the domain package's schema for the type, strictly (every type but the
      // financial_connections.authorization.* ones, which no domain package has a schema for; the
      // customer.source.* ones carry a Source: checked against the Source schema of source.* events)
      const checked = type.startsWith('customer.source.') ? { ...ours, type: 'source.chargeable' } : ours
      const typed = narrowEvent(checked as unknown as StripeEvent, DOMAIN_EVENTS, { strict: true })
      if (!type.startsWith('financial_connections.authorization.')) expect(typed, type).toBeDefined()
      // the wrong secret (another key's) does not verify
      await expect(verifyWebhook(delivery.body, delivery.signature, await listenSecret(`${key}other`))).rejects.toThrow()
    }
  }, 180_000)

  it('--events filters the forwarded types; the secret is stable per account and differs between accounts', async () => {
    const key = `sk_test_filter${Date.now()}`
    const listener = captureIO()
    const listening = runStripeCommand(
      ['listen', '-f', hookURL.replace('http://', ''), '--events', 'treasury.received_credit.created', '--api-key', key, ...base()],
      listener.io,
    )
    await waitFor('listen', () => (listener.captured.err.some((line) => line.startsWith('Ready!')) ? true : undefined))
    expect(await runStripeCommand(['trigger', 'treasury.received_credit.created', '--api-key', key, ...base()], captureIO().io)).toBe(0)
    await waitFor('the received credit', () => listener.captured.out.find((line) => line.includes('treasury.received_credit.created')))
    await sleep(500)
    listener.stop()
    await listening
    // the flow also raised treasury.financial_account.created: not forwarded
    expect(listener.captured.out).toHaveLength(1)
    expect(listener.captured.out[0]).toMatch(/--> treasury\.received_credit\.created \[evt_\w+\] {2}<-- \[200\] POST http:\/\/127\.0\.0\.1/)

    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9_]{1,40}$/), fc.stringMatching(/^[A-Za-z0-9_]{1,40}$/), async (a, b) => {
        const secret = await listenSecret(`sk_test_${a}`)
        expect(await listenSecret(`sk_test_${a}`)).toBe(secret)
        expect(await listenSecret(`rk_test_${a}`)).toBe(secret) // one account: sk/rk/pk with the same suffix
        if (a !== b) expect(await listenSecret(`sk_test_${b}`)).not.toBe(secret)
      }),
      { numRuns: 50 },
    )
  })

  it('a stuck endpoint fails its delivery after --timeout, and listen goes on with the next event', async () => {
    const stuck = createServer(() => undefined) // never answers
    await new Promise<void>((resolve) => stuck.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(stuck.address() as AddressInfo).port}/`
    const key = `sk_test_stuck${Date.now()}`
    const listener = captureIO()
    const listening = runStripeCommand(['listen', '--forward-to', url, '--timeout', '0.5', '--api-key', key, ...base()], listener.io)
    await waitFor('listen', () => (listener.captured.err.some((line) => line.startsWith('Ready!')) ? true : undefined))
    expect(await runStripeCommand(['trigger', 'identity.verification_session.created', '--api-key', key, ...base()], captureIO().io)).toBe(
      0,
    )
    const line = await waitFor('the timed-out delivery', () => listener.captured.out.find((item) => item.includes('[ERR]')))
    expect(line).toContain('no answer within 0.5 s')
    expect(await runStripeCommand(['trigger', 'sigma.scheduled_query_run.created', '--api-key', key, ...base()], captureIO().io)).toBe(0)
    await waitFor('the next delivery', () => listener.captured.out.find((item) => item.includes('sigma.scheduled_query_run.created')))
    expect(listener.captured.out).toHaveLength(2)
    listener.stop()
    await listening
    stuck.closeAllConnections()
    await new Promise((resolve) => stuck.close(resolve))
  })
})

describe('fixtures FILE', () => {
  it('runs a Stripe CLI fixture file with references, .env values, an expected error and --override', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgestripe-fixtures-'))
    const file = join(dir, 'treasury.json')
    writeFileSync(
      file,
      JSON.stringify({
        _meta: { template_version: 0 },
        fixtures: [
          {
            name: 'fa',
            path: '/v1/treasury/financial_accounts',
            method: 'post',
            params: { supported_currencies: ['usd'], metadata: { via: 'fixture' } },
          },
          {
            name: 'credit',
            path: '/v1/test_helpers/treasury/received_credits',
            method: 'post',
            params: { financial_account: '${fa:id}', amount: '${.env:CREDIT_AMOUNT}', currency: 'usd', network: 'ach' },
          },
          { name: 'fa_again', path: '/v1/treasury/financial_accounts/${fa:id}', method: 'get' },
          {
            name: 'credits',
            path: '/v1/treasury/received_credits',
            method: 'get',
            params: { financial_account: '${fa_again:id}', limit: 3 },
          },
          {
            name: 'missing',
            path: '/v1/treasury/received_credits/rc_nope',
            method: 'get',
            expected_error_type: 'invalid_request_error',
          },
          {
            name: 'second',
            path: '/v1/test_helpers/treasury/received_credits',
            method: 'post',
            params: { financial_account: '${credits:data.0.financial_account}', amount: 5, currency: 'usd', network: 'ach' },
          },
        ],
      }),
    )
    const key = `sk_test_fixtures${Date.now()}`
    const { io, captured } = captureIO({ CREDIT_AMOUNT: '4321' })
    const status = await runStripeCommand(['fixtures', file, '--override', 'second:amount=77', '--api-key', key, ...base()], io)
    expect(status, captured.err.join('\n')).toBe(0)
    expect(captured.out).toContain('Running fixture for: credit')
    const control = server.emulator.controlFor(key)
    const credits = control.objects('treasury.received_credit')
    const fa = credits.find((credit) => credit.amount === 4321)?.financial_account
    expect(fa).toMatch(/^fa_/)
    expect(credits.filter((credit) => credit.financial_account === fa).map((credit) => credit.amount)).toEqual([77, 4321])
    expect(control.objects('treasury.financial_account').find((item) => item.id === fa)?.metadata).toEqual({
      via: 'fixture',
    })
  })

  it('an undeclared reference, a bad file and a failing request are one line and exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgestripe-fixtures-'))
    const cases: [unknown, RegExp][] = [
      [
        { fixtures: [{ name: 'a', path: '/v1/treasury/financial_accounts/${nope:id}', method: 'get' }] },
        /undeclared fixture name was referenced: nope/,
      ],
      [{ fixtures: [{ name: 'a', path: 'https://api.stripe.com/v1/x', method: 'get' }] }, /path must start with \/v1\//],
      [{ _meta: { template_version: 1 }, fixtures: [] }, /template_version 1 is not supported/],
      [
        { fixtures: [{ name: 'a', path: '/v1/treasury/financial_accounts', method: 'post' }] },
        /fixture a: POST \/v1\/treasury\/financial_accounts answered 400/,
      ],
    ]
    for (const [index, [content, message]] of cases.entries()) {
      const file = join(dir, `f${index}.json`)
      writeFileSync(file, JSON.stringify(content))
      const { io, captured } = captureIO()
      expect(await runStripeCommand(['fixtures', file, ...base()], io)).toBe(2)
      expect(captured.err).toHaveLength(1)
      expect(captured.err[0]).toMatch(message)
    }
  })

  it('params go out in the Stripe CLI’s form encoding, which the emulator decodes back (property)', () => {
    const leaf = fc.stringMatching(/^[A-Za-z0-9 _.:/-]{0,12}$/)
    const name = fc.stringMatching(/^[a-z][a-z_]{0,8}$/)
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(leaf, { minLength: 1, maxLength: 3 }),
        fc.array(fc.dictionary(name, leaf, { minKeys: 1, maxKeys: 3 }), { minLength: 1, maxLength: 3 }),
        fc.dictionary(name, tie('node'), { minKeys: 1, maxKeys: 3 }),
      ),
    })).node
    fc.assert(
      fc.property(fc.dictionary(name, tree, { minKeys: 1, maxKeys: 4 }), (params) => {
        const decoded = decodeForm(encodeFixtureForm(params))
        // numeric-keyed objects (`a[0][k]`) are how Stripe's decoder reads an array of objects
        const normalise = (value: unknown): unknown =>
          Array.isArray(value)
            ? value.map(normalise)
            : value && typeof value === 'object'
              ? Object.keys(value).every((key) => /^\d+$/.test(key))
                ? Object.values(value).map(normalise)
                : Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, normalise(inner)]))
              : value
        expect(normalise(decoded)).toEqual(normalise(params))
      }),
      { numRuns: 300 },
    )
  })

  it('--override, --add and --remove rewrite params as the Stripe CLI does', () => {
    const data = { fixtures: [{ name: 'fa', path: '/v1/x', method: 'post', params: { a: '1', nested: { b: '2' } } }] }
    const rewritten = applyRewrites(data, { override: ['fa:a=9', 'fa:nested.c=3'], add: ['fa:a=7', 'fa:d=4'], remove: ['fa:nested.b'] })
    expect(rewritten.fixtures[0]?.params).toEqual({ a: '9', d: '4', nested: { c: '3' } })
    expect(data.fixtures[0]?.params).toEqual({ a: '1', nested: { b: '2' } })
    expect(() => applyRewrites(data, { override: ['nope:a=1'] })).toThrow(/no fixture named nope/)
    expect(() => applyRewrites(data, { override: ['fa:a'] })).toThrow(/needs a value/)
    expect(() => applyRewrites(data, { remove: ['a'] })).toThrow(/needs a fixture name/)
  })
})

describe('logs tail', () => {
  it('prints new requests with request and response bodies, secrets redacted, filtered by status and method', async () => {
    const key = `sk_test_logs${Date.now()}`
    const tail = captureIO()
    const tailing = runStripeCommand(
      ['logs', 'tail', '--format', 'json', '--filter-http-method', 'POST', '--api-key', key, ...base()],
      tail.io,
    )
    await waitFor('tail', () => (tail.captured.err.some((line) => line.startsWith('Ready!')) ? true : undefined))
    const auth = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/x-www-form-urlencoded' }
    const leaked = 'sk_test_LeakedInMetadata1234'
    const endpoint = await fetch(`${server.url}/v1/webhook_endpoints`, {
      method: 'POST',
      headers: auth,
      body: `url=${encodeURIComponent(hookURL)}&enabled_events[]=*&metadata[note]=${leaked}`,
    })
    const { secret } = (await endpoint.json()) as { secret: string }
    await fetch(`${server.url}/v1/identity/verification_sessions`, { method: 'POST', headers: auth, body: 'type=document' })
    await fetch(`${server.url}/v1/treasury/financial_accounts/fa_missing`, { headers: auth })
    const lines = await waitFor('two POSTs', () => (tail.captured.out.length >= 2 ? tail.captured.out : undefined))
    await sleep(400)
    tail.stop()
    await tailing
    const text = tail.captured.out.join('\n')
    const logged = tail.captured.out.map((line) => JSON.parse(line))
    expect(logged.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
      ['POST', '/v1/webhook_endpoints', 200],
      ['POST', '/v1/identity/verification_sessions', 200],
    ])
    expect(lines[0]).toContain('metadata[note]=sk_test_…1234')
    expect(logged[0].responseBody).toContain('"secret": "[redacted]"')
    expect(logged[1].responseBody).toContain('"client_secret": "[redacted]"')
    expect(text).not.toContain(leaked)
    expect(text).not.toContain(secret)

    const failed = captureIO()
    const failing = runStripeCommand(['logs', 'tail', '--filter-status-code', '4XX', '--api-key', key, ...base()], failed.io)
    await waitFor('tail', () => (failed.captured.err.some((line) => line.startsWith('Ready!')) ? true : undefined))
    await fetch(`${server.url}/v1/treasury/financial_accounts/fa_missing`, { headers: auth })
    await fetch(`${server.url}/v1/reporting/report_types`, { headers: auth })
    await waitFor('the 404', () =>
      failed.captured.out.find((line) => line.includes('[404] GET /v1/treasury/financial_accounts/fa_missing')),
    )
    await sleep(400)
    failed.stop()
    await failing
    expect(failed.captured.out.join('\n')).not.toContain('report_types')
  })

  it('the emulator never serves a secret from its request log (property over keys, whsec_ secrets and client secrets)', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9]{12,40}$/)
    fc.assert(
      fc.property(
        fc.constantFrom('sk', 'rk', 'pk', 'ek'),
        token,
        token,
        token,
        fc.string({ maxLength: 20 }),
        (kind, key, hook, client, noise) => {
          const body = JSON.stringify(
            { note: `${noise} ${kind}_test_${key} ${noise}`, secret: `whsec_${hook}`, nested: { client_secret: client } },
            null,
            2,
          )
          const form = `metadata[a]=${kind}_test_${key}&client_secret=${client}&x=whsec_${hook}`
          for (const text of [body, form]) {
            const redacted = redact(text)
            expect(redacted).not.toContain(`${kind}_test_${key}`)
            expect(redacted).not.toContain(`whsec_${hook}`)
            expect(redacted).not.toContain(client)
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('errors', () => {
  it('unknown event, not emulated yet, unreachable emulator (naming the URL), bad flag: one line and exit 2', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const deadURL = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`
    await new Promise((resolve) => closed.close(resolve))
    const cases: [string[], RegExp][] = [
      [['trigger', 'charge.nope', ...base()], /^edgestripe-emulator trigger: unknown event charge\.nope/],
      [['trigger', 'customer.source.expiring', ...base()], /^edgestripe-emulator trigger: customer\.source\.expiring is not emulated yet/],
      [['trigger', 'source.failed', '--api-base', deadURL], new RegExp(`cannot reach the emulator at ${deadURL}`)],
      [['listen', '--forward-to', hookURL, '--api-base', deadURL], new RegExp(`cannot reach the emulator at ${deadURL}`)],
      [['logs', 'tail', '--api-base', deadURL], new RegExp(`cannot reach the emulator at ${deadURL}`)],
      [['listen', '--api-key', 'sk_live_x', '--print-secret'], /Invalid --api-key/],
      [['trigger', 'source.failed', '--override', 'nope:a=1', ...base()], /no fixture named nope/],
      [['logs', 'follow'], /unknown logs command follow/],
    ]
    for (const [argv, message] of cases) {
      const { io, captured } = captureIO()
      expect(await runStripeCommand(argv, io), argv.join(' ')).toBe(2)
      expect(captured.err[0], argv.join(' ')).toMatch(message)
      // one line, then the usage for a bad command line
      if (captured.err.length > 1) expect(captured.err[1]).toMatch(/^\nUsage: /)
    }
    const { io, captured } = captureIO()
    expect(await runStripeCommand(['trigger', 'source.failed', '--bogus'], io)).toBe(2)
    expect(captured.err).toEqual([
      'edgestripe-emulator trigger: unknown flag --bogus',
      expect.stringMatching(/^\nUsage: edgestripe-emulator trigger/),
    ])
  })

  it('the bin (tsx, a child process): trigger, --list and errors end to end', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('node', ['--import', 'tsx', `${root}/packages/testing/src/bin.ts`, ...args], {
          cwd: root,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, STRIPE_API_KEY: `sk_test_bin${Date.now()}` },
        })
        let stdout = ''
        let stderr = ''
        child.stdout.on('data', (chunk) => {
          stdout += chunk
        })
        child.stderr.on('data', (chunk) => {
          stderr += chunk
        })
        child.on('close', (code) => resolve({ code, stdout, stderr }))
      })
    const list = await run(['trigger', '--list'])
    expect(list.code).toBe(0)
    expect(list.stdout.trim().split('\n')).toEqual(triggerableEvents())
    const ok = await run(['trigger', 'treasury.outbound_payment.posted', ...base()])
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toMatch(/Trigger succeeded! treasury\.outbound_payment\.posted evt_/)
    const unknown = await run(['trigger', 'nope', ...base()])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1)
    const secret = await run(['listen', '--print-secret'])
    expect(secret.code).toBe(0)
    expect(secret.stdout).toMatch(/^whsec_[0-9a-f]{64}\n$/)
  }, 60_000)

  it('the bin’s listen forwards until SIGINT, then exits 0', async () => {
    const key = `sk_test_binlisten${Date.now()}`
    const child = spawn(
      'node',
      ['--import', 'tsx', `${root}/packages/testing/src/bin.ts`, 'listen', '--forward-to', hookURL, '--api-key', key, ...base()],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    try {
      await waitFor('Ready!', () => (stderr.includes('Ready!') ? true : undefined), 30_000)
      expect(stderr).toContain(await listenSecret(key))
      expect(await runStripeCommand(['trigger', 'reporting.report_run.failed', '--api-key', key, ...base()], captureIO().io)).toBe(0)
      await waitFor('the delivery line', () =>
        /--> reporting\.report_run\.failed \[evt_\w+\] {2}<-- \[200\]/.test(stdout) ? true : undefined,
      )
    } finally {
      child.kill('SIGINT')
    }
    expect(await exited).toBe(0)
  }, 60_000)
})

describe('the request log with bodies, over HTTP', () => {
  it('GET /_emulator/requests?after=<seq> answers the requests after seq, redacted; a bad after is a 400; without after, the log as before', async () => {
    const key = `sk_test_reqlog${Date.now()}`
    const auth = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/x-www-form-urlencoded' }
    const all = async (after: string) =>
      (await (await fetch(`${server.url}/_emulator/requests?after=${after}`, { headers: { Authorization: `Bearer ${key}` } })).json()) as {
        data: any[]
      }
    const last = (await all('0')).data.at(-1)?.seq ?? 0
    const post = () =>
      fetch(`${server.url}/v1/sources`, {
        method: 'POST',
        headers: { ...auth, 'Idempotency-Key': `k-${key}` },
        body: 'type=ach_credit_transfer&currency=usd',
      })
    const first = await (await post()).json()
    await post() // replayed: the same body again
    const fresh = (await all(String(last))).data
    expect(fresh.map((entry) => [entry.seq - last, entry.method, entry.path, entry.status, entry.replayed])).toEqual([
      [1, 'POST', '/v1/sources', 200, false],
      [2, 'POST', '/v1/sources', 200, true],
    ])
    expect(fresh[0].requestBody).toBe('type=ach_credit_transfer&currency=usd')
    expect(JSON.parse(fresh[1].responseBody)).toMatchObject({ id: first.id, client_secret: '[redacted]' })
    expect(JSON.stringify(fresh)).not.toContain(first.client_secret)
    expect((await all(String(last + 2))).data).toEqual([])
    expect((await fetch(`${server.url}/_emulator/requests?after=-1`, { headers: { Authorization: `Bearer ${key}` } })).status).toBe(400)
    const plain = (await (await fetch(`${server.url}/_emulator/requests`, { headers: { Authorization: `Bearer ${key}` } })).json()) as {
      data: any[]
    }
    expect(plain.data.at(-1)).not.toHaveProperty('responseBody')
  })

  it('trigger --stripe-account runs the flow, controls included, on the connected account', async () => {
    const { io, captured } = captureIO()
    expect(
      await runStripeCommand(['trigger', 'source.failed', '--stripe-account', 'acct_connected1', ...base()], io),
      captured.err.join('\n'),
    ).toBe(0)
    const events = server.emulator.controlFor('sk_test_emulator').events({ type: 'source.failed', account: 'acct_connected1' })
    expect(events).toHaveLength(1)
    expect(captured.out.at(-1)).toContain(events[0]?.id)
  })
})

describe('listen forwards each new event exactly once', () => {
  it('events raised while it polls (several flows back to back) are each forwarded once, none of those before it started', async () => {
    const key = `sk_test_once${Date.now()}`
    const control = server.emulator.controlFor(key)
    const before = new Set(control.events().map((event) => event.id))
    const listener = captureIO()
    const listening = runStripeCommand(['listen', '--forward-to', hookURL, '--format', 'json', '--api-key', key, ...base()], listener.io)
    await waitFor('listen', () => (listener.captured.err.some((line) => line.startsWith('Ready!')) ? true : undefined))
    const flows = [
      'treasury.outbound_transfer.returned',
      'identity.verification_session.verified',
      'source.chargeable',
      'treasury.debit_reversal.created',
    ]
    await Promise.all(flows.map((type) => runStripeCommand(['trigger', type, '--api-key', key, ...base()], captureIO().io)))
    const raised = control
      .events()
      .filter((event) => !before.has(event.id))
      .map((event) => event.id)
    expect(raised.length).toBeGreaterThan(flows.length)
    await waitFor('every event', () => (listener.captured.out.length >= raised.length ? true : undefined))
    await sleep(600)
    listener.stop()
    await listening
    const forwarded = listener.captured.out.map((line) => JSON.parse(line).id as string)
    expect([...forwarded].sort()).toEqual([...raised].sort())
  })
})

describe('fixtures: the Stripe CLI’s own trigger files for our domains', () => {
  // verbatim from stripe/stripe-cli pkg/fixtures/triggers/identity.verification_session.{created,canceled,redacted}.json
  const session = {
    name: 'verification_session',
    path: '/v1/identity/verification_sessions',
    method: 'post',
    params: { type: 'document', 'options[document][require_matching_selfie]': true, return_url: 'https://stripe.com' },
  }
  const files: Record<string, unknown> = {
    'identity.verification_session.created': { _meta: { template_version: 0 }, fixtures: [session] },
    'identity.verification_session.canceled': {
      _meta: { template_version: 0 },
      fixtures: [
        session,
        {
          name: 'verification_session_canceled',
          path: '/v1/identity/verification_sessions/${verification_session:id}/cancel',
          method: 'post',
        },
      ],
    },
    'identity.verification_session.redacted': {
      _meta: { template_version: 0 },
      fixtures: [
        session,
        {
          name: 'verification_session_redacted',
          path: '/v1/identity/verification_sessions/${verification_session:id}/redact',
          method: 'post',
        },
      ],
    },
  }

  it.each(Object.keys(files))('%s runs unchanged and the emulator emits the event', async (type) => {
    const dir = mkdtempSync(join(tmpdir(), 'edgestripe-fixtures-'))
    const file = join(dir, `${type}.json`)
    writeFileSync(file, JSON.stringify(files[type], null, 2))
    const control = server.emulator.controlFor('sk_test_emulator')
    const before = new Set(control.events({ type }).map((event) => event.id))
    const { io, captured } = captureIO()
    expect(await runStripeCommand(['fixtures', file, ...base()], io), captured.err.join('\n')).toBe(0)
    const fresh = control.events({ type }).filter((event) => !before.has(event.id))
    expect(fresh).toHaveLength(1)
    expect(fresh[0]?.data.object).toMatchObject({
      object: 'identity.verification_session',
      options: { document: { require_matching_selfie: true } },
    })
  })
})
