// Reading a webhook endpoint's answer without trusting it: at most a prefix of the body is read,
// then the stream is cancelled, so an endpoint streaming forever costs a bounded amount of memory
// and the attempt ends (Stripe, too, ignores the body of an endpoint's answer beyond its status).

/** Bytes of an endpoint's answer read before the rest is dropped (64 KiB). */
export const WEBHOOK_RESPONSE_BYTES = 64 * 1024

/**
 * Reads at most `limit` bytes of `response`'s body, then cancels the stream (the connection is
 * released); returns how many bytes were read. Rejects when the body errors (an abort, a reset).
 */
export async function readBoundedBody(
  response: Response,
  limit: number = WEBHOOK_RESPONSE_BYTES,
  keep?: { bytes: number; chunks: Uint8Array[] },
): Promise<number> {
  if (!response.body) return 0
  const reader = response.body.getReader()
  let read = 0
  try {
    while (read < limit) {
      const { done, value } = await reader.read()
      if (done) return read
      // the first `keep.bytes` of it are kept (the inspector shows the start of an endpoint's answer)
      if (keep && read < keep.bytes) keep.chunks.push(value.subarray(0, keep.bytes - read))
      read += value.byteLength
    }
    return read
  } finally {
    // nothing more is read: an endless body ends here (cancel settles even on an errored stream)
    reader.cancel().catch(() => undefined)
  }
}
