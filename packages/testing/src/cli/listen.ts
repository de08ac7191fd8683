// `edgestripe-emulator listen --forward-to URL`: forwards the account's events, as they happen, to
// a local endpoint, signed like Stripe's deliveries (`Stripe-Signature: t=…,v1=…`) with a `whsec_`
// secret derived from the API key (stable per account, so a server can keep it in its config).
// It polls the emulator's event log from this process; each forward has a timeout.

import { signedPost } from '../events/signing.js'
import { type EmulatorTarget, send } from './emulator-api.js'
import { commaList, type FlagKind, parseFlags, targetOf } from './flags.js'
import { CliError, type CliIO } from './io.js'

export const LISTEN_USAGE = `Usage: edgestripe-emulator listen --forward-to URL [flags]
  Forwards the account's events to URL, signed with a whsec_ secret that is stable for the API key.
  --forward-to URL       where to POST each event (e.g. localhost:4242/webhook)
  --events a,b           only these event types (default: all)
  --print-secret         print the webhook signing secret and exit
  --format json          one JSON object per delivery instead of a line of text
  --timeout SECONDS      how long the endpoint has to answer (default 10)
  --api-base URL         the emulator (default http://127.0.0.1:12180)
  --api-key KEY          test key (default $STRIPE_API_KEY, else sk_test_emulator)`

const FLAGS: Record<string, FlagKind> = {
  '--forward-to': 'string',
  '--events': 'list',
  '--print-secret': 'boolean',
  '--format': 'string',
  '--timeout': 'string',
}
const ALIASES = { '-f': '--forward-to', '-e': '--events' }

/** How often the event log is read (ms). */
export const POLL_INTERVAL_MS = 200

/**
 * The listen secret for a key: `whsec_` + hex HMAC-SHA-256 of the key's account part (`X` in
 * `sk_test_X`, `rk_test_X`, `pk_test_X`: one account), so it is the same on every run.
 */
export async function listenSecret(apiKey: string): Promise<string> {
  const account = apiKey.replace(/^(sk|rk|pk)_test_/, '')
  const encoder = new TextEncoder()
  const key = await crypto.subtle.importKey('raw', encoder.encode('edgestripe-emulator listen'), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(account)))
  return `whsec_${Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('')}`
}

/** `localhost:4242/hook` → `http://localhost:4242/hook` (as the Stripe CLI reads it); http(s) only. */
export function parseForwardTo(value: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw new CliError(`Invalid --forward-to: ${value} (a URL such as localhost:4242/webhook)`, { usage: true })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliError(`Invalid --forward-to: ${value} (http or https)`, { usage: true })
  return url.href
}

interface ListedEvent {
  id: string
  type: string
  [key: string]: unknown
}

async function listEvents(io: CliIO, target: EmulatorTarget): Promise<ListedEvent[]> {
  const answer = await send(io, target, 'GET', '/_emulator/events')
  const data = (answer.body as { data?: ListedEvent[] } | null)?.data
  return Array.isArray(data) ? data : []
}

export interface Forwarded {
  type: string
  id: string
  /** the endpoint's HTTP status; null when it failed to answer */
  status: number | null
  url: string
  duration_ms: number
  error?: string
}

/** POSTs one event, signed, to `url` within `timeoutMs` (the body is read too, and dropped). */
export async function forwardEvent(io: CliIO, event: ListedEvent, url: string, secret: string, timeoutMs: number): Promise<Forwarded> {
  const payload = JSON.stringify(event, null, 2)
  const post = await signedPost(payload, secret, Math.floor(Date.now() / 1000))
  const started = Date.now()
  const result: Forwarded = { type: event.type, id: event.id, status: null, url, duration_ms: 0 }
  try {
    const response = await io.fetch(url, {
      ...post,
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), io.signal]),
    })
    result.status = response.status
    await response.body?.cancel().catch(() => undefined)
  } catch (error) {
    result.error =
      (error as Error)?.name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : `cannot reach ${url}: ${(error as Error)?.message ?? String(error)}`
  }
  result.duration_ms = Date.now() - started
  return result
}

function describe(forwarded: Forwarded): string {
  const time = new Date().toISOString().replace('T', ' ').slice(0, 19)
  const answer = forwarded.status === null ? `[ERR] ${forwarded.error}` : `[${forwarded.status}]`
  return `${time}  --> ${forwarded.type} [${forwarded.id}]  <-- ${answer} POST ${forwarded.url}`
}

/** Runs `listen` until `io.signal` aborts; returns the exit status. */
export async function listen(argv: readonly string[], io: CliIO): Promise<number> {
  const flags = parseFlags(argv, FLAGS, ALIASES)
  if (flags.booleans.has('--help')) {
    io.out(LISTEN_USAGE)
    return 0
  }
  if (flags.positionals.length) throw new CliError(`unexpected argument ${flags.positionals[0]}`, { usage: true })
  const target = targetOf(flags, io.env)
  const secret = await listenSecret(target.apiKey)
  if (flags.booleans.has('--print-secret')) {
    io.out(secret)
    return 0
  }
  const forwardTo = flags.values.get('--forward-to')
  if (forwardTo === undefined) throw new CliError('listen needs --forward-to URL (or --print-secret)', { usage: true })
  const url = parseForwardTo(forwardTo)
  const format = flags.values.get('--format') ?? 'text'
  if (format !== 'json' && format !== 'text') throw new CliError(`Invalid --format: ${format} (json)`, { usage: true })
  const timeoutText = flags.values.get('--timeout') ?? '10'
  const timeoutSeconds = Number(timeoutText)
  if (!/^\d+(\.\d+)?$/.test(timeoutText) || timeoutSeconds <= 0 || timeoutSeconds > 300) {
    throw new CliError(`Invalid --timeout: ${timeoutText} (seconds, at most 300)`, { usage: true })
  }
  const wanted = commaList(flags.lists.get('--events'))
  const wants = (type: string) => !wanted.length || wanted.includes('*') || wanted.includes(type)
  // the events already there are not forwarded: only what happens from now on
  let seen = new Set((await listEvents(io, target)).map((event) => event.id))
  io.err(`Ready! Forwarding events to ${url}. Your webhook signing secret is ${secret} (^C to quit)`)
  let unreachable = false
  while (!io.signal.aborted) {
    await io.sleep(POLL_INTERVAL_MS, io.signal)
    if (io.signal.aborted) break
    let events: ListedEvent[]
    try {
      events = await listEvents(io, target)
      if (unreachable) io.err(`Reconnected to the emulator at ${target.apiBase}`)
      unreachable = false
    } catch (error) {
      if (!(error instanceof CliError)) throw error
      if (!unreachable) io.err(`${error.message}; retrying`)
      unreachable = true
      continue
    }
    for (const event of events) {
      if (seen.has(event.id) || io.signal.aborted) continue
      seen.add(event.id)
      if (!wants(event.type)) continue
      const forwarded = await forwardEvent(io, event, url, secret, timeoutSeconds * 1000)
      io.out(format === 'json' ? JSON.stringify(forwarded) : describe(forwarded))
    }
    // keep only ids the log still holds: the set stays as small as the emulator's event log
    const present = new Set(events.map((event) => event.id))
    seen = new Set([...seen].filter((id) => present.has(id)))
  }
  return 0
}
