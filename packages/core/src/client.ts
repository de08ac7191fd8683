import { HookableCore } from 'hookable'
import { resolveKey } from './auth.js'
import { _fail } from './errors.js'
import { _checkOptions } from './options.js'
import { redactKey } from './redact.js'
import { DO_NOT_RETRY } from './retry.js'
import type {
  CallWrapper,
  Plugin,
  PluginApi,
  ResolvedConfig,
  StripeClient,
  StripeHooks,
  StripeOptions,
  UnionToIntersection,
} from './types.js'

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
  // `for…in` gives plain strings; every value is a function (`_checkOptions` refused the rest).
  for (const name in options.hooks) hooks.hook(name as keyof StripeHooks, options.hooks[name as keyof StripeHooks] as never)
  const authorization = `Bearer ${key}`
  const wrappers: CallWrapper[] = []
  const used = new Set<Plugin>()
  const client: StripeClient = {
    config,
    hooks,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    _authorization: () => authorization,
    _wrappers: wrappers,
    use(plugin) {
      if (!used.has(plugin)) {
        used.add(plugin)
        const api = plugin(this)
        if (api) Object.assign(this, api)
      }
      // The client now carries the plugin's API (Object.assign above, now or on its first use).
      return this as never
    },
    wrap(wrapper) {
      if (typeof wrapper !== 'function') _fail('wrap needs a function (call, next) => Promise.')
      wrappers.push(wrapper)
      return () => {
        const index = wrappers.indexOf(wrapper)
        if (index >= 0) wrappers.splice(index, 1)
      }
    },
  }
  for (const name of ['_authorization', '_wrappers']) Object.defineProperty(client, name, { enumerable: false })
  for (const plugin of options.plugins ?? []) client.use(plugin)
  // Each plugin's API is on the client now (`use` merged it).
  return client as StripeClientWith<Plugins>
}
