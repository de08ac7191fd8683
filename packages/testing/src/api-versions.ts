// The emulator follows the request's `Stripe-Version` where a version between 2024-04-10 (the
// spec's) and 2026-10-28.endive (the newest stripe@23.1.0 knows) broke a shape. Objects are stored
// in one form; requests are checked, and answers (and events) rendered, in the version asked for.
//
// Breaking changes followed:
// - 2026-09-30.endive: Financial Connections sessions' `filters.countries` (a list) became
//   `filters.country` (one country). Stored as `countries`; rendered as `country` from that version.

import { invalidRequest } from './errors.js'
import { API_VERSION } from './generated/routes.js'

/** The version from which Financial Connections sessions take `filters[country]`, not `filters[countries]`. */
export const FC_FILTERS_COUNTRY_VERSION = '2026-09-30.endive'

/** Whether `version` is `since` or newer (Stripe's versions sort by their date: `2026-09-30.endive`). */
export function versionAtLeast(version: string, since: string): boolean {
  return version.slice(0, 10) >= since.slice(0, 10)
}

/** The version a request is answered in: its `Stripe-Version`, else the emulator's (the spec's). */
export function requestVersion(header: string | null): string {
  return header || API_VERSION
}

type Filters = { countries?: string[]; country?: string; [key: string]: unknown }

/**
 * A session's `filters` param as stored (`countries`), checked for the request's version: from
 * 2026-09-30.endive `filters[countries]` is an unknown parameter and `filters[country]` is taken;
 * before it, the other way round (Stripe's 400 `parameter_unknown`).
 */
export function storedSessionFilters(filters: Filters | undefined, version: string): Filters | undefined {
  if (!filters) return undefined
  const { countries, country, ...rest } = filters
  if (versionAtLeast(version, FC_FILTERS_COUNTRY_VERSION)) {
    if (countries !== undefined) throw unknown('filters[countries]')
    return country === undefined ? rest : { ...rest, countries: [country] }
  }
  if (country !== undefined) throw unknown('filters[country]')
  return countries === undefined ? rest : { ...rest, countries: [...countries] }
}

function unknown(param: string) {
  return invalidRequest(`Received unknown parameter: ${param}`, param, 'parameter_unknown')
}

/**
 * An answer (or an event's object) as the given version shows it: walks the body for the objects
 * whose shape changed. Returns the body itself when nothing changes (no copy).
 */
export function renderForVersion<T>(body: T, version: string): T {
  if (!versionAtLeast(version, FC_FILTERS_COUNTRY_VERSION)) return body
  return rewrite(body) as T
}

function rewrite(value: unknown): unknown {
  if (Array.isArray(value)) {
    let changed = false
    const out = value.map((item) => {
      const next = rewrite(item)
      if (next !== item) changed = true
      return next
    })
    return changed ? out : value
  }
  if (!value || typeof value !== 'object') return value
  const object = value as Record<string, unknown>
  let out: Record<string, unknown> | undefined
  for (const [key, child] of Object.entries(object)) {
    const next = rewrite(child)
    if (next !== child) {
      out ??= { ...object }
      out[key] = next
    }
  }
  if (object.object === 'financial_connections.session' && object.filters && typeof object.filters === 'object') {
    const { countries, ...rest } = object.filters as Filters
    if (countries !== undefined) {
      out ??= { ...object }
      out.filters = { ...rest, ...(countries.length ? { country: countries[0] } : {}) }
    }
  }
  return out ?? object
}
