// The contract suite every emulator domain runs (as unstorage's `testDriver` runs on every
// driver): the routes under its prefixes are all handled, each operation validates against the
// generated digest (unknown and prototype keys refused), unknown ids are 404s, its lists page in
// O(page) both ways and survive a snapshot, its control routes answer. Cases come from the spec
// digest and the domain's own declaration, not from hand-written expectations. A store's `around`
// runs each case inside something (a Durable Object in workerd: store-durable-object.workerd.test.ts).
import { describe, expect, it as vitestIt } from 'vitest'
import type { RouteDigest } from '../src/digest-types.js'
import { routes } from '../src/generated/routes.js'
import { type AnyEmulatorDomain, createEmulator, DEFAULT_NOW, type Emulator, type EmulatorStore, type FixtureApi } from '../src/index.js'
import { call } from './helpers.js'
import type { Around } from './store-contract.js'

const fill = (path: string, value = 'contract_unknown') => path.replace(/\{[^}]+\}/g, value)

function api(emulator: Emulator<object>): FixtureApi {
  return {
    call: (method, path, params) => call(emulator as Emulator, method, path, params),
    // `call` sends sk_test_123: the controls of its account
    control: emulator.controlFor('sk_test_123'),
  }
}

/**
 * Registers the suite on a domain, its state in the stores `store` makes (default: the memory
 * store); returns the number of its cases registered so far (describe bodies run at collection).
 */
export function testEmulatorDomain(
  domain: AnyEmulatorDomain,
  store?: { name: string; make: () => EmulatorStore; around?: Around },
): () => number {
  const own = routes.filter((route) => domain.prefixes.some((prefix) => route.path.startsWith(prefix)))
  const fresh = () => createEmulator({ domains: [domain], now: DEFAULT_NOW, store: store?.make })
  const around = store?.around
  let cases = 0
  const it = (title: string, body: () => void | Promise<void>) => {
    cases++
    vitestIt(title, around ? () => around(body) : body)
  }
  /** a case per route, titled by its id (as `it.each` titled them) */
  const eachRoute = (list: readonly RouteDigest[], title: string, body: (route: RouteDigest) => Promise<void>) => {
    for (const route of list) it(`${route.id} ${title}`, () => body(route))
  }

  describe(`emulator domain ${domain.name}${store ? ` on the ${store.name} store` : ''}`, () => {
    it('handles every spec route under its prefixes (or declares it not emulated), and only those', () => {
      expect(own.length).toBeGreaterThan(0)
      const handled = new Set(Object.keys(domain.handlers))
      const declared = new Set<string>(domain.notEmulated ?? [])
      for (const route of own) expect(handled.has(route.id) || declared.has(route.id), route.id).toBe(true)
      const ownIds = new Set(own.map((route) => route.id))
      for (const id of handled) expect(ownIds.has(id), `${id} is under ${domain.name}'s prefixes`).toBe(true)
    })

    it('raises events only for its own operations', () => {
      const handled = new Set(Object.keys(domain.handlers))
      for (const id of Object.keys(domain.events ?? {})) expect(handled.has(id), id).toBe(true)
    })

    it('serves alone: other domains’ routes are unrecognized URLs', async () => {
      const emulator = fresh()
      const other = routes.find((route) => !domain.prefixes.some((prefix) => route.path.startsWith(prefix)))
      if (!other) return
      const res = await call(emulator, other.method, fill(other.path))
      expect(res.status).toBe(404)
      expect(res.body.error.message).toMatch(/Unrecognized request URL/)
    })

    eachRoute(own, 'refuses an unknown param and a prototype key, naming them', async (route) => {
      const emulator = fresh()
      const unknown = await call(emulator, route.method, fill(route.path), { contract_bogus: '1' })
      expect(unknown.status).toBe(400)
      expect(unknown.body.error).toMatchObject({ type: 'invalid_request_error', param: 'contract_bogus' })
      expect(unknown.body.error.message).toBe('Received unknown parameter: contract_bogus')
      for (const key of ['__proto__', 'constructor', 'prototype']) {
        const hostile = await call(emulator, route.method, fill(route.path), { [key]: { polluted: '1' } })
        expect(hostile.status, key).toBe(400)
        expect(hostile.body.error.param, key).toBe(`${key}[polluted]`.slice(0, key.length))
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    })

    const reads = own.filter((route) => route.method === 'GET' && route.pathParams.length > 0)
    eachRoute(reads, 'answers 404 resource_missing for an unknown id', async (route) => {
      const emulator = fresh()
      // required query params (a Financial Connections account's `ownership`) are given, or they would be a 400 first
      const required = Object.fromEntries((route.params.r ?? []).map((name) => [name, 'contract_unknown']))
      const res = await call(emulator, 'GET', fill(route.path), required)
      expect(res.status).toBe(404)
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing' })
      expect(route.pathParams).toContain(res.body.error.param)
    })

    for (const route of domain.controlRoutes ?? []) {
      if (!route.path.includes('{')) continue
      it(`control ${route.method} ${route.path} answers an unknown id with a 4xx naming it`, async () => {
        const emulator = fresh()
        const res = await emulator.fetch(`http://127.0.0.1:9/_emulator${fill(route.path)}`, {
          method: route.method,
          body: route.method === 'POST' ? '{}' : undefined,
        })
        expect(res.status).toBeGreaterThanOrEqual(400)
        expect(res.status).toBeLessThan(500)
        expect(JSON.stringify(await res.json())).toContain('contract_unknown')
      })
    }

    for (const fixture of domain.fixtures ?? []) {
      const route = own.find((r) => r.id === fixture.list)
      it(`${fixture.list}: pages 24 objects both ways, newest first, reading O(page) records; a snapshot lists the same`, async () => {
        expect(route, `${fixture.list} is one of ${domain.name}'s routes`).toBeDefined()
        const emulator = fresh()
        const setup = (await fixture.setup?.(api(emulator))) ?? {}
        const path = setup.path ?? route!.path
        const created: string[] = []
        for (let i = 0; i < 24; i++) created.push(await fixture.create(api(emulator), setup))
        const newestFirst = [...created].reverse()
        const page = async (target: Emulator<object>, extra: Record<string, unknown>) =>
          (await call(target as Emulator, 'GET', path, { ...setup.params, limit: 5, ...extra })).body
        const walk = async (target: Emulator<object>) => {
          const forward: string[] = []
          let after: string | undefined
          for (;;) {
            const before = target.controlFor('sk_test_123').stats().recordsScanned
            const body = await page(target, after ? { starting_after: after } : {})
            // a page reads its records plus one to know `has_more` (no filter skips here)
            expect(target.controlFor('sk_test_123').stats().recordsScanned - before).toBeLessThanOrEqual(6)
            forward.push(...body.data.map((item: { id: string }) => item.id))
            if (!body.has_more) break
            after = body.data.at(-1).id
          }
          const backward: string[] = []
          let end: string | undefined = forward.at(-1)
          backward.push(end as string)
          for (;;) {
            const body = await page(target, { ending_before: end })
            backward.unshift(...body.data.map((item: { id: string }) => item.id))
            if (!body.has_more) break
            end = body.data[0].id
          }
          return { forward, backward }
        }
        const { forward, backward } = await walk(emulator)
        // the list may hold objects the setup made (a funding credit): ours come first, in order
        expect(forward.slice(0, 24)).toEqual(newestFirst)
        expect(backward).toEqual(forward)
        // a whole-emulator snapshot (the key's account under `keys`), loaded into a new emulator
        const restored = createEmulator({
          domains: [domain],
          store: store?.make,
          state: JSON.parse(JSON.stringify(emulator.control.snapshot({ all: true }))),
        })
        expect((await walk(restored)).forward).toEqual(forward)
      })
    }
  })
  return () => cases
}
