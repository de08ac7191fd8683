const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** random bytes drawn a block at a time (one `getRandomValues` per 2 KiB, about 85 ids, not one per id) */
let pool: Uint8Array<ArrayBuffer> | undefined
let used = 0

/** A random base62 string (Web Crypto only). */
export function randomToken(length: number): string {
  if (length > 256) return encode(crypto.getRandomValues(new Uint8Array(length)), 0, length)
  if (!pool || used + length > pool.length) {
    pool ??= new Uint8Array(2048)
    crypto.getRandomValues(pool)
    used = 0
  }
  used += length
  return encode(pool, used - length, used)
}

function encode(bytes: Uint8Array, start: number, end: number): string {
  let out = ''
  for (let index = start; index < end; index++) out += ALPHABET[(bytes[index] as number) % ALPHABET.length]
  return out
}

/** A Stripe-looking id such as `src_1Q…` (24 characters after the prefix). */
export function newId(prefix: string): string {
  return `${prefix}_1${randomToken(23)}`
}

export function newRequestId(): string {
  return `req_${randomToken(14)}`
}
