export { createStripe, DEFAULT_API_VERSION, type StripeClientWith } from './client.js'
export { request, _send, type AttemptClaim, type RequestInput, type SendInput } from './request.js'
export {
  defineOperation,
  type Operation,
  type OperationAuth,
  type OperationParams,
  type OperationPath,
  type OperationResult,
  type PathParamNames,
} from './operation.js'
export { paginate, toArray, type ListObject } from './paginate.js'
export { encodeForm, type FormValue } from './form.js'
export { redactKey } from './auth.js'
export { retryDelay, retryReason, parseRetryAfter, sleep } from './retry.js'
export {
  StripeError,
  StripeCardError,
  StripeInvalidRequestError,
  StripeAuthenticationError,
  StripePermissionError,
  StripeRateLimitError,
  StripeIdempotencyError,
  StripeAPIError,
  StripeConnectionError,
  StripeTimeoutError,
  StripeValidationError,
  StripeConfigurationError,
  StripeResponseValidationError,
  StripeSignatureVerificationError,
  errorFromResponse,
  type SignatureFailure,
  type StripeRawError,
  type StripeErrorInit,
} from './errors.js'
export type { StripeHooks, RequestContext, RetryContext, ValidationIssue } from './hooks.js'
export type {
  HttpMethod,
  Plugin,
  PluginApi,
  RequestOptions,
  ResolvedConfig,
  ResponseMeta,
  ResponseValidation,
  StripeClient,
  StripeOptions,
  SecretKeyOptions,
  PublishableKeyOptions,
  WithResponse,
} from './types.js'
export { downloadFile, type FileDownload } from './files.js'
export { parseCsv, StripeCsvError } from './csv.js'
export { verifyWebhook, signWebhookPayload, type VerifyWebhookOptions } from './webhooks.js'
export { narrowEvent, type StripeEvent, type EventSchemas, type EventOf } from './events.js'
export { _poll, StripeWaitTimeoutError, type PollOptions } from './poll.js'
