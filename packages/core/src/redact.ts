// The one redaction of every text the SDK puts out: log lines, span attributes and events
// (@edgestripe/opentelemetry), and the message of every error it builds (StripeError's constructor).

/** Field names whose values never leave the SDK, wherever they are nested. */
const FIELD = 'client_secret|secret|password|token|cvc|cvv|number|account_number|id_number|personal_id_number|ssn_last_4'

/**
 * 1: a secret form or query field (`card[number]=…`, `?client_secret=…`, brackets raw or encoded);
 * 2: a secret JSON field (`"client_secret":"…"`, or a number, null…); 3: a key (secret,
 * restricted, publishable, ephemeral) or a webhook secret, kept as prefix and last 4 (`sk_test_…4242`);
 * else a client secret's value (`pi_1_secret_2`, `src_client_secret_3`) or an Identity
 * verification URL (single use: Stripe says not to log it; form-encoded too) inside any text.
 * Built in a pure-annotated function: a bundler cannot prove `new RegExp(template)` free of side
 * effects, and the core ships as one module per entry, so a bare one would stay in every bundle
 * that imports anything from core.
 */
const SECRETS = /* @__PURE__ */ (() =>
  new RegExp(
    `((?:^|[&?\\s"'])(?:[^&=\\s"']*(?:\\[|%5B))?(?:${FIELD})(?:\\]|%5D)?=)[^&\\s"']*|("(?:${FIELD})"\\s*:\\s*)(?:"(?:[^"\\\\]|\\\\.)*"|[^,}\\]\\s]*)|\\b((?:sk|rk|pk|ek)_(?:test|live)_\\w+|whsec_\\w+)|\\b\\w+_secret_\\w+|(https?(?::\\/\\/|%3A%2F%2F)verify\\.stripe\\.com(?:\\/|%2F))[^\\s"'&]*`,
    'gi',
  ))()

/** `text` with every secret replaced (idempotent: redacted text is left as it is). */
export function redact(text: string): string {
  return text.replace(SECRETS, (match, form?: string, json?: string, key?: string, verify?: string) =>
    form
      ? `${form}[redacted]`
      : json
        ? match.slice(json.length) === 'null'
          ? match
          : `${json}"[redacted]"`
        : key
          ? redactKey(key)
          : `${verify ?? ''}[redacted]`,
  )
}

/** `sk_test_abcdef1234` → `sk_test_…1234`. Safe to print. */
export function redactKey(key: string): string {
  const prefix = /^[a-z]{2}_(?:test|live)_/.exec(key)?.[0] ?? ''
  return `${prefix}…${key.length > prefix.length + 8 ? key.slice(-4) : ''}`
}
