// `edgestripe-emulator fixtures FILE`: runs a Stripe CLI fixture file against the emulator, as
// `stripe fixtures FILE` runs it against Stripe (fixture-file.ts holds the format).
import { applyRewrites, type FixtureData, parseFixtureData, runFixtures } from './fixture-file.js'
import { type FlagKind, parseFlags, targetOf } from './flags.js'
import { CliError, type CliIO } from './io.js'

export const FIXTURES_USAGE = `Usage: edgestripe-emulator fixtures FILE [flags]
  Runs a Stripe CLI fixture file (_meta, fixtures[].name/path/method/params, \${name:json.path},
  \${.env:VAR}) against the running emulator.
  --override name:param=value     set a param of one of the requests (repeatable)
  --add name:param=value          add a param when it is not set (repeatable)
  --remove name:param             remove a param (repeatable)
  --skip name                     skip one of the requests (repeatable)
  --api-base URL                  the emulator (default http://127.0.0.1:12180)
  --api-key KEY                   test key (default $STRIPE_API_KEY, else sk_test_emulator)`

const FLAGS: Record<string, FlagKind> = { '--override': 'list', '--add': 'list', '--remove': 'list', '--skip': 'list' }

/** `KEY=value` lines of a `.env` file (quotes stripped; comments and blank lines skipped). */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line)
    if (!match) continue
    let value = match[2] as string
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1)
    out[match[1] as string] = value
  }
  return out
}

/** Runs `fixtures FILE`; returns the exit status. */
export async function fixtures(argv: readonly string[], io: CliIO): Promise<number> {
  const flags = parseFlags(argv, FLAGS)
  if (flags.booleans.has('--help')) {
    io.out(FIXTURES_USAGE)
    return 0
  }
  if (flags.positionals.length !== 1) throw new CliError('fixtures needs one FILE', { usage: true })
  const file = flags.positionals[0] as string
  const target = targetOf(flags, io.env)
  let text: string
  try {
    text = await io.readFile(file)
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new CliError(`${file} is not JSON: ${(error as Error).message}`)
  }
  let data: FixtureData = parseFixtureData(parsed, file)
  data = applyRewrites(data, {
    override: flags.lists.get('--override'),
    add: flags.lists.get('--add'),
    remove: flags.lists.get('--remove'),
  })
  // `${.env:VAR}`: the environment first, then a `.env` file in the working directory (as the Stripe CLI)
  const dotEnv = await io.readFile('.env').then(parseDotEnv, () => ({}))
  await runFixtures({ ...io, env: { ...dotEnv, ...io.env } }, target, data, flags.lists.get('--skip'))
  io.out(`Fixtures ran: ${data.fixtures.length} request${data.fixtures.length === 1 ? '' : 's'} from ${file}`)
  return 0
}
