import type { AccountStore } from './store.js'

/** Replaces id strings by their objects for each `expand[]` path we hold (e.g. `transaction`, `data.x`). */
export function expandBody(store: AccountStore, body: unknown, paths: readonly string[]): unknown {
  if (!paths.length || !body || typeof body !== 'object') return body
  const isList = (body as { object?: string }).object === 'list'
  for (const path of paths) {
    const parts = path.split('.')
    if (isList && parts[0] === 'data') {
      for (const item of (body as { data: unknown[] }).data) expandPath(store, item, parts.slice(1))
    } else expandPath(store, body, parts)
  }
  return body
}

function expandPath(store: AccountStore, node: unknown, parts: string[]): void {
  if (!node || typeof node !== 'object' || parts.length === 0) return
  const [head, ...rest] = parts as [string, ...string[]]
  const target = node as Record<string, unknown>
  const value = target[head]
  if (typeof value === 'string') {
    const record = store.record(value)
    if (record) target[head] = structuredClone(record.object)
  }
  expandPath(store, target[head], rest)
}
