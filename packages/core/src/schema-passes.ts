// `check()`'s fast path: valibot's full run builds an output copy of every object and a dataset per
// value (11–18 % of a call's CPU on a 2xx). `_schemaPasses` walks the schema and the value together
// and only answers "valid": the shapes the generated code uses (objects, arrays, records, unions,
// optional/nullable, strings, numbers, booleans, literals, picklists, null, unknown; length and
// integer checks; schema.ts's `strict` and `dict`, which also refuse an array) are read as
// valibot 1.x reads them; anything else (transforms, lazy, other actions, a default standing in
// for a missing value…) answers `false`, and valibot, which always
// has the last word and gives the issues, runs. (A fallback only turns valibot's issues into none,
// and an async schema's run is a promise `check()` cannot read: neither needs a case.)
//
// A walk, not a predicate compiled once per schema: ~100 B gzipped less in every bundle and no
// cache, for at most ~0.5 µs more per call. Each case reads only the schema properties it needs:
// schema objects come in many shapes, and every property read on them is a slow (megamorphic)
// lookup — reading all of them up front made the walk no faster than valibot (2.5× slower on a
// POST's params).
// test/validate-fast.test.ts proves it agrees with valibot on every generated schema.
import type { GenericSchema } from 'valibot'

/** The parts of a valibot schema object the fast path reads. */
interface SchemaShape {
  kind: string
  type: string
  pipe?: SchemaShape[]
  wrapped?: SchemaShape
  default?: unknown
  options?: unknown[]
  literal?: unknown
  entries?: Record<string, SchemaShape>
  item?: SchemaShape
  key?: SchemaShape
  value?: SchemaShape
  requirement?: unknown
  /** Set by schema.ts's `strict` and `dict`: an array is not an object or a record here. */
  refusesArrays?: true
}

const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object'
/** Keys valibot skips in records. */
const SKIPPED = ['__proto__', 'prototype', 'constructor']

/**
 * True only when valibot would find no issue in `value`; `false` when it would, or when the schema
 * has a part this walk does not know (valibot then decides).
 */
export function _schemaPasses(schema: GenericSchema | SchemaShape, value: unknown): boolean {
  const s = schema as SchemaShape // the parts of valibot's schema object read below
  const type = s.type
  const pipe = s.pipe
  if (pipe) {
    // pipe[0] is the base schema; then length and integer checks (metadata actions check nothing).
    for (const action of pipe) {
      const bound = action.requirement as number // a number for the length actions, the only ones that read it
      const ok =
        action === pipe[0]
          ? action !== schema && _schemaPasses(action, value)
          : action.kind === 'metadata' ||
            (action.type === 'max_length'
              ? (value as string).length <= bound // pipe[0], a string schema, passed
              : action.type === 'min_length'
                ? (value as string).length >= bound // as above
                : action.type === 'integer' && Number.isInteger(value))
      if (!ok) return false
    }
    return true
  }
  switch (type) {
    case 'string':
    case 'number':
    case 'boolean':
      // Number.isNaN is false for anything but the number NaN (valibot refuses NaN as a number).
      return typeof value === type && !Number.isNaN(value)
    case 'unknown':
      return true
    case 'null':
      return value === null
    case 'literal':
      // SameValueZero, as valibot compares.
      return value === s.literal || (Number.isNaN(value) && Number.isNaN(s.literal))
    case 'picklist':
      return s.options!.includes(value) // a picklist has options
    case 'union': {
      const options = s.options as SchemaShape[] // a union's options are schemas
      for (let i = 0; i < options.length; i++) if (_schemaPasses(options[i]!, value)) return true // i < length
      return false
    }
    case 'optional':
      return value === undefined ? s.default === undefined : _schemaPasses(s.wrapped!, value) // optional wraps a schema
    case 'nullable':
      return value === null ? s.default === undefined : _schemaPasses(s.wrapped!, value) // so does nullable
    case 'array': {
      if (!Array.isArray(value)) return false
      const item = s.item
      for (let i = 0; i < value.length; i++) if (!_schemaPasses(item!, value[i])) return false // an array schema has an item
      return true
    }
    case 'record': {
      if (!isObject(value) || (Array.isArray(value) && s.refusesArrays)) return false
      const key = s.key! // a record schema has a key schema
      const each = s.value! // and a value schema
      for (const name in value) {
        if (Object.hasOwn(value, name) && !SKIPPED.includes(name) && !(_schemaPasses(key, name) && _schemaPasses(each, value[name])))
          return false
      }
      return true
    }
    case 'object':
    case 'loose_object':
    case 'strict_object': {
      // `s.refusesArrays` read only for an array: every schema property read is a slow lookup.
      if (!isObject(value) || (Array.isArray(value) && s.refusesArrays)) return false
      const entries = s.entries! // an object schema has entries
      for (const name in entries) {
        const entry = entries[name]! // a key of entries
        // One lookup in the common case; `in` only tells a missing key from an undefined value. A
        // missing key passes only for an optional entry without a default.
        const item = value[name]
        if (item === undefined && !(name in value) ? entry.type !== 'optional' || entry.default !== undefined : !_schemaPasses(entry, item))
          return false
      }
      if (type === 'strict_object') for (const name in value) if (!Object.hasOwn(entries, name)) return false
      return true
    }
  }
  return false
}
