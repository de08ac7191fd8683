// The emulator's inspector page (`/_emulator/ui/`): plain DOM, no framework. Every value is rendered
// as text (`textContent`, text nodes), never as HTML; data comes from `/_emulator/ui/api/…` on the
// same origin. Each view is a URL (`?view=events&account=acct_…`, `/_emulator/ui/<object id>`), so
// every object has a deep link and links are real links.
import './style.css'

const BASE = '/_emulator/ui/'
const API = `${BASE}api/`
const TOKEN_KEY = 'edgestripe-inspector-token'

type Json = any
type Child = Node | string | number | null | undefined | false

/** An element with attributes and children; strings become text nodes (never parsed as HTML). */
function h(tag: string, attrs: Record<string, string | boolean | undefined> = {}, ...children: (Child | Child[])[]): HTMLElement {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue
    element.setAttribute(name, value === true ? '' : value)
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    element.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child)
  }
  return element
}

const params = new URLSearchParams(location.search)
const main = document.getElementById('main') as HTMLElement
const statusLine = document.getElementById('status') as HTMLElement

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** A call to the inspector's API; a deployed Worker's token (asked once) goes as `Authorization`. */
async function api(path: string, init: { method?: string; body?: unknown } = {}): Promise<Json> {
  const headers: Record<string, string> = {}
  const token = sessionStorage.getItem(TOKEN_KEY)
  if (token) headers.Authorization = `Bearer ${token}`
  if (init.body !== undefined) headers['Content-Type'] = 'application/json'
  const response = await fetch(API + path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: 'same-origin',
  })
  const json = await response.json().catch(() => ({}))
  if (!response.ok) throw new ApiError(response.status, json?.error?.message ?? `HTTP ${response.status}`)
  return json
}

const query = (values: Record<string, string | number | undefined | null>) => {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(values))
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value))
  const text = search.toString()
  return text ? `?${text}` : ''
}

const viewLink = (view: string, values: Record<string, string | number | undefined> = {}) => `${BASE}${query({ view, ...values })}`
const objectLink = (id: string, account?: string) => `${BASE}${encodeURIComponent(id)}${query({ account })}`

function date(seconds: number | null | undefined): string {
  if (typeof seconds !== 'number') return ''
  return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')}Z`
}

/** An amount in the currency's minor unit, formatted in that currency (`Intl.NumberFormat`). */
function money(amount: number | null | undefined, currency: string | null | undefined): string {
  if (typeof amount !== 'number') return ''
  if (!currency) return String(amount)
  try {
    const format = new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase() })
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2
    return format.format(amount / 10 ** digits)
  } catch {
    return `${amount} ${currency}`
  }
}

function table(headings: string[], rows: Child[][], caption?: string): HTMLElement {
  return h(
    'table',
    {},
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, ...headings.map((heading) => h('th', { scope: 'col' }, heading)))),
    h('tbody', {}, ...rows.map((row) => h('tr', {}, ...row.map((cell) => h('td', {}, cell))))),
  )
}

const link = (href: string, text: string, attrs: Record<string, string> = {}) => h('a', { href, ...attrs }, text)
const code = (text: string | null | undefined) => (text ? h('code', {}, text) : '')
const pre = (text: string | null | undefined, label?: string) => h('pre', { tabindex: '0', 'aria-label': label }, text ?? '')

function json(value: unknown): string {
  return JSON.stringify(value, null, 2)
}

function say(text: string): void {
  statusLine.textContent = text
}

/** Replaces the main area's content. */
function render(...children: Child[]): void {
  main.replaceChildren()
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    main.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child)
  }
}

// --- accounts and the header ---

let accounts: Json[] = []
let account: string | undefined

async function loadAccounts(): Promise<void> {
  const answer = await api('accounts')
  accounts = answer.data
  const wanted = params.get('account') ?? sessionStorage.getItem('edgestripe-inspector-account') ?? undefined
  const busiest = [...accounts].sort((a, b) => b.objects + b.events - (a.objects + a.events))[0]
  account = accounts.some((entry) => entry.account === wanted) ? wanted : busiest?.account
  const select = document.getElementById('account') as HTMLSelectElement
  select.replaceChildren(
    ...accounts.map((entry) =>
      h('option', { value: entry.account, selected: entry.account === account }, `${entry.account} (${entry.key ?? 'default, no key'})`),
    ),
  )
  // a form (Show), not a change handler: arrow keys in the list do not navigate
  ;(document.getElementById('account-view') as HTMLInputElement).value =
    location.pathname === BASE ? (params.get('view') ?? 'accounts') : 'objects'
  setAccount(account)
  await showClock()
}

/** The account the header, the view links and the clock are about. */
function setAccount(id: string | undefined): void {
  account = id
  if (!id) return
  sessionStorage.setItem('edgestripe-inspector-account', id)
  ;(document.getElementById('account') as HTMLSelectElement).value = id
  for (const anchor of document.querySelectorAll<HTMLAnchorElement>('nav a[data-view]')) {
    anchor.href = viewLink(anchor.dataset.view as string, { account: id })
    if (anchor.dataset.view === (params.get('view') ?? 'accounts') && location.pathname === BASE)
      anchor.setAttribute('aria-current', 'page')
  }
}

async function showClock(): Promise<void> {
  if (!account) return
  const { now } = await api(`clock${query({ account })}`)
  const time = document.getElementById('now') as HTMLTimeElement
  time.textContent = date(now)
  time.dateTime = new Date(now * 1000).toISOString()
}

function wireHeader(): void {
  const search = document.getElementById('search') as HTMLFormElement
  const input = document.getElementById('search-id') as HTMLInputElement
  search.addEventListener('submit', (event) => {
    event.preventDefault()
    const id = input.value.trim()
    if (id) location.href = objectLink(id)
  })
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement
    const typing = target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
    if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault()
      input.focus()
    }
  })
  const advance = document.getElementById('advance') as HTMLFormElement
  advance.addEventListener('submit', async (event) => {
    event.preventDefault()
    const seconds = Number((document.getElementById('advance-seconds') as HTMLInputElement).value)
    try {
      const { now } = await api(`clock/advance${query({ account })}`, { method: 'POST', body: { seconds } })
      say(`Clock advanced by ${seconds} s to ${date(now)}.`)
      await route()
    } catch (error) {
      say(`Advance failed: ${(error as Error).message}`)
    }
  })
}

// --- views ---

function accountsView(): void {
  render(
    h('h1', {}, 'Accounts'),
    h('p', {}, 'One account per key (sk_test_X, rk_test_X and pk_test_X share one); the default account is for requests without a key.'),
    table(
      ['Account', 'Key', 'Objects', 'Events', 'Requests', 'Connected accounts', 'Clock'],
      accounts.map((entry) => [
        link(viewLink('objects', { account: entry.account }), entry.account),
        entry.key ?? 'default (no key)',
        entry.objects,
        link(viewLink('events', { account: entry.account }), String(entry.events)),
        link(viewLink('requests', { account: entry.account }), String(entry.requests)),
        entry.connected.join(', '),
        date(entry.now),
      ]),
    ),
  )
}

function pager(total: number, offset: number, size: number, go: (offset: number) => string | (() => void)): HTMLElement {
  const control = (label: string, to: number, enabled: boolean) => {
    const target = go(to)
    if (!enabled) return h('span', { class: 'disabled', 'aria-disabled': 'true' }, label)
    return typeof target === 'string' ? link(target, label) : button(label, target)
  }
  return h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages' },
    control('← Newer', Math.max(0, offset - size), offset > 0),
    h('span', {}, total ? `${offset + 1}–${Math.min(total, offset + size)} of ${total}` : 'none'),
    control('Older →', offset + size, offset + size < total),
  )
}

function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLElement {
  const element = h('button', { type: 'button', ...attrs }, label)
  element.addEventListener('click', onClick)
  return element
}

async function objectsView(): Promise<void> {
  if (!account) return render(h('p', {}, 'No account yet.'))
  const summary = accounts.find((entry) => entry.account === account)
  const kind = params.get('kind') ?? ''
  const q = params.get('q') ?? ''
  const offset = Number(params.get('offset') ?? 0) || 0
  const page = await api(`objects${query({ account, kind, q, offset, limit: 50 })}`)
  const kinds = Object.entries(summary?.kinds ?? {}).sort(([a], [b]) => a.localeCompare(b)) as [string, number][]
  const filter = h(
    'form',
    { class: 'filter', method: 'get', action: BASE },
    h('input', { type: 'hidden', name: 'view', value: 'objects' }),
    h('input', { type: 'hidden', name: 'account', value: account }),
    h('input', { type: 'hidden', name: 'kind', value: kind }),
    h('label', { for: 'q' }, 'Id contains'),
    h('input', { id: 'q', name: 'q', type: 'search', value: q, autocomplete: 'off' }),
    h('button', { type: 'submit' }, 'Search'),
  )
  render(
    h('h1', {}, kind ? `Objects: ${kind}` : 'Objects'),
    h(
      'nav',
      { class: 'kinds', 'aria-label': 'Kinds' },
      h('ul', {}, [
        h('li', {}, link(viewLink('objects', { account, q }), `all (${summary?.objects ?? 0})`, kind ? {} : { 'aria-current': 'page' })),
        ...kinds.map(([name, count]) =>
          h(
            'li',
            {},
            link(viewLink('objects', { account, kind: name, q }), `${name} (${count})`, name === kind ? { 'aria-current': 'page' } : {}),
          ),
        ),
      ]),
    ),
    filter,
    table(
      ['Id', 'Kind', 'Status', 'Amount', 'Created', 'Connected account'],
      page.data.map((row: Json) => [
        link(objectLink(row.id, account), row.id),
        row.object,
        row.status ?? '',
        money(row.amount, row.currency),
        date(row.created),
        row.stripe_account ?? '',
      ]),
    ),
    pager(page.total, page.offset, 50, (to) => viewLink('objects', { account, kind, q, offset: to })),
  )
}

function linksTable(title: string, links: Json[], accountId: string, total?: number): HTMLElement {
  return h(
    'section',
    {},
    h('h2', {}, total !== undefined && total > links.length ? `${title} (${links.length} of ${total})` : `${title} (${links.length})`),
    links.length
      ? table(
          ['Object', 'Kind', 'Field'],
          links.map((entry) => [link(objectLink(entry.id, accountId), entry.id), entry.kind, code(entry.path)]),
        )
      : h('p', {}, 'None.'),
  )
}

function attemptsTable(attempts: Json[]): HTMLElement {
  if (!attempts.length) return h('p', {}, 'No delivery attempts.')
  return table(
    ['Attempt', 'Time', 'Endpoint', 'Status', 'Duration', 'Signature', 'Response body'],
    attempts.map((attempt) => [
      `#${attempt.attempt}${attempt.duplicate ? ' (duplicate)' : ''}`,
      attempt.started_at ? `${new Date(attempt.started_at).toISOString().slice(0, 23).replace('T', ' ')}Z` : date(attempt.at),
      h('span', {}, code(attempt.url ?? '(in-process handler)'), h('br'), h('small', {}, attempt.endpoint)),
      h(
        'span',
        { class: attempt.ok ? 'ok' : 'failed' },
        attempt.status === null ? 'no answer' : String(attempt.status),
        attempt.error ? h('br') : null,
        attempt.error ? h('small', {}, attempt.error) : null,
        attempt.nextRetryAt ? h('br') : null,
        attempt.nextRetryAt ? h('small', {}, `retry at ${date(attempt.nextRetryAt)}`) : null,
      ),
      attempt.duration_ms === null ? '' : `${attempt.duration_ms} ms`,
      h('code', { class: 'wrap' }, attempt.signature ?? ''),
      attempt.response_body ? pre(attempt.response_body, 'response body') : '',
    ]),
    'Delivery attempts',
  )
}

async function ledgerSection(fa: Json, accountId: string): Promise<HTMLElement> {
  const section = h('section', { class: 'ledger' })
  const size = 20
  const balances = Object.entries(fa.balance ?? {}).filter(([, value]) => value && typeof value === 'object') as [
    string,
    Record<string, number>,
  ][]
  const currencies = [...new Set(balances.flatMap(([, value]) => Object.keys(value)))]
  const balanceTable = table(
    ['Currency', ...balances.map(([name]) => name.replace(/_/g, ' '))],
    currencies.map((currency) => [currency.toUpperCase(), ...balances.map(([, value]) => money(value[currency] ?? 0, currency))]),
    'Balances',
  )
  balanceTable.classList.add('balances')
  const load = async (offset: number) => {
    const page = await api(`ledger/${encodeURIComponent(fa.id)}${query({ account: accountId, offset, limit: size })}`)
    const rows: HTMLElement[] = []
    for (const transaction of page.data) {
      rows.push(
        h(
          'tr',
          { class: 'transaction' },
          h('td', {}, link(objectLink(transaction.id, accountId), transaction.id)),
          h('td', {}, date(transaction.created)),
          h('td', {}, transaction.flow_type ?? ''),
          h('td', {}, transaction.status ?? ''),
          h('td', { class: 'amount' }, money(transaction.amount, transaction.currency)),
          h('td', {}, transaction.description ?? ''),
        ),
      )
      for (const entry of transaction.entries) {
        const impact = entry.balance_impact ?? {}
        rows.push(
          h(
            'tr',
            { class: 'entry' },
            h('td', {}, '↳ ', link(objectLink(entry.id, accountId), entry.id)),
            h('td', {}, date(entry.effective_at ?? entry.created)),
            h('td', {}, entry.type ?? ''),
            h('td', {}, ''),
            h(
              'td',
              { class: 'amount' },
              ['cash', 'inbound_pending', 'outbound_pending']
                .filter((name) => impact[name])
                .map((name) => `${name.replace(/_/g, ' ')} ${money(impact[name], entry.currency)}`)
                .join(', '),
            ),
            h('td', {}, ''),
          ),
        )
      }
    }
    const ledgerTable = h(
      'table',
      { class: 'ledger-table' },
      h('caption', {}, `Ledger: ${page.total} transactions, newest first, with their entries`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Transaction / entry', 'Time', 'Flow / entry type', 'Status', 'Amount', 'Description'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      h('tbody', {}, ...rows),
    )
    section.replaceChildren(
      h('h2', {}, 'Balances and ledger'),
      balanceTable,
      ledgerTable,
      pager(page.total, page.offset, size, (to) => () => void load(to)),
    )
  }
  await load(0)
  return section
}

async function objectView(id: string): Promise<void> {
  const found = await api(`object/${encodeURIComponent(id)}${query({ account: params.get('account') ?? undefined })}`)
  const accountId: string = found.account
  if (account !== accountId) {
    setAccount(accountId)
    await showClock()
  }
  const object = found.object
  const actions = h('div', { class: 'actions' })
  for (const action of found.actions as Json[]) {
    actions.append(
      button(action.label, async () => {
        say(`${action.label}…`)
        try {
          const answer = await api(`action${query({ account: accountId })}`, { method: 'POST', body: { id, action: action.name } })
          say(`${action.label}: ${answer.path} answered ${answer.status}.`)
          await objectView(id)
        } catch (error) {
          say(`${action.label} failed: ${(error as Error).message}`)
        }
      }),
    )
  }
  const parts: Child[] = [
    h('h1', {}, h('span', { class: 'kind' }, found.kind), ' ', h('code', {}, id)),
    h(
      'p',
      { class: 'meta' },
      `Account ${accountId}`,
      found.key ? ` (${found.key})` : ' (default, no key)',
      found.stripe_account !== accountId ? ` · connected account ${found.stripe_account}` : '',
      object.status ? ` · status ${object.status}` : '',
      typeof object.amount === 'number' ? ` · ${money(object.amount, object.currency)}` : '',
    ),
  ]
  if (found.actions.length) parts.push(h('section', {}, h('h2', {}, 'Test helpers'), actions))
  if (found.kind === 'treasury.financial_account') parts.push(await ledgerSection(object, accountId))
  if (found.kind === 'event') parts.push(h('section', {}, h('h2', {}, 'Webhook deliveries'), attemptsTable(found.deliveries)))
  parts.push(
    linksTable('Links to', found.links_out, accountId),
    linksTable('Linked from', found.links_in.data, accountId, found.links_in.total),
    h(
      'section',
      {},
      h('h2', {}, `Events (${found.events.total})`),
      found.events.data.length
        ? table(
            ['Event', 'Type', 'Created'],
            found.events.data.map((event: Json) => [link(objectLink(event.id, accountId), event.id), event.type, date(event.created)]),
          )
        : h('p', {}, 'None.'),
    ),
    h('section', {}, h('h2', {}, 'JSON'), pre(json(object), 'object JSON')),
  )
  render(...parts)
  document.title = `${id} · emulator inspector`
}

async function eventsView(): Promise<void> {
  if (!account) return render(h('p', {}, 'No account yet.'))
  const offset = Number(params.get('offset') ?? 0) || 0
  const page = await api(`events${query({ account, offset, limit: 25 })}`)
  render(
    h('h1', {}, 'Events and webhook deliveries'),
    ...page.data.map((event: Json) =>
      h(
        'section',
        { class: 'event' },
        h('h2', {}, link(objectLink(event.id, account), event.id), ' ', h('span', { class: 'kind' }, event.type)),
        h(
          'p',
          { class: 'meta' },
          `${date(event.created)} · `,
          link(objectLink(event.object, account), event.object),
          ` · pending webhooks ${event.pending_webhooks}`,
          ...event.scheduled.map((held: Json) => ` · attempt #${held.attempt} to ${held.endpoint} due ${date(held.dueAt)}`),
        ),
        event.deliveries.length ? attemptsTable(event.deliveries) : null,
      ),
    ),
    page.data.length ? null : h('p', {}, 'No events yet.'),
    pager(page.total, page.offset, 25, (to) => viewLink('events', { account, offset: to })),
  )
}

async function requestsView(): Promise<void> {
  if (!account) return render(h('p', {}, 'No account yet.'))
  const page = await api(`requests${query({ account, limit: 200 })}`)
  render(
    h('h1', {}, 'Requests'),
    h('p', {}, 'The newest API requests of this account with their bodies; keys and secrets are redacted.'),
    ...page.data.map((entry: Json) =>
      h(
        'details',
        { class: 'request' },
        h(
          'summary',
          {},
          h('span', { class: entry.status >= 400 ? 'failed' : 'ok' }, String(entry.status)),
          ` ${entry.method} ${entry.path}${entry.query ? `?${entry.query}` : ''} · ${date(entry.time)} · ${entry.requestId}`,
          entry.replayed ? ' · replayed' : '',
          entry.fault ? ` · fault ${entry.fault}` : '',
        ),
        entry.idempotencyKey ? h('p', {}, 'Idempotency-Key ', code(entry.idempotencyKey)) : null,
        h('h3', {}, 'Request body'),
        pre(entry.requestBody ?? '(none)', 'request body'),
        h('h3', {}, 'Response body'),
        pre(entry.responseBody ?? '(none)', 'response body'),
      ),
    ),
    page.data.length ? null : h('p', {}, 'No requests yet.'),
  )
}

function tokenView(message: string): void {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true }) as HTMLInputElement
  const form = h(
    'form',
    { class: 'token' },
    h('p', {}, message),
    h('label', { for: 'token' }, 'Emulator token (EMULATOR_TOKEN)'),
    input,
    h('button', { type: 'submit' }, 'Use token'),
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    sessionStorage.setItem(TOKEN_KEY, input.value)
    location.reload()
  })
  render(h('h1', {}, 'Token needed'), form)
  input.focus()
}

async function route(): Promise<void> {
  try {
    await loadAccounts()
    const rest = decodeURIComponent(location.pathname.slice(BASE.length))
    if (rest) return await objectView(rest)
    const view = params.get('view') ?? 'accounts'
    if (view === 'objects') return await objectsView()
    if (view === 'events') return await eventsView()
    if (view === 'requests') return await requestsView()
    return accountsView()
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || (error.status === 403 && /EMULATOR_TOKEN/.test(error.message)))) {
      return tokenView(error.message)
    }
    render(h('h1', {}, 'Not found'), h('p', { class: 'failed' }, (error as Error).message))
  }
}

wireHeader()
void route()
