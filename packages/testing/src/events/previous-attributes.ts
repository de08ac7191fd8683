// `data.previous_attributes` of a `*.updated` event: what changed, as it was before the change.

const isHash = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every((key) => key in b && same((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
}

/**
 * The attributes of `before` that differ in `after`, with their values in `before`, as Stripe
 * writes them: a hash on both sides (`metadata`, `owner`…) holds only its changed keys, a key that
 * was added is `null`, any other changed value (an array included) is given whole. `undefined` when
 * nothing changed.
 */
export function previousAttributes(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> | undefined {
  const changed: Record<string, unknown> = {}
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = before[key]
    const now = after[key]
    if (isHash(was) && isHash(now)) {
      const inner = previousAttributes(was, now)
      if (inner) changed[key] = inner
    } else if (!same(was, now)) changed[key] = was === undefined ? null : structuredClone(was)
  }
  return Object.keys(changed).length ? changed : undefined
}
