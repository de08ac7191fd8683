// The request log with bodies (`GET /_emulator/requests?after=<seq>`, `control.requestLog()`; what
// `edgestripe-emulator logs tail` reads): the newest API requests with their request and response
// bodies, kept raw in a bounded ring and redacted when read — keys (`sk_`, `rk_`, `pk_`, `ek_`),
// `whsec_` secrets, `client_secret`s and the other secret fields the SDK's logger hides (with
// packages/core/src/redact.ts, the SDK's one redaction) — so keeping a body costs one object per request, and nothing the
// log serves holds a secret.
import { redact } from '@edgestripe/core'
import { Ring } from './ring.js'
import type { RequestLogEntry } from './state.js'

/** Longest body kept, in characters (the rest is cut, and the entry says how long it was). */
export const MAX_LOGGED_BODY = 16_384

/** A logged request as `GET /_emulator/requests?after=` serves it. */
export interface LoggedRequest extends RequestLogEntry {
  /** 1, 2, 3, …: pass the last one seen as `after` to get only newer requests */
  seq: number
  /** emulator time the request arrived (unix seconds) */
  time: number
  /** the query string (without `?`), redacted; empty when there is none */
  query: string
  /** form body of a POST, redacted; null for other methods */
  requestBody: string | null
  /** JSON the emulator answered, redacted; null when the answer had no JSON body (a file, a dropped connection) */
  responseBody: string | null
}

interface Kept {
  seq: number
  time: number
  entry: RequestLogEntry
  query: string
  requestBody: string | null
  responseBody: string | null
}

export interface RequestBodyLog {
  /** starts the record of a request (its entry is updated in place as the request goes on) */
  start(entry: RequestLogEntry, url: URL, time: number): void
  /** the request's form body, once read */
  requestBody(entry: RequestLogEntry, text: string): void
  /** the JSON text answered */
  responseBody(entry: RequestLogEntry, text: string): void
  /** logged requests after `after` (a `seq`), oldest first, redacted */
  read(after?: number): LoggedRequest[]
  /** the newest `limit` logged requests, newest first, redacted (only those are redacted) */
  newest(limit: number): LoggedRequest[]
  clear(): void
}

/** A bounded log of `capacity` requests with their bodies. */
export function createRequestBodyLog(capacity: number): RequestBodyLog {
  const ring = new Ring<Kept>(capacity)
  const byEntry = new WeakMap<RequestLogEntry, Kept>()
  const redacted = (kept: Kept): LoggedRequest => ({
    ...kept.entry,
    seq: kept.seq,
    time: kept.time,
    query: redact(kept.query),
    requestBody: kept.requestBody === null ? null : redact(kept.requestBody),
    responseBody: kept.responseBody === null ? null : redact(kept.responseBody),
  })
  const cut = (text: string) => (text.length > MAX_LOGGED_BODY ? `${text.slice(0, MAX_LOGGED_BODY)}… (${text.length} chars)` : text)
  return {
    start(entry, url, time) {
      const kept: Kept = { seq: ring.total + 1, time, entry, query: url.search.slice(1), requestBody: null, responseBody: null }
      ring.push(kept)
      byEntry.set(entry, kept)
    },
    requestBody(entry, text) {
      const kept = byEntry.get(entry)
      if (kept) kept.requestBody = cut(text)
    },
    responseBody(entry, text) {
      const kept = byEntry.get(entry)
      if (kept) kept.responseBody = cut(text)
    },
    read(after = 0) {
      return ring
        .toArray()
        .filter((kept) => kept.seq > after)
        .map(redacted)
    },
    newest(limit) {
      const all = ring.toArray()
      return all
        .slice(Math.max(0, all.length - limit))
        .reverse()
        .map(redacted)
    },
    clear: () => ring.clear(),
  }
}
