import { describe, expect, it } from 'vitest'
import { createEmulator } from '../src/index.js'

describe('emulator.fetch', () => {
  it('is bound and accepts ofetch-style (url, { method, headers, body, signal }) calls', async () => {
    const { fetch } = createEmulator({ accounts: 'shared' })
    const headers = new Headers({ Authorization: 'Bearer sk_test_1', 'Stripe-Version': '2024-04-10' })
    const res = await fetch('https://api.stripe.com/v1/sources', {
      method: 'POST',
      headers,
      body: new URLSearchParams({ type: 'card', 'metadata[a]': 'b', 'expand[]': 'customer' }),
      signal: new AbortController().signal,
    })
    expect(res.status).toBe(200)
    const source = await res.json()
    const byRequest = await fetch(new Request(`https://api.stripe.com/v1/sources/${source.id}`, { headers }))
    expect((await byRequest.json()).metadata).toEqual({ a: 'b' })
    const byUrl = await fetch(new URL(`https://api.stripe.com/v1/sources/${source.id}?expand[0]=customer`), { headers })
    expect(byUrl.status).toBe(200)
    const relative = await fetch(`/v1/sources/${source.id}`, { headers })
    expect(relative.status).toBe(200)
  })

  it("takes the info a server passes after the request (Deno.serve's remoteAddr) as no RequestInit", async () => {
    const { fetch } = createEmulator({ accounts: 'shared' })
    const request = new Request('https://api.stripe.com/v1/sources', {
      method: 'POST',
      headers: { Authorization: 'Bearer sk_test_1', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'type=card',
    })
    const info = { remoteAddr: { transport: 'tcp', hostname: '127.0.0.1', port: 1 }, completed: Promise.resolve(), method: 'GET' }
    const res = await fetch(request, info)
    expect(res.status).toBe(200)
    expect((await res.json()).object).toBe('source')
  })

  it('handles empty strings as unset and DELETE params in the query', async () => {
    const { fetch } = createEmulator({ accounts: 'shared' })
    const auth = { Authorization: 'Bearer sk_test_1' }
    const created = await (
      await fetch('http://e.test/v1/sources', {
        method: 'POST',
        headers: auth,
        body: new URLSearchParams({ type: 'card', amount: '100', 'metadata[a]': 'b' }),
      })
    ).json()
    const cleared = await (
      await fetch(`http://e.test/v1/sources/${created.id}`, {
        method: 'POST',
        headers: auth,
        body: new URLSearchParams({ amount: '', metadata: '' }),
      })
    ).json()
    expect(cleared).toMatchObject({ amount: null, metadata: {} })
    await fetch('http://e.test/v1/customers/cus_1/sources', {
      method: 'POST',
      headers: auth,
      body: new URLSearchParams({ source: created.id }),
    })
    const detached = await fetch(`http://e.test/v1/customers/cus_1/sources/${created.id}?expand[]=customer`, {
      method: 'DELETE',
      headers: auth,
    })
    expect((await detached.json()).status).toBe('consumed')
    const badDelete = await fetch(`http://e.test/v1/customers/cus_1/sources/${created.id}?nope=1`, { method: 'DELETE', headers: auth })
    expect((await badDelete.json()).error.param).toBe('nope')
  })
})
