// What a Stripe-CLI command of `edgestripe-emulator` needs from the outside world, passed in so the
// commands run in-process in tests: output, the environment, a stop signal, `fetch`, a file reader.

/** One line and exit status 2: the command prints `edgestripe-emulator: <message>` to stderr. */
export class CliError extends Error {
  override name = 'CliError'
  /** print the command's usage after the message (a bad flag) */
  readonly usage: boolean
  constructor(message: string, options: { usage?: boolean } = {}) {
    super(message)
    this.usage = options.usage === true
  }
}

export interface CliIO {
  /** writes one line (a newline is added) to stdout */
  out(line: string): void
  /** writes one line (a newline is added) to stderr */
  err(line: string): void
  env: Readonly<Record<string, string | undefined>>
  /** aborts long-running commands (`listen`, `logs tail`): SIGINT in the bin */
  signal: AbortSignal
  fetch: typeof fetch
  readFile(path: string): Promise<string>
  /** waits `ms` or until `signal` aborts (resolves either way) */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/** Waits `ms` milliseconds, or less when `signal` aborts; never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}
