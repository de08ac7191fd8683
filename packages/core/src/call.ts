// The call as the unit: `request` and `downloadFile` make one `StripeCall` per logical call (its
// id and idempotency key made here, once) and hand that same value to every hook of every attempt.
// A plugin that needs state per call wraps the whole call (`client.wrap`, octokit's `hook.wrap`)
// and keeps its state in the wrapper's closure, listening to that call's own attempts with
// `call.hook`. Nothing here is shared between calls.
import { Hooks } from './hook-registry.js'
import type { StripeHooks } from './hooks.js'
import type { Operation } from './operation.js'
import type { RequestOptions, ResponseMeta, StripeClient } from './types.js'

/** One logical call: the same value for its every attempt, retry and hook. */
export interface StripeCall {
  /** Unique per call (a UUID), never sent to Stripe. */
  readonly id: string
  readonly operation: Operation
  /** The path params as given (`{ source: 'src_1' }`), or undefined. */
  readonly path: Readonly<Record<string, unknown>> | undefined
  /** The query/body params as given, or undefined. */
  readonly params: unknown
  /** The per-request options as given. */
  readonly options: Readonly<RequestOptions>
  /** POST: the caller's key or a fresh UUID, sent on every attempt; GET/DELETE: undefined. */
  readonly idempotencyKey: string | undefined
  /**
   * Registers a hook for this call only (it runs after the client's hooks of the same name) and
   * returns its remover: what a `client.wrap` wrapper uses to follow its call's attempts.
   */
  hook<N extends keyof StripeHooks>(name: N, fn: StripeHooks[N]): () => void
}

/** What a call resolves to before `lastResponse` is put on the data. */
export interface CallResult {
  data: unknown
  meta: ResponseMeta
}

/**
 * Wraps one whole call: `next()` runs it (every attempt, backoff and retry, the response checks)
 * and resolves to its result or rejects with its final error. A wrapper returns what `next()`
 * resolved to (or throws); the first wrapper registered is the outermost. Only calls that passed
 * their checks (key kind, path, params, options) are wrapped: a call refused before sending
 * reaches the `error` hook only.
 */
export type CallWrapper = (call: StripeCall, next: () => Promise<CallResult>) => Promise<CallResult>

export class _Call implements StripeCall {
  readonly id: string
  readonly operation: Operation
  readonly path: Readonly<Record<string, unknown>> | undefined
  readonly params: unknown
  readonly options: Readonly<RequestOptions>
  readonly idempotencyKey: string | undefined
  /** Made on the first `hook()`: most calls have none. */
  _hooks: Hooks<StripeHooks> | undefined
  constructor(operation: Operation, input: { path?: Record<string, unknown>; params?: unknown }, options: RequestOptions) {
    this.id = crypto.randomUUID()
    this.operation = operation
    // Checked by the build, inside the call's promise: here nothing may throw.
    this.path = input?.path
    this.params = input?.params
    this.options = options
    // One key per logical POST, reused by every retry. Stripe ignores the header on GET and
    // DELETE (idempotent already): none is sent. A caller's key is checked with the other options.
    this.idempotencyKey = operation.method === 'POST' ? (options?.idempotencyKey ?? crypto.randomUUID()) : undefined
    this._hooks = undefined
  }
  hook<N extends keyof StripeHooks>(name: N, fn: StripeHooks[N]): () => void {
    this._hooks ??= new Hooks<StripeHooks>()
    return this._hooks.hook(name, fn as never)
  }
}

/** Runs the client's hooks `name`, then the call's own. Undefined (no promise) when nothing was async. */
export function _emit<N extends keyof StripeHooks>(
  client: StripeClient,
  call: StripeCall,
  name: N,
  ...args: Parameters<StripeHooks[N]>
): Promise<void> | undefined {
  const first: Promise<void> | void = client.hooks.callHook(name, ...args)
  const own = call instanceof _Call ? call._hooks : undefined
  if (!own) return first || undefined
  if (first) return first.then(() => own.callHook(name, ...args))
  return own.callHook(name, ...args) || undefined
}

/** Runs `run` inside the client's wrappers, the first registered outermost. */
export function _wrapCall(client: StripeClient, call: StripeCall, run: () => Promise<CallResult>): Promise<CallResult> {
  const wrappers = client._wrappers
  if (!wrappers.length) return run()
  return wrappers.reduceRight<() => Promise<CallResult>>((next, wrapper) => () => wrapper(call, next), run)()
}
