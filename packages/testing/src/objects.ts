import { type FixtureName, fixtures } from './generated/fixtures.js'
import type { StripeObject } from './store.js'
import type { ParamValue } from './validate.js'

/** A deep copy of a spec fixture, to build a new object from. */
export function fromTemplate(name: FixtureName, fields: Record<string, unknown>): StripeObject {
  const template = structuredClone(fixtures[name]) as Record<string, unknown>
  return { ...template, livemode: false, ...fields } as unknown as StripeObject
}

/** Applies a `metadata` param: merge keys, `''` value unsets a key, `metadata=''` unsets all. */
export function applyMetadata(object: Record<string, unknown>, metadata: ParamValue | undefined): void {
  if (metadata === undefined) return
  if (metadata === '') {
    object.metadata = {}
    return
  }
  const current = { ...((object.metadata as Record<string, string> | null) ?? {}) }
  for (const [key, value] of Object.entries(metadata as Record<string, ParamValue>)) {
    if (value === '') delete current[key]
    else current[key] = String(value)
  }
  object.metadata = current
}

/** Deep-merges a hash param into an object field; `''` values become `null` (unset). */
export function mergeParams(target: Record<string, unknown> | null | undefined, params: ParamValue): unknown {
  if (params === '') return null
  if (typeof params !== 'object' || Array.isArray(params)) return params
  const out: Record<string, unknown> = { ...(target ?? {}) }
  for (const [key, value] of Object.entries(params)) {
    const current = out[key]
    out[key] =
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? mergeParams(current && typeof current === 'object' ? (current as Record<string, unknown>) : null, value)
        : value === ''
          ? null
          : value
  }
  return out
}

/** `''` (unset) becomes `null`; everything else passes through. */
export function unsetToNull<T>(value: T | ''): T | null {
  return value === '' ? null : value
}
