import { HookableCore } from 'hookable'
import { resolveKey } from './auth.js'
import type { StripeHooks } from './hooks.js'
import { _installLogger } from './log.js'
import { _checkOptions } from './options.js'
import { redactKey } from './redact.js'
import { DO_NOT_RETRY } from './retry.js'
import type { Plugin, PluginApi, ResolvedConfig, StripeClient, StripeOptions, UnionToIntersection } from './types.js'

/** The API version of the spec this SDK is generated from. */
export const DEFAULT_API_VERSION = '2024-04-10'

export type StripeClientWith<Plugins extends readonly Plugin[]> = StripeClient & UnionToIntersection<PluginApi<Plugins[number]>>

/**
 * Creates a client: a plain object `{ config, hooks, fetch, use }` plus what each plugin returns.
 * Nothing is sent and nothing global is touched.
 */
/* @__NO_SIDE_EFFECTS__ */
export function createStripe<const Plugins extends readonly Plugin[] = []>(
  options: StripeOptions & { plugins?: Plugins },
): StripeClientWith<Plugins> {
  const { key, kind } = resolveKey(options)
  _checkOptions(options, 'client')
  const config: ResolvedConfig = {
    keyKind: kind,
    redactedKey: redactKey(key),
    apiVersion: options.apiVersion ?? DEFAULT_API_VERSION,
    stripeAccount: options.stripeAccount,
    baseURL: (options.baseURL ?? 'https://api.stripe.com').replace(/\/$/, ''),
    filesURL: (options.filesURL ?? 'https://files.stripe.com').replace(/\/$/, ''),
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeout ?? 80_000,
    retryBaseDelay: options.retryBaseDelay ?? 500,
    retryMaxDelay: options.retryMaxDelay ?? 5_000,
    maxRetryAfter: options.maxRetryAfter ?? 60_000,
    doNotRetry: options.doNotRetry ?? DO_NOT_RETRY,
    validateParams: options.validateParams ?? true,
    openEnums: options.openEnums,
    validateResponses: options.validateResponses ?? 'warn',
  }
  const hooks = new HookableCore<StripeHooks>()
  for (const name in options.hooks) hooks.hook(name as keyof StripeHooks, options.hooks[name as keyof StripeHooks] as never)
  const authorization = `Bearer ${key}`
  const client: StripeClient = {
    config,
    hooks,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    _authorization: () => authorization,
    use(plugin) {
      const api = plugin(this)
      if (api) Object.assign(this, api)
      return this as never
    },
  }
  Object.defineProperty(client, '_authorization', { enumerable: false })
  _installLogger(client, options)
  for (const plugin of options.plugins ?? []) client.use(plugin)
  return client as StripeClientWith<Plugins>
}
