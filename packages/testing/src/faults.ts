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
  if (match.path instanceof RegExp) return match.path.test(path)
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
