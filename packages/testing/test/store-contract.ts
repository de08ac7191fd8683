// The contract suite every store backend runs (as unstorage's `testDriver` runs on every driver):
// `testStore(name, makeStore)` checks the interface of stores/types.ts — objects and their order,
// field scans, accounts, side tables and transactions — the same way on each implementation.
// `around` runs each case inside something (a Durable Object in workerd: store-durable-object.workerd.test.ts).
import fc from 'fast-check'
import { describe, expect, it as vitestIt } from 'vitest'
import type { EmulatorStore, StoredRecord } from '../src/store.js'

const thing = (id: string, created: number, extra: Record<string, unknown> = {}) => ({ id, object: 'thing', created, ...extra })
const ids = (records: Iterable<StoredRecord>) => [...records].map((record) => record.object.id)

/** Runs a case's body where the store lives (default: right here). */
export type Around = <T>(body: () => T | Promise<T>) => Promise<T>

/** Registers the suite; returns the number of its cases registered so far (describe bodies run at collection). */
export function testStore(name: string, makeStore: () => EmulatorStore, options: { around?: Around } = {}): () => number {
  const around = options.around
  let cases = 0
  const it = (title: string, body: () => void | Promise<void>) => {
    cases++
    vitestIt(title, around ? () => around(body) : body)
  }
  describe(`store ${name}`, () => {
    it('inserts with the next seq; get checks the kind; record carries seq and internal data', () => {
      const account = makeStore().account('acct_a')
      account.insert(thing('t1', 10), { secret: 'x' })
      account.insert({ id: 'o1', object: 'other', created: 10 })
      expect(account.get('thing', 't1')).toMatchObject({ id: 't1', created: 10 })
      expect(account.get('other', 't1')).toBeUndefined()
      expect(account.record('t1')).toMatchObject({ seq: 1, internal: { secret: 'x' } })
      expect(account.record('o1')?.seq).toBe(2)
      expect([account.seq, account.size, account.insertCount]).toEqual([2, 2, 2])
    })

    it('scans newest or oldest first by (created, seq), from a position, within a created range', () => {
      const account = makeStore().account('acct_a')
      for (const [id, created] of [
        ['a', 5],
        ['b', 7],
        ['c', 5],
        ['d', 9],
        ['e', 7],
      ] as const)
        account.insert(thing(id, created))
      expect(ids(account.scan('thing'))).toEqual(['d', 'e', 'b', 'c', 'a'])
      expect(ids(account.scan('thing', { from: 'oldest' }))).toEqual(['a', 'c', 'b', 'e', 'd'])
      expect(ids(account.scan('thing', { after: { created: 7, seq: 2 } }))).toEqual(['c', 'a'])
      expect(ids(account.scan('thing', { from: 'oldest', after: { created: 7, seq: 2 } }))).toEqual(['e', 'd'])
      expect(ids(account.scan('thing', { created: { gte: 6, lt: 9 } }))).toEqual(['e', 'b'])
      expect(ids(account.scan('nothing'))).toEqual([])
      expect(account.list('thing', (object) => object.created === 5).map((object) => object.id)).toEqual(['c', 'a'])
      // lazily: reading two records of a scan reads two
      const before = account.scanned
      const iterator = account.scan('thing')[Symbol.iterator]()
      iterator.next()
      iterator.next()
      expect(account.scanned - before).toBe(2)
    })

    it('scans by a field value, kept exact by reindex; add replaces by id; remove drops it everywhere', () => {
      const store = makeStore()
      const account = store.account('acct_a')
      account.insert(thing('a', 1, { owner: 'x' }))
      account.insert(thing('b', 2, { owner: 'y' }))
      expect(ids(account.scan('thing', { by: ['owner', 'x'] }))).toEqual(['a'])
      // objects change inside a transaction (the store keeps its working copies' changes at commit)
      store.transaction(() => {
        const b = account.get('thing', 'b') as StoredRecord['object']
        b.owner = 'x'
        account.reindex(b, 'owner', 'y')
      })
      expect(ids(account.scan('thing', { by: ['owner', 'x'] }))).toEqual(['b', 'a'])
      expect(ids(account.scan('thing', { by: ['owner', 'y'] }))).toEqual([])
      account.add({ seq: 1, object: thing('a', 3, { owner: 'y' }), internal: {} })
      expect(ids(account.scan('thing', { by: ['owner', 'y'] }))).toEqual(['a'])
      expect(account.remove('a')?.object.id).toBe('a')
      expect(account.remove('a')).toBeUndefined()
      expect(ids(account.scan('thing'))).toEqual(['b'])
      expect(account.all().map((record) => record.object.id)).toEqual(['b'])
    })

    it('keeps accounts apart; find never creates; accounts() lists them in order of first use', () => {
      const store = makeStore()
      expect(store.find('acct_a')).toBeUndefined()
      store.account('acct_b').insert(thing('t', 1))
      store.account('acct_a').customers.add('cus_1')
      expect(store.account('acct_a').get('thing', 't')).toBeUndefined()
      expect(store.find('acct_b')?.get('thing', 't')?.id).toBe('t')
      expect([...store.accounts()].map((account) => account.id)).toEqual(['acct_b', 'acct_a'])
    })

    it('side tables: customers, file contents and idempotency entries in insertion order', () => {
      const account = makeStore().account('acct_a')
      account.customers.add('cus_1')
      expect([account.customers.has('cus_1'), account.customers.has('cus_2')]).toEqual([true, false])
      account.fileContents.set('file_1', { type: 'csv', body: 'a,b' })
      expect(account.fileContents.get('file_1')).toEqual({ type: 'csv', body: 'a,b' })
      const entry = (expiresAt: number) => ({ fingerprint: 'f', expiresAt, status: 200, requestId: 'req_1', body: '{}' })
      account.idempotency.set('k1', entry(1))
      account.idempotency.set('k2', entry(2))
      account.idempotency.set('k3', entry(3))
      expect(account.idempotency.delete('k2')).toBe(true)
      expect(account.idempotency.delete('k2')).toBe(false)
      expect([...account.idempotency].map(([key]) => key)).toEqual(['k1', 'k3'])
      expect(account.idempotency.size).toBe(2)
    })

    it('a transaction keeps its writes when it returns and drops them when it throws (rethrown)', () => {
      const store = makeStore()
      const account = store.account('acct_a')
      account.insert(thing('kept', 1, { owner: 'x' }))
      expect(store.transaction(() => account.insert(thing('t1', 2)).id)).toBe('t1')
      const failure = new Error('handler failed')
      expect(() =>
        store.transaction(() => {
          account.insert(thing('t2', 3))
          account.remove('kept')
          const t1 = account.get('thing', 't1') as StoredRecord['object']
          account.reindex(t1, 'owner', undefined)
          account.customers.add('cus_x')
          account.fileContents.set('file_x', { type: 'csv', body: '' })
          account.idempotency.set('k', { fingerprint: 'f', expiresAt: 1, status: 200, requestId: 'r', body: '{}' })
          store.account('acct_b').insert(thing('elsewhere', 1))
          // a nested call is part of the same transaction
          store.transaction(() => account.insert(thing('t3', 4)))
          throw failure
        }),
      ).toThrow(failure)
      expect(ids(account.scan('thing'))).toEqual(['t1', 'kept'])
      expect(ids(account.scan('thing', { by: ['owner', 'x'] }))).toEqual(['kept'])
      expect(account.customers.has('cus_x')).toBe(false)
      expect(account.fileContents.get('file_x')).toBeUndefined()
      expect(account.idempotency.get('k')).toBeUndefined()
      expect(store.find('acct_b')?.get('thing', 'elsewhere')).toBeUndefined()
    })

    it('an object changed in place inside a transaction reads back changed after it', () => {
      const store = makeStore()
      const account = store.account('acct_a')
      account.insert(thing('t', 1, { status: 'pending' }))
      store.transaction(() => {
        const object = account.get('thing', 't') as StoredRecord['object']
        object.status = 'done'
      })
      expect(account.get('thing', 't')?.status).toBe('done')
      expect(account.list('thing')[0]?.status).toBe('done')
    })

    it('inside a transaction, an object inserted and then changed is seen changed by scans, size and get', () => {
      const store = makeStore()
      const account = store.account('acct_a')
      account.insert(thing('old', 1, { owner: 'x' }))
      store.transaction(() => {
        const fresh: StoredRecord['object'] = account.insert(thing('new', 2, { owner: 'x' }))
        fresh.owner = 'y'
        account.reindex(fresh, 'owner', 'x')
        expect(ids(account.scan('thing', { by: ['owner', 'y'] }))).toEqual(['new'])
        expect(ids(account.scan('thing', { by: ['owner', 'x'] }))).toEqual(['old'])
        expect(ids(account.scan('thing'))).toEqual(['new', 'old'])
        expect(account.size).toBe(2)
        // changed again after those scans: kept too
        fresh.owner = 'z'
        account.reindex(fresh, 'owner', 'y')
        // replaced by an object of another kind under the same id: gone from its old kind's scans
        account.add({ seq: 1, object: { id: 'old', object: 'other', created: 1 }, internal: {} })
        expect(ids(account.scan('thing'))).toEqual(['new'])
        expect(ids(account.scan('other'))).toEqual(['old'])
      })
      expect(account.get('thing', 'new')?.owner).toBe('z')
      expect(ids(account.scan('thing', { by: ['owner', 'z'] }))).toEqual(['new'])
      expect(account.get('thing', 'old')).toBeUndefined()
      expect(account.get('other', 'old')?.id).toBe('old')
      expect([account.size, account.seq]).toEqual([2, 2])
    })

    it('scans in (created, seq) order whatever the inserts and removals (property)', () => {
      const op = fc.oneof(
        fc.record({ insert: fc.integer({ min: 0, max: 20 }), owner: fc.constantFrom('x', 'y') }),
        fc.record({ remove: fc.nat(30) }),
      )
      fc.assert(
        fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 0, max: 21 }), (ops, cut) => {
          const account = makeStore().account('acct_a')
          const model: { id: string; created: number; seq: number; owner: string }[] = []
          let n = 0
          for (const step of ops) {
            if ('insert' in step) {
              const id = `t${++n}`
              account.insert(thing(id, step.insert, { owner: step.owner }))
              model.push({ id, created: step.insert, seq: n, owner: step.owner })
            } else {
              const victim = model[step.remove % Math.max(1, model.length)]
              if (!victim) continue
              account.remove(victim.id)
              model.splice(model.indexOf(victim), 1)
            }
          }
          const newest = [...model].sort((a, b) => b.created - a.created || b.seq - a.seq)
          expect(ids(account.scan('thing'))).toEqual(newest.map((entry) => entry.id))
          expect(ids(account.scan('thing', { by: ['owner', 'x'] }))).toEqual(newest.filter((e) => e.owner === 'x').map((e) => e.id))
          expect(ids(account.scan('thing', { created: { lt: cut } }))).toEqual(newest.filter((e) => e.created < cut).map((e) => e.id))
          expect(ids(account.scan('thing', { from: 'oldest', created: { gte: cut } }))).toEqual(
            newest
              .filter((e) => e.created >= cut)
              .reverse()
              .map((e) => e.id),
          )
        }),
      )
    })
  })
  return () => cases
}
