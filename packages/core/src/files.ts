import { _Call } from './call.js'
import { StripeConfigurationError, StripeConnectionError, StripeError } from './errors.js'
import type { Operation } from './operation.js'
import { _call, _fillPath, _prepare, _send, type AttemptClaim, type BuiltRequest } from './request.js'
import type { RequestOptions, StripeClient, WithResponse } from './types.js'

/** A file's contents, as a stream. Read it (or cancel it) once; the attempt's timeout runs until it ends. */
export interface FileDownload {
  body: ReadableStream<Uint8Array>
  /** `Content-Type`, e.g. `text/csv`. */
  contentType: string | undefined
  /** `Content-Length` in bytes, when the server sent it. */
  size: number | undefined
}

// Hooks see this as the operation; params and response are never checked for a download.
const contents = {
  operationId: 'GetFilesFileContents',
  method: 'GET',
  path: '/v1/files/{file}/contents',
  auth: 'secret',
  host: 'files',
} as unknown as Operation

/**
 * Downloads a file's contents from `filesURL` (`GET /v1/files/{id}/contents`) with the secret key,
 * through the core's attempts: retries (until the headers arrive), hooks, typed errors. `timeout`
 * covers the body too: its timer keeps running while the stream is read and stops when the stream
 * ends, errors or is cancelled. Pass a file id (`file_…`) or a file object's `url`, which must be
 * on the client's `filesURL` or `baseURL` origin (the key is never sent elsewhere).
 */
export function downloadFile(client: StripeClient, fileIdOrUrl: string, options: RequestOptions = {}): Promise<WithResponse<FileDownload>> {
  const call = new _Call(contents, { path: { file: fileIdOrUrl } }, options)
  const build = () => {
    const { config } = client
    if (config.keyKind === 'publishable') {
      throw new StripeConfigurationError({
        message: `downloadFile needs a secret or restricted key, not a publishable key (${config.redactedKey}).`,
      })
    }
    return _prepare(client, contents, fileURL(config.filesURL, config.baseURL, fileIdOrUrl), undefined, options, undefined)
  }
  return _call<BuiltRequest, FileDownload>(client, call, build, async (built) => {
    const { data, meta, claim } = await _send(client, call, built, true)
    // Streamed (`_send(…, true)`): a 2xx comes back unread, a `Response`, with the claim on its attempt's timer.
    const response = data as Response
    const file: FileDownload = {
      body: timedBody(response.body ?? new ReadableStream({ start: (c) => c.close() }), claim!), // see above
      contentType: response.headers.get('content-type') ?? undefined,
      size: contentLength(response.headers.get('content-length')),
    }
    return { data: file, meta }
  })
}

function contentLength(header: string | null): number | undefined {
  return header && /^\d+$/.test(header) ? Number(header) : undefined
}

function fileURL(filesURL: string, baseURL: string, idOrUrl: unknown): string {
  if (typeof idOrUrl === 'string' && /^[a-z][a-z\d+.-]*:/i.test(idOrUrl)) {
    const url = new URL(idOrUrl)
    const { origin } = url
    // The URL as parsed is what is sent (no userinfo), so no other parser can read another host in it.
    if (!url.username && !url.password && (origin === new URL(filesURL).origin || origin === new URL(baseURL).origin)) return url.href
    throw new StripeConfigurationError({
      message: `Refusing to send the API key to ${origin}: a file URL must be on ${filesURL} or ${baseURL}.`,
    })
  }
  return `${filesURL.replace(/\/$/, '')}${_fillPath(contents, { file: idOrUrl })}`
}

/**
 * Passes `body` through chunk by chunk (pulled, so nothing is buffered ahead of the reader) and
 * releases the attempt's timer and its listener on the caller's signal when the stream ends,
 * errors, is cancelled, or its timeout fires (read or not: an unread body is cancelled then, so
 * nothing outlives the call). A timeout or the caller's abort errors the stream with its reason; a
 * network failure with a `StripeConnectionError`.
 */
function timedBody(body: ReadableStream<Uint8Array>, { signal, release }: AttemptClaim): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  let out: ReadableStreamDefaultController<Uint8Array> | undefined
  let open = true
  const end = (reason?: unknown) => {
    if (!open) return
    open = false
    signal.removeEventListener('abort', onAbort)
    release()
    if (reason !== undefined) {
      reader.cancel(reason).catch(() => {})
      try {
        out?.error(reason)
      } catch {}
    }
  }
  const onAbort = () => end(signal.reason)
  signal.addEventListener('abort', onAbort)
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        out = controller
      },
      async pull(controller) {
        try {
          signal.throwIfAborted()
          const { done, value } = await reader.read()
          signal.throwIfAborted()
          if (!open) return
          if (done) {
            end()
            controller.close()
          } else controller.enqueue(value)
        } catch (cause) {
          end(
            signal.aborted || cause instanceof StripeError
              ? (signal.reason ?? cause)
              : new StripeConnectionError({
                  message: `File download failed while reading the body: ${cause instanceof Error ? cause.message : String(cause)}`,
                  cause,
                }),
          )
        }
      },
      cancel(reason) {
        const wasOpen = open
        end()
        if (wasOpen) return reader.cancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
}
