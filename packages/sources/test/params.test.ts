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

  it('accepts null to unset, as Stripe does with an empty value: metadata=, metadata[a]=', async () => {
    const { server } = setup()
    const bodies: string[] = []
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      bodies.push(String(init?.body ?? ''))
      return server.fetch(input, init)
    }
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch, maxRetries: 0, validateResponses: 'strict' })
    await updateSource(stripe, 'src_1', { metadata: null })
    await updateSource(stripe, 'src_1', { metadata: { a: null, b: 'x' } })
    await updateSource(stripe, 'src_1', { mandate: { amount: null } })
    expect(bodies).toEqual(['metadata=', 'metadata[a]=&metadata[b]=x', 'mandate[amount]='])
    expect(server.rejected).toEqual([])
    expect(server.requests.map((r) => r.params)).toEqual([{ metadata: '' }, { metadata: { a: '', b: 'x' } }, { mandate: { amount: '' } }])
  })

  it('rejects null where Stripe has no unset (not emptyable, not a metadata value)', async () => {
    const { server, client } = setup()
    // @ts-expect-error amount is not emptyable on create
    await expect(createSource(client, { amount: null })).rejects.toBeInstanceOf(StripeValidationError)
    // @ts-expect-error type is not emptyable
    await expect(createSource(client, { type: null })).rejects.toBeInstanceOf(StripeValidationError)
    // @ts-expect-error owner is an object, not emptyable
    await expect(updateSource(client, 'src_1', { owner: null })).rejects.toBeInstanceOf(StripeValidationError)
    expect(server.requests).toEqual([])
  })

  it("lists the values of a small enum, in Stripe's words", async () => {
    const { client } = setup()
    // @ts-expect-error not a usage
    const error = await createSource(client, { usage: 'sometimes' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StripeValidationError)
    expect((error as Error).message).toBe('createSource: Invalid usage: must be one of reusable, single_use')
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
