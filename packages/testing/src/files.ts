import type { AuthInfo } from './auth.js'
import { requireSecretKey } from './auth.js'
import { resourceMissing } from './errors.js'
import type { Resources } from './generated/resources.js'
import { newId } from './ids.js'
import { fromTemplate } from './objects.js'
import type { AccountStore, StripeObject } from './store.js'

/** Stores a CSV (or other text) file and returns its `file` object. */
export function createFile(
  store: AccountStore,
  now: number,
  input: { purpose: Resources['file']['purpose']; body: string; filename?: string; type?: string; expiresAt?: number | null },
): Resources['file'] {
  const id = newId('file')
  const type = input.type ?? 'csv'
  const file = fromTemplate('file', {
    id,
    created: now,
    expires_at: input.expiresAt === undefined ? now + 365 * 86_400 : input.expiresAt,
    filename: input.filename ?? `${id}.${type}`,
    links: { data: [], has_more: false, object: 'list', url: `/v1/file_links?file=${id}` },
    purpose: input.purpose,
    size: new TextEncoder().encode(input.body).byteLength,
    title: null,
    type,
    url: null,
  })
  store.fileContents.set(id, { type, body: input.body })
  return store.insert(file)
}

/** Sets a file object's download URL on the origin the client is talking to. */
export function withFileUrl(file: unknown, origin: string): void {
  if (file && typeof file === 'object' && (file as StripeObject).object === 'file') {
    const f = file as StripeObject
    f.url = `${origin}/v1/files/${f.id}/contents`
  }
}

const CONTENT_TYPES: Record<string, string> = { csv: 'text/csv', json: 'application/json', pdf: 'application/pdf' }

/**
 * `GET /v1/files/{id}` and `GET /v1/files/{id}/contents` (Stripe serves contents from
 * files.stripe.com; the emulator serves them on its own origin). Secret key required.
 */
export function matchFilePath(path: string): { id: string; contents: boolean } | undefined {
  const match = /^\/v1\/files\/([^/]+)(\/contents)?$/.exec(path)
  return match ? { id: decodeURIComponent(match[1] as string), contents: Boolean(match[2]) } : undefined
}

export function serveFile(
  store: AccountStore,
  auth: AuthInfo,
  target: { id: string; contents: boolean },
  origin: string,
  headers: Headers,
): Response {
  requireSecretKey(auth)
  const record = store.get('file', target.id)
  const content = store.fileContents.get(target.id)
  if (!record || !content) throw resourceMissing('file', target.id, 'file')
  if (!target.contents) {
    const file = structuredClone(record)
    withFileUrl(file, origin)
    headers.set('Content-Type', 'application/json')
    return new Response(JSON.stringify(file, null, 2), { status: 200, headers })
  }
  headers.set('Content-Type', `${CONTENT_TYPES[content.type] ?? 'application/octet-stream'}; charset=utf-8`)
  headers.set('Content-Disposition', `attachment; filename="${record.filename as string}"`)
  return new Response(content.body, { status: 200, headers })
}
