import { _fail } from './errors.js'
import { redactKey } from './redact.js'
import type { StripeOptions } from './types.js'

export type KeyKind = 'secret' | 'restricted' | 'publishable'

const KEY = /^(sk|rk|pk)_(test|live)_[0-9A-Za-z_]+$/
const KINDS = { sk: 'secret', rk: 'restricted', pk: 'publishable' } as const

/** Checks the auth option shape once, at client creation. Returns the key and its kind. */
export function resolveKey(options: StripeOptions): { key: string; kind: KeyKind } {
  // Read as unknown: a JavaScript caller may pass anything.
  const {
    apiKey,
    publishableKey,
    dangerouslyAllowBrowser,
  }: { apiKey?: unknown; publishableKey?: unknown; dangerouslyAllowBrowser?: boolean } = options
  // Not a string: it has no kind below, and `_fail` says so.
  const key = (apiKey ?? publishableKey) as string
  const redacted = typeof key === 'string' ? redactKey(key) : typeof key
  const kind = typeof key === 'string' ? KINDS[KEY.exec(key)?.[1] as keyof typeof KINDS] : undefined // the group is sk, rk or pk
  const asPublishable = publishableKey !== undefined
  if ((apiKey === undefined) !== asPublishable) _fail('Pass exactly one of apiKey (sk_/rk_) or publishableKey (pk_).')
  if (!kind) _fail(`Malformed Stripe key (${redacted}): expected sk_, rk_ or pk_, then test_ or live_.`)
  if (asPublishable !== (kind === 'publishable')) {
    _fail(
      asPublishable
        ? `publishableKey must be a pk_ key, got ${redacted}.`
        : `apiKey must be an sk_ or rk_ key, got ${redacted}; pass a pk_ key as publishableKey.`,
    )
  }
  if (!asPublishable && !dangerouslyAllowBrowser && _inBrowser()) {
    _fail(
      `Refusing a ${kind} key (${redacted}) in a browser (page or web/service worker), where anyone can read it: use a publishableKey (or dangerouslyAllowBrowser: true).`,
    )
  }
  return { key, kind }
}

/**
 * Whether this code runs where a page's users can read it: a `window` or `document`, or a
 * browser's dedicated, shared or service worker (a `WorkerGlobalScope` or `importScripts`, no
 * `window`). Server runtimes with a worker-shaped scope are not browsers: Deno (its workers too),
 * Bun, Cloudflare Workers (`navigator.userAgent` is `Cloudflare-Workers`) and Node.
 */
export function _inBrowser(): boolean {
  // Globals only some runtimes define.
  const scope: {
    window?: unknown
    document?: unknown
    WorkerGlobalScope?: unknown
    importScripts?: unknown
    Deno?: unknown
    Bun?: unknown
    navigator?: { userAgent?: unknown }
    process?: { versions?: { node?: unknown } }
  } = globalThis
  if (scope.window !== undefined || scope.document !== undefined) return true
  if (typeof scope.WorkerGlobalScope !== 'function' && typeof scope.importScripts !== 'function') return false
  const server =
    scope.Deno !== undefined ||
    scope.Bun !== undefined ||
    scope.navigator?.userAgent === 'Cloudflare-Workers' ||
    typeof scope.process?.versions?.node === 'string'
  return !server
}
