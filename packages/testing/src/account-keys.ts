// Which account a request belongs to: Stripe gives each account its own keys, so `sk_test_X`,
// `rk_test_X` and `pk_test_X` with the same `X` are one account and another `X` is another one.

/** How keys map to accounts: `'per-key'` (default) as on Stripe, `'shared'`: one account for every key. */
export type AccountsMode = 'per-key' | 'shared'

const KEY_PREFIX = /^(?:sk|rk|pk)_test_([A-Za-z0-9_]+)$/

/**
 * The account part `X` of a test key (`sk_test_X`, `rk_test_X`, `pk_test_X`) read from an
 * `Authorization` header (Bearer, or Basic with the key as user name), or undefined when the header
 * holds no well-formed test key. Lenient on purpose: the API stage `authenticate` answers the 401.
 */
export function accountKeyOf(authorization: string | null): string | undefined {
  if (!authorization) return undefined
  const [scheme = '', value = '', extra] = authorization.trim().split(/\s+/)
  if (extra !== undefined) return undefined
  let key = ''
  if (scheme.toLowerCase() === 'bearer') key = value
  else if (scheme.toLowerCase() === 'basic') {
    try {
      key = atob(value).split(':')[0] ?? ''
    } catch {
      return undefined
    }
  }
  return KEY_PREFIX.exec(key)?.[1]
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/**
 * The platform account id of the account of key part `X`: `acct_1` and 15 base62 characters of a
 * hash of `X` (two FNV-1a 32-bit hashes), so the same key finds the same id on every run and in
 * every process.
 */
export function platformAccountId(keyPart: string): string {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ keyPart.length
  for (let index = 0; index < keyPart.length; index++) {
    const code = keyPart.charCodeAt(index)
    a = Math.imul(a ^ code, 0x01000193) >>> 0
    b = Math.imul(b ^ code, 0x5bd1e995) >>> 0
    b ^= b >>> 15
  }
  let out = ''
  for (let index = 0; index < 15; index++) {
    const word = index % 2 ? a : b
    out += ALPHABET[word % 62]
    if (index % 2) a = Math.imul(a ^ (a >>> 13), 0x9e3779b1) >>> 0
    else b = Math.imul(b ^ (b >>> 16), 0x85ebca6b) >>> 0
  }
  return `acct_1${out}`
}
