import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createEmulator, type Emulator } from '../src/index.js'
import { call } from './helpers.js'

describe('sources', () => {
  it('creates, retrieves and updates a source', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: 1_710_000_000 })
    const created = await call(emulator, 'POST', '/v1/sources', {
      type: 'ach_credit_transfer',
      currency: 'usd',
      owner: { email: 'jenny@example.com' },
      metadata: { order: '1', keep: 'y' },
    })
    expect(created.status).toBe(200)
    expect(created.body).toMatchObject({
      object: 'source',
      type: 'ach_credit_transfer',
      flow: 'receiver',
      status: 'pending',
      livemode: false,
      created: 1_710_000_000,
      owner: { email: 'jenny@example.com' },
    })
    expect(created.body.id).toMatch(/^src_/)
    expect(created.body.client_secret).toMatch(/^src_client_secret_/)
    const id = created.body.id
    const updated = await call(emulator, 'POST', `/v1/sources/${id}`, {
      metadata: { order: '', extra: 'z' },
      owner: { address: { city: 'Paris' } },
    })
    expect(updated.body.metadata).toEqual({ keep: 'y', extra: 'z' })
    expect(updated.body.owner).toMatchObject({ email: 'jenny@example.com', address: { city: 'Paris' } })
    expect((await call(emulator, 'GET', `/v1/sources/${id}`)).text).toBe((await call(emulator, 'GET', `/v1/sources/${id}`)).text)
  })

  it('requires type unless cloning, and clones an attached source', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const missing = await call(emulator, 'POST', '/v1/sources', {})
    expect(missing.body.error).toMatchObject({ param: 'type', message: 'Missing required param: type.' })
    const card = await call(emulator, 'POST', '/v1/sources', { type: 'card' })
    expect(card.body.status).toBe('chargeable')
    await call(emulator, 'POST', '/v1/customers/cus_A/sources', { source: card.body.id })
    const clone = await call(emulator, 'POST', '/v1/sources', { customer: 'cus_A', original_source: card.body.id })
    expect(clone.body).toMatchObject({ type: 'card' })
    expect(clone.body.id).not.toBe(card.body.id)
    const notOwned = await call(emulator, 'POST', '/v1/sources', { customer: 'cus_B', original_source: card.body.id })
    expect(notOwned.body.error.param).toBe('original_source')
  })

  it('moves pending sources to chargeable via controls and verify', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const receiver = (await call(emulator, 'POST', '/v1/sources', { type: 'ach_credit_transfer' })).body
    emulator.control.pushSourceFunds(receiver.id, 1500)
    const funded = (await call(emulator, 'GET', `/v1/sources/${receiver.id}`)).body
    expect(funded).toMatchObject({ status: 'chargeable', receiver: { amount_received: 1500 } })
    const txs = await call(emulator, 'GET', `/v1/sources/${receiver.id}/source_transactions`)
    expect(txs.body.data).toHaveLength(1)
    expect(txs.body.data[0]).toMatchObject({ amount: 1500, source: receiver.id })
    const tx = await call(emulator, 'GET', `/v1/sources/${receiver.id}/source_transactions/${txs.body.data[0].id}`)
    expect(tx.body.id).toBe(txs.body.data[0].id)

    const redirect = (
      await call(emulator, 'POST', '/v1/sources', {
        type: 'ideal',
        amount: 100,
        currency: 'eur',
        redirect: { return_url: 'https://x.test' },
      })
    ).body
    expect(redirect).toMatchObject({ flow: 'redirect', status: 'pending', usage: 'single_use' })
    emulator.control.makeSourceChargeable(redirect.id)
    expect((await call(emulator, 'GET', `/v1/sources/${redirect.id}`)).body.status).toBe('chargeable')

    const code = (await call(emulator, 'POST', '/v1/sources', { type: 'ach_debit', flow: 'code_verification' })).body
    const verify = await call(emulator, 'POST', `/v1/sources/${code.id}/verify`, { values: ['32', '45'] })
    expect(verify.body).toMatchObject({ status: 'chargeable', code_verification: { status: 'succeeded' } })
    const noValues = await call(emulator, 'POST', `/v1/sources/${code.id}/verify`, {})
    expect(noValues.body.error.param).toBe('values')
  })

  it('attaches, lists, retrieves, updates and detaches customer sources', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push((await call(emulator, 'POST', '/v1/sources', { type: 'card' })).body.id)
    for (const id of ids) {
      const attached = await call(emulator, 'POST', '/v1/customers/cus_123/sources', { source: id })
      expect(attached.body).toMatchObject({ id, customer: 'cus_123' })
    }
    const list = await call(emulator, 'GET', '/v1/customers/cus_123/sources', { limit: 2 })
    expect(list.body).toMatchObject({ object: 'list', has_more: true, url: '/v1/customers/cus_123/sources' })
    const [first] = ids
    expect((await call(emulator, 'GET', `/v1/customers/cus_123/sources/${first}`)).body.id).toBe(first)
    expect((await call(emulator, 'GET', `/v1/customers/cus_other/sources/${first}`)).body.error).toMatchObject({
      param: 'id',
      code: 'resource_missing',
    })
    const updated = await call(emulator, 'POST', `/v1/customers/cus_123/sources/${first}`, { metadata: { a: 'b' } })
    expect(updated.body.metadata).toEqual({ a: 'b' })
    const detached = await call(emulator, 'DELETE', `/v1/customers/cus_123/sources/${first}`)
    expect(detached.body).toMatchObject({ id: first, status: 'consumed', object: 'source' })
    const after = await call(emulator, 'GET', '/v1/customers/cus_123/sources', { limit: 100 })
    expect(after.body.data).toHaveLength(2)
    const reattach = await call(emulator, 'POST', '/v1/customers/cus_123/sources', { source: first })
    expect(reattach.status).toBe(400)
    expect((await call(emulator, 'GET', '/v1/customers/nobody/sources')).body.error.param).toBe('customer')
    emulator.control.seed('customer', { id: 'seeded' })
    expect((await call(emulator, 'GET', '/v1/customers/seeded/sources')).status).toBe(200)
  })
})

describe('source events of their own flows', () => {
  const types = (emulator: Emulator) => emulator.control.events().map((event) => `${event.type} ${event.data.object.id}`)

  it('funds that have not cleared: a pending transaction, then source.transaction.updated when it clears or fails', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const source = (await call(emulator, 'POST', '/v1/sources', { type: 'ach_credit_transfer', currency: 'usd' })).body
    emulator.control.pushSourceFunds(source.id, 800, { status: 'pending' })
    const [pending] = emulator.control.objects('source_transaction')
    expect(pending).toMatchObject({ status: 'pending', amount: 800 })
    expect((await call(emulator, 'GET', `/v1/sources/${source.id}`)).body).toMatchObject({
      status: 'pending',
      receiver: { amount_received: 0 },
    })
    const cleared = emulator.control.settleSourceTransaction(pending!.id as string, 'succeeded')
    expect(cleared.status).toBe('succeeded')
    expect((await call(emulator, 'GET', `/v1/sources/${source.id}`)).body).toMatchObject({
      status: 'chargeable',
      receiver: { amount_received: 800 },
    })
    expect(types(emulator)).toEqual([
      `source.transaction.created ${pending!.id}`,
      `source.transaction.updated ${pending!.id}`,
      `source.chargeable ${source.id}`,
    ])
    expect(() => emulator.control.settleSourceTransaction(pending!.id as string, 'failed')).toThrow(/only a pending one/)
    emulator.control.pushSourceFunds(source.id, 50, { status: 'pending' })
    const second = emulator.control.objects('source_transaction').find((tx) => tx.status === 'pending')!
    expect(emulator.control.settleSourceTransaction(second.id, 'failed').status).toBe('failed')
    expect((await call(emulator, 'GET', `/v1/sources/${source.id}`)).body.receiver.amount_received).toBe(800)
    expect(types(emulator).at(-1)).toBe(`source.transaction.updated ${second.id}`)
  })

  it('for any funds pushed and settled: amount_received is what cleared, one updated event per settlement, refund attributes requested once, at the first mispayment (property)', async () => {
    const step = fc.oneof(
      fc.record({ push: fc.integer({ min: 1, max: 600 }), pending: fc.boolean() }),
      fc.record({ settle: fc.nat({ max: 5 }), ok: fc.boolean() }),
      fc.constant({ cancel: true as const }),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.integer({ min: 1, max: 2_000 }), { nil: undefined }),
        fc.array(step, { maxLength: 12 }),
        async (amount, steps) => {
          const emulator = createEmulator({ accounts: 'shared' })
          const params = { type: 'ach_credit_transfer', currency: 'usd', ...(amount ? { amount } : {}) }
          const source = (await call(emulator, 'POST', '/v1/sources', params)).body
          let cleared = 0
          let open = true
          let mispaidAt: number | undefined
          let settlements = 0
          steps.forEach((item, index) => {
            if ('push' in item) {
              emulator.control.pushSourceFunds(source.id, item.push, item.pending ? { status: 'pending' } : {})
              if (!item.pending) {
                cleared += item.push
                if (mispaidAt === undefined && (!open || (amount !== undefined && cleared > amount))) mispaidAt = index
              }
            } else if ('settle' in item) {
              const pending = emulator.control.objects('source_transaction').filter((tx) => tx.status === 'pending')
              const tx = pending[item.settle % Math.max(pending.length, 1)]
              if (!tx) return
              emulator.control.settleSourceTransaction(tx.id, item.ok ? 'succeeded' : 'failed')
              settlements++
              if (item.ok) {
                cleared += tx.amount as number
                if (mispaidAt === undefined && (!open || (amount !== undefined && cleared > amount))) mispaidAt = index
              }
            } else if (open) {
              emulator.control.cancelSource(source.id)
              open = false
            }
          })
          const current = (await call(emulator, 'GET', `/v1/sources/${source.id}`)).body
          expect(current.receiver.amount_received).toBe(cleared)
          expect(emulator.control.events({ type: 'source.transaction.updated' })).toHaveLength(settlements)
          expect(emulator.control.events({ type: 'source.refund_attributes_required' })).toHaveLength(mispaidAt === undefined ? 0 : 1)
          expect(current.receiver.refund_attributes_status).toBe(mispaidAt === undefined ? 'missing' : 'requested')
        },
      ),
      { numRuns: 60 },
    )
  })

  it('a mispayment (more than the amount, or funds on a closed source) requests refund attributes once', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const source = (await call(emulator, 'POST', '/v1/sources', { type: 'ach_credit_transfer', currency: 'usd', amount: 1000 })).body
    expect(source.receiver).toMatchObject({ refund_attributes_status: 'missing' })
    emulator.control.pushSourceFunds(source.id, 1000)
    expect(emulator.control.events({ type: 'source.refund_attributes_required' })).toEqual([])
    emulator.control.pushSourceFunds(source.id, 1)
    emulator.control.pushSourceFunds(source.id, 1)
    const required = emulator.control.events({ type: 'source.refund_attributes_required' })
    expect(required.map((event) => event.data.object)).toMatchObject([
      { id: source.id, receiver: { refund_attributes_status: 'requested', amount_received: 1001 } },
    ])

    const canceled = (await call(emulator, 'POST', '/v1/sources', { type: 'ach_credit_transfer', currency: 'usd' })).body
    emulator.control.cancelSource(canceled.id)
    emulator.control.pushSourceFunds(canceled.id, 10)
    expect(emulator.control.events({ type: 'source.refund_attributes_required' }).map((event) => event.data.object.id)).toEqual([
      source.id,
      canceled.id,
    ])
    expect(() => emulator.control.pushSourceFunds(canceled.id, 0)).toThrow(/positive integer/)
  })

  it('debiting a SEPA source with a manual mandate notification method: a source_mandate_notification and its event', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const manual = (
      await call(emulator, 'POST', '/v1/sources', { type: 'sepa_debit', currency: 'eur', mandate: { notification_method: 'manual' } })
    ).body
    expect(manual.status).toBe('chargeable')
    const debit = emulator.control.debitSource(manual.id, 2000)
    expect(debit.mandate_notification).toMatchObject({
      object: 'source_mandate_notification',
      amount: 2000,
      reason: 'debit_initiated',
      status: 'pending',
      type: 'sepa_debit',
      source: { id: manual.id },
    })
    const id = debit.mandate_notification!.id
    expect(types(emulator)).toEqual([`source.chargeable ${manual.id}`, `source.mandate_notification ${id}`])
    const fetched = await call(emulator, 'GET', `/v1/sources/${manual.id}/mandate_notifications/${id}`)
    expect(fetched.body).toMatchObject({ id, amount: 2000 })

    // Stripe notifies the customer itself (email): no notification, no event
    const email = (
      await call(emulator, 'POST', '/v1/sources', { type: 'sepa_debit', currency: 'eur', mandate: { notification_method: 'email' } })
    ).body
    expect(emulator.control.debitSource(email.id, 500).mandate_notification).toBeNull()
    expect(emulator.control.events({ type: 'source.mandate_notification' })).toHaveLength(1)
    const ach = (await call(emulator, 'POST', '/v1/sources', { type: 'ach_credit_transfer', currency: 'usd' })).body
    expect(() => emulator.control.debitSource(ach.id, 500)).toThrow(/only sepa_debit and acss_debit/)
  })
})

describe('customer.source.* events', () => {
  const customerEvents = (emulator: Emulator) => emulator.control.events().filter((event) => event.type.startsWith('customer.source.'))

  it('attach → created, an update while attached → updated with previous_attributes, detach → deleted', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const source = (await call(emulator, 'POST', '/v1/sources', { type: 'card', metadata: { keep: 'y' } })).body
    // not attached: an update raises nothing
    await call(emulator, 'POST', `/v1/sources/${source.id}`, { metadata: { early: '1' } })
    expect(customerEvents(emulator)).toEqual([])
    const attached = await call(
      emulator,
      'POST',
      '/v1/customers/cus_123/sources',
      { source: source.id },
      { headers: { 'Idempotency-Key': 'at' } },
    )
    expect(attached.status).toBe(200)
    // the replay raises nothing; a no-op update neither
    await call(emulator, 'POST', '/v1/customers/cus_123/sources', { source: source.id }, { headers: { 'Idempotency-Key': 'at' } })
    await call(emulator, 'POST', `/v1/sources/${source.id}`, { metadata: { keep: 'y' } })
    await call(emulator, 'POST', `/v1/sources/${source.id}`, { metadata: { keep: 'n', early: '', added: 'z' } })
    await call(emulator, 'POST', `/v1/customers/cus_123/sources/${source.id}`, { owner: { name: 'Jenny Rosen' } })
    // a failed call raises nothing
    expect((await call(emulator, 'POST', `/v1/customers/cus_other/sources/${source.id}`, { metadata: { x: '1' } })).status).toBe(404)
    const detached = await call(emulator, 'DELETE', `/v1/customers/cus_123/sources/${source.id}`)
    expect(detached.status).toBe(200)
    const events = customerEvents(emulator)
    expect(events.map((event) => event.type)).toEqual([
      'customer.source.created',
      'customer.source.updated',
      'customer.source.updated',
      'customer.source.deleted',
    ])
    const [created, metadata, owner, deleted] = events
    expect(created!.data.object).toMatchObject({ id: source.id, object: 'source', customer: 'cus_123' })
    expect(created!.data.previous_attributes).toBeUndefined()
    expect(created!.request.idempotency_key).toBe('at')
    expect(metadata!.data.object.metadata).toEqual({ keep: 'n', added: 'z' })
    // Stripe's shape: only the changed keys of a hash, `null` for a key that was added
    expect(metadata!.data.previous_attributes).toEqual({ metadata: { keep: 'y', early: '1', added: null } })
    expect(owner!.data.previous_attributes).toEqual({ owner: { name: null } })
    expect(owner!.data.object.owner).toMatchObject({ name: 'Jenny Rosen' })
    expect(deleted!.data.object).toEqual(detached.body)
    expect(deleted!.data.object).toMatchObject({ id: source.id, status: 'consumed' })
    expect(deleted!.data.previous_attributes).toBeUndefined()
    // a detached source is no longer attached: its updates raise nothing
    await call(emulator, 'POST', `/v1/sources/${source.id}`, { metadata: { after: '1' } })
    expect(customerEvents(emulator)).toHaveLength(4)
  })

  type Op =
    | { kind: 'attach'; i: number; customer: string; metadata?: Record<string, string> }
    | { kind: 'update'; i: number; via: 'source' | 'customer'; customer: string; metadata: Record<string, string> }
    | { kind: 'detach'; i: number; customer: string }

  const metadataArb = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('1', '2', ''), { maxKeys: 3 })
  const customerArb = fc.constantFrom('cus_a', 'cus_b')
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record(
      { kind: fc.constant('attach' as const), i: fc.nat(2), customer: customerArb, metadata: fc.option(metadataArb, { nil: undefined }) },
      { requiredKeys: ['kind', 'i', 'customer'] },
    ),
    fc.record({
      kind: fc.constant('update' as const),
      i: fc.nat(2),
      via: fc.constantFrom('source' as const, 'customer' as const),
      customer: customerArb,
      metadata: metadataArb,
    }),
    fc.record({ kind: fc.constant('detach' as const), i: fc.nat(2), customer: customerArb }),
  )

  it('random attach / update / detach sequences: exactly one event per change, in order, with what changed (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 14 }), async (ops) => {
        const emulator = createEmulator({ accounts: 'shared' })
        const model: { id: string; customer?: string; consumed: boolean; metadata: Record<string, string> }[] = []
        for (let i = 0; i < 3; i++) {
          model.push({ id: (await call(emulator, 'POST', '/v1/sources', { type: 'card' })).body.id, consumed: false, metadata: {} })
        }
        const expected: { type: string; id: string; customer?: string; metadata: Record<string, string>; previous?: unknown }[] = []
        /** applies `metadata` to the model; answers Stripe's previous_attributes for it (undefined: no change) */
        const apply = (s: (typeof model)[number], metadata: Record<string, string> | undefined) => {
          const previous: Record<string, string | null> = {}
          for (const [key, value] of Object.entries(metadata ?? {})) {
            const was = s.metadata[key]
            if (value === '' ? was !== undefined : was !== value) previous[key] = was ?? null
            if (value === '') delete s.metadata[key]
            else s.metadata[key] = value
          }
          return Object.keys(previous).length ? { metadata: previous } : undefined
        }
        for (const op of ops) {
          const s = model[op.i]!
          if (op.kind === 'attach') {
            const answer = await call(emulator, 'POST', `/v1/customers/${op.customer}/sources`, {
              source: s.id,
              ...(op.metadata ? { metadata: op.metadata } : {}),
            })
            const refused = s.consumed || (s.customer !== undefined && s.customer !== op.customer)
            expect(answer.status).toBe(refused ? 400 : 200)
            if (refused) continue
            if (s.customer === op.customer) {
              const previous = apply(s, op.metadata)
              if (previous)
                expected.push({ type: 'customer.source.updated', id: s.id, customer: s.customer, metadata: { ...s.metadata }, previous })
            } else {
              s.customer = op.customer
              apply(s, op.metadata)
              expected.push({ type: 'customer.source.created', id: s.id, customer: s.customer, metadata: { ...s.metadata } })
            }
          } else if (op.kind === 'update') {
            const path = op.via === 'source' ? `/v1/sources/${s.id}` : `/v1/customers/${op.customer}/sources/${s.id}`
            const answer = await call(emulator, 'POST', path, { metadata: op.metadata })
            const missing = op.via === 'customer' && s.customer !== op.customer
            expect(answer.status).toBe(missing ? 404 : 200)
            if (missing) continue
            const previous = apply(s, op.metadata)
            if (previous && s.customer) {
              expected.push({ type: 'customer.source.updated', id: s.id, customer: s.customer, metadata: { ...s.metadata }, previous })
            }
          } else {
            const answer = await call(emulator, 'DELETE', `/v1/customers/${op.customer}/sources/${s.id}`)
            const missing = s.customer !== op.customer
            expect(answer.status).toBe(missing ? 404 : 200)
            if (missing) continue
            s.customer = undefined
            s.consumed = true
            expected.push({ type: 'customer.source.deleted', id: s.id, metadata: { ...s.metadata } })
          }
        }
        const events = customerEvents(emulator)
        expect(
          events.map((event) => ({
            type: event.type,
            id: event.data.object.id,
            ...(event.data.object.customer === undefined ? {} : { customer: event.data.object.customer }),
            metadata: event.data.object.metadata,
            ...(event.data.previous_attributes ? { previous: event.data.previous_attributes } : {}),
          })),
        ).toEqual(expected)
        // every event came from its API call
        expect(events.every((event) => typeof event.request.id === 'string')).toBe(true)
      }),
      { numRuns: 60 },
    )
  })
})
