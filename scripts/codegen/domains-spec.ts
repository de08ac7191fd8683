// The spec as the generator and the tests see it: spec/spec.json with spec/overlay.json merged in
// (operations and params from newer API versions, see spec/OVERLAY.md), plus the table of
// operations: which package, entry, function name and plugin path each one gets.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { applyStripeNodeOverlay } from './overlay-stripe-node'

export type Json = any

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export type Domain = 'sources' | 'treasury' | 'sigma' | 'reporting'
export const DOMAINS: readonly Domain[] = ['sources', 'treasury', 'sigma', 'reporting']

/** Resources modelled in full (types and runtime schemas); every other object is `StripeObject` (+ its `object` literal). */
export const DOMAIN_RESOURCES: Record<Domain, readonly string[]> = {
  sources: ['source', 'source_transaction', 'source_mandate_notification'],
  treasury: [
    'treasury.credit_reversal',
    'treasury.debit_reversal',
    'treasury.financial_account',
    'treasury.financial_account_features',
    'treasury.inbound_transfer',
    'treasury.outbound_payment',
    'treasury.outbound_transfer',
    'treasury.received_credit',
    'treasury.received_debit',
    'treasury.transaction',
    'treasury.transaction_entry',
  ],
  sigma: ['scheduled_query_run', 'file'],
  reporting: ['reporting.report_run', 'reporting.report_type', 'file'],
}

/** Auth per operation; everything else needs a secret (or restricted) key. */
export const AUTH: Record<string, 'publishable' | 'client_secret'> = {
  GetSourcesSource: 'client_secret',
  PostSources: 'publishable',
}

/** operationId → [function name, plugin path]. Names follow Stripe's SDKs (stripe-node). */
export const NAMES: Record<string, readonly [string, string]> = {
  // sources
  PostSources: ['createSource', 'sources.create'],
  GetSourcesSource: ['retrieveSource', 'sources.retrieve'],
  PostSourcesSource: ['updateSource', 'sources.update'],
  PostSourcesSourceVerify: ['verifySource', 'sources.verify'],
  GetSourcesSourceSourceTransactions: ['listSourceTransactions', 'sources.listSourceTransactions'],
  GetSourcesSourceSourceTransactionsSourceTransaction: ['retrieveSourceTransaction', 'sources.retrieveSourceTransaction'],
  GetSourcesSourceMandateNotificationsMandateNotification: ['retrieveSourceMandateNotification', 'sources.retrieveMandateNotification'],
  PostCustomersCustomerSources: ['attachSource', 'customers.createSource'],
  DeleteCustomersCustomerSourcesId: ['detachSource', 'customers.deleteSource'],
  GetCustomersCustomerSources: ['listCustomerSources', 'customers.listSources'],
  GetCustomersCustomerSourcesId: ['retrieveCustomerSource', 'customers.retrieveSource'],
  PostCustomersCustomerSourcesId: ['updateCustomerSource', 'customers.updateSource'],
  PostCustomersCustomerSourcesIdVerify: ['verifyCustomerSource', 'customers.verifySource'],
  // sigma
  GetSigmaScheduledQueryRuns: ['listScheduledQueryRuns', 'sigma.scheduledQueryRuns.list'],
  GetSigmaScheduledQueryRunsScheduledQueryRun: ['retrieveScheduledQueryRun', 'sigma.scheduledQueryRuns.retrieve'],
  // reporting
  PostReportingReportRuns: ['createReportRun', 'reporting.reportRuns.create'],
  GetReportingReportRunsReportRun: ['retrieveReportRun', 'reporting.reportRuns.retrieve'],
  GetReportingReportRuns: ['listReportRuns', 'reporting.reportRuns.list'],
  GetReportingReportTypesReportType: ['retrieveReportType', 'reporting.reportTypes.retrieve'],
  GetReportingReportTypes: ['listReportTypes', 'reporting.reportTypes.list'],
  // treasury
  PostTreasuryCreditReversals: ['createCreditReversal', 'treasury.creditReversals.create'],
  GetTreasuryCreditReversalsCreditReversal: ['retrieveCreditReversal', 'treasury.creditReversals.retrieve'],
  GetTreasuryCreditReversals: ['listCreditReversals', 'treasury.creditReversals.list'],
  PostTreasuryDebitReversals: ['createDebitReversal', 'treasury.debitReversals.create'],
  GetTreasuryDebitReversalsDebitReversal: ['retrieveDebitReversal', 'treasury.debitReversals.retrieve'],
  GetTreasuryDebitReversals: ['listDebitReversals', 'treasury.debitReversals.list'],
  PostTreasuryFinancialAccounts: ['createFinancialAccount', 'treasury.financialAccounts.create'],
  GetTreasuryFinancialAccountsFinancialAccount: ['retrieveFinancialAccount', 'treasury.financialAccounts.retrieve'],
  PostTreasuryFinancialAccountsFinancialAccount: ['updateFinancialAccount', 'treasury.financialAccounts.update'],
  GetTreasuryFinancialAccounts: ['listFinancialAccounts', 'treasury.financialAccounts.list'],
  GetTreasuryFinancialAccountsFinancialAccountFeatures: ['retrieveFinancialAccountFeatures', 'treasury.financialAccounts.retrieveFeatures'],
  PostTreasuryFinancialAccountsFinancialAccountFeatures: ['updateFinancialAccountFeatures', 'treasury.financialAccounts.updateFeatures'],
  PostTreasuryFinancialAccountsFinancialAccountClose: ['closeFinancialAccount', 'treasury.financialAccounts.close'],
  PostTreasuryInboundTransfers: ['createInboundTransfer', 'treasury.inboundTransfers.create'],
  GetTreasuryInboundTransfersId: ['retrieveInboundTransfer', 'treasury.inboundTransfers.retrieve'],
  GetTreasuryInboundTransfers: ['listInboundTransfers', 'treasury.inboundTransfers.list'],
  PostTreasuryInboundTransfersInboundTransferCancel: ['cancelInboundTransfer', 'treasury.inboundTransfers.cancel'],
  PostTreasuryOutboundPayments: ['createOutboundPayment', 'treasury.outboundPayments.create'],
  GetTreasuryOutboundPaymentsId: ['retrieveOutboundPayment', 'treasury.outboundPayments.retrieve'],
  GetTreasuryOutboundPayments: ['listOutboundPayments', 'treasury.outboundPayments.list'],
  PostTreasuryOutboundPaymentsIdCancel: ['cancelOutboundPayment', 'treasury.outboundPayments.cancel'],
  PostTreasuryOutboundTransfers: ['createOutboundTransfer', 'treasury.outboundTransfers.create'],
  GetTreasuryOutboundTransfersOutboundTransfer: ['retrieveOutboundTransfer', 'treasury.outboundTransfers.retrieve'],
  GetTreasuryOutboundTransfers: ['listOutboundTransfers', 'treasury.outboundTransfers.list'],
  PostTreasuryOutboundTransfersOutboundTransferCancel: ['cancelOutboundTransfer', 'treasury.outboundTransfers.cancel'],
  GetTreasuryReceivedCreditsId: ['retrieveReceivedCredit', 'treasury.receivedCredits.retrieve'],
  GetTreasuryReceivedCredits: ['listReceivedCredits', 'treasury.receivedCredits.list'],
  GetTreasuryReceivedDebitsId: ['retrieveReceivedDebit', 'treasury.receivedDebits.retrieve'],
  GetTreasuryReceivedDebits: ['listReceivedDebits', 'treasury.receivedDebits.list'],
  GetTreasuryTransactionEntriesId: ['retrieveTransactionEntry', 'treasury.transactionEntries.retrieve'],
  GetTreasuryTransactionEntries: ['listTransactionEntries', 'treasury.transactionEntries.list'],
  GetTreasuryTransactionsId: ['retrieveTransaction', 'treasury.transactions.retrieve'],
  GetTreasuryTransactions: ['listTransactions', 'treasury.transactions.list'],
  // treasury test helpers (entry @edgestripe/treasury/test-helpers)
  PostTestHelpersTreasuryInboundTransfersIdFail: ['failInboundTransfer', 'testHelpers.treasury.inboundTransfers.fail'],
  PostTestHelpersTreasuryInboundTransfersIdReturn: ['returnInboundTransfer', 'testHelpers.treasury.inboundTransfers.returnInboundTransfer'],
  PostTestHelpersTreasuryInboundTransfersIdSucceed: ['succeedInboundTransfer', 'testHelpers.treasury.inboundTransfers.succeed'],
  PostTestHelpersTreasuryOutboundPaymentsId: ['updateOutboundPayment', 'testHelpers.treasury.outboundPayments.update'],
  PostTestHelpersTreasuryOutboundPaymentsIdFail: ['failOutboundPayment', 'testHelpers.treasury.outboundPayments.fail'],
  PostTestHelpersTreasuryOutboundPaymentsIdPost: ['postOutboundPayment', 'testHelpers.treasury.outboundPayments.post'],
  PostTestHelpersTreasuryOutboundPaymentsIdReturn: ['returnOutboundPayment', 'testHelpers.treasury.outboundPayments.returnOutboundPayment'],
  PostTestHelpersTreasuryOutboundTransfersOutboundTransfer: ['updateOutboundTransfer', 'testHelpers.treasury.outboundTransfers.update'],
  PostTestHelpersTreasuryOutboundTransfersOutboundTransferFail: ['failOutboundTransfer', 'testHelpers.treasury.outboundTransfers.fail'],
  PostTestHelpersTreasuryOutboundTransfersOutboundTransferPost: ['postOutboundTransfer', 'testHelpers.treasury.outboundTransfers.post'],
  PostTestHelpersTreasuryOutboundTransfersOutboundTransferReturn: [
    'returnOutboundTransfer',
    'testHelpers.treasury.outboundTransfers.returnOutboundTransfer',
  ],
  PostTestHelpersTreasuryReceivedCredits: ['createReceivedCredit', 'testHelpers.treasury.receivedCredits.create'],
  PostTestHelpersTreasuryReceivedDebits: ['createReceivedDebit', 'testHelpers.treasury.receivedDebits.create'],
}

/** spec/spec.json with spec/overlay.json and spec/overlay.stripe-node.json merged in. */
export function loadSpec(dir = join(root, 'spec')): Json {
  const spec = JSON.parse(readFileSync(join(dir, 'spec.json'), 'utf8'))
  const overlay = JSON.parse(readFileSync(join(dir, 'overlay.json'), 'utf8'))
  // Then what stripe-node's types add (written by stripe-node-overlay.ts, see overlay-stripe-node.ts).
  return applyStripeNodeOverlay(mergeOverlay(spec, overlay), JSON.parse(readFileSync(join(dir, 'overlay.stripe-node.json'), 'utf8')))
}

/** Adds the overlay's paths, params and response fields to a copy of the spec (see spec/OVERLAY.md). */
export function mergeOverlay(spec: Json, overlay: Json): Json {
  const out = structuredClone(spec)
  const shared = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(shared)
    if (node && typeof node === 'object') {
      if (typeof node.$ref === 'string' && node.$ref.startsWith('#/x-overlay/')) {
        return shared(overlay.shared[node.$ref.slice('#/x-overlay/'.length)])
      }
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, shared(v)]))
    }
    return node
  }
  for (const [path, item] of Object.entries(overlay.paths ?? {})) {
    out.paths[path] = { ...out.paths[path], ...shared(item) }
  }
  for (const [name, change] of Object.entries(overlay.schemas ?? {}) as [string, Json][]) {
    const schema = out.components.schemas[name]
    if (!schema) throw new Error(`overlay: unknown schema ${name}`)
    // Response fields only ever arrive optional: responses of 2024-04-10 do not carry them.
    schema.properties = sortKeys({ ...schema.properties, ...shared(change.properties) })
  }
  const byId = new Map<string, Json>()
  for (const item of Object.values(out.paths) as Json[]) {
    for (const op of Object.values(item) as Json[]) if (op?.operationId) byId.set(op.operationId, op)
  }
  for (const [id, change] of Object.entries(overlay.params ?? {}) as [string, Json][]) {
    const op = byId.get(id)
    if (!op) throw new Error(`overlay: unknown operation ${id}`)
    for (const [name, schema] of Object.entries(change.query ?? {})) {
      op.parameters = [...(op.parameters ?? []), { in: 'query', name, required: false, schema: shared(schema), style: 'form' }]
      op.parameters.sort((a: Json, b: Json) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    }
    const media = op.requestBody?.content?.['application/x-www-form-urlencoded']
    for (const [name, schema] of Object.entries(change.body ?? {})) {
      media.schema.properties = sortKeys({ ...media.schema.properties, [name]: shared(schema) })
      if ((schema as Json).properties || (schema as Json).$ref) {
        media.encoding = sortKeys({ ...media.encoding, [name]: { explode: true, style: 'deepObject' } })
      }
    }
  }
  return out
}

function sortKeys(record: Record<string, Json>): Record<string, Json> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]]),
  )
}

export interface OperationInfo {
  operationId: string
  method: 'GET' | 'POST' | 'DELETE'
  path: string
  op: Json
  domain: Domain
  /** `index` or `test-helpers` */
  entry: 'index' | 'test-helpers'
  fn: string
  plugin: string
  auth: 'secret' | 'publishable' | 'client_secret'
}

export function domainOf(path: string): Domain {
  if (path.startsWith('/v1/sources') || path.startsWith('/v1/customers/')) return 'sources'
  if (path.startsWith('/v1/treasury/') || path.startsWith('/v1/test_helpers/treasury/')) return 'treasury'
  if (path.startsWith('/v1/sigma/')) return 'sigma'
  if (path.startsWith('/v1/reporting/')) return 'reporting'
  throw new Error(`no domain for ${path}`)
}

/** Every operation, sorted by operationId (deterministic output). */
export function listOperations(spec: Json): OperationInfo[] {
  const out: OperationInfo[] = []
  for (const [path, item] of Object.entries(spec.paths) as [string, Json][]) {
    for (const method of ['get', 'post', 'delete'] as const) {
      const op = item[method]
      if (!op?.operationId) continue
      const names = NAMES[op.operationId]
      if (!names) throw new Error(`no name for ${op.operationId}`)
      out.push({
        operationId: op.operationId,
        method: method.toUpperCase() as OperationInfo['method'],
        path,
        op,
        domain: domainOf(path),
        entry: path.startsWith('/v1/test_helpers/') ? 'test-helpers' : 'index',
        fn: names[0],
        plugin: names[1],
        auth: AUTH[op.operationId] ?? 'secret',
      })
    }
  }
  const missing = Object.keys(NAMES).filter((id) => !out.some((o) => o.operationId === id))
  if (missing.length) throw new Error(`names for unknown operations: ${missing.join(', ')}`)
  return out.sort((a, b) => (a.operationId < b.operationId ? -1 : 1))
}

/** The params of an operation as one object schema: query params (GET/DELETE) merged with the form body schema. */
export function paramsSchema(info: { method: string; op: Json }): Json {
  const properties: Record<string, Json> = {}
  const required: string[] = []
  for (const p of info.op.parameters ?? []) {
    if (p.in !== 'query') continue
    properties[p.name] = p.schema
    if (p.required) required.push(p.name)
  }
  const body = info.op.requestBody?.content?.['application/x-www-form-urlencoded']?.schema
  for (const [name, schema] of Object.entries(body?.properties ?? {})) properties[name] = schema
  for (const name of body?.required ?? []) required.push(name)
  return { type: 'object', properties: sortKeys(properties), required: [...new Set(required)].sort() }
}

export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string)
}

/** The `200` response schema of an operation. */
export function responseSchema(op: Json): Json {
  return op.responses['200'].content['application/json'].schema
}

export function refName(ref: string): string {
  return ref.replace('#/components/schemas/', '')
}
