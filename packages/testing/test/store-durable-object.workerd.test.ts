/// <reference types="@cloudflare/vitest-plugin/types" />
// In workerd: the SQLite store on a Durable Object's own SQLite storage (stores/durable-object.ts,
// what the Worker keeps each account in) passes the store contract suite, and every emulator domain
// passes its contract suite on it. Each case runs inside a new Durable Object (`runInDurableObject`
// on the test Worker's `StoreContractObject`), its stores on that object's `state.storage`; a store
// made for a case is a new key namespace of it. The count of cases that ran there is checked.
import { env, runInDurableObject } from 'cloudflare:test'
import { afterAll, expect } from 'vitest'
import { DEFAULT_DOMAINS } from '../src/index.js'
import { createDurableObjectStores, type DurableObjectStorageLike } from '../src/stores/durable-object.js'
import type { SqliteStores } from '../src/stores/sqlite.js'
import { testEmulatorDomain } from './domain-contract.js'
import { testStore } from './store-contract.js'

interface Namespace {
  newUniqueId(): unknown
  get(id: unknown): Parameters<typeof runInDurableObject>[0]
}

const { STORE_CONTRACT } = env as unknown as { STORE_CONTRACT: Namespace }

/** the stores of the Durable Object the running case is in */
let current: SqliteStores | undefined
let namespaces = 0
let ran = 0

/** A new store: a new key namespace of the running case's Durable Object. */
function makeStore() {
  if (!current) throw new Error('a store is made only inside a Durable Object')
  return current.store(`contract${++namespaces}`)
}

/** Runs a case inside a new Durable Object, on its SQLite storage. */
async function inDurableObject<T>(body: () => T | Promise<T>): Promise<T> {
  const stub = STORE_CONTRACT.get(STORE_CONTRACT.newUniqueId())
  return runInDurableObject(stub, async (_instance, state) => {
    const storage = state.storage as unknown as DurableObjectStorageLike & { sql: { databaseSize: number } }
    // a SQLite-backed object's storage (a KV-backed one has no `sql`)
    expect(typeof storage.sql.databaseSize).toBe('number')
    current = createDurableObjectStores(storage)
    ran++
    try {
      return await body()
    } finally {
      current = undefined
    }
  })
}

const suites = [
  testStore('durable-object', makeStore, { around: inDurableObject }),
  ...DEFAULT_DOMAINS.map((domain) => testEmulatorDomain(domain, { name: 'durable-object', make: makeStore, around: inDurableObject })),
]

afterAll(() => {
  expect(navigator.userAgent).toBe('Cloudflare-Workers')
  // every case registered above ran inside a Durable Object
  const registered = suites.reduce((sum, cases) => sum + cases(), 0)
  expect(registered).toBeGreaterThan(100)
  expect(ran).toBe(registered)
  console.log(
    `store-durable-object: ${ran} cases ran inside a Durable Object (${suites[0]?.()} store, ${registered - (suites[0]?.() ?? 0)} domain)`,
  )
})
