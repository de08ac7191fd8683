import type { EventOf } from '@edgestripe/core'
import { ScheduledQueryRun } from './generated/resources.js'

/** Sigma event types → the schema of their `data.object` (use with `narrowEvent`). */
export const sigmaEvents = {
  'sigma.scheduled_query_run.created': ScheduledQueryRun,
}

export type SigmaEvent = EventOf<typeof sigmaEvents>
