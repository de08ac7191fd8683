// The inspector's data (`/_emulator/ui/api/…`, JSON, same-origin only): the accounts, their objects
// by kind, one object with what it links to and what links to it and the events that mention it, a
// financial account's ledger, events with each delivery attempt, the request log (redacted), the
// clock, and the test-helper actions of an object, run through the emulator's own routes.
//
// Accounts are named by their platform account id (`acct_…`), never by their key: the page shows a
// key only as `redactKey` prints it.
import { redact, redactKey } from '@edgestripe/core'
import { EmulatorError, invalidRequest } from '../errors.js'
import type { WebhookDelivery } from '../events.js'
import { parseJsonBody } from '../form-decode.js'
import { controlHeaders, jsonResponse, readBody } from '../http.js'
import type { KeyAccount, KeyAccounts } from '../key-accounts.js'
import type { AccountStore, StoredRecord, StripeObject } from '../store.js'
import { actionsOf, findAction } from './actions.js'

export const INSPECTOR_API_PREFIX = '/_emulator/ui/api/'

/** What the inspector's data endpoints need from the emulator. */
export interface InspectorDeps {
  accounts: KeyAccounts
  /** runs an API or control request as a key's account (the test-helper actions) */
  dispatch(request: Request, keyAccount: KeyAccount): Promise<Response>
  maxRequestBytes: number
}

/** Largest page of a list (objects, ledger, events, requests). */
const MAX_LIMIT = 200
/** Objects that link to the one shown, at most. */
const MAX_LINKS_IN = 100
/** Events that mention the object shown, at most. */
const MAX_EVENTS = 50

/**
 * Same-origin only, like the controls: a preflight is refused, and so is a request whose `Origin`
 * is another origin; answers carry no CORS headers. Returns the refusal, or undefined.
 */
export function crossOriginRefusal(request: Request, url: URL): Response | undefined {
  const origin = request.headers.get('Origin')
  if (request.method.toUpperCase() === 'OPTIONS' || (origin !== null && origin !== url.origin)) {
    return apiResponse(403, { error: { type: 'invalid_request_error', message: 'The emulator inspector is not available cross-origin.' } })
  }
  return undefined
}

export function apiResponse(status: number, body: unknown): Response {
  const headers = controlHeaders('')
  headers.delete('Stripe-Version')
  headers.set('Cache-Control', 'no-store')
  headers.set('X-Content-Type-Options', 'nosniff')
  // not readable by another site's <script> or <img> either
  headers.set('Cross-Origin-Resource-Policy', 'same-origin')
  return jsonResponse(status, body, headers)
}

/** Answers one `/_emulator/ui/api/…` request. */
export async function serveInspectorApi(deps: InspectorDeps, request: Request, url: URL): Promise<Response> {
  const refused = crossOriginRefusal(request, url)
  if (refused) return refused
  const method = request.method.toUpperCase()
  const path = url.pathname.slice(INSPECTOR_API_PREFIX.length)
  const query = url.searchParams
  try {
    if (method === 'GET' && path === 'accounts')
      return apiResponse(200, { mode: deps.accounts.mode, data: accountSummaries(deps.accounts) })
    if (method === 'GET' && path.startsWith('object/')) {
      const id = decodeURIComponent(path.slice('object/'.length))
      const account = query.get('account')
      const found = findObject(account ? [keyAccountOf(deps.accounts, account)] : [...deps.accounts.all()], id)
      if (!found) throw invalidRequest(`No object with id ${id} in ${account ?? 'any account'}.`, 'id', 'resource_missing', 404)
      return apiResponse(200, found)
    }
    const keyAccount = keyAccountOf(deps.accounts, requiredAccount(query))
    if (method === 'GET' && path === 'objects') return apiResponse(200, listObjects(keyAccount, query))
    if (method === 'GET' && path.startsWith('ledger/'))
      return apiResponse(200, ledger(keyAccount, decodeURIComponent(path.slice(7)), query))
    if (method === 'GET' && path === 'events') return apiResponse(200, eventsWithDeliveries(keyAccount, query))
    if (method === 'GET' && path === 'requests') {
      const limit = pageLimit(query, MAX_LIMIT)
      return apiResponse(200, { data: keyAccount.state.requestBodies.newest(limit) })
    }
    if (method === 'GET' && path === 'clock') return apiResponse(200, { now: keyAccount.control.now() })
    if (method === 'POST' && path === 'clock/advance') {
      const body = parseJsonBody(await readBody(request, deps.maxRequestBytes))
      const seconds = Number(body.seconds)
      if (!Number.isSafeInteger(seconds) || seconds < 0) throw invalidRequest('seconds must be a non-negative integer', 'seconds')
      return apiResponse(200, { now: keyAccount.control.advance(seconds) })
    }
    if (method === 'POST' && path === 'action') return await runAction(deps, keyAccount, request)
    throw invalidRequest(`Unrecognized inspector request: ${method} ${url.pathname}`, undefined, undefined, 404)
  } catch (error) {
    if (error instanceof EmulatorError) return apiResponse(error.status, { error: error.body })
    return apiResponse(400, { error: { type: 'invalid_request_error', message: error instanceof Error ? error.message : String(error) } })
  }
}

function requiredAccount(query: URLSearchParams): string {
  const account = query.get('account')
  if (!account) throw invalidRequest('account is required (a platform account id, acct_…)', 'account')
  return account
}

function pageLimit(query: URLSearchParams, fallback: number): number {
  const limit = Number(query.get('limit') ?? fallback)
  return Number.isSafeInteger(limit) && limit > 0 ? Math.min(limit, MAX_LIMIT) : fallback
}

function pageOffset(query: URLSearchParams): number {
  const offset = Number(query.get('offset') ?? 0)
  return Number.isSafeInteger(offset) && offset > 0 ? offset : 0
}

/** The key's account whose platform account is `account`; a 404 otherwise. */
export function keyAccountOf(accounts: KeyAccounts, account: string): KeyAccount {
  for (const keyAccount of accounts.all()) if (keyAccount.state.defaultAccount === account) return keyAccount
  throw invalidRequest(`No account ${account} in this emulator.`, 'account', 'resource_missing', 404)
}

/** How a key is shown: `sk_test_…abcd` (null for the default account, which has no key). */
export function keyHint(keyPart: string): string | null {
  return keyPart === '' ? null : redactKey(`sk_test_${keyPart}`)
}

export interface AccountSummary {
  account: string
  key: string | null
  /** connected accounts (`Stripe-Account`) with objects */
  connected: string[]
  objects: number
  /** objects by kind (`object` value) */
  kinds: Record<string, number>
  now: number
  events: number
  requests: number
  deliveries: number
}

export function accountSummaries(accounts: KeyAccounts): AccountSummary[] {
  return [...accounts.all()].map((keyAccount) => {
    const { state } = keyAccount
    const kinds: Record<string, number> = {}
    const connected: string[] = []
    let objects = 0
    for (const store of state.store.accounts()) {
      if (store.id !== state.defaultAccount && store.size > 0) connected.push(store.id)
      for (const record of store.all()) {
        kinds[record.object.object] = (kinds[record.object.object] ?? 0) + 1
        objects++
      }
    }
    return {
      account: state.defaultAccount,
      key: keyHint(keyAccount.keyPart),
      connected,
      objects,
      kinds,
      now: state.clock.now,
      events: state.events.log.length,
      requests: state.log.length,
      deliveries: state.events.deliveries.length,
    }
  })
}

/** A row of an object list. */
function summary(object: StripeObject, store: AccountStore, platform: string) {
  return {
    id: object.id,
    object: object.object,
    created: typeof object.created === 'number' ? object.created : null,
    status: typeof object.status === 'string' ? object.status : null,
    amount: typeof object.amount === 'number' ? object.amount : null,
    currency: typeof object.currency === 'string' ? object.currency : null,
    ...(store.id === platform ? {} : { stripe_account: store.id }),
  }
}

function newestFirst(a: StoredRecord, b: StoredRecord): number {
  const created = Number(b.object.created ?? 0) - Number(a.object.created ?? 0)
  return created !== 0 ? created : b.seq - a.seq
}

/** `?kind=&q=&offset=&limit=`: objects of a kind (or every kind), whose id contains `q`, newest first. */
function listObjects(keyAccount: KeyAccount, query: URLSearchParams) {
  const kind = query.get('kind') || undefined
  const q = (query.get('q') ?? '').trim().toLowerCase()
  const { state } = keyAccount
  const rows: { record: StoredRecord; store: AccountStore }[] = []
  for (const store of state.store.accounts()) {
    const records = kind ? [...store.scan(kind)] : store.all()
    for (const record of records) if (!q || record.object.id.toLowerCase().includes(q)) rows.push({ record, store })
  }
  rows.sort((a, b) => newestFirst(a.record, b.record))
  const offset = pageOffset(query)
  const limit = pageLimit(query, 50)
  return {
    account: state.defaultAccount,
    kind: kind ?? null,
    total: rows.length,
    offset,
    data: rows.slice(offset, offset + limit).map(({ record, store }) => summary(record.object, store, state.defaultAccount)),
  }
}

/** An id-shaped string (`fa_1…`, `obp_…`, `acct_…`): a candidate link. */
const ID_SHAPE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*_[A-Za-z0-9]{4,}$/

/** Every id-shaped string value in `value`, with the path it was found at (`flow_details.id`, `entries[0]`…). */
function idStrings(value: unknown, path: string, out: { path: string; id: string }[]): void {
  if (out.length >= 200) return
  if (typeof value === 'string') {
    if (value.length < 100 && ID_SHAPE.test(value)) out.push({ path, id: value })
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) idStrings(item, `${path}[${index}]`, out)
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) idStrings(item, path ? `${path}.${key}` : key, out)
  }
}

function recordIn(keyAccount: KeyAccount, id: string): { record: StoredRecord; store: AccountStore } | undefined {
  for (const store of keyAccount.state.store.accounts()) {
    const record = store.record(id)
    if (record) return { record, store }
  }
  return undefined
}

interface Link {
  /** where the id is: the field of the object shown (links out) or of the linking object (links in) */
  path: string
  id: string
  kind: string
}

/** What an object links to: ids in its fields that are objects of the same key's account. */
function linksOut(keyAccount: KeyAccount, object: unknown, self: string): Link[] {
  const found: { path: string; id: string }[] = []
  idStrings(object, '', found)
  const links: Link[] = []
  for (const { path, id } of found) {
    if (id === self || path === 'id') continue
    const hit = recordIn(keyAccount, id)
    if (hit) links.push({ path, id, kind: hit.record.object.object })
    else if (id.startsWith('acct_')) links.push({ path, id, kind: 'account' })
  }
  return links
}

/** Objects of the key's account whose fields hold `id` (a transaction's entries, a payment's transactions…). */
function linksIn(keyAccount: KeyAccount, id: string): { total: number; data: Link[] } {
  const needle = `"${id}"`
  const data: Link[] = []
  let total = 0
  for (const store of keyAccount.state.store.accounts()) {
    for (const record of store.all()) {
      if (record.object.id === id || !JSON.stringify(record.object).includes(needle)) continue
      total++
      if (data.length >= MAX_LINKS_IN) continue
      const paths: { path: string; id: string }[] = []
      idStrings(record.object, '', paths)
      const path = paths.find((entry) => entry.id === id)?.path ?? ''
      data.push({ path, id: record.object.id, kind: record.object.object })
    }
  }
  return { total, data }
}

function eventSummary(event: { id: string; type: string; created: number; data: { object: StripeObject } }) {
  return { id: event.id, type: event.type, created: event.created, object: event.data.object.id, kind: event.data.object.object }
}

/** A copy with the secrets the SDK's logger hides redacted (`client_secret`s, keys, `whsec_`…), as the request log. */
function redacted<T>(value: T): T {
  return JSON.parse(redact(JSON.stringify(value))) as T
}

/** An object by id in the given key accounts (each store: platform and connected), or an event by id. */
function findObject(keyAccounts: KeyAccount[], id: string) {
  for (const keyAccount of keyAccounts) {
    const { state } = keyAccount
    const hit = recordIn(keyAccount, id)
    if (hit) {
      const needle = `"${id}"`
      const events = state.events.log
        .toArray()
        .filter((event) => JSON.stringify(event.data.object).includes(needle))
        .reverse()
      return {
        account: state.defaultAccount,
        key: keyHint(keyAccount.keyPart),
        stripe_account: hit.store.id,
        kind: hit.record.object.object,
        object: redacted(hit.record.object),
        links_out: linksOut(keyAccount, hit.record.object, id),
        links_in: linksIn(keyAccount, id),
        events: { total: events.length, data: events.slice(0, MAX_EVENTS).map(eventSummary) },
        actions: actionsOf(hit.record.object),
      }
    }
    const event = state.events.log.toArray().find((candidate) => candidate.id === id)
    if (event) {
      return {
        account: state.defaultAccount,
        key: keyHint(keyAccount.keyPart),
        stripe_account: event.account ?? state.defaultAccount,
        kind: 'event',
        object: redacted(event),
        links_out: linksOut(keyAccount, event, id),
        links_in: { total: 0, data: [] },
        events: { total: 0, data: [] },
        deliveries: deliveriesOf(keyAccount, [id]).get(id) ?? [],
        actions: [],
      }
    }
  }
  return undefined
}

/** `ledger/{fa}?offset=&limit=`: the balances and the transactions with their entries, newest first. */
function ledger(keyAccount: KeyAccount, id: string, query: URLSearchParams) {
  const hit = recordIn(keyAccount, id)
  if (hit?.record.object.object !== 'treasury.financial_account') {
    throw invalidRequest(`No financial account ${id} in ${keyAccount.state.defaultAccount}.`, 'id', 'resource_missing', 404)
  }
  const { store } = hit
  // the financial_account index the Treasury lists page with: this account's transactions only, newest first
  const transactions = Array.from(store.scan('treasury.transaction', { by: ['financial_account', id] }), (record) => record.object)
  const offset = pageOffset(query)
  const limit = pageLimit(query, 20)
  const page = transactions.slice(offset, offset + limit)
  // each shown transaction's entries through the `transaction` field index, newest first
  const entriesOf = (transaction: string) =>
    Array.from(store.scan('treasury.transaction_entry', { by: ['transaction', transaction] }), (record) => record.object)
  return {
    financial_account: hit.record.object,
    total: transactions.length,
    offset,
    data: page.map((transaction) => ({ ...transaction, entries: entriesOf(transaction.id) })),
  }
}

/** A delivery attempt as the inspector shows it: the delivery record with its detail. */
function attemptView(keyAccount: KeyAccount, delivery: WebhookDelivery) {
  const detail = keyAccount.state.events.details.get(delivery)
  return {
    ...delivery,
    started_at: detail?.startedAt ?? null,
    duration_ms: detail?.durationMs ?? null,
    url: detail?.url ?? null,
    signature: detail?.signature ?? null,
    response_body: detail?.responseBody ?? null,
  }
}

/** Each kept attempt of the given events, in the order they were scheduled. */
function deliveriesOf(keyAccount: KeyAccount, ids: string[]) {
  const { events } = keyAccount.state
  const wanted = new Set(ids)
  const byEvent = new Map<string, ReturnType<typeof attemptView>[]>()
  const kept = events.deliveries.toArray().filter((delivery) => wanted.has(delivery.event))
  kept.sort((a, b) => (events.order.get(a) ?? 0) - (events.order.get(b) ?? 0))
  for (const delivery of kept) {
    const list = byEvent.get(delivery.event) ?? []
    list.push(attemptView(keyAccount, delivery))
    byEvent.set(delivery.event, list)
  }
  return byEvent
}

/** `events?offset=&limit=`: events newest first, each with its delivery attempts and scheduled retries. */
function eventsWithDeliveries(keyAccount: KeyAccount, query: URLSearchParams) {
  const { events } = keyAccount.state
  const all = events.log.toArray().reverse()
  const offset = pageOffset(query)
  const page = all.slice(offset, offset + pageLimit(query, 50))
  const deliveries = deliveriesOf(
    keyAccount,
    page.map((event) => event.id),
  )
  const scheduled = keyAccount.control.scheduledDeliveries()
  return {
    account: keyAccount.state.defaultAccount,
    total: all.length,
    offset,
    data: page.map((event) => ({
      ...eventSummary(event),
      pending_webhooks: event.pending_webhooks,
      deliveries: deliveries.get(event.id) ?? [],
      scheduled: scheduled.filter((held) => held.event === event.id),
    })),
  }
}

/** `POST action {id, action}`: the object's test-helper or control route, run as its account. */
async function runAction(deps: InspectorDeps, keyAccount: KeyAccount, request: Request): Promise<Response> {
  const body = parseJsonBody(await readBody(request, deps.maxRequestBytes))
  const id = String(body.id ?? '')
  const hit = recordIn(keyAccount, id)
  if (!hit) throw invalidRequest(`No object ${id} in ${keyAccount.state.defaultAccount}.`, 'id', 'resource_missing', 404)
  const action = findAction(hit.record.object, String(body.action ?? ''))
  if (!action) throw invalidRequest(`No action ${String(body.action)} for ${hit.record.object.object} ${id}.`, 'action')
  const connected = hit.store.id === keyAccount.state.defaultAccount ? undefined : hit.store.id
  const headers = new Headers()
  let requestBody: string | undefined
  if (action.control) {
    // controls act on the key's account (no key: the default one); a connected account in the body
    if (keyAccount.keyPart) headers.set('Authorization', `Bearer sk_test_${keyAccount.keyPart}`)
    headers.set('Content-Type', 'application/json')
    requestBody = JSON.stringify(connected ? { account: connected } : {})
  } else {
    // the API as the key's account (the default account's key is any: the account is given)
    headers.set('Authorization', `Bearer sk_test_${keyAccount.keyPart || 'emulator'}`)
    headers.set('Content-Type', 'application/x-www-form-urlencoded')
    if (connected) headers.set('Stripe-Account', connected)
    requestBody = ''
  }
  const target = new URL(action.path(id), new URL(request.url).origin)
  const answer = await deps.dispatch(new Request(target, { method: 'POST', headers, body: requestBody }), keyAccount)
  const text = await answer.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = { error: { type: 'api_error', message: text.slice(0, 500) } }
  }
  return apiResponse(answer.status, { status: answer.status, path: target.pathname, body: json })
}
