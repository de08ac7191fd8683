// `edgestripe-emulator trigger <event>`: runs the event's flow (trigger-flows.ts) against the
// running emulator, then checks that the emulator emitted the event (its id is printed).
import { type EmulatorTarget, send } from './emulator-api.js'
import { applyRewrites, type FixtureData, runFixtures } from './fixture-file.js'
import { type FlagKind, parseFlags, targetOf } from './flags.js'
import { CliError, type CliIO } from './io.js'
import { NOT_EMULATED_EVENTS, TRIGGER_FLOWS, triggerableEvents } from './trigger-flows.js'

export const TRIGGER_USAGE = `Usage: edgestripe-emulator trigger <event> [flags]
       edgestripe-emulator trigger --list
  Makes the running emulator emit <event> through the flow that causes it (API calls, test helpers,
  emulator controls), as \`stripe trigger\` does against Stripe.
  --list                          print the event types that can be triggered
  --override name:param=value     set a param of one of the flow's requests (repeatable)
  --add name:param=value          add a param when it is not set (repeatable)
  --remove name:param             remove a param (repeatable)
  --skip name                     skip one of the flow's requests (repeatable)
  --stripe-account acct_…         run the API calls on a connected account
  --api-base URL                  the emulator (default http://127.0.0.1:12180)
  --api-key KEY                   test key (default $STRIPE_API_KEY, else sk_test_emulator)`

const FLAGS: Record<string, FlagKind> = {
  '--list': 'boolean',
  '--override': 'list',
  '--add': 'list',
  '--remove': 'list',
  '--skip': 'list',
  '--stripe-account': 'string',
}

interface ListedEvent {
  id: string
  type: string
}

async function eventIds(io: CliIO, target: EmulatorTarget): Promise<ListedEvent[]> {
  const answer = await send(io, target, 'GET', '/_emulator/events')
  const data = (answer.body as { data?: ListedEvent[] } | null)?.data
  return Array.isArray(data) ? data : []
}

/** Runs `trigger`; returns the exit status (errors are thrown as `CliError`). */
export async function trigger(argv: readonly string[], io: CliIO): Promise<number> {
  const flags = parseFlags(argv, FLAGS)
  if (flags.booleans.has('--help')) {
    io.out(TRIGGER_USAGE)
    return 0
  }
  if (flags.booleans.has('--list')) {
    if (flags.positionals.length) throw new CliError('--list takes no event', { usage: true })
    for (const type of triggerableEvents()) io.out(type)
    return 0
  }
  if (flags.positionals.length !== 1) throw new CliError('trigger needs one event type (see trigger --list)', { usage: true })
  const type = flags.positionals[0] as string
  const flow = Object.hasOwn(TRIGGER_FLOWS, type) ? TRIGGER_FLOWS[type] : undefined
  if (!flow) {
    if (NOT_EMULATED_EVENTS.includes(type)) throw new CliError(`${type} is not emulated yet (trigger --list shows the events that are)`)
    throw new CliError(`unknown event ${type} (trigger --list shows the events the emulator can trigger)`)
  }
  const target = targetOf(flags, io.env)
  const account = flags.values.get('--stripe-account')
  if (account !== undefined) {
    if (!/^acct_[A-Za-z0-9_]+$/.test(account)) throw new CliError(`Invalid --stripe-account: ${account}`, { usage: true })
    target.stripeAccount = account
  }
  const data: FixtureData = applyRewrites(
    { _meta: { template_version: 0 }, fixtures: [...flow] },
    { override: flags.lists.get('--override'), add: flags.lists.get('--add'), remove: flags.lists.get('--remove') },
  )
  const before = new Set((await eventIds(io, target)).map((event) => event.id))
  await runFixtures(io, target, data, flags.lists.get('--skip'))
  const emitted = (await eventIds(io, target)).filter((event) => !before.has(event.id) && event.type === type)
  if (!emitted.length) {
    // the flow ran but the event did not come (a --skip or --override that changed the flow)
    throw new CliError(`the flow ran but the emulator emitted no ${type} event`)
  }
  io.out(`Trigger succeeded! ${type} ${emitted.map((event) => event.id).join(', ')}`)
  return 0
}
