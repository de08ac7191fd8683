/// <reference types="node" />
// `edgestripe-emulator` (and `pnpm emulator` in this repo): flags → `startEmulatorServer`, a banner,
// one line and exit status 2 for anything that stops it from starting.
import { isStripeCommand, runStripeCommand } from './cli/commands.js'
import { nodeIO } from './cli/node-io.js'
import { createEmulator } from './emulator.js'
import { DEFAULT_PORT, type EmulatorServerOptions, resolveWebhookHost, startEmulatorServer } from './server.js'
import { readStateFile, writeStateFile } from './state-file.js'

export const USAGE = `Usage: edgestripe-emulator [start] [--port N] [--host HOST] [--clock real|manual] [--now UNIX_SECONDS] [--report-run-delay SECONDS] [--state FILE] [--persist DIR] [--shared-account]
                           [--allowed-host HOST]... [--cors-origin ORIGIN]... [--allow-private-webhooks]
  --port N                     port to listen on, 0 = any free one (default ${DEFAULT_PORT})
  --host HOST                  interface to listen on (default 127.0.0.1)
  --clock real|manual          real (default): emulator time follows the wall clock from start, so
                               report runs finish by themselves; manual: time moves only through
                               POST /_emulator/advance
  --now UNIX_SECONDS           emulator time at start (default: the wall clock)
  --report-run-delay SECONDS   how long a report run stays pending, in emulator seconds (default 5)
  --state FILE                 start from FILE (a saved snapshot; its clock wins over --now) if it
                               exists, and save the state of every account to it on SIGINT/SIGTERM
                               (atomically)
  --persist DIR                keep every account in DIR/emulator.sqlite: each request is committed
                               before its answer, so a killed emulator restarts with everything
                               it answered (one process per DIR); with --state, FILE is imported
                               into an empty DIR and saved on SIGINT/SIGTERM as without --persist
  --shared-account             one account for every key (default: an account per key, as on
                               Stripe: sk_test_X, rk_test_X and pk_test_X are account X)
  --allowed-host HOST          also answer requests whose Host is HOST (\`.example.test\`: the domain and
                               its subdomains); others than localhost, *.localhost, 127.x.x.x and [::1]
                               are refused (DNS rebinding). Repeatable
  --cors-origin ORIGIN         let web pages on ORIGIN (http://localhost:5173) call the API with any key;
                               other origins get answers only with a publishable key. Repeatable
  --allow-private-webhooks     deliver webhooks to private, link-local and metadata addresses too
                               (10.0.0.0/8, 192.168.0.0/16, 169.254.169.254, fc00::/7, ...)
  --help                       this text
Stripe-CLI commands, against a running emulator (each has --help):
  edgestripe-emulator trigger <event> | trigger --list
  edgestripe-emulator listen --forward-to URL [--events a,b] [--print-secret] [--format json]
  edgestripe-emulator logs tail [--format json] [--filter-status-code …] [--filter-http-method …]
  edgestripe-emulator fixtures FILE`

/** A bad command line: the CLI prints the message and the usage, and exits with status 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export interface CliOptions extends EmulatorServerOptions {
  /** `--help` / `-h`: print the usage and exit 0 */
  help?: true
  /** `--state FILE`: loaded at start when it exists, saved on SIGINT/SIGTERM */
  stateFile?: string
  /** `--persist DIR`: the SQLite store in DIR */
  persistDir?: string
}

/** Options of `edgestripe-emulator`, as `startEmulatorServer` takes them. The CLI defaults to the `real` clock. */
export function parseEmulatorArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { port: DEFAULT_PORT, clock: 'real' }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') continue
    if (arg === '--help' || arg === '-h') {
      options.help = true
      continue
    }
    if (arg === '--shared-account') {
      options.accounts = 'shared'
      continue
    }
    if (arg === '--allow-private-webhooks') {
      options.allowPrivateWebhooks = true
      continue
    }
    const eq = arg.indexOf('=')
    const name = eq >= 0 ? arg.slice(0, eq) : arg
    if (
      !['--port', '--host', '--now', '--report-run-delay', '--clock', '--state', '--persist', '--allowed-host', '--cors-origin'].includes(
        name,
      )
    ) {
      throw new UsageError(`Unknown option ${name}`)
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i]
    if (value === undefined) throw new UsageError(`${name} needs a value`)
    const integer = (min: number, max: number) => {
      const n = Number(value)
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
        throw new UsageError(`Invalid ${name}: ${value} (an integer from ${min} to ${max})`)
      }
      return n
    }
    if (name === '--port') options.port = integer(0, 65535)
    else if (name === '--now') options.now = integer(0, 253_402_300_799)
    else if (name === '--report-run-delay') options.reportRunDelay = integer(0, 31_536_000)
    else if (name === '--persist') {
      if (value === '') throw new UsageError('--persist needs a directory')
      options.persistDir = value
    } else if (name === '--allowed-host') {
      if (!/^\.?[A-Za-z0-9._-]+$|^\[[0-9A-Fa-f:.]+\]$/.test(value)) throw new UsageError(`Invalid --allowed-host: ${value} (a host name)`)
      options.allowedHosts = [...((options.allowedHosts as string[] | undefined) ?? []), value]
    } else if (name === '--cors-origin') {
      let origin: string
      try {
        origin = new URL(value).origin
      } catch {
        origin = 'null'
      }
      if (origin === 'null' || !/^https?:/.test(origin))
        throw new UsageError(`Invalid --cors-origin: ${value} (an origin like http://localhost:5173)`)
      options.corsOrigins = [...(options.corsOrigins ?? []), origin]
    } else if (name === '--state') {
      if (value === '') throw new UsageError('--state needs a file name')
      options.stateFile = value
    } else if (name === '--host') {
      if (!/^[A-Za-z0-9.:_-]+$/.test(value)) throw new UsageError(`Invalid --host: ${value}`)
      options.host = value
    } else {
      if (value !== 'real' && value !== 'manual') throw new UsageError(`Invalid --clock: ${value} (real or manual)`)
      options.clock = value
    }
  }
  return options
}

/** One line for a listen error (no stack trace). */
function listenFailure(error: NodeJS.ErrnoException, host: string, port: number): string {
  const where = `${host}:${port}`
  if (error.code === 'EADDRINUSE')
    return `port ${port} is already in use on ${host} (pick another with --port N, or --port 0 for any free one)`
  if (error.code === 'EACCES') return `not allowed to listen on ${where} (ports below 1024 need privileges; try --port 0)`
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') return `cannot listen on ${where}: no such local address`
  return `cannot listen on ${where}: ${error.message}`
}

/**
 * Runs the CLI in this process: starts the server and prints its URL (`listening on http://…`), or
 * writes one line (and the usage, for a bad flag) to stderr and exits with status 2. SIGINT and
 * SIGTERM close the server and exit 0.
 */
export async function runEmulatorCli(argv: readonly string[]): Promise<void> {
  // Stripe-CLI commands (cli/commands.ts); `start` or no command starts the emulator
  if (isStripeCommand(argv[0])) {
    const { io, dispose } = nodeIO()
    const status = await runStripeCommand(argv, io)
    dispose()
    return process.exit(status)
  }
  if (argv[0] === 'start') argv = argv.slice(1)
  let options: CliOptions
  try {
    options = parseEmulatorArgs(argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`edgestripe-emulator: ${error.message}\n\n${USAGE}\n`)
    return process.exit(2)
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`)
    return process.exit(0)
  }
  const { help: _help, stateFile, persistDir, ...serverOptions } = options
  const host = serverOptions.host ?? '127.0.0.1'
  let loaded = false
  let delay = serverOptions.reportRunDelay ?? 5
  let state: unknown
  if (stateFile !== undefined) {
    try {
      state = readStateFile(stateFile)
      loaded = state !== undefined
      if (loaded) delay = (state as { reportRunDelay?: number }).reportRunDelay ?? delay
      // a corrupt or foreign file is refused whole (createEmulator checks the snapshot before loading any of it)
      if (loaded && persistDir === undefined)
        serverOptions.emulator = createEmulator({ webhookResolve: resolveWebhookHost, ...serverOptions, state })
    } catch (error) {
      process.stderr.write(`edgestripe-emulator: cannot load state from ${stateFile}: ${(error as Error).message}\n`)
      return process.exit(2)
    }
  }
  // --- `--persist DIR` (persistent-emulator.ts) ---
  let closePersist = () => {}
  let persistLine = ''
  if (persistDir !== undefined) {
    try {
      const { createPersistentEmulator } = await import('./persistent-emulator.js')
      const persistent = await createPersistentEmulator({
        webhookResolve: resolveWebhookHost,
        ...serverOptions,
        persist: persistDir,
        state: loaded ? state : undefined,
      })
      serverOptions.emulator = persistent.emulator
      closePersist = persistent.close
      persistLine = `Persist: ${persistDir}/emulator.sqlite (each request committed before its answer)${
        loaded ? (persistent.imported ? `; imported ${stateFile}` : `; it already holds accounts, ${stateFile} not imported`) : ''
      }.\n`
    } catch (error) {
      process.stderr.write(`edgestripe-emulator: ${(error as Error).message.split('\n')[0]}\n`)
      return process.exit(2)
    }
  }
  let server: Awaited<ReturnType<typeof startEmulatorServer>>
  try {
    server = await startEmulatorServer(serverOptions)
  } catch (error) {
    closePersist()
    process.stderr.write(
      `edgestripe-emulator: ${listenFailure(error as NodeJS.ErrnoException, host, serverOptions.port ?? DEFAULT_PORT)}\n`,
    )
    return process.exit(2)
  }
  const { control } = server.emulator
  const now = new Date(control.now() * 1000).toISOString()
  process.stdout.write(
    `Stripe emulator listening on ${server.url} (controls under ${server.url}/_emulator/)\n` +
      `Clock: ${serverOptions.clock} from ${now}; report runs succeed after ${delay} s${serverOptions.clock === 'real' ? '' : ' of advanced time'}.\n` +
      (stateFile === undefined ? '' : `State: ${loaded ? 'loaded from' : 'new,'} ${stateFile}; saved there on SIGINT/SIGTERM.\n`) +
      persistLine +
      `Inspector: ${server.url}/_emulator/ui/\n`,
  )
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    let status = 0
    if (stateFile !== undefined) {
      try {
        writeStateFile(stateFile, control.snapshot({ all: true }))
      } catch (error) {
        process.stderr.write(`edgestripe-emulator: cannot save state to ${stateFile}: ${(error as Error).message}\n`)
        status = 1
      }
    }
    const exit = () => {
      closePersist()
      process.exit(status)
    }
    server.close().then(exit, exit)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
