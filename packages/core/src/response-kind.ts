import type { GenericSchema } from 'valibot'

/** The parts of a valibot schema read here: an object schema's entries, a literal, a picklist. */
interface SchemaShape {
  type: string
  entries?: Record<string, SchemaShape>
  literal?: unknown
  options?: readonly unknown[]
}

/**
 * Whether a 2xx body is the kind of object the operation returns, read from the top level of its
 * response schema (a few property reads, whatever `validateResponses` says):
 * - a JSON object (not an array, not `{ error }` without `object`);
 * - `object` equal to the schema's literal or picklist, or a string where the schema says string;
 * - `id` a non-empty string where the schema requires a string `id`.
 * Returns what is wrong, or `undefined`. A schema without these entries (hand-made) checks nothing.
 */
export function _responseKindIssue(schema: GenericSchema, data: unknown): string | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return Array.isArray(data) ? 'an array' : 'no JSON object'
  // valibot's object schemas have `entries`; other schemas read undefined.
  const entries = (schema as unknown as SchemaShape).entries
  if (!entries) return undefined
  const { object, id } = data as { object?: unknown; id?: unknown } // an object, checked above
  const kind = entries.object
  if (kind) {
    const expected = kind.type === 'literal' ? [kind.literal] : kind.type === 'picklist' ? kind.options : undefined
    if (expected ? !expected.includes(object) : kind.type === 'string' && typeof object !== 'string') {
      return `"object": ${JSON.stringify(object)?.slice(0, 60)} (expected ${expected ? expected.join(' or ') : 'a string'})`
    }
  }
  if (entries.id?.type === 'string' && (typeof id !== 'string' || !id))
    return `"id": ${JSON.stringify(id)?.slice(0, 60)} (expected a string)`
  return undefined
}
