const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** A random base62 string (Web Crypto only). */
export function randomToken(length: number): string {
  const bytes = new Uint8Array(length)
  crypto.getRandomValues(bytes)
  let out = ''
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length]
  return out
}

/** A Stripe-looking id such as `src_1Q…` (24 characters after the prefix). */
export function newId(prefix: string): string {
  return `${prefix}_1${randomToken(23)}`
}

export function newRequestId(): string {
  return `req_${randomToken(14)}`
}
