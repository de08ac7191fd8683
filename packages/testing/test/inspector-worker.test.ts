// The inspector on `@edgestripe/testing/worker` in workerd (Miniflare, driven from Node): the Worker
// serves the page; its data comes from the account Durable Objects, which register with a registry
// object so the accounts list shows every key's account and a deep link finds an object in another
// account; a test-helper action runs through the account's own route; deployed, the data needs
// the token while the page (no data) does not; the page works in Chromium against the Worker.
import { chromium, type Locator } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { platformAccountId } from '../src/account-keys.js'
import { bundleWorker, type WorkerHarness } from './miniflare-worker.js'

/** The rendered text of an element (playwright's `Locator.innerText`, not a DOM property). */
// biome-ignore lint/performance/useDomNodeTextContent: rendered text, as a reader sees it
const renderedText = (locator: Locator) => locator.innerText()

let harness: WorkerHarness

beforeAll(async () => {
  harness = await bundleWorker()
}, 60_000)

afterAll(() => harness.close())

const startWorker = (bindings: Record<string, string> = {}) => harness.start({ bindings })

describe('the inspector on the Worker', () => {
  it('lists every account, finds an object in another account, pages a ledger and runs a test helper', async () => {
    const { url } = await startWorker()
    const call = async (key: string, method: string, path: string, form: Record<string, string> = {}) => {
      const answer = await fetch(new URL(path, url), {
        method,
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: method === 'POST' ? new URLSearchParams(form).toString() : undefined,
      })
      return (await answer.json()) as any
    }
    const ui = async (path: string, init: RequestInit = {}) => {
      const answer = await fetch(new URL(`/_emulator/ui/api/${path}`, url), init)
      return { status: answer.status, body: (await answer.json()) as any }
    }
    const fa = await call('sk_test_walpha', 'POST', '/v1/treasury/financial_accounts', {
      'supported_currencies[0]': 'usd',
      'features[outbound_payments][ach][requested]': 'true',
    })
    await call('sk_test_walpha', 'POST', '/v1/test_helpers/treasury/received_credits', {
      financial_account: fa.id,
      amount: '7000',
      currency: 'usd',
      network: 'ach',
    })
    const payment = await call('sk_test_walpha', 'POST', '/v1/treasury/outbound_payments', {
      financial_account: fa.id,
      amount: '2500',
      currency: 'usd',
      'destination_payment_method_data[type]': 'us_bank_account',
      'destination_payment_method_data[us_bank_account][routing_number]': '110000000',
      'destination_payment_method_data[us_bank_account][account_number]': '000123456789',
      'destination_payment_method_data[billing_details][name]': 'Jenny Rosen',
    })
    const source = await call('sk_test_wbeta', 'POST', '/v1/sources', {
      type: 'ach_credit_transfer',
      currency: 'usd',
      'owner[email]': 'b@example.com',
    })
    expect(payment.status).toBe('processing')

    const page = await fetch(new URL(`/_emulator/ui/${payment.id}`, url))
    expect(page.status).toBe(200)
    expect(page.headers.get('Content-Security-Policy')).toContain("default-src 'self'")
    expect(await page.text()).toContain('/_emulator/ui/inspector.js')

    const alpha = platformAccountId('walpha')
    const beta = platformAccountId('wbeta')
    const accounts = await ui('accounts')
    expect(accounts.status).toBe(200)
    const listed = Object.fromEntries(accounts.body.data.map((entry: any) => [entry.account, entry]))
    expect(listed[alpha]).toMatchObject({ key: 'sk_test_…', kinds: { 'treasury.financial_account': 1, 'treasury.outbound_payment': 1 } })
    expect(listed[beta]).toMatchObject({ kinds: { source: 1 } })

    // a deep link without the account: found in beta's object
    const found = await ui(`object/${source.id}`)
    expect(found.status).toBe(200)
    expect(found.body).toMatchObject({ account: beta, kind: 'source', object: { id: source.id } })
    expect((await ui('object/src_doesnotexist')).status).toBe(404)

    const ledger = await ui(`ledger/${fa.id}?account=${alpha}&limit=1`)
    expect(ledger.body.financial_account.balance.cash.usd).toBe(4500)
    expect(ledger.body.total).toBe(2)
    expect(ledger.body.data).toHaveLength(1)
    expect(ledger.body.data[0].entries.length).toBeGreaterThan(0)

    const posted = await ui(`action?account=${alpha}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: payment.id, action: 'post' }),
    })
    expect(posted.status).toBe(200)
    expect(posted.body.body.status).toBe('posted')
    expect((await call('sk_test_walpha', 'GET', `/v1/treasury/outbound_payments/${payment.id}`)).status).toBe('posted')

    // cross-origin reads are refused
    expect((await ui('accounts', { headers: { Origin: 'http://evil.example' } })).status).toBe(403)
    expect((await ui(`requests?account=${alpha}`, { headers: { Origin: 'http://evil.example' } })).status).toBe(403)

    // the page itself in Chromium against the Worker
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    })
    try {
      const tab = await browser.newPage({ locale: 'en-US' })
      const problems: string[] = []
      tab.on('pageerror', (error) => problems.push(error.message))
      await tab.goto(new URL(`/_emulator/ui/${fa.id}`, url).toString())
      await tab.getByRole('heading', { name: 'Balances and ledger' }).waitFor()
      expect(await renderedText(tab.locator('table.balances'))).toContain('$45.00')
      expect(problems).toEqual([])
    } finally {
      await browser.close()
    }
  }, 60_000)

  it('deployed: the page needs no token, its data needs Bearer EMULATOR_TOKEN', async () => {
    const { mf } = await startWorker({ EMULATOR_TOKEN: 'tok_inspect', ALLOWED_HOSTS: 'sandbox.example.com' })
    const at = (path: string, headers: Record<string, string> = {}) => mf.dispatchFetch(`https://sandbox.example.com${path}`, { headers })
    const page = await at('/_emulator/ui/')
    expect(page.status).toBe(200)
    expect(await page.text()).not.toContain('acct_')
    expect((await at('/_emulator/ui/inspector.js')).headers.get('Content-Type')).toBe('text/javascript; charset=utf-8')
    expect((await at('/_emulator/ui/api/accounts')).status).toBe(401)
    expect((await at('/_emulator/ui/api/accounts', { Authorization: 'Bearer wrong' })).status).toBe(401)
    await mf.dispatchFetch('https://sandbox.example.com/v1/sources', {
      method: 'POST',
      headers: { Authorization: 'Bearer sk_test_deployed', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'type=ach_credit_transfer&currency=usd&owner[email]=d@example.com',
    })
    const accounts = await at('/_emulator/ui/api/accounts', { Authorization: 'Bearer tok_inspect' })
    expect(accounts.status).toBe(200)
    const body = (await accounts.json()) as any
    expect(body.data.map((entry: any) => entry.account)).toContain(platformAccountId('deployed'))
    // another host is refused, page included
    expect((await mf.dispatchFetch('https://elsewhere.example.net/_emulator/ui/')).status).toBe(403)
  }, 60_000)
})
