import { _fail } from './errors.js'

// Client and per-request options are checked where they are given, before anything is sent: a
// NaN delay, a typo'd mode or a header-unsafe value is a `StripeConfigurationError` naming the
// option, never a silent default, a retry storm or a raw `TypeError` from `Headers`.

/** A header value fetch accepts and sends unchanged: visible ASCII, inner spaces, no CR/LF/NUL. */
const HEADER_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[\w!#$%&'*+.^`|~-]+$/
const MAX_TIMER = 2_147_483_647

const headerSafe = (value: unknown): value is string => typeof value === 'string' && HEADER_VALUE.test(value)
const milliseconds = (value: unknown): value is number => typeof value === 'number' && value >= 0 && value <= MAX_TIMER
const httpURL = (value: unknown) => typeof value === 'string' && /^https?:\/\/[^/?#\s]+(?:\/[^?#\s]*)?$/i.test(value) && URL.canParse(value)

const MS = 'milliseconds from 0 to 2147483647'
const HEADER = 'a non-empty header-safe string (visible ASCII)'
const URL_ = 'an absolute http(s) URL, no query or fragment'

/** Each option's check and what it must be (plain strings, no templates: the core ships as one module
 * per entry and a bundler cannot prove a template literal free of side effects). */
const RULES: Record<string, [check: (value: unknown) => boolean, must: string]> = {
  maxRetries: [(value) => milliseconds(value) && Number.isInteger(value) && value <= 10, 'an integer from 0 to 10'],
  timeout: [(value) => milliseconds(value) && value > 0, 'a positive number of milliseconds, at most 2147483647'],
  retryBaseDelay: [milliseconds, MS],
  retryMaxDelay: [milliseconds, MS],
  maxRetryAfter: [milliseconds, MS],
  validateResponses: [
    (value) => value === 'warn' || value === 'strict' || value === 'off' || value === 'deep' || value === 'deep-strict',
    "'warn', 'strict', 'deep', 'deep-strict' or 'off'",
  ],
  validateParams: [(value) => typeof value === 'boolean', 'true or false'],
  openEnums: [(value) => typeof value === 'boolean', 'true or false'],
  apiVersion: [headerSafe, HEADER],
  stripeAccount: [headerSafe, HEADER],
  idempotencyKey: [
    (value) => headerSafe(value) && value.length <= 255,
    'a non-empty header-safe string (visible ASCII) of at most 255 characters',
  ],
  baseURL: [httpURL, URL_],
  filesURL: [httpURL, URL_],
  fetch: [(value) => typeof value === 'function', 'a function'],
  hooks: [
    (value) => !!value && typeof value === 'object' && Object.values(value).every((hook) => typeof hook === 'function'),
    'an object of functions',
  ],
  plugins: [(value) => Array.isArray(value) && value.every((plugin) => typeof plugin === 'function'), 'an array of functions'],
  headers: [
    (value) =>
      !!value && typeof value === 'object' && Object.entries(value).every(([name, item]) => HEADER_NAME.test(name) && headerSafe(item)),
    'header names to a non-empty header-safe string (visible ASCII) values',
  ],
}

/** Options with no rule above, and which rules apply where (the rest apply to both). */
const CLIENT_ONLY =
  ' apiKey publishableKey dangerouslyAllowBrowser baseURL filesURL fetch retryBaseDelay retryMaxDelay maxRetryAfter doNotRetry validateResponses hooks plugins '
const REQUEST_ONLY = ' idempotencyKey signal headers '
/** The official SDK's option names, and this SDK's. */
const INSTEAD: Record<string, string> = {
  maxNetworkRetries: 'maxRetries',
  host: 'baseURL',
  port: 'baseURL',
  protocol: 'baseURL',
  basePath: 'baseURL',
  httpClient: 'fetch',
}
/** Headers the SDK sets, and the option that sets each. */
const OWNED: Record<string, string> = {
  authorization: 'apiKey (createStripe)',
  'idempotency-key': 'idempotencyKey',
  'stripe-version': 'apiVersion',
  'stripe-account': 'stripeAccount',
}

/**
 * Checks the options that are set (`undefined` means "not given"), for `createStripe` or one call:
 * an unknown option (the official SDK's `maxNetworkRetries`, `host`… too; `logger` and `logLevel`,
 * which the logging plugin replaced), a value its rule
 * refuses, a hook that is not a function, a header the SDK sets itself. Strings are never echoed
 * (a misplaced key must not land in an error message).
 */
export function _checkOptions(options: object, where: 'client' | 'request'): void {
  for (const name in options) {
    const value = (options as Record<string, unknown>)[name] // any options object, read by name
    if (value === undefined) continue
    if (name === 'logger' || name === 'logLevel') {
      _fail(`${name} is gone: logging is a plugin, plugins: [logging({ logger, level })] from '@edgestripe/core/logging'.`)
    }
    if (
      !(name in RULES || ` ${CLIENT_ONLY}${REQUEST_ONLY}`.includes(` ${name} `)) ||
      (where === 'client' ? REQUEST_ONLY : CLIENT_ONLY).includes(` ${name} `)
    ) {
      _fail(`Unknown ${where} option: ${name}.${INSTEAD[name] ? ` Did you mean ${INSTEAD[name]}?` : ''}`)
    }
    if (name === 'headers' && value && typeof value === 'object') {
      for (const header in value) {
        const option = OWNED[header.toLowerCase()]
        if (option) _fail(`headers: ${header} is set by the SDK; pass ${option} instead.`)
      }
    }
    const rule = RULES[name]
    if (!rule || rule[0](value)) continue
    const got =
      typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : typeof value === 'string'
          ? `a string of ${value.length} characters`
          : typeof value
    _fail(`${name} must be ${rule[1]}, got ${got} (${where} option).`)
  }
}
