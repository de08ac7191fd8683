import type { EventOf } from '@edgestripe/core'
import { Source, SourceMandateNotification, SourceTransaction } from './generated/resources.js'

/**
 * Source event types → the schema of their `data.object`. Narrow a verified event with
 * `narrowEvent(event, sourceEvents)` (spread several domains' maps to handle them together).
 */
export const sourceEvents = {
  'source.canceled': Source,
  'source.chargeable': Source,
  'source.failed': Source,
  'source.refund_attributes_required': Source,
  'source.mandate_notification': SourceMandateNotification,
  'source.transaction.created': SourceTransaction,
  'source.transaction.updated': SourceTransaction,
}

export type SourceEvent = EventOf<typeof sourceEvents>
