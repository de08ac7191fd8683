// A small flag parser for the Stripe-CLI commands: `--name value`, `--name=value`, boolean flags,
// repeatable flags (`--override a --override b`), positionals; anything unknown is a `CliError`
// with the usage.
import { checkApiKey, DEFAULT_API_BASE, DEFAULT_API_KEY, type EmulatorTarget, parseApiBase } from './emulator-api.js'
import { CliError } from './io.js'

export type FlagKind = 'string' | 'boolean' | 'list'

export interface ParsedFlags {
  values: Map<string, string>
  lists: Map<string, string[]>
  booleans: Set<string>
  positionals: string[]
}

/** Flags every command takes: where the emulator is and which key (so which account) to use. */
export const COMMON_FLAGS: Record<string, FlagKind> = { '--api-base': 'string', '--api-key': 'string', '--help': 'boolean' }

export function parseFlags(argv: readonly string[], spec: Record<string, FlagKind>, aliases: Record<string, string> = {}): ParsedFlags {
  const all = { ...COMMON_FLAGS, ...spec }
  const parsed: ParsedFlags = { values: new Map(), lists: new Map(), booleans: new Set(), positionals: [] }
  let rest = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (rest || !arg.startsWith('-') || arg === '-') {
      parsed.positionals.push(arg)
      continue
    }
    if (arg === '--') {
      rest = true
      continue
    }
    const eq = arg.indexOf('=')
    const given = eq >= 0 ? arg.slice(0, eq) : arg
    const name = aliases[given] ?? (given === '-h' ? '--help' : given)
    const kind = all[name]
    if (!kind) throw new CliError(`unknown flag ${given}`, { usage: true })
    if (kind === 'boolean') {
      if (eq >= 0) throw new CliError(`${name} takes no value`, { usage: true })
      parsed.booleans.add(name)
      continue
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i]
    if (value === undefined) throw new CliError(`${name} needs a value`, { usage: true })
    if (kind === 'list') parsed.lists.set(name, [...(parsed.lists.get(name) ?? []), value])
    else parsed.values.set(name, value)
  }
  return parsed
}

/** `--api-base` (default {@link DEFAULT_API_BASE}) and `--api-key` (default `STRIPE_API_KEY`, else {@link DEFAULT_API_KEY}). */
export function targetOf(flags: ParsedFlags, env: Readonly<Record<string, string | undefined>>): EmulatorTarget {
  const apiBase = parseApiBase(flags.values.get('--api-base') ?? DEFAULT_API_BASE)
  const apiKey = checkApiKey(flags.values.get('--api-key') ?? (env.STRIPE_API_KEY || DEFAULT_API_KEY))
  return { apiBase, apiKey }
}

/** A comma-separated flag's items (`--events a,b`), trimmed, empty ones dropped. */
export function commaList(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((value) => value.split(','))
    .map((item) => item.trim())
    .filter(Boolean)
}
