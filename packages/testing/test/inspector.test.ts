// The inspector page (`/_emulator/ui/`) in real Chromium (Debian's /usr/bin/chromium, driven by
// playwright) against the emulator's Node server on 127.0.0.1: a scripted Treasury flow through the
// official SDK shows on the financial account's page (balance and every transaction with its
// entries); a webhook endpoint answering 500 shows every attempt; a deep link finds an object of
// another account; keyboard use; dark mode. Screenshots go to test-artifacts/inspector/.
import { mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { type Browser, chromium, type Locator, type Page } from 'playwright'
import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { platformAccountId } from '../src/account-keys.js'
import { DEFAULT_NOW } from '../src/index.js'
import { type EmulatorServer, startEmulatorServer } from '../src/server.js'

/** The rendered text of an element (playwright's `Locator.innerText`, not a DOM property). */
// biome-ignore lint/performance/useDomNodeTextContent: rendered text, as a reader sees it
const renderedText = (locator: Locator) => locator.innerText()

const ARTIFACTS = join(import.meta.dirname, '..', '..', '..', 'test-artifacts', 'inspector')
const KEY_A = 'sk_test_inspector_alpha'
const KEY_B = 'sk_test_inspector_beta'

let server: EmulatorServer
let browser: Browser
let hook: Server
let hookURL: string
let hookCalls = 0

const usd = (cents: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100)
const sdk = (key: string) => {
  const url = new URL(server.url)
  return new Stripe(key, { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 0 })
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true })
  server = await startEmulatorServer({ port: 0, now: DEFAULT_NOW })
  // a webhook endpoint that always fails (each attempt is retried on the emulator clock)
  hook = createServer((req, res) => {
    hookCalls++
    req.resume()
    res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`boom ${hookCalls}`)
  })
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve))
  hookURL = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await new Promise((resolve) => hook?.close(resolve))
})

/** A page that fails the test on a script error or a CSP violation. */
async function open(path: string, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale: 'en-US', colorScheme, viewport: { width: 1200, height: 800 } })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  await page.goto(server.url + path)
  return { page, problems }
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true })

describe('the inspector page in Chromium', () => {
  it("after a scripted Treasury flow, the financial account's page shows its balances and every transaction with its entries", async () => {
    const stripe = sdk(KEY_A)
    const fa = await stripe.treasury.financialAccounts.create({
      supported_currencies: ['usd'],
      features: { outbound_payments: { ach: { requested: true } } },
    })
    await stripe.testHelpers.treasury.receivedCredits.create({ financial_account: fa.id, amount: 50_000, currency: 'usd', network: 'ach' })
    await stripe.testHelpers.treasury.receivedCredits.create({ financial_account: fa.id, amount: 1_234, currency: 'usd', network: 'ach' })
    await stripe.testHelpers.treasury.receivedDebits.create({ financial_account: fa.id, amount: 2_000, currency: 'usd', network: 'ach' })
    const payment = await stripe.treasury.outboundPayments.create({
      financial_account: fa.id,
      amount: 10_000,
      currency: 'usd',
      destination_payment_method_data: {
        type: 'us_bank_account',
        us_bank_account: { routing_number: '110000000', account_number: '000123456789' },
        billing_details: { name: 'Jenny Rosen' },
      },
    })
    await stripe.testHelpers.treasury.outboundPayments.post(payment.id)
    const balance = (await stripe.treasury.financialAccounts.retrieve(fa.id)).balance
    const transactions = await stripe.treasury.transactions.list({ financial_account: fa.id, limit: 100 })
    const entries = await stripe.treasury.transactionEntries.list({ financial_account: fa.id, limit: 100 })
    expect(transactions.data.length).toBe(4)

    const { page, problems } = await open(`/_emulator/ui/${fa.id}`)
    await page.getByRole('heading', { name: 'Balances and ledger' }).waitFor()
    const balances = page.locator('table.balances')
    await expect.poll(() => renderedText(balances.locator('tbody tr').first())).toContain(usd(balance.cash.usd as number))
    expect(usd(balance.cash.usd as number)).toBe('$392.34')
    const ledger = page.locator('table.ledger-table')
    for (const transaction of transactions.data) {
      const row = ledger.locator('tr.transaction', { has: page.getByRole('link', { name: transaction.id, exact: true }) })
      await expect.poll(() => row.count()).toBe(1)
      expect(await renderedText(row)).toContain(usd(transaction.amount))
    }
    // newest first
    const shown = await ledger.locator('tr.transaction td:first-child a').allInnerTexts()
    expect(shown).toEqual(transactions.data.map((transaction) => transaction.id))
    for (const entry of entries.data) expect(await ledger.getByRole('link', { name: entry.id, exact: true }).count()).toBe(1)
    await shot(page, 'financial-account')
    expect(problems).toEqual([])

    // the payment's page: its transaction (links to), its financial account, its events
    await page
      .getByRole('link', { name: transactions.data.find((t) => t.flow === payment.id)?.id as string })
      .first()
      .click()
    await page.getByRole('heading', { name: /Links to/ }).waitFor()
    expect(await page.getByRole('link', { name: payment.id, exact: true }).count()).toBeGreaterThan(0)
    await page.getByRole('link', { name: payment.id, exact: true }).first().click()
    await page.getByRole('heading', { name: /Events \(/ }).waitFor()
    expect(await renderedText(page.locator('main'))).toContain('treasury.outbound_payment.posted')
    await page.context().close()
  })

  it('pages a long ledger: the newest 20 transactions, then the older ones', async () => {
    const stripe = sdk(KEY_B)
    const fa = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'], features: {} })
    const control = server.emulator.controlFor(KEY_B)
    for (let index = 1; index <= 23; index++) {
      await stripe.testHelpers.treasury.receivedCredits.create({
        financial_account: fa.id,
        amount: index * 100,
        currency: 'usd',
        network: 'ach',
      })
      control.advance(1)
    }
    const transactions = await stripe.treasury.transactions.list({ financial_account: fa.id, limit: 100 })
    const { page, problems } = await open(`/_emulator/ui/${fa.id}`)
    const ids = () => page.locator('table.ledger-table tr.transaction td:first-child a').allInnerTexts()
    await page.getByRole('heading', { name: 'Balances and ledger' }).waitFor()
    expect(await ids()).toEqual(transactions.data.slice(0, 20).map((transaction) => transaction.id))
    expect(await renderedText(page.locator('table.balances'))).toContain('$276.00')
    await page.getByRole('button', { name: 'Older →' }).click()
    await expect.poll(ids).toEqual(transactions.data.slice(20).map((transaction) => transaction.id))
    await page.getByRole('button', { name: '← Newer' }).click()
    await expect.poll(async () => (await ids()).length).toBe(20)
    expect(problems).toEqual([])
    await page.context().close()
  })

  it('after a failed webhook (500, retried), the event page shows each attempt with time, endpoint, status, duration, signature and answer', async () => {
    const stripe = sdk(KEY_A)
    const endpoint = await stripe.webhookEndpoints.create({ url: hookURL, enabled_events: ['treasury.financial_account.created'] })
    const fa = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'], features: {} })
    const control = server.emulator.controlFor(KEY_A)
    await control.deliverEvents()
    // the retries: 5 min, 1 h, 3 h later on the emulator clock
    for (const seconds of [300, 3600, 3 * 3600]) {
      control.advance(seconds)
      await control.deliverEvents()
    }
    const event = control.events({ type: 'treasury.financial_account.created' }).find((candidate) => candidate.data.object.id === fa.id)
    expect(event).toBeDefined()
    const attempts = control.webhookDeliveries().filter((delivery) => delivery.event === event?.id)
    expect(attempts.map((attempt) => attempt.status)).toEqual([500, 500, 500, 500])

    const { page, problems } = await open(`/_emulator/ui/${event?.id}`)
    const table = page.locator('table', { has: page.locator('caption', { hasText: 'Delivery attempts' }) })
    await table.waitFor()
    const rows = table.locator('tbody tr')
    expect(await rows.count()).toBe(4)
    for (let index = 0; index < 4; index++) {
      const text = await renderedText(rows.nth(index))
      expect(text).toContain(`#${index + 1}`)
      expect(text).toContain(hookURL)
      expect(text).toContain(endpoint.id)
      expect(text).toContain('500')
      expect(text).toMatch(/\d+ ms/)
      expect(text).toMatch(/t=\d+,v1=[0-9a-f]{64}/)
      expect(text).toMatch(/boom \d+/)
    }
    await shot(page, 'webhook-attempts')
    // the events view lists it with its attempts too
    await page.goto(
      `${server.url}/_emulator/ui/?view=events&account=${encodeURIComponent((await page.locator('#account').inputValue()) || '')}`,
    )
    await page.getByRole('heading', { name: 'Events and webhook deliveries' }).waitFor()
    expect(
      await page
        .locator('section.event', { hasText: event?.id as string })
        .locator('tbody tr')
        .count(),
    ).toBe(4)
    await shot(page, 'events')
    expect(problems).toEqual([])
    await page.context().close()
  })

  it("a deep link to an object id finds it in another key's account; the request log shows redacted bodies", async () => {
    const source = await sdk(KEY_B).sources.create({
      type: 'ach_credit_transfer',
      currency: 'usd',
      owner: { email: 'beta@example.com', name: '<img src=x onerror="window.__xss=1">' },
      metadata: { note: 'sk_test_shouldnotbeshown123456' },
    })
    const { page, problems } = await open(`/_emulator/ui/${source.id}`)
    await page.getByRole('heading', { name: 'JSON' }).waitFor()
    const text = await renderedText(page.locator('main'))
    expect(text).toContain(source.id)
    expect(text).toContain('beta@example.com')
    // every value is rendered as text: markup in data stays text
    expect(text).toContain('<img src=x onerror=')
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined()
    expect(await page.locator('main img').count()).toBe(0)
    // the account of key B (shown by its platform account id and a redacted key)
    const accountB = platformAccountId('inspector_beta')
    expect(text).toContain(`Account ${accountB} (sk_test_…beta)`)
    expect(await page.locator('#account').inputValue()).toBe(accountB)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Requests', exact: true }).click({ timeout: 5000 })
    await page.getByRole('heading', { name: 'Requests', exact: true }).waitFor({ timeout: 5000 })
    const request = page.locator('details.request', { hasText: 'POST /v1/sources' }).first()
    await request.locator('summary').click({ timeout: 5000 })
    const body = await renderedText(request)
    expect(body).toContain('owner[email]')
    expect(body).not.toContain('shouldnotbeshown')
    await shot(page, 'requests')
    expect(problems).toEqual([])
    await page.context().close()
  })

  it('is keyboard-usable: / focuses the search, Enter finds, Tab reaches the test-helper buttons, focus is visible', async () => {
    const stripe = sdk(KEY_A)
    const fa = await stripe.treasury.financialAccounts.create({
      supported_currencies: ['usd'],
      features: { outbound_payments: { ach: { requested: true } } },
    })
    await stripe.testHelpers.treasury.receivedCredits.create({ financial_account: fa.id, amount: 5_000, currency: 'usd', network: 'ach' })
    const payment = await stripe.treasury.outboundPayments.create({
      financial_account: fa.id,
      amount: 1_000,
      currency: 'usd',
      destination_payment_method_data: {
        type: 'us_bank_account',
        us_bank_account: { routing_number: '110000000', account_number: '000123456789' },
        billing_details: { name: 'Jenny Rosen' },
      },
    })
    const { page, problems } = await open('/_emulator/ui/')
    await page.getByRole('heading', { name: 'Accounts' }).waitFor()
    await page.keyboard.press('/')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-id')
    await page.keyboard.type(payment.id)
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Test helpers' }).waitFor()
    // Tab from the search box until the Post button has focus
    await page.locator('#search-id').focus()
    let focused = ''
    for (let step = 0; step < 30 && focused !== 'Post'; step++) {
      await page.keyboard.press('Tab')
      focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.textContent ?? '')
    }
    expect(focused).toBe('Post')
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle)
    expect(outline).toBe('solid')
    await page.keyboard.press('Enter')
    await expect.poll(() => renderedText(page.locator('#status'))).toContain('answered 200')
    expect((await stripe.treasury.outboundPayments.retrieve(payment.id)).status).toBe('posted')
    await expect.poll(() => renderedText(page.locator('main'))).toContain('status posted')
    // the account picker is a form: choose, then Show (Enter on the button)
    await page.locator('#account').selectOption('acct_emulator')
    await page.getByRole('button', { name: 'Show' }).focus()
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Objects', exact: true }).waitFor()
    expect(new URL(page.url()).searchParams.get('account')).toBe('acct_emulator')
    expect(problems).toEqual([])
    await page.context().close()
  })

  it('renders in dark mode (prefers-color-scheme) and light mode with readable colors', async () => {
    const dark = await open('/_emulator/ui/?view=objects', 'dark')
    await dark.page.getByRole('heading', { name: 'Objects' }).waitFor()
    const colors = (page: Page) =>
      page.evaluate(() => ({ bg: getComputedStyle(document.body).backgroundColor, fg: getComputedStyle(document.body).color }))
    expect(await colors(dark.page)).toEqual({ bg: 'rgb(16, 19, 28)', fg: 'rgb(228, 231, 239)' })
    await shot(dark.page, 'objects-dark')
    const light = await open('/_emulator/ui/?view=objects', 'light')
    await light.page.getByRole('heading', { name: 'Objects' }).waitFor()
    expect(await colors(light.page)).toEqual({ bg: 'rgb(255, 255, 255)', fg: 'rgb(26, 31, 54)' })
    expect([...dark.problems, ...light.problems]).toEqual([])
    await dark.page.context().close()
    await light.page.context().close()
  })
})
