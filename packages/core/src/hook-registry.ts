// The client's and a call's hooks: hookable's `HookableCore` (hook, removeHook, callHook; serial,
// sync until a hook returns a promise) in the few lines this SDK uses, without the dependency.

type Fn = (...args: any[]) => unknown

/** Named hooks, each a list of functions run in the order they were added. */
export class Hooks<H extends { [N in keyof H]: Fn }> {
  #fns: { [N in keyof H]?: H[N][] } = {}

  /** Adds `fn` to `name`; returns its remover (a no-op after the first call). */
  hook<N extends keyof H>(name: N, fn: H[N]): () => void {
    if (!name || typeof fn !== 'function') return () => {}
    ;(this.#fns[name] ??= []).push(fn)
    let added = true
    return () => {
      if (added) this.removeHook(name, fn)
      added = false
    }
  }

  removeHook<N extends keyof H>(name: N, fn: H[N]): void {
    const fns = this.#fns[name]
    const index = fns ? fns.indexOf(fn) : -1
    if (index >= 0) fns!.splice(index, 1)
  }

  /**
   * Runs `name`'s functions one after another with `args`; a promise (resolved when the last one
   * is, rejected with the first error) once one returns a promise or throws, else undefined.
   */
  callHook<N extends keyof H>(name: N, ...args: Parameters<H[N]>): Promise<void> | undefined {
    const fns = this.#fns[name]
    if (fns?.length) return serial(fns.slice(), args, 0)
  }
}

function serial(fns: Fn[], args: unknown[], from: number): Promise<void> | undefined {
  for (let i = from; i < fns.length; i++) {
    try {
      const result = fns[i]!(...args) as PromiseLike<unknown> | undefined
      if (result && typeof result.then === 'function') return Promise.resolve(result).then(() => serial(fns, args, i + 1))
    } catch (error) {
      return Promise.reject(error)
    }
  }
}
