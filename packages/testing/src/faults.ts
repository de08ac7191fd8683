/** Which requests a fault applies to; all given fields must match. */
export interface FaultMatch {
  method?: string
  path?: string | RegExp
}

/**
 * When a `reset`, `status` or `delayMs` fault strikes: `'before'` (default) the request is handled,
 * so nothing happens on the server; `'process'` after it was fully handled (objects created,
 * idempotency key saved, events recorded), as when the server commits and then the connection
 * breaks, a 500 comes back or the client times out (the processing is not cancelled by an abort).
 */
export type FaultTiming = 'before' | 'process'

export type Fault =
  | { status: number; body?: unknown; headers?: Record<string, string>; after?: FaultTiming }
  | { reset: true; after?: FaultTiming }
  | { delayMs: number; after?: FaultTiming }
  | { truncate: true }

export interface FaultRule {
  count: number
  match?: FaultMatch
  fault: Fault
}

/** Queue of injected faults, consumed by the next matching requests. */
export class FaultQueue {
  private rules: FaultRule[] = []

  add(rule: FaultRule): void {
    const after = (rule.fault as { after?: unknown } | undefined)?.after
    if (after !== undefined && after !== 'before' && after !== 'process') {
      throw new TypeError(`injectFaults: fault.after must be 'before' or 'process', not ${String(after)}`)
    }
    if (rule.count > 0) this.rules.push({ ...rule })
  }

  clear(): void {
    this.rules = []
  }

  /** Takes one use of the first rule matching this request, if any. */
  take(method: string, path: string): Fault | undefined {
    const index = this.rules.findIndex((rule) => matches(rule.match, method, path))
    if (index < 0) return undefined
    const rule = this.rules[index] as FaultRule
    rule.count--
    if (rule.count <= 0) this.rules.splice(index, 1)
    return rule.fault
  }
}

function matches(match: FaultMatch | undefined, method: string, path: string): boolean {
  if (!match) return true
  if (match.method && match.method.toUpperCase() !== method) return false
  // bounded input: a regex never runs over more than MAX_REGEX_PATH characters of a path
  if (match.path instanceof RegExp) return path.length <= MAX_REGEX_PATH && match.path.test(path)
  if (typeof match.path === 'string') return match.path === path
  return true
}

/**
 * The same response, but its body stops part-way and then errors, as when a connection drops
 * mid-body: the status and headers arrive, about half of the real body arrives, then reading fails
 * with a TypeError (what fetch raises on a terminated body).
 */
export async function truncateResponse(response: Response): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer())
  const cut = Math.floor(bytes.length / 2)
  const headers = new Headers(response.headers)
  headers.delete('Content-Length')
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(0, cut))
    },
    pull(controller) {
      controller.error(new TypeError(`terminated (emulator: body truncated after ${cut} of ${bytes.length} bytes)`))
    },
  })
  return new Response(body, { status: response.status, statusText: response.statusText, headers })
}

/** Whether a fault strikes after the request was handled (`truncate` always does). */
export function faultsAfterProcessing(fault: Fault): boolean {
  return 'truncate' in fault || ('after' in fault && fault.after === 'process')
}

/** Waits `ms` of real time, rejecting like fetch if the signal aborts first. */
export function delay(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Paths longer than this never match a RegExp fault (API paths are far shorter). */
export const MAX_REGEX_PATH = 256

/** Longest `"/regex/flags"` pattern the HTTP control accepts. */
const MAX_PATTERN = 200

/**
 * `path` in a JSON fault rule: a plain string, or `"/regex/flags"` for a RegExp. Patterns that can
 * backtrack catastrophically are refused (TypeError, a 400 over HTTP): a quantifier on a group that
 * holds a quantifier or an alternation (`(a+)+`, `(a|a)*`), backreferences, lookarounds, more than
 * three unbounded quantifiers, or more than 200 characters. With the 256-character bound on the
 * path, what remains runs in at most a few million steps.
 */
export function toPathMatcher(path: unknown): string | RegExp | undefined {
  if (typeof path !== 'string') return undefined
  const regex = /^\/(.*)\/([gimsuy]*)$/.exec(path)
  if (!regex || path.length <= 1 || path.startsWith('/v1/')) return path
  const source = regex[1] as string
  const problem = unsafePattern(source)
  if (problem) throw new TypeError(`injectFaults: match.path ${JSON.stringify(path.slice(0, 60))} refused: ${problem}`)
  return new RegExp(source, (regex[2] as string).replace(/[gy]/g, ''))
}

/** Why a pattern may backtrack catastrophically, or undefined. */
export function unsafePattern(source: string): string | undefined {
  if (source.length > MAX_PATTERN) return `longer than ${MAX_PATTERN} characters`
  // per open group: does it hold a quantifier or an alternation?
  const groups: { risky: boolean }[] = []
  let unbounded = 0
  let lastGroupRisky = false
  let inClass = false
  for (let index = 0; index < source.length; index++) {
    const char = source[index] as string
    if (char === '\\') {
      const next = source[index + 1] ?? ''
      if (/[1-9k]/.test(next)) return 'backreferences are not supported'
      index++
      lastGroupRisky = false
      continue
    }
    if (inClass) {
      if (char === ']') inClass = false
      continue
    }
    if (char === '[') {
      inClass = true
      lastGroupRisky = false
      continue
    }
    if (char === '(') {
      if (
        source.startsWith('(?=', index) ||
        source.startsWith('(?!', index) ||
        source.startsWith('(?<=', index) ||
        source.startsWith('(?<!', index)
      ) {
        return 'lookarounds are not supported'
      }
      groups.push({ risky: false })
      if (source.startsWith('(?:', index)) index += 2
      else if (source.startsWith('(?<', index)) index = Math.max(index, source.indexOf('>', index))
      continue
    }
    if (char === ')') {
      lastGroupRisky = groups.pop()?.risky ?? false
      // a group holding something risky makes its enclosing group risky too
      if (lastGroupRisky && groups.length) (groups[groups.length - 1] as { risky: boolean }).risky = true
      continue
    }
    if (char === '|') {
      if (groups.length) (groups[groups.length - 1] as { risky: boolean }).risky = true
      lastGroupRisky = false
      continue
    }
    const quantifier = char === '*' || char === '+' || char === '?' || (char === '{' && /^\{\d+(,\d*)?\}/.test(source.slice(index)))
    if (quantifier) {
      if (lastGroupRisky) return 'a quantified group holds a quantifier or an alternation (nested repetition)'
      const unboundedHere = char === '*' || char === '+' || (char === '{' && /^\{\d+,\}/.test(source.slice(index)))
      if (unboundedHere && ++unbounded > 3) return 'more than three unbounded quantifiers'
      if (groups.length) (groups[groups.length - 1] as { risky: boolean }).risky = true
      if (char === '{') index = source.indexOf('}', index)
      if (source[index + 1] === '?') index++ // lazy
      lastGroupRisky = false
      continue
    }
    lastGroupRisky = false
  }
  return undefined
}
