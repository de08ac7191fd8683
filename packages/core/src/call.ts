// The call as the unit: `request` and `downloadFile` make one `StripeCall` per logical call (its
// id and idempotency key made here, once) and hand that same value to every hook of every attempt.
// A plugin that needs state per call wraps the whole call (`client.wrap`, octokit's `hook.wrap`)
// and keeps its state in the wrapper's closure, listening to that call's own attempts with
// `call.hook`. Nothing here is shared between calls.
import { HookableCore } from 'hookable'
import type { Operation } from './operation.js'
import type { CallResult, RequestOptions, StripeCall, StripeClient, StripeHooks } from './types.js'

export class _Call implements StripeCall {
  readonly id: string
  readonly operation: Operation
  readonly path: Readonly<Record<string, unknown>> | undefined
  readonly params: unknown
  readonly options: Readonly<RequestOptions>
  readonly idempotencyKey: string | undefined
  /** Made on the first `hook()`: most calls have none. */
  _hooks: HookableCore<StripeHooks> | undefined
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
    this._hooks ??= new HookableCore<StripeHooks>()
    // hookable's callback type for a generic N is not one TypeScript can match with StripeHooks[N].
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
