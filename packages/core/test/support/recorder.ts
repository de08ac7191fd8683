/** A fetch that records what it is called with and answers from a function: the injected-transport style of octokit's tests. */
export function recordingFetch(
  answer: (req: { url: URL; method: string; headers: Headers; body: string }) => {
    status?: number
    body: unknown
    headers?: Record<string, string>
  },
) {
  const calls: { url: URL; method: string; headers: Headers; body: string }[] = []
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const request = new Request(input, init)
    const call = { url: new URL(request.url), method: request.method, headers: request.headers, body: await request.text() }
    calls.push(call)
    const { status = 200, body, headers } = answer(call)
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', 'request-id': `req_${calls.length}`, ...headers },
    })
  }
  return { fetch: fetch as typeof globalThis.fetch, calls }
}
