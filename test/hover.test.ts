// What an editor shows on hover: TypeScript's language service (the engine behind VS Code's quick
// info) over a user's file that calls each domain package. For a param and a response field of
// every package, the hover names the type, the unit where one applies (unix seconds, an amount's
// minor unit), required or optional, and links to Stripe's API reference entry for that field;
// the generated function's own hover links to its operation.
import { join } from 'node:path'
import ts from 'typescript'
import { beforeAll, describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')
const FILE = join(root, 'test', 'hover-fixture.ts')

interface Case {
  pkg: string
  code: string
  /** text to hover (its first occurrence after `call(`), and what the hover must show */
  param: { at: string; shows: RegExp[]; link: string }
  field: { at: string; shows: RegExp[]; link: string }
  fn: { at: string; link: string }
}

const API = 'https://docs.stripe.com/api'
const cases: Case[] = [
  {
    pkg: 'treasury',
    code: `import { createOutboundPayment } from '@edgestripe/treasury'
const r = await createOutboundPayment(stripe, { financial_account: 'fa_1', amount: 1000, currency: 'usd' })
r.expected_arrival_date`,
    param: {
      at: 'amount',
      shows: [/integer/, /minor unit of `currency`/, /Required/],
      link: `${API}/treasury/outbound_payments/create#create_treasury_outbound_payment-amount`,
    },
    field: {
      at: 'expected_arrival_date',
      shows: [/integer/, /unix time in seconds/],
      link: `${API}/treasury/outbound_payments/object#treasury_outbound_payment_object-expected_arrival_date`,
    },
    fn: { at: 'createOutboundPayment(', link: `${API}/treasury/outbound_payments/create` },
  },
  {
    pkg: 'sources',
    code: `import { createSource } from '@edgestripe/sources'
const r = await createSource(stripe, { type: 'ach_credit_transfer', amount: 1000, currency: 'usd' })
r.created`,
    param: { at: 'amount', shows: [/integer/, /minor unit of `currency`/, /Optional/], link: `${API}/sources/create#create_source-amount` },
    field: { at: 'created', shows: [/integer/, /unix time in seconds/], link: `${API}/sources/object#source_object-created` },
    fn: { at: 'createSource(', link: `${API}/sources/create` },
  },
  {
    pkg: 'sigma',
    code: `import { listScheduledQueryRuns } from '@edgestripe/sigma'
const r = await listScheduledQueryRuns(stripe, { limit: 3 })
r.data[0]?.created`,
    param: { at: 'limit', shows: [/integer/, /Optional/], link: `${API}/sigma/scheduled_query_runs/list#list_scheduled_query_run-limit` },
    field: {
      at: 'created',
      shows: [/integer/, /unix time in seconds/],
      link: `${API}/sigma/scheduled_query_runs/object#scheduled_query_run_object-created`,
    },
    fn: { at: 'listScheduledQueryRuns(', link: `${API}/sigma/scheduled_query_runs/list` },
  },
  {
    pkg: 'reporting',
    code: `import { createReportRun } from '@edgestripe/reporting'
const r = await createReportRun(stripe, { report_type: 'balance.summary.1' })
r.succeeded_at`,
    param: {
      at: 'report_type',
      shows: [/string/, /Required/],
      link: `${API}/reporting/report_runs/create#create_reporting_report_run-report_type`,
    },
    field: {
      at: 'succeeded_at',
      shows: [/integer/, /unix time in seconds/, /nullable/],
      link: `${API}/reporting/report_runs/object#reporting_report_run_object-succeeded_at`,
    },
    fn: { at: 'createReportRun(', link: `${API}/reporting/report_runs/create` },
  },
  {
    pkg: 'financial-connections',
    code: `import { listTransactions } from '@edgestripe/financial-connections'
const r = await listTransactions(stripe, { account: 'fca_1' })
r.data[0]?.amount`,
    param: {
      at: 'account',
      shows: [/string/, /Required/],
      link: `${API}/financial_connections/transactions/list#list_financial_connections_transaction-account`,
    },
    field: {
      at: 'amount',
      shows: [/integer/, /minor unit of `currency`/],
      link: `${API}/financial_connections/transactions/object#financial_connections_transaction_object-amount`,
    },
    fn: { at: 'listTransactions(', link: `${API}/financial_connections/transactions/list` },
  },
  {
    pkg: 'identity',
    code: `import { createVerificationSession } from '@edgestripe/identity'
const r = await createVerificationSession(stripe, { type: 'document' })
r.status`,
    param: {
      at: 'type',
      shows: [/one of 'document' \| 'id_number'/, /Optional/],
      link: `${API}/identity/verification_sessions/create#create_identity_verification_session-type`,
    },
    field: {
      at: 'status',
      shows: [/one of 'canceled' \| 'processing' \| 'requires_input' \| 'verified'/],
      link: `${API}/identity/verification_sessions/object#identity_verification_session_object-status`,
    },
    fn: { at: 'createVerificationSession(', link: `${API}/identity/verification_sessions/create` },
  },
  {
    pkg: 'webhook-endpoints',
    code: `import { createWebhookEndpoint } from '@edgestripe/webhook-endpoints'
const r = await createWebhookEndpoint(stripe, { url: 'https://example.com/hook', enabled_events: ['*'] })
r.created`,
    param: { at: 'url', shows: [/string/, /Required/], link: `${API}/webhook_endpoints/create#create_webhook_endpoint-url` },
    field: {
      at: 'created',
      shows: [/integer/, /unix time in seconds/],
      link: `${API}/webhook_endpoints/object#webhook_endpoint_object-created`,
    },
    fn: { at: 'createWebhookEndpoint(', link: `${API}/webhook_endpoints/create` },
  },
]

const header = `import { createStripe } from '@edgestripe/core'\nconst stripe = createStripe({ apiKey: 'sk_test_123' })\n`
let text = ''
let service: ts.LanguageService

beforeAll(() => {
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile)
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root)
  // one module per case, wrapped so each has its own scope
  text = header + cases.map((c, i) => `export async function case${i}() {\n${c.code.replace(/^import .*\n/, '')}\n}\n`).join('')
  text = cases.map((c) => `${(c.code.split('\n')[0] as string).trim()}\n`).join('') + text
  text = `import { verifyWebhook } from '@edgestripe/core'\nimport { treasuryEvents } from '@edgestripe/treasury'\n${text}`
  text += `export async function verified(body: string, signature: string) {\n  const verified = await verifyWebhook(body, signature, 'whsec_1', { events: treasuryEvents })\n  return verified\n}\n`
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => ({ ...parsed.options, noEmit: true }),
    getScriptFileNames: () => [FILE],
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => {
      if (name === FILE) return ts.ScriptSnapshot.fromString(text)
      const content = ts.sys.readFile(name)
      return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content)
    },
    getCurrentDirectory: () => root,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: (name) => name === FILE || ts.sys.fileExists(name),
    readFile: (name) => (name === FILE ? text : ts.sys.readFile(name)),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  }
  service = ts.createLanguageService(host, ts.createDocumentRegistry())
})

/** Quick info at the first occurrence of `at` in case `i`'s body (after its `const r =` line for fields). */
function hover(i: number, at: string, after: string): { type: string; doc: string } {
  const start = text.indexOf(`export async function case${i}()`)
  const from = text.indexOf(after, start)
  const position = text.indexOf(at, from)
  expect(position, `${at} after ${after} in case ${i}`).toBeGreaterThan(start)
  const info = service.getQuickInfoAtPosition(FILE, position)
  const type = ts.displayPartsToString(info?.displayParts)
  const doc = [
    ts.displayPartsToString(info?.documentation),
    ...(info?.tags ?? []).map((t) => `@${t.name} ${ts.displayPartsToString(t.text)}`),
  ].join('\n')
  return { type, doc }
}

describe('hover (TypeScript quick info) on a verified event', () => {
  it('names the event map (EventOf<TreasuryEventSchemas>), not its 25 entries', () => {
    const start = text.indexOf('const verified =')
    const info = service.getQuickInfoAtPosition(FILE, start + 'const '.length)
    const type = ts.displayPartsToString(info?.displayParts)
    expect(type).toContain('EventOf<TreasuryEventSchemas>')
    expect(type).not.toMatch(/more \.\.\.|more …|\{ 'treasury\./)
  })
})

describe('hover (TypeScript quick info) on generated functions, params and fields', () => {
  it('the fixture typechecks (the hovers are on real, valid code)', () => {
    const errors = [...service.getSemanticDiagnostics(FILE), ...service.getSyntacticDiagnostics(FILE)]
    expect(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([])
  })

  describe.each(cases.map((c, i) => [c.pkg, c, i] as const))('@edgestripe/%s', (_, c, i) => {
    it(`param ${c.param.at}: type, unit, required/optional and the reference link`, () => {
      const { type, doc } = hover(i, c.param.at, 'const r =')
      expect(type).toMatch(new RegExp(`\\b${c.param.at}\\??:`))
      for (const shows of c.param.shows) expect(doc).toMatch(shows)
      expect(doc).toContain(`@see ${c.param.link}`)
    })

    it(`field ${c.field.at}: type, unit and the reference link`, () => {
      const { type, doc } = hover(i, c.field.at, '\nr.')
      expect(type).toMatch(new RegExp(`\\b${c.field.at}\\??:`))
      for (const shows of c.field.shows) expect(doc).toMatch(shows)
      expect(doc).toContain(`@see ${c.field.link}`)
    })

    it('the function: its route, its required params and the operation link', () => {
      const { type, doc } = hover(i, c.fn.at, 'const r =')
      expect(type).toMatch(new RegExp(`^(\\(alias\\) )?(function )?${c.fn.at.slice(0, -1)}<`))
      // named types, not machinery: the params read `CreateOutboundPaymentParams<[]>`, no `& { expand?: [] }`
      expect(type).not.toMatch(/&\s*\{\s*expand\?/)
      expect(type).toMatch(/params\??: [A-Z]\w*Params(<\[\]>)?( \| undefined)?[,)]/)
      expect(doc).toMatch(/`(GET|POST|DELETE) \/v1\//)
      expect(doc).toContain(`@see ${c.fn.link}`)
    })
  })
})
