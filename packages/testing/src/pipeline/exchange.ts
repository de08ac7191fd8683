// What the API stages pass along for one request.
import type { AuthInfo } from '../auth.js'
import type { EmulatorError } from '../errors.js'
import type { RequestLogEntry } from '../state.js'
import type { ChosenAccount } from './choose-account.js'
import type { DecodedRequest } from './decode.js'

/** One API request on its way through the stages. */
export interface Exchange extends DecodedRequest, ChosenAccount {
  /** the key, or why it is refused (answered as a 401 by the route stage) */
  auth: AuthInfo | EmulatorError
  idempotencyKey: string | null
  /** the response headers so far (`Request-Id`, `Stripe-Version`, CORS) */
  headers: Headers
  /** this request in the account's request log */
  entry: RequestLogEntry
}
