/** A Stripe-shaped API error thrown by handlers and turned into a JSON response. */
export interface StripeErrorBody {
  type: 'invalid_request_error' | 'idempotency_error' | 'api_error' | 'authentication_error'
  message: string
  param?: string
  code?: string
  doc_url?: string
}

export class EmulatorError extends Error {
  readonly status: number
  readonly body: StripeErrorBody
  constructor(status: number, body: StripeErrorBody) {
    super(body.message)
    this.status = status
    // as Stripe writes them: an error with a `code` links its page
    this.body = body.code && !body.doc_url ? { ...body, doc_url: docURL(body.code) } : body
  }
}

/** Stripe's page for an error code: `resource_missing` → https://stripe.com/docs/error-codes/resource-missing */
export function docURL(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`
}

export function invalidRequest(message: string, param?: string, code?: string, status = 400): EmulatorError {
  const body: StripeErrorBody = { type: 'invalid_request_error', message }
  if (code) body.code = code
  if (param) body.param = param
  return new EmulatorError(status, body)
}

/** 404 `resource_missing`, as Stripe answers for an unknown id. */
export function resourceMissing(noun: string, id: string, param: string): EmulatorError {
  return invalidRequest(`No such ${noun}: '${id}'`, param, 'resource_missing', 404)
}

export function missingParam(param: string): EmulatorError {
  return invalidRequest(`Missing required param: ${param}.`, param, 'parameter_missing')
}
