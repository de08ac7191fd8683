// Enums in params: closed for the generated API version (a typo is refused before sending), open
// for a client on a newer API version or with `openEnums: true` (the value is sent and reported
// through `enum:unknown`); `validateParams: false` per request sends params unchecked.
import { createStripe, defineOperation, request, StripeValidationError } from '@edgestripe/core'
import { unsettable } from '@edgestripe/core/schema'
import { createFinancialAccount, listOutboundPayments, listTransactions } from '@edgestripe/treasury'
import fc from 'fast-check'
import { looseObject, optional, picklist, strictObject } from 'valibot'
import { describe, expect, it } from 'vitest'
import { createFixtureServer } from '../../../test-support/fixture-server'

function setup(options: { apiVersion?: string; openEnums?: boolean } = {}) {
  const urls: string[] = []
  const server = createFixtureServer()
  const unknown: { where: string; path: string; value: string; operation: string }[] = []
  const client = createStripe({
    apiKey: 'sk_test_123',
    maxRetries: 0,
    ...options,
    fetch: async (input, init) => {
      urls.push(decodeURIComponent(String(input)))
      return server.fetch(input, init)
    },
    hooks: {
      'enum:unknown': ({ where, path, value, operation }) => {
        unknown.push({ where, path, value, operation: operation.operationId })
      },
    },
  })
  return { client, urls, unknown }
}

const newValue = fc.string({ minLength: 1, maxLength: 20 }).filter((v) => !['open', 'posted', 'void'].includes(v))

describe('enums in params', () => {
  it('are closed for the generated API version: nothing sent, nothing reported', async () => {
    await fc.assert(
      fc.asyncProperty(newValue, async (value) => {
        const { client, urls, unknown } = setup()
        const error = await listTransactions(client, { financial_account: 'fa_1', status: value as 'open' }).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(StripeValidationError)
        expect((error as StripeValidationError).param).toBe('status')
        expect(urls).toEqual([])
        expect(unknown).toEqual([])
      }),
      { numRuns: 50 },
    )
  })

  it.each([{ apiVersion: '2026-10-28.endive' }, { openEnums: true }])('are open with %o: sent and reported', async (options) => {
    await fc.assert(
      fc.asyncProperty(newValue, async (value) => {
        const { client, urls, unknown } = setup(options)
        await listTransactions(client, { financial_account: 'fa_1', status: value as 'open' }).catch(() => undefined)
        expect(urls).toHaveLength(1)
        expect(urls[0]).toContain(`status=${value}`)
        expect(unknown).toEqual([{ where: 'params', path: 'status', value, operation: 'GetTreasuryTransactions' }])
      }),
      { numRuns: 50 },
    )
  })

  it('open enums accept only strings outside an enum: other mistakes are still refused', async () => {
    const { client, urls, unknown } = setup({ openEnums: true })
    // @ts-expect-error a number is not a status
    await expect(listTransactions(client, { financial_account: 'fa_1', status: 3 })).rejects.toBeInstanceOf(StripeValidationError)
    // @ts-expect-error unknown param
    await expect(listTransactions(client, { financial_account: 'fa_1', status: 'new', nope: 1 })).rejects.toMatchObject({ param: 'nope' })
    await expect(listTransactions(client, { financial_account: 'fa_1', status: '' as 'open' })).rejects.toBeInstanceOf(
      StripeValidationError,
    )
    expect(urls).toEqual([])
    expect(unknown).toEqual([])
  })

  it('a nested enum value, in bracket form', async () => {
    const { client, unknown } = setup({ apiVersion: '2026-10-28.endive' })
    await createFinancialAccount(client, {
      supported_currencies: ['usd'],
      platform_restrictions: { inbound_flows: 'later' as 'restricted', outbound_flows: 'restricted' },
    }).catch(() => undefined)
    expect(unknown.map((u) => [u.path, u.value])).toEqual([['platform_restrictions[inbound_flows]', 'later']])
  })

  it('per request: openEnums, and an older apiVersion closes them again', async () => {
    const { client, urls } = setup()
    await listOutboundPayments(client, { financial_account: 'fa_1', status: 'brand_new' as 'posted' }, { openEnums: true }).catch(
      () => undefined,
    )
    expect(urls).toHaveLength(1)
    const newer = setup({ apiVersion: '2026-10-28.endive' })
    await expect(
      listOutboundPayments(newer.client, { financial_account: 'fa_1', status: 'brand_new' as 'posted' }, { apiVersion: '2024-04-10' }),
    ).rejects.toBeInstanceOf(StripeValidationError)
    await expect(
      listOutboundPayments(newer.client, { financial_account: 'fa_1', status: 'brand_new' as 'posted' }, { openEnums: false }),
    ).rejects.toBeInstanceOf(StripeValidationError)
  })

  it('validateParams: false per request sends params unchecked', async () => {
    const { client, urls } = setup()
    // @ts-expect-error not a param
    await listTransactions(client, { financial_account: 'fa_1', not_a_param: 'x' }, { validateParams: false }).catch(() => undefined)
    expect(urls[0]).toContain('not_a_param=x')
    // @ts-expect-error not a param
    await expect(listTransactions(client, { financial_account: 'fa_1', not_a_param: 'x' })).rejects.toBeInstanceOf(StripeValidationError)
    expect(urls).toHaveLength(1)
  })
})

describe('open enums inside unions', () => {
  it("an emptyable enum (picklist | '' | null) is open too; its '' and null still unset", async () => {
    const op = defineOperation({
      operationId: 'PostThings',
      name: 'createThing',
      method: 'POST',
      path: '/v1/things',
      params: strictObject({ tax_exempt: optional(unsettable(picklist(['exempt', 'none']))) }),
      response: looseObject({}),
      auth: 'secret',
    })
    const bodies: string[] = []
    const unknown: string[] = []
    const client = createStripe({
      apiKey: 'sk_test_123',
      openEnums: true,
      fetch: async (_input, init) => {
        bodies.push(String(init?.body))
        return Response.json({})
      },
      hooks: { 'enum:unknown': ({ path, value }) => void unknown.push(`${path}=${value}`) },
    })
    for (const tax_exempt of ['reverse', '', null, 'none']) await request(client, op, { params: { tax_exempt: tax_exempt as 'none' } })
    expect(bodies).toEqual(['tax_exempt=reverse', 'tax_exempt=', 'tax_exempt=', 'tax_exempt=none'])
    expect(unknown).toEqual(['tax_exempt=reverse'])
    await expect(request(client, op, { params: { tax_exempt: 5 as never } })).rejects.toBeInstanceOf(StripeValidationError)
  })
})
