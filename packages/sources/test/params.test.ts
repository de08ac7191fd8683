import { createStripe, StripeConfigurationError, StripeValidationError } from '@edgestripe/core'
import { createSource, retrieveSource, updateSource } from '@edgestripe/sources'
import { describe, expect, it } from 'vitest'
import { createFixtureServer, FIXTURES } from '../../../test-support/fixture-server'

function setup(keys: { apiKey: string } | { publishableKey: string } = { apiKey: 'sk_test_123' }) {
  const server = createFixtureServer()
  const client = createStripe({ ...keys, fetch: server.fetch, maxRetries: 0, validateResponses: 'strict' })
  return { server, client }
}

describe('sources params', () => {
  it('rejects an over-long nested string, naming owner[address][city]; nothing is sent', async () => {
    const { server, client } = setup()
    const error = await createSource(client, { type: 'card', owner: { address: { city: 'x'.repeat(5001) } } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StripeValidationError)
    expect((error as Error).message).toContain('owner[address][city]:')
    expect(server.requests).toEqual([])
  })

  it('rejects unknown params and bad enums', async () => {
    const { server, client } = setup()
    // @ts-expect-error not a param
    await expect(retrieveSource(client, 'src_1', { secret: 'x' })).rejects.toThrow(/secret/)
    // @ts-expect-error not a usage
    await expect(createSource(client, { usage: 'sometimes' })).rejects.toThrow(/usage/)
    // @ts-expect-error not an integer
    await expect(createSource(client, { amount: '12' })).rejects.toThrow(/amount/)
    expect(server.requests).toEqual([])
  })

  it("accepts '' where Stripe allows unsetting (metadata)", async () => {
    const { server, client } = setup()
    await updateSource(client, 'src_1', { metadata: '' })
    expect(server.requests[0]!.params).toEqual({ metadata: '' })
  })

  it('retrieveSource works with a publishable key and the client_secret', async () => {
    const { server, client } = setup({ publishableKey: 'pk_test_123' })
    const source = await retrieveSource(client, 'src_1', { client_secret: 'src_client_secret_1' })
    expect(source).toEqual(FIXTURES['2024-04-10'].source)
    expect(server.requests[0]!.params).toEqual({ client_secret: 'src_client_secret_1' })
    await createSource(client, { type: 'card', token: 'tok_1' })
    await expect(retrieveSource(client, 'src_1')).rejects.toBeInstanceOf(StripeConfigurationError)
    await expect(updateSource(client, 'src_1', {})).rejects.toBeInstanceOf(StripeConfigurationError)
    expect(server.requests).toHaveLength(2)
  })
})
