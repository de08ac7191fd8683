// One declaration per domain package. `pnpm codegen` turns each into a whole package: scaffold
// (package.json, tsconfigs, vite config, src/index.ts, README skeleton), src/generated/ (params,
// resources, operations, functions, plugin, events), the operation-suite test and the package's
// entries in the bundle-size test and the bench. Adding a domain = one entry here + `pnpm codegen`.
//
// Names are derived from the path the way stripe-node names its methods (see `deriveNames` in
// domains-spec.ts: `GET /v1/treasury/received_credits/{id}` → `retrieveReceivedCredit`,
// `treasury.receivedCredits.retrieve`); `names` overrides them where the derived ones read badly
// or where stripe-node says otherwise.

export type Auth = 'publishable' | 'client_secret'

export interface DomainDeclaration {
  /** Package folder and npm name: `packages/<name>`, `@edgestripe/<name>` (kebab-case). */
  name: string
  /** One sentence: package.json `description` and the README's first line. */
  description: string
  /** API path prefixes this package holds; paths under `/v1/test_helpers/` go to its `test-helpers` entry. */
  paths: readonly string[]
  /** `x-resourceId`s modelled in full (types and runtime schemas); any other object is a `StripeObject` stand-in. */
  resources: readonly string[]
  /** Prefix dropped from this package's type names (`treasury.` → `OutboundPayment`). */
  typePrefix?: string
  /** operationId → function name and/or plugin path, where the derived ones read badly. */
  names?: Record<string, { fn?: string; plugin?: string }>
  /** operationId → who else may call it (everything else needs a secret or restricted key). */
  auth?: Record<string, Auth>
  /**
   * Typed webhook events: every event type of the spec (`enabled_events`) starting with one of
   * `prefixes`, mapped to the resource named by its type minus the last part
   * (`treasury.outbound_payment.posted` → `treasury.outbound_payment`) unless `resources` says.
   * `name` gives the map and union names (`treasury` → `treasuryEvents`, `TreasuryEvent`).
   */
  events?: { name: string; prefixes: readonly string[]; resources?: Record<string, string> }
  /**
   * Where the spec's one schema fits calls that differ: fields dropped from a resource's type and
   * schema (`omitFields`, schema name → fields), and an operation's result type (`resultTypes`,
   * operationId → a type expression over the package's types).
   */
  omitFields?: Record<string, readonly string[]>
  resultTypes?: Record<string, string>
  /** Hand-written modules in `src/` that `index.ts` re-exports (`poll-source` → `./poll-source.js`). */
  helpers?: readonly string[]
  /** The function of this package's single-call Worker in the bundle-size test and the bench. */
  sizeProbe: string
}

export const DECLARATIONS: readonly DomainDeclaration[] = [
  {
    name: 'sources',
    description: "Stripe's Sources API: one function per operation, pollSource, a plugin.",
    paths: ['/v1/sources', '/v1/customers/'],
    resources: ['source', 'source_transaction', 'source_mandate_notification'],
    auth: { GetSourcesSource: 'client_secret', PostSources: 'publishable' },
    names: {
      PostCustomersCustomerSources: { fn: 'attachSource' },
      DeleteCustomersCustomerSourcesId: { fn: 'detachSource' },
    },
    events: { name: 'source', prefixes: ['source.'], resources: { 'source.mandate_notification': 'source_mandate_notification' } },
    helpers: ['poll-source'],
    sizeProbe: 'retrieveSource',
  },
  {
    name: 'treasury',
    description: "Stripe's Treasury API: one function per operation, test helpers in their own entry, a plugin.",
    paths: ['/v1/treasury/', '/v1/test_helpers/treasury/'],
    resources: [
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
    typePrefix: 'treasury.',
    names: {
      GetTreasuryFinancialAccountsFinancialAccountFeatures: {
        fn: 'retrieveFinancialAccountFeatures',
        plugin: 'treasury.financialAccounts.retrieveFeatures',
      },
      PostTreasuryFinancialAccountsFinancialAccountFeatures: {
        fn: 'updateFinancialAccountFeatures',
        plugin: 'treasury.financialAccounts.updateFeatures',
      },
      // `return` is a keyword: stripe-node's method names.
      PostTestHelpersTreasuryInboundTransfersIdReturn: { plugin: 'testHelpers.treasury.inboundTransfers.returnInboundTransfer' },
      PostTestHelpersTreasuryOutboundPaymentsIdReturn: { plugin: 'testHelpers.treasury.outboundPayments.returnOutboundPayment' },
      PostTestHelpersTreasuryOutboundTransfersOutboundTransferReturn: {
        plugin: 'testHelpers.treasury.outboundTransfers.returnOutboundTransfer',
      },
    },
    events: { name: 'treasury', prefixes: ['treasury.'] },
    sizeProbe: 'retrieveOutboundPayment',
  },
  {
    name: 'sigma',
    description: "Stripe Sigma's scheduled query runs: functions, streamed result rows, a plugin.",
    paths: ['/v1/sigma/'],
    resources: ['scheduled_query_run', 'file'],
    events: { name: 'sigma', prefixes: ['sigma.'] },
    helpers: ['scheduled-query-rows'],
    sizeProbe: 'retrieveScheduledQueryRun',
  },
  {
    name: 'reporting',
    description: "Stripe's Reporting API: report runs and types, runReport (create, wait, stream the CSV), a plugin.",
    paths: ['/v1/reporting/'],
    resources: ['reporting.report_run', 'reporting.report_type', 'file'],
    typePrefix: 'reporting.',
    events: { name: 'reporting', prefixes: ['reporting.'] },
    helpers: ['run-report', 'wait-for-report-run'],
    sizeProbe: 'retrieveReportRun',
  },
  {
    name: 'financial-connections',
    description: "Stripe's Financial Connections API: sessions, linked accounts, owners, refreshes, transactions.",
    paths: ['/v1/financial_connections/'],
    resources: [
      'financial_connections.account',
      'financial_connections.account_owner',
      'financial_connections.session',
      'financial_connections.transaction',
    ],
    names: {
      PostFinancialConnectionsAccountsAccountSubscribe: { fn: 'subscribeToAccount' },
      PostFinancialConnectionsAccountsAccountUnsubscribe: { fn: 'unsubscribeFromAccount' },
    },
    events: { name: 'financialConnections', prefixes: ['financial_connections.account.'] },
    sizeProbe: 'retrieveAccount',
  },
  {
    name: 'identity',
    description: 'Stripe Identity: verification sessions (create, update, cancel, redact) and verification reports.',
    paths: ['/v1/identity/'],
    resources: ['identity.verification_report', 'identity.verification_session'],
    typePrefix: 'identity.',
    events: { name: 'identity', prefixes: ['identity.'] },
    sizeProbe: 'retrieveVerificationSession',
  },
  {
    name: 'webhook-endpoints',
    description: "Stripe's Webhook Endpoints API: create (the only call that returns the secret), list, update, delete.",
    paths: ['/v1/webhook_endpoints'],
    resources: ['webhook_endpoint', 'deleted_webhook_endpoint'],
    // Stripe returns the signing secret only in the response to create; the spec has it optional everywhere.
    omitFields: { webhook_endpoint: ['secret'] },
    resultTypes: { PostWebhookEndpoints: 'WebhookEndpoint & { secret: string }' },
    sizeProbe: 'retrieveWebhookEndpoint',
  },
]
