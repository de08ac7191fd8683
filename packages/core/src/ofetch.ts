// `@edgestripe/core/ofetch`: for apps that already configure an ofetch instance (interceptors, a
// Node proxy dispatcher). The core's transport is a plain WHATWG fetch; this adapter makes one of
// an ofetch instance with ofetch's own retry, timeout and error handling off, so retries,
// timeouts and idempotency keys stay the core's. ofetch is an optional peer dependency; its types
// are not imported (they pull in undici's): the instance is taken structurally.

/** What the adapter calls on an ofetch instance (`$fetch`, `ofetch.create(…)`). */
export interface OfetchInstance {
  raw(
    request: string | Request,
    options: {
      method?: string
      headers?: HeadersInit
      body?: BodyInit | null
      signal?: AbortSignal | null
      retry: false
      timeout: undefined
      ignoreResponseError: true
      responseType: 'stream'
    },
  ): Promise<Response>
}

/**
 * A fetch for `createStripe({ fetch })` that goes through `$fetch` (its interceptors run on every
 * attempt). A transport failure reaches the core as ofetch's underlying cause: its `FetchError`
 * holds the request options, the `Authorization` header among them, and is never passed on.
 */
/* @__NO_SIDE_EFFECTS__ */
export function ofetchTransport($fetch: OfetchInstance): typeof globalThis.fetch {
  return async (input, init = {}) => {
    try {
      return await $fetch.raw(input instanceof URL ? input.href : input, {
        method: init.method,
        headers: init.headers,
        body: init.body,
        signal: init.signal,
        retry: false,
        timeout: undefined,
        ignoreResponseError: true,
        responseType: 'stream',
      })
    } catch (error) {
      // ofetch's FetchError (an Error) carries fetch's own error as its cause; anything else is rethrown as it is.
      if ((error as Error | undefined)?.name !== 'FetchError') throw error
      const { cause, message } = error as Error // a FetchError, named above
      throw cause ?? new TypeError(message)
    }
  }
}
