export type { ClockMode } from './clock.js'
export type { EmulatorOptions, RequestLogEntry } from './context.js'
export { handleControlRequest } from './control-http.js'
export type { AccountOption, EmulatorControl } from './controls.js'
export { createEmulator, DEFAULT_NOW, type Emulator } from './emulator.js'
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
export { MAX_BODY_BYTES } from './http.js'
export { serveHandler } from './serve-handler.js'
export type { ScheduledQueryRunSeed } from './sigma.js'
export type { StripeObject } from './store.js'
