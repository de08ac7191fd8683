// `_name`: exported for the SDK's own modules and packages (or a hidden member of a public object),
// not for users; a function private to its file has no `_`.
export { createStripe, DEFAULT_API_VERSION, type StripeClientWith } from './client.js'
export { parseCsv, StripeCsvError } from './csv.js'
export { _registerDeepSchemas } from './deep.js'
export {
  errorFromResponse,
  type PaginationFailure,
  type SignatureFailure,
  StripeAPIError,
  StripeAuthenticationError,
  StripeCardError,
  StripeConfigurationError,
  StripeConnectionError,
  StripeError,
  type StripeErrorInit,
  StripeIdempotencyError,
  StripeInvalidRequestError,
  StripePaginationError,
  StripePermissionError,
  StripeRateLimitError,
  type StripeRawError,
  StripeResponseValidationError,
  StripeSignatureVerificationError,
  StripeTimeoutError,
  StripeValidationError,
  type ValidationIssue,
} from './errors.js'
export { type EventOf, type EventSchemas, type NarrowEventOptions, narrowEvent, type StripeEvent } from './events.js'
export type { Expand } from './expand.js'
export { downloadFile, type FileDownload } from './files.js'
export { encodeForm, type FormValue } from './form.js'
export {
  type DefinedOperation,
  defineOperation,
  type HttpMethod,
  type Operation,
  type OperationAuth,
  type OperationParams,
  type OperationPath,
  type OperationResult,
  type PathParamNames,
} from './operation.js'
export { type ListObject, paginate, toArray } from './paginate.js'
export { _poll, type PollOptions, StripeWaitTimeoutError } from './poll.js'
export { redact, redactKey } from './redact.js'
export { type AttemptClaim, type BuiltRequest, buildRequest, type RequestInput, request } from './request.js'
export { LAST_RESPONSE, lastResponseOf } from './response-meta.js'
export { DO_NOT_RETRY, parseRetryAfter, retryDelay, retryReason, sleep } from './retry.js'
export type {
  CallResult,
  CallWrapper,
  Plugin,
  PluginApi,
  PublishableKeyOptions,
  RequestContext,
  RequestOptions,
  ResolvedConfig,
  ResponseMeta,
  ResponseValidation,
  RetryContext,
  SecretKeyOptions,
  StripeCall,
  StripeClient,
  StripeHooks,
  StripeOptions,
  WithResponse,
} from './types.js'
export {
  signWebhookPayload,
  type VerifyWebhookEventsOptions,
  type VerifyWebhookOptions,
  verifyWebhook,
  type WebhookPayload,
} from './webhooks.js'
