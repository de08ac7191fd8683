export { createStripe, DEFAULT_API_VERSION, type StripeClientWith } from './client'
export { request, _send, type AttemptClaim, type RequestInput, type SendInput } from './request'
export {
  defineOperation,
  type Operation,
  type OperationAuth,
  type OperationParams,
  type OperationPath,
  type OperationResult,
  type PathParamNames,
} from './operation'
export { paginate, toArray, type ListObject } from './paginate'
export { encodeForm, type FormValue } from './form'
export { redactKey } from './auth'
export { retryDelay, retryReason, parseRetryAfter, sleep } from './retry'
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
} from './errors'
export type { StripeHooks, RequestContext, RetryContext, ValidationIssue } from './hooks'
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
} from './types'
export { downloadFile, type FileDownload } from './files'
export { parseCsv, StripeCsvError } from './csv'
export { verifyWebhook, signWebhookPayload, type VerifyWebhookOptions } from './webhooks'
export { narrowEvent, type StripeEvent, type EventSchemas, type EventOf } from './events'
export { _poll, StripeWaitTimeoutError, type PollOptions } from './poll'
