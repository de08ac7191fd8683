import type { ResponseMeta } from './types.js'

// Where a result's response metadata goes. It never overwrites a field of the response: a result
// whose response has its own `lastResponse` field keeps it, and the metadata goes on the symbol
// `LAST_RESPONSE` instead. `lastResponseOf(result)` finds it either way.

/** The (non-enumerable) key of the metadata on a result whose response has a `lastResponse` field. */
export const LAST_RESPONSE: unique symbol = /* @__PURE__ */ Symbol.for('edgestripe.lastResponse')

/** Puts `meta` on `data`, non-enumerable (JSON and deep-equality ignore it), without overwriting a field. */
export function _attachResponse(data: object, meta: ResponseMeta): void {
  Object.defineProperty(data, Object.hasOwn(data, 'lastResponse') ? LAST_RESPONSE : 'lastResponse', { value: meta, configurable: true })
}

/** The response metadata of a result: `result.lastResponse`, or `result[LAST_RESPONSE]` where the response had its own `lastResponse`. */
export function lastResponseOf(result: object): ResponseMeta {
  // A result of `request`: one of the two keys holds the metadata (`_attachResponse`).
  return (result as { [LAST_RESPONSE]?: ResponseMeta })[LAST_RESPONSE] ?? (result as { lastResponse: ResponseMeta }).lastResponse
}
