import { type FixtureName, fixtures } from './generated/fixtures.js'
import type { Resources } from './generated/resources.js'
import type { ParamValue } from './validate.js'

/** Fields given to `fromTemplate`: any of the resource's, typed. */
export type TemplateFields<Name extends FixtureName> = { [Key in keyof Resources[Name]]?: Resources[Name][Key] | undefined }

/** A deep copy of a spec fixture with `fields` over it, to build a new object from. */
export function fromTemplate<Name extends FixtureName>(name: Name, fields: TemplateFields<Name>): Resources[Name] {
  const template = structuredClone(fixtures[name]) as Record<string, unknown>
  // test mode: `livemode: false`, only on objects whose spec has the field (not file, account owner, …)
  if (Object.hasOwn(template, 'livemode')) template.livemode = false
  return { ...template, ...fields } as unknown as Resources[Name]
}

/** Applies a `metadata` param: merge keys (values stored as strings, as Stripe does), `''` value unsets a key, `metadata=''` unsets all. */
export function applyMetadata(
  object: { metadata?: { [key: string]: string } | null },
  metadata: { [key: string]: string | number } | '' | undefined,
): void {
  if (metadata === undefined) return
  if (metadata === '') {
    object.metadata = {}
    return
  }
  const current = { ...(object.metadata ?? {}) }
  for (const [key, value] of Object.entries(metadata)) {
    if (value === '') delete current[key]
    else current[key] = String(value)
  }
  object.metadata = current
}

/** Deep-merges a hash param into an object field; `''` values become `null` (unset). */
export function mergeParams<T>(target: T | null | undefined, params: ParamValue | object): T {
  if (params === '') return null as T
  if (typeof params !== 'object' || Array.isArray(params)) return params as T
  const out: Record<string, unknown> = { ...((target ?? {}) as Record<string, unknown>) }
  for (const [key, value] of Object.entries(params)) {
    const current = out[key]
    out[key] =
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? mergeParams(current && typeof current === 'object' ? (current as Record<string, unknown>) : null, value)
        : value === ''
          ? null
          : value
  }
  return out as T
}

/** `''` (unset) becomes `null`; everything else passes through. */
export function unsetToNull<T>(value: T | ''): T | null {
  return value === '' ? null : value
}
