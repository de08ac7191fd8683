// Shared by the four accounts-worker-N test files: vitest runs them in parallel workers against the
// one server of the globalSetup (emulator-global-setup.ts), each with its own key.
import { expect, inject } from 'vitest'

async function api(key: string, method: string, path: string, body?: Record<string, string>) {
  const response = await fetch(`${inject('stripeEmulatorURL')}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/x-www-form-urlencoded', 'Idempotency-Key': body?.idem ?? '' },
    body: body ? new URLSearchParams(Object.entries(body).filter(([name]) => name !== 'idem')).toString() : undefined,
  })
  return { status: response.status, body: (await response.json()) as any }
}

/** Creates sources and a financial account with `key`, interleaved with the other workers, and sees only its own. */
export async function workerSeesOnlyItsOwn(worker: number): Promise<void> {
  const key = `sk_test_worker${worker}_${Math.random().toString(36).slice(2)}`
  const mine: string[] = []
  for (let round = 0; round < 10; round++) {
    const created = await api(key, 'POST', '/v1/sources', {
      type: 'ach_credit_transfer',
      currency: 'usd',
      'owner[email]': `w${worker}@example.com`,
      // the same idempotency key in every worker: each account keeps its own
      idem: `round-${round}`,
    })
    expect(created.status).toBe(200)
    mine.push(created.body.id)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  const fa = await api(key, 'POST', '/v1/treasury/financial_accounts', { 'supported_currencies[0]': 'usd' })
  expect(fa.status).toBe(200)
  const accounts = await api(key, 'GET', '/v1/treasury/financial_accounts?limit=100')
  expect(accounts.body.data.map((account: { id: string }) => account.id)).toEqual([fa.body.id])
  // the controls over HTTP act on the caller's account too
  const control = await fetch(`${inject('stripeEmulatorURL')}/_emulator/requests`, { headers: { Authorization: `Bearer ${key}` } })
  const requests = ((await control.json()) as { data: { path: string }[] }).data
  expect(requests.length).toBe(12)
  const events = await fetch(`${inject('stripeEmulatorURL')}/_emulator/events`, { headers: { Authorization: `Bearer ${key}` } })
  for (const event of ((await events.json()) as { data: { data: { object: { id: string; owner?: { email?: string } } } }[] }).data) {
    if (event.data.object.owner) expect(event.data.object.owner.email).toBe(`w${worker}@example.com`)
  }
  for (const id of mine) {
    expect((await api(key, 'GET', `/v1/sources/${id}`)).status).toBe(200)
    // another key's account does not know it
    expect((await api(`sk_test_other${worker}`, 'GET', `/v1/sources/${id}`)).status).toBe(404)
  }
}
