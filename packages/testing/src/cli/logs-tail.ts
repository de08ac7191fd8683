// `edgestripe-emulator logs tail`: the emulator's API requests as they happen, with their request
// and response bodies (redacted by the emulator: request-log.ts), filtered as `stripe logs tail`
// filters them. Reads `GET /_emulator/requests?after=<seq>` from this process until stopped.
import { send } from './emulator-api.js'
import { commaList, type FlagKind, parseFlags, targetOf } from './flags.js'
import { CliError, type CliIO } from './io.js'

export const LOGS_USAGE = `Usage: edgestripe-emulator logs tail [flags]
  Prints the emulator's API requests as they happen, with request and response bodies (secrets redacted).
  --format json                     one JSON object per request
  --filter-http-method GET,POST     only these methods
  --filter-status-code 200,404      only these statuses
  --filter-status-code-type 2XX,4XX only these classes of status
  --filter-request-path /v1/…       only these paths (comma-separated)
  --filter-request-status succeeded|failed
  --api-base URL                    the emulator (default http://127.0.0.1:12180)
  --api-key KEY                     test key (default $STRIPE_API_KEY, else sk_test_emulator)`

const FLAGS: Record<string, FlagKind> = {
  '--format': 'string',
  '--filter-http-method': 'list',
  '--filter-status-code': 'list',
  '--filter-status-code-type': 'list',
  '--filter-request-path': 'list',
  '--filter-request-status': 'list',
}

/** How often the request log is read (ms). */
export const LOGS_POLL_MS = 250

interface Logged {
  seq: number
  time: number
  method: string
  path: string
  query?: string
  status: number
  requestId: string
  requestBody: string | null
  responseBody: string | null
}

/** The filters, checked; a request passes when it matches every filter given. */
function buildFilter(flags: ReturnType<typeof parseFlags>): (logged: Logged) => boolean {
  const methods = commaList(flags.lists.get('--filter-http-method')).map((method) => method.toUpperCase())
  for (const method of methods) {
    if (!['GET', 'POST', 'DELETE'].includes(method))
      throw new CliError(`Invalid --filter-http-method: ${method} (GET, POST or DELETE)`, { usage: true })
  }
  const codes = commaList(flags.lists.get('--filter-status-code'))
  const types = commaList(flags.lists.get('--filter-status-code-type')).map((type) => type.toUpperCase())
  for (const code of codes) {
    if (!/^[1-5](\d\d|XX)$/i.test(code)) throw new CliError(`Invalid --filter-status-code: ${code} (e.g. 200 or 4XX)`, { usage: true })
  }
  for (const type of types) {
    if (!/^[1-5]XX$/.test(type)) throw new CliError(`Invalid --filter-status-code-type: ${type} (e.g. 2XX)`, { usage: true })
  }
  const paths = commaList(flags.lists.get('--filter-request-path'))
  const outcomes = commaList(flags.lists.get('--filter-request-status'))
  for (const outcome of outcomes) {
    if (outcome !== 'succeeded' && outcome !== 'failed')
      throw new CliError(`Invalid --filter-request-status: ${outcome} (succeeded or failed)`, { usage: true })
  }
  const statusMatches = (status: number) =>
    (!codes.length || codes.some((code) => (/xx$/i.test(code) ? String(status)[0] === code[0] : String(status) === code))) &&
    (!types.length || types.some((type) => String(status)[0] === type[0]))
  return (logged) =>
    (!methods.length || methods.includes(logged.method)) &&
    statusMatches(logged.status) &&
    (!paths.length || paths.includes(logged.path)) &&
    (!outcomes.length || outcomes.includes(logged.status >= 200 && logged.status < 300 ? 'succeeded' : 'failed'))
}

function describe(logged: Logged): string[] {
  const time = new Date(logged.time * 1000).toISOString().replace('T', ' ').slice(0, 19)
  const lines = [
    `${time} [${logged.status}] ${logged.method} ${logged.path}${logged.query ? `?${logged.query}` : ''} [${logged.requestId}]`,
  ]
  if (logged.requestBody) lines.push(`  request:  ${logged.requestBody}`)
  if (logged.responseBody !== null) lines.push(`  response: ${logged.responseBody.replace(/\n\s*/g, ' ')}`)
  return lines
}

/** Runs `logs tail` until `io.signal` aborts; returns the exit status. */
export async function logs(argv: readonly string[], io: CliIO): Promise<number> {
  const flags = parseFlags(argv, FLAGS)
  if (flags.booleans.has('--help')) {
    io.out(LOGS_USAGE)
    return 0
  }
  if (flags.positionals[0] !== 'tail' || flags.positionals.length > 1) {
    throw new CliError(
      flags.positionals.length ? `unknown logs command ${flags.positionals.join(' ')} (logs tail)` : 'logs needs a command: logs tail',
      {
        usage: true,
      },
    )
  }
  const format = flags.values.get('--format') ?? 'text'
  if (format !== 'json' && format !== 'text') throw new CliError(`Invalid --format: ${format} (json)`, { usage: true })
  const passes = buildFilter(flags)
  const target = targetOf(flags, io.env)
  const read = async (after: number): Promise<Logged[]> => {
    const answer = await send(io, target, 'GET', `/_emulator/requests?after=${after}`)
    const data = (answer.body as { data?: Logged[] } | null)?.data
    return Array.isArray(data) ? data : []
  }
  // as `stripe logs tail`: from now on (the requests already logged are not shown)
  let after = (await read(0)).reduce((last, logged) => Math.max(last, logged.seq), 0)
  io.err(`Ready! Tailing the emulator's requests at ${target.apiBase} (^C to quit)`)
  let unreachable = false
  while (!io.signal.aborted) {
    await io.sleep(LOGS_POLL_MS, io.signal)
    if (io.signal.aborted) break
    let fresh: Logged[]
    try {
      fresh = await read(after)
      unreachable = false
    } catch (error) {
      if (!(error instanceof CliError)) throw error
      if (!unreachable) io.err(`${error.message}; retrying`)
      unreachable = true
      continue
    }
    for (const logged of fresh) {
      after = Math.max(after, logged.seq)
      if (!passes(logged)) continue
      if (format === 'json') io.out(JSON.stringify(logged))
      else for (const line of describe(logged)) io.out(line)
    }
  }
  return 0
}
