// Events and webhooks, one file per job under events/: the event log (event-log.ts), endpoint
// storage (endpoints.ts), delivery scheduling (delivery.ts), signing (signing.ts), the hub that
// holds an account's share of them (hub.ts) and their shapes (types.ts).
export {
  inScheduleOrder,
  releaseDeliveries,
  restoreHeld,
  saveHeld,
  scheduledDeliveries,
  settleDeliveries,
} from './events/delivery.js'
export {
  addEndpoint,
  createStoredEndpoint,
  listEndpoints,
  listStoredEndpoints,
  removeStoredEndpoint,
} from './events/endpoints.js'
export { listEvents, recordEvent, recordRouteEvents } from './events/event-log.js'
export { createEventHub } from './events/hub.js'
export type {
  EmulatorEvent,
  EventFilter,
  EventHub,
  EventHubOptions,
  RecordEventInput,
  SavedHeld,
  ScheduledDelivery,
  StoredEndpointInput,
  StoredEndpointInternal,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookHandler,
} from './events/types.js'
