import { StripeConfigurationError } from './errors'
import type { StripeOptions } from './types'

export type KeyKind = 'secret' | 'restricted' | 'publishable'

/** `sk_test_abcdef1234` → `sk_test_…1234`. Safe to print. */
export function redactKey(key: string): string {
  const prefix = /^[a-z]{2}_(?:test|live)_/.exec(key)?.[0] ?? ''
  return `${prefix}…${key.length > prefix.length + 8 ? key.slice(-4) : ''}`
}

const KEY = /^(sk|rk|pk)_(test|live)_[0-9A-Za-z_]+$/
const KINDS = { sk: 'secret', rk: 'restricted', pk: 'publishable' } as const

/** Checks the auth option shape once, at client creation. Returns the key and its kind. */
export function resolveKey(options: StripeOptions): { key: string; kind: KeyKind } {
  const { apiKey, publishableKey } = options as { apiKey?: unknown; publishableKey?: unknown }
  if ((apiKey === undefined) === (publishableKey === undefined)) {
    throw new StripeConfigurationError({ message: 'Pass exactly one of `apiKey` (sk_/rk_) or `publishableKey` (pk_).' })
  }
  const key = (apiKey ?? publishableKey) as unknown
  const match = typeof key === 'string' ? KEY.exec(key) : null
  if (!match) {
    throw new StripeConfigurationError({
      message: `Malformed Stripe key${typeof key === 'string' ? ` ${redactKey(key)}` : ''}: expected sk_, rk_ or pk_ followed by test_ or live_.`,
    })
  }
  const kind = KINDS[match[1] as keyof typeof KINDS]
  const asPublishable = publishableKey !== undefined
  if (asPublishable !== (kind === 'publishable')) {
    throw new StripeConfigurationError({
      message: asPublishable
        ? `\`publishableKey\` must be a pk_ key, got ${redactKey(key as string)}.`
        : `\`apiKey\` must be a secret (sk_) or restricted (rk_) key, got ${redactKey(key as string)}; pass a pk_ key as \`publishableKey\`.`,
    })
  }
  const inBrowser = typeof window !== 'undefined' || typeof document !== 'undefined'
  if (kind !== 'publishable' && inBrowser && !(options as { dangerouslyAllowBrowser?: boolean }).dangerouslyAllowBrowser) {
    throw new StripeConfigurationError({
      message: `Refusing a ${kind} key (${redactKey(key as string)}) in a browser-like environment: anyone can read it there. Use a publishableKey, or pass dangerouslyAllowBrowser: true if this code never reaches users.`,
    })
  }
  return { key: key as string, kind }
}
