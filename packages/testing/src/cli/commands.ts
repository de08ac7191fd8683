// The Stripe-CLI commands of `edgestripe-emulator` (trigger, listen, logs tail, fixtures), run
// against an emulator that is already running. Errors are one line on stderr and exit status 2.
import { FIXTURES_USAGE, fixtures } from './fixtures.js'
import { CliError, type CliIO } from './io.js'
import { LISTEN_USAGE, listen } from './listen.js'
import { LOGS_USAGE, logs } from './logs-tail.js'
import { TRIGGER_USAGE, trigger } from './trigger.js'

const COMMANDS = {
  trigger: [trigger, TRIGGER_USAGE],
  listen: [listen, LISTEN_USAGE],
  logs: [logs, LOGS_USAGE],
  fixtures: [fixtures, FIXTURES_USAGE],
} as const satisfies Record<string, readonly [(argv: readonly string[], io: CliIO) => Promise<number>, string]>

export type StripeCommand = keyof typeof COMMANDS

/** Whether `name` is one of the Stripe-CLI commands (else the bin starts the emulator). */
export function isStripeCommand(name: string | undefined): name is StripeCommand {
  return name !== undefined && Object.hasOwn(COMMANDS, name)
}

/** Runs `argv` (`['trigger', 'treasury.received_credit.created', …]`); returns the exit status. */
export async function runStripeCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const name = argv[0]
  if (!isStripeCommand(name)) {
    io.err(`edgestripe-emulator: unknown command ${String(name)}`)
    return 2
  }
  const [run, usage] = COMMANDS[name]
  try {
    return await run(argv.slice(1), io)
  } catch (error) {
    if (!(error instanceof CliError)) throw error
    io.err(`edgestripe-emulator ${name}: ${error.message}`)
    if (error.usage) io.err(`\n${usage}`)
    return 2
  }
}
