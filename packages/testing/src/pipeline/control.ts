// The control stage: a request under `/_emulator/` (matched by the same router as the API) acts on
// the caller's account, the key in its `Authorization` (the default account without one).
//
// Same-origin only: responses carry no CORS headers, a preflight (`OPTIONS`) is refused, and so is
// a request whose `Origin` is another origin (a cross-site form or `no-cors` POST). Clients that
// send no `Origin` (Node, the SDKs, curl) are served.
import { accountKeyOf } from '../account-keys.js'
import { EmulatorError, invalidRequest } from '../errors.js'
import { parseJsonBody } from '../form-decode.js'
import { controlHeaders, jsonResponse, readBody } from '../http.js'
import type { KeyAccounts } from '../key-accounts.js'
import { type Router, unrecognizedURL } from '../router.js'
import type { DecodedRequest } from './decode.js'
import type { Target } from './routes.js'

export async function serveControl(
  accounts: KeyAccounts,
  router: Router<Target>,
  decoded: DecodedRequest,
  maxRequestBytes: number,
): Promise<Response> {
  const { request, url, method, stripeVersion } = decoded
  const headers = controlHeaders(stripeVersion)
  const origin = request.headers.get('Origin')
  if (method === 'OPTIONS' || (origin !== null && origin !== url.origin)) {
    return jsonResponse(
      403,
      { error: { type: 'invalid_request_error', message: 'Emulator controls are not available cross-origin.' } },
      headers,
    )
  }
  try {
    const authorization = request.headers.get('Authorization')
    const keyPart = accountKeyOf(authorization)
    if (authorization && keyPart === undefined) {
      throw invalidRequest('Invalid API Key provided: controls act on the account of a test key (sk_test_…).', undefined, undefined, 401)
    }
    const { control, state } = accounts.of(keyPart)
    // the origin of file URLs in events raised by controls
    state.events.origin = url.origin
    const match = router.match(method, url.pathname)
    if (match?.value.kind !== 'control') throw unrecognizedURL(method, url.pathname)
    const body = method === 'POST' || method === 'PUT' ? parseJsonBody(await readBody(request, maxRequestBytes)) : {}
    const account =
      typeof body.account === 'string'
        ? { account: body.account }
        : url.searchParams.get('account')
          ? { account: url.searchParams.get('account') as string }
          : undefined
    const params: Record<string, string> = Object.assign(Object.create(null), match.pathParams)
    return jsonResponse(200, await match.value.route.handle({ controls: control, params, body, account, url }), headers)
  } catch (error) {
    if (error instanceof EmulatorError) return jsonResponse(error.status, { error: error.body }, headers)
    const message = error instanceof Error ? error.message : String(error)
    return jsonResponse(400, { error: { type: 'invalid_request_error', message } }, headers)
  }
}
