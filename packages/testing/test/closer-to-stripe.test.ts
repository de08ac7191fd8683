// Closer to Stripe (issue 19, item 5): webhook endpoint lists, Identity redaction, no `livemode`
// where the spec has none, error codes with their doc_url, and the request's Stripe-Version.
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FC_FILTERS_COUNTRY_VERSION, renderForVersion, versionAtLeast } from '../src/api-versions.js'
import { type FixtureName, fixtures } from '../src/generated/fixtures.js'
import { API_VERSIONS, WEBHOOK_EVENT_TYPES } from '../src/generated/webhook-lists.js'
import { createEmulator, DEFAULT_NOW } from '../src/index.js'
import { fromTemplate } from '../src/objects.js'
import { call } from './helpers.js'

/** The string literals of `type <name> = '…' | '…';` inside `namespace <space>` of stripe's WebhookEndpoints.d.ts. */
function stripeLiterals(space: string, name: string): string[] {
  // the repo's devDependency (its export map has no ./package.json): node_modules/stripe at the root
  const text = readFileSync(new URL('../../../node_modules/stripe/esm/resources/WebhookEndpoints.d.ts', import.meta.url), 'utf8')
  const namespace = text.slice(text.indexOf(`namespace ${space} {`))
  const match = new RegExp(`type ${name} = ([^;]+);`).exec(namespace)
  if (!match) throw new Error(`no ${space}.${name} in stripe's types`)
  return [...(match[1] as string).matchAll(/'([^']+)'/g)].map((m) => m[1] as string)
}

describe("webhook endpoints: enabled_events and api_version on Stripe's lists", () => {
  it("the generated lists are the stripe@23.1.0 types' lists (create and update)", () => {
    expect([...WEBHOOK_EVENT_TYPES].sort()).toEqual([...new Set(stripeLiterals('WebhookEndpointCreateParams', 'EnabledEvent'))].sort())
    expect([...WEBHOOK_EVENT_TYPES].sort()).toEqual([...new Set(stripeLiterals('WebhookEndpointUpdateParams', 'EnabledEvent'))].sort())
    expect([...API_VERSIONS].sort()).toEqual([...new Set(stripeLiterals('WebhookEndpointCreateParams', 'ApiVersion'))].sort())
    expect(API_VERSIONS.at(-1)).toBe('2026-10-28.endive')
  })

  it("a bogus event type or API version is a 400 naming the param; Stripe's are accepted", async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const url = 'https://example.test/hook'
    const event = await call(emulator, 'POST', '/v1/webhook_endpoints', { url, enabled_events: ['*', 'judge.bogus_event'] })
    expect(event.status).toBe(400)
    expect(event.body.error).toMatchObject({ type: 'invalid_request_error', param: 'enabled_events[1]' })
    expect(event.body.error.message).toMatch(/^Invalid enabled_events\[1\]: must be one of \*, account\.application\.authorized, /)
    const version = await call(emulator, 'POST', '/v1/webhook_endpoints', { url, enabled_events: ['*'], api_version: 'judge' })
    expect(version.status).toBe(400)
    expect(version.body.error).toMatchObject({ param: 'api_version' })
    const ok = await call(emulator, 'POST', '/v1/webhook_endpoints', {
      url,
      enabled_events: ['treasury.received_credit.created', 'identity.verification_session.redacted'],
      api_version: '2026-10-28.endive',
    })
    expect(ok.status).toBe(200)
    expect(ok.body.api_version).toBe('2026-10-28.endive')
    const update = await call(emulator, 'POST', `/v1/webhook_endpoints/${ok.body.id}`, { enabled_events: ['nope'] })
    expect(update.status).toBe(400)
    expect(update.body.error.param).toBe('enabled_events[0]')
    expect(emulator.control.webhookEndpoints()).toHaveLength(1)
  })

  it('for any event type string: accepted exactly when it is on the list (property)', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...WEBHOOK_EVENT_TYPES), fc.stringMatching(/^[a-z_.*]{1,30}$/)), async (type) => {
        const res = await call(emulator, 'POST', '/v1/webhook_endpoints', { url: 'https://example.test/', enabled_events: [type] })
        expect(res.status).toBe(WEBHOOK_EVENT_TYPES.includes(type) ? 200 : 400)
      }),
      { numRuns: 150 },
    )
  })
})

describe('Identity redaction', () => {
  const create = (emulator: ReturnType<typeof createEmulator>) =>
    call(emulator, 'POST', '/v1/identity/verification_sessions', { type: 'document', metadata: { user: 'u1' } })

  it('redacting a session waiting for input cancels it; a redacted session refuses updates and cancel', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const session = await create(emulator)
    const redacted = await call(emulator, 'POST', `/v1/identity/verification_sessions/${session.body.id}/redact`)
    expect(redacted.status).toBe(200)
    expect(redacted.body).toMatchObject({ status: 'canceled', redaction: { status: 'redacted' }, metadata: {} })
    const update = await call(emulator, 'POST', `/v1/identity/verification_sessions/${session.body.id}`, { metadata: { a: 'b' } })
    expect(update.status).toBe(400)
    expect(update.body.error.message).toContain('Redacted objects cannot be updated or used for any purpose')
    const cancel = await call(emulator, 'POST', `/v1/identity/verification_sessions/${session.body.id}/cancel`)
    expect(cancel.status).toBe(400)
    expect(cancel.body.error.message).toContain('redacted')
    const again = await call(emulator, 'GET', `/v1/identity/verification_sessions/${session.body.id}`)
    expect(again.body.metadata).toEqual({})
  })

  it('a verified session stays verified when redacted, and refuses updates after', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const session = await create(emulator)
    emulator.control.verifyIdentitySession(session.body.id)
    const redacted = await call(emulator, 'POST', `/v1/identity/verification_sessions/${session.body.id}/redact`)
    expect(redacted.body).toMatchObject({ status: 'verified', redaction: { status: 'redacted' }, verified_outputs: null })
    const update = await call(emulator, 'POST', `/v1/identity/verification_sessions/${session.body.id}`, { metadata: { a: 'b' } })
    expect(update.status).toBe(400)
  })
})

describe('livemode only where the spec has it', () => {
  it('every object built from a template has livemode: false exactly when its spec fixture has the field', () => {
    for (const name of Object.keys(fixtures) as FixtureName[]) {
      const object = fromTemplate(name, {}) as Record<string, unknown>
      expect(Object.hasOwn(object, 'livemode'), name).toBe(Object.hasOwn(fixtures[name], 'livemode'))
      if (Object.hasOwn(object, 'livemode')) expect(object.livemode).toBe(false)
    }
  })

  it("Financial Connections account owners and Sigma's result file carry no livemode", async () => {
    const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW })
    const session = await call(emulator, 'POST', '/v1/financial_connections/sessions', {
      account_holder: { type: 'customer', customer: 'cus_1' },
      permissions: ['ownership'],
    })
    const [linked] = emulator.control.completeFinancialConnectionsSession(session.body.id).accounts.data
    emulator.control.refreshFinancialConnectionsAccount(linked!.id, 'ownership')
    const account = await call(emulator, 'GET', `/v1/financial_connections/accounts/${linked!.id}`)
    const owners = await call(emulator, 'GET', `/v1/financial_connections/accounts/${linked!.id}/owners`, {
      ownership: account.body.ownership,
    })
    expect(owners.body.data.length).toBeGreaterThan(0)
    for (const owner of owners.body.data) expect(owner).not.toHaveProperty('livemode')
    emulator.control.seed('scheduled_query_run', { title: 'q', sql: 'SELECT 1', csv: 'a\n1\n' })
    const runs = await call(emulator, 'GET', '/v1/sigma/scheduled_query_runs')
    expect(runs.body.data[0].livemode).toBe(false)
    expect(runs.body.data[0].file).toMatchObject({ object: 'file' })
    expect(runs.body.data[0].file).not.toHaveProperty('livemode')
  })
})

describe('error codes carry their doc_url', () => {
  it('parameter_unknown, parameter_invalid_integer, parameter_missing, resource_missing', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const cases = [
      await call(emulator, 'POST', '/v1/sources', { type: 'card', bogus: 'x' }),
      await call(emulator, 'POST', '/v1/sources', { type: 'card', amount: 'ten' }),
      await call(emulator, 'POST', '/v1/treasury/financial_accounts', {}),
      await call(emulator, 'GET', '/v1/sources/src_nope'),
      await call(emulator, 'GET', '/v1/nope'),
    ]
    expect(cases.map((res) => res.body.error.code)).toEqual([
      'parameter_unknown',
      'parameter_invalid_integer',
      'parameter_missing',
      'resource_missing',
      'resource_missing',
    ])
    for (const res of cases) {
      expect(res.body.error.doc_url).toBe(`https://stripe.com/docs/error-codes/${res.body.error.code.replace(/_/g, '-')}`)
    }
  })
})

describe('Stripe-Version: Financial Connections filters.countries → filters.country (2026-09-30.endive)', () => {
  const holder = { type: 'customer', customer: 'cus_1' }
  const at = (version: string) => ({ headers: { 'Stripe-Version': version } })

  it('older versions take filters[countries]; 2026-09-30.endive and later take filters[country]; each refuses the other', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const old = await call(
      emulator,
      'POST',
      '/v1/financial_connections/sessions',
      { account_holder: holder, permissions: ['balances'], filters: { countries: ['US'] } },
      at('2024-04-10'),
    )
    expect(old.status).toBe(200)
    expect(old.headers.get('Stripe-Version')).toBe('2024-04-10')
    expect(old.body.filters).toEqual({ countries: ['US'] })
    const oldWithNew = await call(
      emulator,
      'POST',
      '/v1/financial_connections/sessions',
      { account_holder: holder, permissions: ['balances'], filters: { country: 'US' } },
      at('2026-08-26.dahlia'),
    )
    expect(oldWithNew.status).toBe(400)
    expect(oldWithNew.body.error).toMatchObject({ code: 'parameter_unknown', param: 'filters[country]' })

    const created = await call(
      emulator,
      'POST',
      '/v1/financial_connections/sessions',
      { account_holder: holder, permissions: ['balances'], filters: { country: 'US' } },
      at('2026-10-28.endive'),
    )
    expect(created.status).toBe(200)
    expect(created.headers.get('Stripe-Version')).toBe('2026-10-28.endive')
    expect(created.body.filters).toEqual({ country: 'US' })
    const newWithOld = await call(
      emulator,
      'POST',
      '/v1/financial_connections/sessions',
      { account_holder: holder, permissions: ['balances'], filters: { countries: ['US'] } },
      at(FC_FILTERS_COUNTRY_VERSION),
    )
    expect(newWithOld.status).toBe(400)
    expect(newWithOld.body.error).toMatchObject({ code: 'parameter_unknown', param: 'filters[countries]' })

    // one stored object, shown in the version each request asks for
    const asOld = await call(emulator, 'GET', `/v1/financial_connections/sessions/${created.body.id}`, {}, at('2025-03-31.basil'))
    expect(asOld.body.filters).toEqual({ countries: ['US'] })
    const asNew = await call(emulator, 'GET', `/v1/financial_connections/sessions/${old.body.id}`, {}, at('2026-09-30.endive'))
    expect(asNew.body.filters).toEqual({ country: 'US' })
  })

  it('events carry the version their request was answered in, their object rendered in it', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] }, at('2026-10-28.endive'))
    await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })
    expect(emulator.control.events().map((event) => event.api_version)).toEqual(['2026-10-28.endive', '2024-04-10'])
  })

  it('rendering: versions before 2026-09-30 see the stored shape; later ones see country, wherever the session is nested (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...API_VERSIONS),
        fc.array(fc.constantFrom('US', 'GB', 'FR'), { minLength: 1, maxLength: 3 }),
        (version, countries) => {
          const session = { id: 'fcsess_1', object: 'financial_connections.session', filters: { countries } }
          const body = { object: 'list', data: [session], nested: { session } }
          const rendered = renderForVersion(body, version)
          if (versionAtLeast(version, FC_FILTERS_COUNTRY_VERSION)) {
            expect(rendered.data[0]?.filters).toEqual({ country: countries[0] })
            expect(rendered.nested.session.filters).toEqual({ country: countries[0] })
            expect(session.filters).toEqual({ countries }) // the stored object is untouched
          } else expect(rendered).toBe(body)
        },
      ),
    )
  })
})
