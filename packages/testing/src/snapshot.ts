import { MAX_EMULATOR_TIME } from './clock.js'
import type { EmulatorEvent, WebhookEndpoint } from './events.js'
import { API_VERSION } from './generated/routes.js'
import type { EmulatorState } from './state.js'
import { createMemoryStore, type EmulatorStore, type IdempotencyEntry, type StoredRecord, type StripeObject } from './store.js'

export const SNAPSHOT_FORMAT = 'edgestripe-emulator-snapshot'
export const SNAPSHOT_VERSION = 1

/**
 * The whole state of an emulator as plain JSON (`JSON.stringify` it to save it): objects with their
 * emulator-only data, customers, file contents, idempotency keys, events, the clock and the webhook
 * endpoints that have a `url` (in-process `handler`s cannot be saved). Faults and the request log
 * are not state and are not kept.
 */
export interface EmulatorSnapshot {
  format: typeof SNAPSHOT_FORMAT
  version: typeof SNAPSHOT_VERSION
  apiVersion: string
  clock: { now: number; start: number }
  defaultAccount: string
  reportRunDelay: number
  accounts: SnapshotAccount[]
  events: EmulatorEvent[]
  webhookEndpoints: WebhookEndpoint[]
  /**
   * `snapshot({ all: true })` only: the accounts of other keys, by the `X` of their keys
   * (`sk_test_X`), each a snapshot of its own (without `keys`). The top level is the default account.
   */
  keys?: Record<string, EmulatorSnapshot>
}

export interface SnapshotAccount {
  id: string
  /** creation counter (objects' `seq` are at most this) */
  seq: number
  customers: string[]
  files: { id: string; type: string; body: string }[]
  /** in creation order */
  objects: { seq: number; object: StripeObject; internal: Record<string, unknown> }[]
  /** in insertion (= expiry) order */
  idempotency: ({ key: string } & IdempotencyEntry)[]
}

/** Deep copy as JSON (drops `undefined`, the way the API's responses do). */
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

export function takeSnapshot(state: EmulatorState): EmulatorSnapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    apiVersion: API_VERSION,
    clock: { now: state.clock.now, start: state.clock.start },
    defaultAccount: state.defaultAccount,
    reportRunDelay: state.reportRunDelay,
    accounts: [...state.store.accounts()].map((store) => ({
      id: store.id,
      seq: store.seq,
      customers: [...store.customers],
      files: [...store.fileContents].map(([id, file]) => ({ id, type: file.type, body: file.body })),
      objects: store.all().map((record) => ({ seq: record.seq, object: json(record.object), internal: json(record.internal) })),
      idempotency: [...store.idempotency].map(([key, entry]) => ({ key, ...entry })),
    })),
    events: json(state.events.log.toArray()),
    webhookEndpoints: [...state.events.endpoints.values()]
      .filter((endpoint) => endpoint.url !== null && !endpoint.handler)
      .map(({ handler: _handler, ...endpoint }) => json(endpoint)),
  }
}

export interface RestoredState {
  clock: { now: number; start: number }
  defaultAccount: string
  reportRunDelay: number
  store: EmulatorStore
  events: EmulatorEvent[]
  webhookEndpoints: WebhookEndpoint[]
}

const FORBIDDEN_KEYS = /* @__PURE__ */ new Set(['__proto__', 'constructor', 'prototype'])

/**
 * Checks a snapshot completely, then builds the state from it. Anything wrong — not an object, a
 * foreign `format`, another `version` or API version, a value that is not JSON, a missing or
 * mistyped field, duplicate ids — is a TypeError naming where; nothing is loaded partially.
 */
export function restoreSnapshot(value: unknown, where = '', makeStore: () => EmulatorStore = createMemoryStore): RestoredState {
  const fail = (path: string, problem: string): never => {
    throw new TypeError(`createEmulator: state${where}${path} ${problem}; not an emulator snapshot this version can load`)
  }
  if (!isRecord(value)) return fail('', 'is not an object')
  if (value.keys !== undefined) {
    if (where) fail('.keys', 'is only allowed at the top level')
    for (const [keyPart, nested] of Object.entries(record(value.keys, '.keys', fail))) {
      if (!/^[A-Za-z0-9_]+$/.test(keyPart)) fail(`.keys`, `holds ${JSON.stringify(keyPart)}, not the X of a key sk_test_X`)
      restoreSnapshot(nested, `.keys.${keyPart}`)
    }
  }
  if (value.format !== SNAPSHOT_FORMAT) fail('.format', `is ${JSON.stringify(value.format)}, not "${SNAPSHOT_FORMAT}"`)
  if (value.version !== SNAPSHOT_VERSION)
    fail('.version', `is ${JSON.stringify(value.version)}, this emulator reads version ${SNAPSHOT_VERSION}`)
  if (value.apiVersion !== API_VERSION) fail('.apiVersion', `is ${JSON.stringify(value.apiVersion)}, this emulator serves ${API_VERSION}`)
  checkJson(value, '', fail)
  const clock = record(value.clock, '.clock', fail)
  const now = time(clock.now, '.clock.now', fail)
  const start = time(clock.start, '.clock.start', fail)
  const defaultAccount = str(value.defaultAccount, '.defaultAccount', fail)
  const reportRunDelay = value.reportRunDelay
  if (typeof reportRunDelay !== 'number' || reportRunDelay < 0) fail('.reportRunDelay', 'must be a non-negative number')
  const stored = makeStore()
  const seen = new Set<string>()
  list(value.accounts, '.accounts', fail).forEach((raw, index) => {
    const at = `.accounts[${index}]`
    const account = record(raw, at, fail)
    const id = str(account.id, `${at}.id`, fail)
    if (seen.has(id)) fail(`${at}.id`, `repeats account ${id}`)
    seen.add(id)
    const store = stored.account(id)
    store.seq = int(account.seq, `${at}.seq`, fail)
    for (const [i, customer] of list(account.customers, `${at}.customers`, fail).entries())
      store.customers.add(str(customer, `${at}.customers[${i}]`, fail))
    for (const [i, rawFile] of list(account.files, `${at}.files`, fail).entries()) {
      const file = record(rawFile, `${at}.files[${i}]`, fail)
      store.fileContents.set(str(file.id, `${at}.files[${i}].id`, fail), {
        type: str(file.type, `${at}.files[${i}].type`, fail),
        body: str(file.body, `${at}.files[${i}].body`, fail),
      })
    }
    const seqs = new Set<number>()
    for (const [i, rawObject] of list(account.objects, `${at}.objects`, fail).entries()) {
      const where = `${at}.objects[${i}]`
      const entry = record(rawObject, where, fail)
      const seq = int(entry.seq, `${where}.seq`, fail)
      if (seq < 1 || seq > store.seq || seqs.has(seq))
        fail(`${where}.seq`, `must be unique, between 1 and the account's seq (${store.seq})`)
      seqs.add(seq)
      const object = record(entry.object, `${where}.object`, fail)
      const objectId = str(object.id, `${where}.object.id`, fail)
      str(object.object, `${where}.object.object`, fail)
      if (object.created !== undefined) int(object.created, `${where}.object.created`, fail)
      if (store.record(objectId)) fail(`${where}.object.id`, `repeats object ${objectId}`)
      store.add({ seq, object: object as StripeObject, internal: record(entry.internal, `${where}.internal`, fail) } satisfies StoredRecord)
    }
    let previous = Number.NEGATIVE_INFINITY
    for (const [i, rawEntry] of list(account.idempotency, `${at}.idempotency`, fail).entries()) {
      const where = `${at}.idempotency[${i}]`
      const entry = record(rawEntry, where, fail)
      const expiresAt = int(entry.expiresAt, `${where}.expiresAt`, fail)
      if (expiresAt < previous) fail(`${where}.expiresAt`, 'is out of order (entries are kept in expiry order)')
      previous = expiresAt
      store.idempotency.set(str(entry.key, `${where}.key`, fail), {
        fingerprint: str(entry.fingerprint, `${where}.fingerprint`, fail),
        expiresAt,
        status: int(entry.status, `${where}.status`, fail),
        requestId: str(entry.requestId, `${where}.requestId`, fail),
        body: str(entry.body, `${where}.body`, fail),
      })
    }
  })
  const events = list(value.events, '.events', fail).map((raw, i) => {
    const event = record(raw, `.events[${i}]`, fail)
    str(event.id, `.events[${i}].id`, fail)
    if (event.object !== 'event') fail(`.events[${i}].object`, 'must be "event"')
    str(event.type, `.events[${i}].type`, fail)
    record(record(event.data, `.events[${i}].data`, fail).object, `.events[${i}].data.object`, fail)
    return event as unknown as EmulatorEvent
  })
  const webhookEndpoints = list(value.webhookEndpoints, '.webhookEndpoints', fail).map((raw, i) => {
    const endpoint = record(raw, `.webhookEndpoints[${i}]`, fail)
    const url = str(endpoint.url, `.webhookEndpoints[${i}].url`, fail)
    if (!URL.canParse(url)) fail(`.webhookEndpoints[${i}].url`, 'is not a URL')
    return {
      id: str(endpoint.id, `.webhookEndpoints[${i}].id`, fail),
      object: 'webhook_endpoint' as const,
      url,
      secret: str(endpoint.secret, `.webhookEndpoints[${i}].secret`, fail),
      enabled_events: list(endpoint.enabled_events, `.webhookEndpoints[${i}].enabled_events`, fail).map((type, j) =>
        str(type, `.webhookEndpoints[${i}].enabled_events[${j}]`, fail),
      ),
    }
  })
  return { clock: { now, start }, defaultAccount, reportRunDelay: reportRunDelay as number, store: stored, events, webhookEndpoints }
}

type Fail = (path: string, problem: string) => never

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function record(value: unknown, path: string, fail: Fail): Record<string, unknown> {
  return isRecord(value) ? value : fail(path, 'must be an object')
}

function list(value: unknown, path: string, fail: Fail): unknown[] {
  return Array.isArray(value) ? value : fail(path, 'must be an array')
}

function str(value: unknown, path: string, fail: Fail): string {
  return typeof value === 'string' ? value : fail(path, 'must be a string')
}

function int(value: unknown, path: string, fail: Fail): number {
  return Number.isSafeInteger(value) ? (value as number) : fail(path, 'must be an integer')
}

/** A clock value: whole unix seconds from 0 to `MAX_EMULATOR_TIME` (year 9999). */
function time(value: unknown, path: string, fail: Fail): number {
  const seconds = int(value, path, fail)
  return seconds >= 0 && seconds <= MAX_EMULATOR_TIME ? seconds : fail(path, `must be unix seconds from 0 to ${MAX_EMULATOR_TIME}`)
}

/** Plain JSON only: null, booleans, finite numbers, strings, arrays, plain objects; no prototype keys. */
function checkJson(value: unknown, path: string, fail: Fail): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(path, 'holds a number that is not finite')
    return
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      if (!(index in value)) fail(`${path}[${index}]`, 'is missing (a sparse array is not JSON)')
      checkJson(value[index], `${path}[${index}]`, fail)
    }
    return
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) fail(path, 'holds an object that is not plain JSON')
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) fail(path, `holds the key ${key}`)
      checkJson((value as Record<string, unknown>)[key], `${path}.${key}`, fail)
    }
    return
  }
  fail(path, `holds a ${typeof value}, not JSON`)
}
