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
