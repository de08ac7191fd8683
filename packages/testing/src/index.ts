export { type AccountsMode, platformAccountId } from './account-keys.js'
export type { ClockMode } from './clock.js'
export type { AccountOption, CoreControl, EmulatorStats } from './controls.js'
export type { ParamSchema, RouteDigest } from './digest-types.js'
export {
  type AnyEmulatorDomain,
  type ControlPathParams,
  type ControlRequest,
  type ControlRoute,
  type ControlsOf,
  controlRoute,
  type DomainEvents,
  type DomainFixture,
  type DomainHandlers,
  type DomainKit,
  defineEmulatorDomain,
  type EmulatorDomain,
  type FixtureApi,
  type Handler,
  type HandlerContext,
  type RaisedEvent,
  type RouteContext,
  type Seeder,
} from './domain.js'
export {
  DEFAULT_DOMAINS,
  type DefaultDomains,
  type FinancialConnectionsControl,
  financialConnections,
  type IdentityControl,
  identity,
  type ReportingControl,
  reporting,
  type ScheduledQueryRunSeed,
  type SourcesControl,
  sigma,
  sources,
  treasury,
  webhookEndpoints,
} from './domains/index.js'
export {
  type CreateEmulatorOptions,
  createEmulator,
  DEFAULT_NOW,
  type Emulator,
  type EmulatorControl,
  type ServeHandlerInfo,
} from './emulator.js'
export { EmulatorError, invalidRequest, missingParam, resourceMissing } from './errors.js'
export type {
  EmulatorEvent,
  EventFilter,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookHandler,
} from './events.js'
export type { Fault, FaultMatch, FaultRule } from './faults.js'
export { decodeForm, type FormObject, type FormValue } from './form-decode.js'
export type { ResourceName, Resources } from './generated/resources.js'
export type { RouteId, RouteParams, RoutePathParams } from './generated/route-types.js'
export { newId } from './ids.js'
export { EMULATOR_VERSION, type EmulatorHealth, type ResetOptions, type SnapshotOptions } from './key-accounts.js'
export { applyMetadata, fromTemplate, mergeParams, unsetToNull } from './objects.js'
export { type ListObject, type PageParams, type PageQuery, paginate } from './pagination.js'
export { type ClockScheduler, type ClockSchedulerOptions, startClockScheduler } from './scheduler.js'
export { type ServeHandlerOptions, serveHandler } from './serve-handler.js'
export { type EmulatorSnapshot, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './snapshot.js'
export { DEFAULT_LIMITS, type EmulatorOptions, type EmulatorState, type RequestLogEntry } from './state.js'
export {
  type AccountStore,
  createMemoryStore,
  type EmulatorStore,
  type IdempotencyEntry,
  type KeyMap,
  type KeySet,
  type ScanOptions,
  type StoredRecord,
  type StripeObject,
} from './store.js'
export { validateParams } from './validate.js'
export { DEFAULT_WEBHOOK_RETRIES, DEFAULT_WEBHOOK_TIMEOUT_MS, type WebhookFault, type WebhookFaultRule } from './webhook-faults.js'
