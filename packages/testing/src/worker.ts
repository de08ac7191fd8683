// `@edgestripe/testing/worker`: the emulator as a Cloudflare Worker with one Durable Object per
// account (`EmulatorAccount`, binding `EMULATOR`), chosen from the key as the emulator does
// (`sk_test_X`, `rk_test_X`, `pk_test_X` → object `X`; no key → the default account). Each object
// keeps its account in its own SQLite storage (`ctx.storage.sql`, synchronous) through the store
// interface (stores/sqlite.ts): every request one `transactionSync`. Its clock is `real`, and an
// alarm is the wall clock's hand: it finishes report runs and sends webhook retries when due.
//
// Deployed (a request to a host other than localhost/127.0.0.1/[::1]): the controls (`/_emulator/*`)
// need `Authorization: Bearer <EMULATOR_TOKEN>` (a secret) and act on the account of the key in
// `Emulator-Key` (default: the default account); without `EMULATOR_TOKEN` they are refused. When
// `ALLOWED_HOSTS` (comma-separated host names) is set, other hosts are refused. Locally, neither.
import { accountKeyOf, platformAccountId } from './account-keys.js'
import { dueWorkOf } from './due-work.js'
import type { Emulator } from './emulator.js'
import { createEmulator } from './emulator.js'
import { createSqliteStores, type SqlConnection, type SqliteStores, type SqlValue } from './stores/sqlite.js'

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

interface SqlStorageLike {
  exec(query: string, ...bindings: SqlValue[]): Iterable<Record<string, SqlValue>>
}

interface DurableObjectStateLike {
  storage: {
    sql: SqlStorageLike
    transactionSync<T>(fn: () => T): T
    getAlarm(): Promise<number | null>
    setAlarm(time: number): Promise<void>
  }
  waitUntil(promise: Promise<unknown>): void
  blockConcurrencyWhile<T>(fn: () => Promise<T>): Promise<T>
}

/** The key part the Worker chose the object by (set by the Worker only: a client's is replaced). */
const ACCOUNT_HEADER = 'Emulator-Account-Key'

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

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
    const stub = env.EMULATOR.get(env.EMULATOR.idFromName(keyPart))
    const headers = new Headers(forward.headers)
    headers.set(ACCOUNT_HEADER, keyPart)
    return stub.fetch(new Request(forward, { headers }))
  },
}

export default worker

/** One account's emulator in a Durable Object, on its SQLite storage. */
export class EmulatorAccount {
  private made: Emulator | undefined

  constructor(
    private readonly ctx: DurableObjectStateLike,
    _env: EmulatorWorkerEnv,
  ) {}

  /**
   * The object's emulator, made on first use: one account (`accounts: 'shared'` inside the object,
   * which holds one key's account) whose platform account id is the key's, as in the Node emulator.
   */
  private emulator(keyPart?: string): Emulator {
    if (this.made) return this.made
    const sql = this.ctx.storage.sql
    const connection: SqlConnection = {
      all: (query, params = []) => [...sql.exec(query, ...params)],
      transaction: (fn) => this.ctx.storage.transactionSync(fn),
    }
    const stores: SqliteStores = createSqliteStores(connection)
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
    const keyPart = request.headers.get(ACCOUNT_HEADER) ?? ''
    const headers = new Headers(request.headers)
    headers.delete(ACCOUNT_HEADER)
    const response = await this.emulator(keyPart).fetch(new Request(request, { headers }))
    // webhook deliveries run after the answer; the alarm takes what waits on the clock
    if (request.method !== 'GET') this.ctx.waitUntil(this.settle())
    return response
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
