import type { AccountOption } from '../controls.js'
import { controlRoute, type DomainKit, defineEmulatorDomain, type EmulatorDomain, type HandlerContext } from '../domain.js'
import { invalidRequest, resourceMissing } from '../errors.js'
import { recordEvent } from '../events.js'
import { createFile, withFileUrl } from '../files.js'
import type { Resources } from '../generated/resources.js'
import type { RouteParams } from '../generated/route-types.js'
import { newId } from '../ids.js'
import { fromTemplate } from '../objects.js'
import { paginate } from '../pagination.js'
import type { EmulatorState } from '../state.js'
import type { AccountStore } from '../store.js'
import { formatAmount, formatUtc, toCsv } from './csv.js'
import { REPORT_TYPES, type ReportTypeSpec } from './report-types.js'

type ReportRun = Resources['reporting.report_run']
type Entry = Resources['treasury.transaction_entry']

/** Data is available from 90 days before the emulator's start until its current hour. */
function availability(ctx: { state: EmulatorState; now: number }) {
  return { start: ctx.state.clock.start - 90 * 86_400, end: ctx.now - (ctx.now % 3600) }
}

function reportTypeObject(spec: ReportTypeSpec, ctx: { state: EmulatorState; now: number }): Resources['reporting.report_type'] {
  const range = availability(ctx)
  return fromTemplate('reporting.report_type', {
    id: spec.id,
    name: spec.name,
    default_columns: [...spec.defaultColumns],
    data_available_start: range.start,
    data_available_end: range.end,
    updated: range.end,
    version: Number(spec.id.split('.').at(-1)),
  })
}

function findType(id: string): ReportTypeSpec | undefined {
  return REPORT_TYPES.find((spec) => spec.id === id)
}

/** A run's emulator-only data (plain JSON: snapshots carry it). */
interface RunInternal {
  readyAt: number
  columns: readonly string[]
  /** the report type's id */
  reportType: string
}

function createReportRun(ctx: HandlerContext<RouteParams['PostReportingReportRuns'], unknown>): ReportRun {
  const p = ctx.params
  const spec = findType(p.report_type)
  if (!spec) {
    throw invalidRequest(`Invalid report_type: ${p.report_type} is not a valid report type.`, 'report_type')
  }
  const parameters: Record<string, unknown> = { ...(p.parameters || {}) }
  for (const name of spec.requiredParameters) {
    if (parameters[name] === undefined || parameters[name] === '') {
      throw invalidRequest(`Missing required param: parameters[${name}].`, `parameters[${name}]`)
    }
  }
  const range = availability(ctx)
  const start = parameters.interval_start === undefined ? range.start : Number(parameters.interval_start)
  const end = parameters.interval_end === undefined ? range.end : Number(parameters.interval_end)
  if (start < range.start) {
    throw invalidRequest(
      `parameters[interval_start] must be on or after ${range.start} (data_available_start).`,
      'parameters[interval_start]',
    )
  }
  if (end > range.end) {
    throw invalidRequest(`parameters[interval_end] must be on or before ${range.end} (data_available_end).`, 'parameters[interval_end]')
  }
  if (start >= end)
    throw invalidRequest('parameters[interval_start] must be before parameters[interval_end].', 'parameters[interval_start]')
  const columns = Array.isArray(parameters.columns) && parameters.columns.length ? (parameters.columns as string[]) : spec.defaultColumns
  columns.forEach((column, index) => {
    if (!spec.columns.includes(column)) {
      throw invalidRequest(`Invalid column '${column}' for report type ${spec.id}.`, `parameters[columns][${index}]`)
    }
  })
  const run = fromTemplate('reporting.report_run', {
    id: newId('frr'),
    created: ctx.now,
    error: null,
    parameters: { ...parameters, interval_start: start, interval_end: end },
    report_type: spec.id,
    result: null,
    status: 'pending',
    succeeded_at: null,
  })
  const internal: RunInternal = { readyAt: ctx.now + ctx.state.reportRunDelay, columns: [...columns], reportType: spec.id }
  return ctx.store.insert(run, { ...internal })
}

/** Treasury entries with a cash impact in [start, end): the emulator's balance activity. */
function cashEntries(store: AccountStore, start: number, end: number, currency?: string): Entry[] {
  return store
    .list('treasury.transaction_entry', (entry) => {
      const at = entry.effective_at
      const cash = entry.balance_impact.cash
      return cash !== 0 && at >= start && at < end && (!currency || entry.currency === currency)
    })
    .reverse()
}

function buildCsv(store: AccountStore, run: ReportRun, internal: RunInternal): string {
  const params = run.parameters
  const start = Number(params.interval_start)
  const end = Number(params.interval_end)
  const currency = typeof params.currency === 'string' ? params.currency : undefined
  const entries = cashEntries(store, start, end, currency)
  const rows: Record<string, unknown>[] = []
  const spec = findType(internal.reportType)
  if (!spec) return toCsv(internal.columns, rows)
  if (spec.kind === 'itemized') {
    for (const entry of entries) {
      const cash = entry.balance_impact.cash
      rows.push({
        balance_transaction_id: entry.id,
        created_utc: formatUtc(entry.created),
        created: entry.created,
        available_on_utc: formatUtc(entry.effective_at),
        currency: entry.currency,
        gross: formatAmount(cash),
        fee: formatAmount(0),
        net: formatAmount(cash),
        reporting_category: entry.type,
        description: entry.flow_type,
        financial_account: entry.financial_account,
        transaction: entry.transaction,
      })
    }
  } else if (spec.kind === 'summary') {
    const groups = new Map<string, { reporting_category: unknown; currency: unknown; count: number; net: number }>()
    for (const entry of entries) {
      const key = `${entry.type}|${entry.currency}`
      const group = groups.get(key) ?? { reporting_category: entry.type, currency: entry.currency, count: 0, net: 0 }
      group.count++
      group.net += entry.balance_impact.cash
      groups.set(key, group)
    }
    for (const group of groups.values()) {
      rows.push({ ...group, gross: formatAmount(group.net), fee: formatAmount(0), net: formatAmount(group.net) })
    }
  } else if (spec.kind === 'balance_summary') {
    const currencies = new Set(entries.map((entry) => entry.currency))
    for (const cur of [...currencies].sort()) {
      const before = cashEntries(store, Number.NEGATIVE_INFINITY, start, cur)
      const opening = before.reduce((sum, entry) => sum + entry.balance_impact.cash, 0)
      const activity = entries.filter((entry) => entry.currency === cur).reduce((sum, entry) => sum + entry.balance_impact.cash, 0)
      rows.push({ category: 'starting_balance', description: 'Starting balance', net_amount: formatAmount(opening), currency: cur })
      rows.push({ category: 'activity', description: 'Activity', net_amount: formatAmount(activity), currency: cur })
      rows.push({ category: 'ending_balance', description: 'Ending balance', net_amount: formatAmount(opening + activity), currency: cur })
    }
  }
  return toCsv(internal.columns, rows)
}

/**
 * Derives a run's status from the clock: `pending` until `readyAt`, then `succeeded` with its file.
 * Records `reporting.report_run.succeeded` when it flips (true then).
 */
export function settleReportRun(state: EmulatorState, store: AccountStore, run: ReportRun, now: number): boolean {
  if (run.status !== 'pending') return false
  const internal = store.record(run.id)?.internal as RunInternal | undefined
  if (!internal || now < internal.readyAt) return false
  const file = createFile(store, internal.readyAt, {
    purpose: 'finance_report_run',
    body: buildCsv(store, run, internal),
    filename: `report_run_${run.id}.csv`,
  })
  run.status = 'succeeded'
  store.reindex(run, 'status', 'pending')
  run.succeeded_at = internal.readyAt
  run.result = file
  raise(state, store, run, 'reporting.report_run.succeeded')
  return true
}

function raise(state: EmulatorState, store: AccountStore, run: ReportRun, type: string): void {
  const copy = structuredClone(run)
  withFileUrl(copy.result, state.events.origin)
  recordEvent(state.events, { type, object: copy, account: store.id, defaultAccount: state.defaultAccount, now: state.clock.now })
}

/** Settles every pending run whose delay has passed, in every account (after the clock moved). */
export function settleAllReportRuns(state: EmulatorState): void {
  for (const store of state.store.accounts()) {
    for (const run of store.list('reporting.report_run', (r) => r.status === 'pending').reverse()) {
      settleReportRun(state, store, run, state.clock.now)
    }
  }
}

/** When the next pending run finishes (emulator time), in any account; undefined when none is pending. */
export function nextReportRunDue(state: EmulatorState): number | undefined {
  let next: number | undefined
  for (const store of state.store.accounts()) {
    // the pending ones only (a field scan: read on every request on a real clock, finished runs are not read)
    for (const record of store.scan('reporting.report_run', { by: ['status', 'pending'] })) {
      if (record.object.status !== 'pending') continue
      const readyAt = (record.internal as Partial<RunInternal>).readyAt
      if (readyAt !== undefined && (next === undefined || readyAt < next)) next = readyAt
    }
  }
  return next
}

/** Control: a pending run fails with `error` (a message), raising `reporting.report_run.failed`. */
export function failReportRun(state: EmulatorState, store: AccountStore, id: string, error?: string): ReportRun {
  const run = store.get('reporting.report_run', id)
  if (!run) throw resourceMissing('report run', id, 'report_run')
  if (run.status !== 'pending') throw invalidRequest(`Report run ${id} is ${run.status}; only pending runs can fail.`, 'report_run')
  run.status = 'failed'
  store.reindex(run, 'status', 'pending')
  run.error = error ?? 'The report could not be generated (emulated failure).'
  raise(state, store, run, 'reporting.report_run.failed')
  return structuredClone(run)
}

function presentRun(ctx: HandlerContext<unknown, unknown>, run: ReportRun): ReportRun {
  settleReportRun(ctx.state, ctx.store, run, ctx.now)
  const copy = structuredClone(run)
  withFileUrl(copy.result, ctx.origin)
  return copy
}

/**
 * `reporting.report_type.updated`, once per report type, when the clock's move made new data
 * available (each type's `data_available_end` moved: it follows the emulator's current hour). Report
 * types belong to the platform: the events go to the default account. In `real` clock mode the
 * wall clock moves `data_available_end` too, but only `advance` announces it.
 */
function announceReportTypes(kit: DomainKit, previous: number): void {
  const before = availability({ state: kit.state, now: previous }).end
  const ctx = { state: kit.state, now: kit.state.clock.now }
  if (availability(ctx).end === before) return
  for (const spec of REPORT_TYPES) kit.raise('reporting.report_type.updated', reportTypeObject(spec, ctx))
}

/** Reporting controls. */
export interface ReportingControl {
  /** a pending report run fails with `error` (`reporting.report_run.failed`) */
  failReportRun(id: string, error?: string, options?: AccountOption): ReportRun
}

/** Reporting: report types and report runs, whose CSV is built from the Treasury ledger. */
export const reporting: EmulatorDomain<'reporting', ReportingControl> = /* @__PURE__ */ defineEmulatorDomain<'reporting', ReportingControl>(
  {
    name: 'reporting',
    prefixes: ['/v1/reporting/'],
    handlers: {
      GetReportingReportTypes: (ctx) => ({
        object: 'list',
        data: REPORT_TYPES.map((spec) => reportTypeObject(spec, ctx)),
        has_more: false,
        url: '/v1/reporting/report_types',
      }),
      GetReportingReportTypesReportType: (ctx) => {
        const id = ctx.pathParams.report_type
        const spec = findType(id)
        if (!spec) throw resourceMissing('report type', id, 'report_type')
        return reportTypeObject(spec, ctx)
      },
      PostReportingReportRuns: (ctx) => presentRun(ctx, createReportRun(ctx)),
      GetReportingReportRunsReportRun: (ctx) => {
        const id = ctx.pathParams.report_run
        const run = ctx.store.get('reporting.report_run', id)
        if (!run) throw resourceMissing('report run', id, 'report_run')
        return presentRun(ctx, run)
      },
      GetReportingReportRuns: (ctx) => {
        const list = paginate(ctx.store, { kind: 'reporting.report_run', params: ctx.params, url: '/v1/reporting/report_runs' })
        return { ...list, data: list.data.map((run) => presentRun(ctx, run)) }
      },
    },
    controls: (kit: DomainKit): ReportingControl => ({
      failReportRun: (id, error, options) => failReportRun(kit.state, kit.store(options), id, error),
    }),
    controlRoutes: [
      controlRoute('POST', '/report-runs/{id}/fail', ({ controls, params, body, account }) =>
        controls.failReportRun(params.id, typeof body.error === 'string' ? body.error : undefined, account),
      ),
    ],
    onAdvance: (kit, previous) => {
      settleAllReportRuns(kit.state)
      announceReportTypes(kit, previous)
    },
    nextDue: (kit) => nextReportRunDue(kit.state),
    fixtures: [
      {
        list: 'GetReportingReportRuns',
        async create(api) {
          api.control.advance(3600)
          const type = (await api.call('GET', '/v1/reporting/report_types/balance.summary.1')).body
          const run = await api.call('POST', '/v1/reporting/report_runs', {
            report_type: 'balance.summary.1',
            parameters: { interval_start: type.data_available_start, interval_end: type.data_available_end },
          })
          return run.body.id as string
        },
      },
    ],
  },
)
