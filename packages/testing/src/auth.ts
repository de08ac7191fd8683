import { redactKey } from '@edgestripe/core'
import { invalidRequest } from './errors.js'

export type KeyKind = 'secret' | 'restricted' | 'publishable'

export interface AuthInfo {
  key: string
  kind: KeyKind
}

const KEY_PATTERN = /^(sk|rk|pk)_test_[A-Za-z0-9_]+$/

const NO_KEY =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/."

/** Reads `Authorization: Bearer <key>` (or Basic with the key as user name); 401 as Stripe otherwise. */
export function authenticate(header: string | null): AuthInfo {
  if (!header) throw invalidRequest(NO_KEY, undefined, undefined, 401)
  let key = ''
  const parts = header.trim().split(/\s+/)
  // `Bearer <key> <anything>` is not a key Stripe accepts: one scheme, one credential
  if (parts.length > 2)
    throw invalidRequest('Invalid API Key provided: the Authorization header must be `Bearer <key>`.', undefined, undefined, 401)
  const [scheme, value = ''] = parts
  if (scheme?.toLowerCase() === 'bearer') key = value
  else if (scheme?.toLowerCase() === 'basic') {
    try {
      key = atob(value).split(':')[0] ?? ''
    } catch {
      key = ''
    }
  } else {
    throw invalidRequest('Invalid API Key provided: the Authorization header must use Bearer auth.', undefined, undefined, 401)
  }
  if (!key) throw invalidRequest(NO_KEY, undefined, undefined, 401)
  if (!KEY_PATTERN.test(key)) {
    throw invalidRequest(`Invalid API Key provided: ${redactKey(key)}`, undefined, undefined, 401)
  }
  const kind: KeyKind = key.startsWith('pk_') ? 'publishable' : key.startsWith('rk_') ? 'restricted' : 'secret'
  return { key, kind }
}

export function requireSecretKey(auth: AuthInfo): void {
  if (auth.kind === 'publishable') {
    throw invalidRequest(
      'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.',
      undefined,
      'secret_key_required',
      401,
    )
  }
}
