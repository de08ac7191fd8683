// `@edgestripe/testing/worker`: the emulator as a Cloudflare Worker with one Durable Object per
// account (`EmulatorAccount`, binding `EMULATOR`), chosen from the key as the emulator does
// (`sk_test_X`, `rk_test_X`, `pk_test_X` → object `X`; no key → the default account). Each object
// keeps its account in its own SQLite storage (`ctx.storage.sql`, synchronous) through the store
// interface (stores/sqlite.ts on stores/durable-object.ts): every request one `transactionSync`. Its clock is `real`, and an
// alarm is the wall clock's hand: it finishes report runs and sends webhook retries when due.
//
// Deployed (a request to a host other than localhost/127.0.0.1/[::1]): the controls (`/_emulator/*`)
// need `Authorization: Bearer <EMULATOR_TOKEN>` (a secret) and act on the account of the key in
// `Emulator-Key` (default: the default account); without `EMULATOR_TOKEN` they are refused. When
// `ALLOWED_HOSTS` (comma-separated host names) is set, other hosts are refused. Locally, neither.
//
// The inspector (`/_emulator/ui/`): the Worker serves the page itself (it holds no data, so it needs
// no token), and its data (`/_emulator/ui/api/…`, behind the token when deployed) from the account
// objects: each account object registers its key part once per wake-up with a registry object (the
// same class, under a name no key can take), so the page can list every account and find an object
// in whichever account holds it.
import { accountKeyOf, platformAccountId } from './account-keys.js'
import { dueWorkOf } from './due-work.js'
import type { Emulator } from './emulator.js'
import { createEmulator } from './emulator.js'
import { apiResponse, crossOriginRefusal, INSPECTOR_API_PREFIX, keyHint } from './inspector/api.js'
import { isInspectorPagePath, serveInspectorPage } from './inspector/page.js'
import { createDurableObjectStores, type DurableObjectStorageLike } from './stores/durable-object.js'
import type { SqliteStores } from './stores/sqlite.js'

/** The bindings the Worker reads. */
export interface EmulatorWorkerEnv {
  EMULATOR: DurableObjectNamespaceLike
  /** secret: the bearer token of the controls when deployed */
  EMULATOR_TOKEN?: string
  /** comma-separated host names the Worker answers on (default: any) */
  ALLOWED_HOSTS?: string
}

// The few Cloudflare types used, structurally (no dependency on @cloudflare/workers-types).
interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown
  get(id: unknown): { fetch(request: Request): Promise<Response> }
}

interface DurableObjectStateLike {
  storage: DurableObjectStorageLike & {
    getAlarm(): Promise<number | null>
    setAlarm(time: number): Promise<void>
  }
  waitUntil(promise: Promise<unknown>): void
  blockConcurrencyWhile<T>(fn: () => Promise<T>): Promise<T>
}

/** The key part the Worker chose the object by (set by the Worker only: a client's is replaced). */
const ACCOUNT_HEADER = 'Emulator-Account-Key'

/** Set by the Worker on its own calls to the registry object (a client's is removed). */
const REGISTRY_HEADER = 'Emulator-Registry'
/** The registry object's name: not a key part (`[A-Za-z0-9_]+`) nor `''`, so no client request reaches it. */
const REGISTRY_NAME = '#registry'
/** Accounts the inspector lists and searches, at most. */
const MAX_INSPECTED_ACCOUNTS = 500

const LOCAL_HOSTS = /* @__PURE__ */ new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

/** A Worker's module export: its `fetch` handler. */
export interface EmulatorWorker {
  fetch(request: Request, env: EmulatorWorkerEnv): Promise<Response>
}

/** The Worker: checks host and control token, then hands the request to the account's object. */
const worker: EmulatorWorker = {
  async fetch(request: Request, env: EmulatorWorkerEnv): Promise<Response> {
    const url = new URL(request.url)
    const local = LOCAL_HOSTS.has(url.hostname)
    const allowed = env.ALLOWED_HOSTS?.split(',')
      .map((host) => host.trim().toLowerCase())
      .filter(Boolean)
    if (allowed?.length && !allowed.includes(url.hostname.toLowerCase()) && !local) {
      return refuse(403, `Host ${url.hostname} is not in ALLOWED_HOSTS.`)
    }
    // the inspector's page: static files, no data (its data below needs the token when deployed)
    if (isInspectorPagePath(url.pathname)) return serveInspectorPage(request, url)
    let forward = request
    let keyPart = accountKeyOf(request.headers.get('Authorization')) ?? ''
    if (url.pathname.startsWith('/_emulator/') && !local) {
      if (!env.EMULATOR_TOKEN) return refuse(403, 'Emulator controls are off: set the EMULATOR_TOKEN secret to use them.')
      if (!timingSafeEqual(request.headers.get('Authorization') ?? '', `Bearer ${env.EMULATOR_TOKEN}`)) {
        return refuse(401, 'Emulator controls need Authorization: Bearer <EMULATOR_TOKEN>.')
      }
      // the account of the controls: the key in Emulator-Key (the token is not passed on)
      const key = request.headers.get('Emulator-Key')
      keyPart = key ? (accountKeyOf(`Bearer ${key}`) ?? '') : ''
      if (key && !keyPart) return refuse(400, 'Emulator-Key must be a test key (sk_test_…, rk_test_…, pk_test_…).')
      const headers = new Headers(request.headers)
      headers.delete('Emulator-Key')
      if (key) headers.set('Authorization', `Bearer ${key}`)
      else headers.delete('Authorization')
      forward = new Request(request, { headers })
    }
    if (url.pathname.startsWith(INSPECTOR_API_PREFIX)) return inspectorApi(forward, url, env)
    return toAccount(env, keyPart, forward)
  },
}

/** Hands a request to the account object of `keyPart` (the Worker's own headers set, a client's dropped). */
function toAccount(env: EmulatorWorkerEnv, keyPart: string, request: Request): Promise<Response> {
  const stub = env.EMULATOR.get(env.EMULATOR.idFromName(keyPart))
  const headers = new Headers(request.headers)
  headers.delete(REGISTRY_HEADER)
  headers.set(ACCOUNT_HEADER, keyPart)
  return stub.fetch(new Request(request, { headers }))
}

/** The registry object: `add` a key part, or `list` them (oldest first). */
async function registry(env: EmulatorWorkerEnv, action: 'add' | 'list', keyPart = ''): Promise<string[]> {
  const stub = env.EMULATOR.get(env.EMULATOR.idFromName(REGISTRY_NAME))
  const answer = await stub.fetch(
    new Request('https://registry.emulator.internal/', { method: 'POST', headers: { [REGISTRY_HEADER]: action }, body: keyPart }),
  )
  return action === 'list' ? ((await answer.json()) as string[]) : []
}

/** The platform account id of a key part's object, as the object creates it. */
function accountIdOf(keyPart: string): string {
  return keyPart === '' ? 'acct_emulator' : platformAccountId(keyPart)
}

/**
 * `/_emulator/ui/api/…` in the Worker: the accounts list and an object found without its account
 * ask every registered account object; the rest goes to the object of `?account=`.
 */
async function inspectorApi(request: Request, url: URL, env: EmulatorWorkerEnv): Promise<Response> {
  const refused = crossOriginRefusal(request, url)
  if (refused) return refused
  const keys = (await registry(env, 'list')).slice(0, MAX_INSPECTED_ACCOUNTS)
  const path = url.pathname.slice(INSPECTOR_API_PREFIX.length)
  const withKey = async (keyPart: string, answer: Response) => {
    const body = (await answer.json()) as Record<string, unknown>
    return apiResponse(answer.status, answer.ok ? { ...body, key: keyHint(keyPart) } : body)
  }
  if (request.method === 'GET' && path === 'accounts') {
    const data: unknown[] = []
    for (const keyPart of keys) {
      const answer = await toAccount(env, keyPart, request)
      const body = (await answer.json()) as { data?: Record<string, unknown>[] }
      for (const summary of body.data ?? []) data.push({ ...summary, key: keyHint(keyPart) })
    }
    return apiResponse(200, { mode: 'per-key', data })
  }
  const account = url.searchParams.get('account')
  if (request.method === 'GET' && path.startsWith('object/') && !account) {
    for (const keyPart of keys) {
      const answer = await toAccount(env, keyPart, request)
      if (answer.status === 200) return withKey(keyPart, answer)
    }
    const id = decodeURIComponent(path.slice('object/'.length))
    return apiResponse(404, {
      error: { type: 'invalid_request_error', code: 'resource_missing', message: `No object with id ${id} in any account.` },
    })
  }
  const keyPart = keys.find((candidate) => accountIdOf(candidate) === account)
  if (keyPart === undefined) {
    return apiResponse(404, {
      error: {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: `No account ${account ?? '(account is required)'} in this emulator.`,
      },
    })
  }
  const answer = await toAccount(env, keyPart, request)
  return request.method === 'GET' && path.startsWith('object/') ? withKey(keyPart, answer) : answer
}

export default worker

/** One account's emulator in a Durable Object, on its SQLite storage. */
export class EmulatorAccount {
  private made: Emulator | undefined
  /** this object told the registry its key part (once per wake-up) */
  private registered = false

  constructor(
    private readonly ctx: DurableObjectStateLike,
    private readonly env: EmulatorWorkerEnv,
  ) {}

  /**
   * The object's emulator, made on first use: one account (`accounts: 'shared'` inside the object,
   * which holds one key's account) whose platform account id is the key's, as in the Node emulator.
   */
  private emulator(keyPart?: string): Emulator {
    if (this.made) return this.made
    const stores: SqliteStores = createDurableObjectStores(this.ctx.storage)
    this.made = createEmulator({
      clock: 'real',
      accounts: 'shared',
      // a loaded account keeps the id it was saved with
      ...(keyPart ? { defaultAccount: platformAccountId(keyPart) } : {}),
      sqlite: stores,
    })
    return this.made
  }

  async fetch(request: Request): Promise<Response> {
    const registryAction = request.headers.get(REGISTRY_HEADER)
    if (registryAction) return this.registryFetch(registryAction, await request.text())
    const keyPart = request.headers.get(ACCOUNT_HEADER) ?? ''
    if (!this.registered) {
      // the inspector lists and searches the accounts the registry knows (a failure is tried again next time)
      this.registered = await registry(this.env, 'add', keyPart).then(
        () => true,
        () => false,
      )
    }
    const headers = new Headers(request.headers)
    headers.delete(ACCOUNT_HEADER)
    const response = await this.emulator(keyPart).fetch(new Request(request, { headers }))
    // webhook deliveries run after the answer; the alarm takes what waits on the clock
    if (request.method !== 'GET') this.ctx.waitUntil(this.settle())
    return response
  }

  /** As the registry object: the key parts of the account objects that ever answered. */
  private registryFetch(action: string, keyPart: string): Response {
    const sql = this.ctx.storage.sql
    sql.exec('CREATE TABLE IF NOT EXISTS emulator_registry (key TEXT PRIMARY KEY) WITHOUT ROWID')
    if (action === 'add') {
      sql.exec('INSERT OR IGNORE INTO emulator_registry (key) VALUES (?)', keyPart)
      return new Response(null, { status: 204 })
    }
    const keys = [...sql.exec('SELECT key FROM emulator_registry ORDER BY key LIMIT ?', MAX_INSPECTED_ACCOUNTS)].map((row) =>
      String(row.key),
    )
    return new Response(JSON.stringify(keys), { headers: { 'Content-Type': 'application/json' } })
  }

  /** The alarm: time has come for report runs and webhook retries (the clock tick of due-work.ts). */
  async alarm(): Promise<void> {
    this.dueWork().runDue()
    await this.settle(true)
  }

  /** Sends what is due, then sets the alarm for what waits next (a report run, a webhook retry: due-work.ts). */
  private async settle(fromAlarm = false): Promise<void> {
    for (const control of this.controls()) await control.deliverEvents()
    const wait = this.dueWork().nextDueIn()
    if (wait !== undefined) {
      const current = await this.ctx.storage.getAlarm()
      // at least a second on: the clock counts whole seconds
      const at = Date.now() + Math.max(1, wait) * 1000
      // (inside the alarm handler the running alarm may still be reported: set the next one anyway)
      if (fromAlarm || current === null || current > at) await this.ctx.storage.setAlarm(at)
    }
  }

  /** What waits on this object's clock, and its tick. */
  private dueWork() {
    const work = dueWorkOf(this.emulator())
    if (!work) throw new Error('EmulatorAccount: the emulator has no clock-driven work')
    return work
  }

  /** The controls of the accounts this object holds (one key; the default account for no key). */
  private controls(): Emulator['control'][] {
    return [this.emulator().control]
  }
}

function refuse(status: number, message: string): Response {
  return new Response(JSON.stringify({ error: { type: 'invalid_request_error', message } }, null, 2), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

/** Compares two strings in time independent of where they differ. */
function timingSafeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length
  for (let index = 0; index < Math.max(a.length, b.length); index++) diff |= (a.charCodeAt(index) | 0) ^ (b.charCodeAt(index) | 0)
  return diff === 0
}
