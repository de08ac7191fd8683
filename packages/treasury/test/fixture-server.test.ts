// The fixture server itself checks requests against the spec (so the operation suite means something).
import { describe, expect, it } from 'vitest'
import { createFixtureServer } from '../../../test-support/fixture-server'

const auth = { authorization: 'Bearer sk_test_123' }
const form = { ...auth, 'content-type': 'application/x-www-form-urlencoded' }

describe('fixture server', () => {
  it('answers a valid request with the fixture', async () => {
    const server = createFixtureServer()
    const response = await server.fetch('https://api.stripe.com/v1/treasury/transactions?financial_account=fa_1&expand[0]=data.entries', {
      headers: auth,
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ object: 'list', data: [{ object: 'treasury.transaction' }] })
    expect(server.requests[0]!.params).toEqual({ financial_account: 'fa_1', expand: { 0: 'data.entries' } })
  })

  it.each([
    ['GET', '/v1/treasury/transactions', 'limit=10', 'financial_account: Missing required param: financial_account.'],
    ['GET', '/v1/treasury/transactions', 'financial_account=fa_1&nope=1', 'nope: Received unknown parameter: nope'],
    ['GET', '/v1/treasury/transactions', 'financial_account=fa_1&limit=ten', 'limit: Invalid integer: ten'],
    ['GET', '/v1/treasury/transactions', 'financial_account=fa_1&status=bogus', 'status: Invalid status: must be one of'],
    ['POST', '/v1/treasury/outbound_payments', 'amount=1&currency=usd', 'financial_account: Missing required param: financial_account.'],
    [
      'POST',
      '/v1/treasury/financial_accounts/fa_1/close',
      'forwarding_settings[type]=iban',
      'forwarding_settings[type]: Invalid forwarding_settings[type]: must be one of',
    ],
    ['POST', '/v1/sources', 'owner[address][town]=x', 'owner[address][town]: Received unknown parameter: owner[address][town]'],
    ['GET', '/v1/treasury/nothing', '', 'no such operation'],
  ])('rejects %s %s?%s', async (method, path, params, problem) => {
    const server = createFixtureServer()
    const response = await server.fetch(`https://api.stripe.com${path}${method === 'GET' && params ? `?${params}` : ''}`, {
      method,
      headers: method === 'POST' ? form : auth,
      body: method === 'POST' ? params : undefined,
    })
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(server.rejected.join()).toContain(problem)
    expect(server.requests).toEqual([])
  })
})
