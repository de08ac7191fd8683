import type { EventOf } from '@edgestripe/core'
import { ReportRun, ReportType } from './generated/resources.js'

/** Reporting event types → the schema of their `data.object` (use with `narrowEvent`). */
export const reportingEvents = {
  'reporting.report_run.succeeded': ReportRun,
  'reporting.report_run.failed': ReportRun,
  'reporting.report_type.updated': ReportType,
}

export type ReportingEvent = EventOf<typeof reportingEvents>
