// Keep the data: control.snapshot() is the whole state as plain JSON; createEmulator({ accounts: 'shared', state })
// starts from it; a corrupt or foreign snapshot is refused whole, with a TypeError naming where.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_NOW, type Emulator, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from '../src/index.js'
import { call } from './helpers.js'

async function busyEmulator(): Promise<Emulator> {
  const emulator = createEmulator({ accounts: 'shared', now: DEFAULT_NOW, reportRunDelay: 7, defaultAccount: 'acct_snap' })
  const fa = (
    await call(emulator, 'POST', '/v1/treasury/financial_accounts', {
      supported_currencies: ['usd'],
      features: { outbound_payments: { ach: { requested: true } } },
    })
  ).body.id
  await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', {
    financial_account: fa,
    amount: 5000,
    currency: 'usd',
    network: 'ach',
  })
  await call(
    emulator,
    'POST',
    '/v1/treasury/outbound_payments',
    { financial_account: fa, amount: 1200, currency: 'usd', destination_payment_method: 'pm_usBankAccount' },
    { idempotencyKey: 'pay-1' },
  )
  await call(emulator, 'POST', '/v1/sources', { type: 'ach_credit_transfer', currency: 'usd' }, { account: 'acct_other' })
  emulator.control.seed('customer', { id: 'alice' })
  emulator.control.seed('scheduled_query_run', { csv: 'n\n1\n' })
  emulator.control.addWebhookEndpoint({ url: 'https://example.test/hook', secret: 'whsec_keep' })
  emulator.control.addWebhookEndpoint({ handler: () => undefined })
  emulator.control.advance(3600)
  const type = (await call(emulator, 'GET', '/v1/reporting/report_types/balance.summary.1')).body
  await call(emulator, 'POST', '/v1/reporting/report_runs', {
    report_type: 'balance.summary.1',
    parameters: { interval_start: type.data_available_start, interval_end: type.data_available_end },
  })
  return emulator
}

describe('snapshots', () => {
  it('are plain JSON with a format marker and version, and a restored emulator carries on the same', async () => {
    const original = await busyEmulator()
    const snapshot = original.control.snapshot()
    expect(snapshot).toMatchObject({
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      apiVersion: '2024-04-10',
      defaultAccount: 'acct_snap',
    })
    const text = JSON.stringify(snapshot)
    expect(JSON.parse(text)).toEqual(snapshot)
    const restored = createEmulator({ accounts: 'shared', state: JSON.parse(text) })
    expect(restored.control.now()).toBe(original.control.now())
    expect(restored.control.snapshot()).toEqual(snapshot)
    for (const kind of [
      'treasury.financial_account',
      'treasury.transaction',
      'treasury.transaction_entry',
      'treasury.outbound_payment',
      'scheduled_query_run',
      'file',
    ]) {
      expect(restored.control.objects(kind)).toEqual(original.control.objects(kind))
    }
    expect(restored.control.objects('source', { account: 'acct_other' })).toHaveLength(1)
    expect(restored.control.events()).toEqual(original.control.events())
    // only the URL endpoint is kept (an in-process handler cannot be saved)
    expect(restored.control.webhookEndpoints()).toEqual([
      expect.objectContaining({ url: 'https://example.test/hook', secret: 'whsec_keep' }),
    ])
    // idempotency keys survive: the same key replays
    const fa = original.control.objects('treasury.financial_account')[0]!.id
    const replay = await call(
      restored,
      'POST',
      '/v1/treasury/outbound_payments',
      { financial_account: fa, amount: 1200, currency: 'usd', destination_payment_method: 'pm_usBankAccount' },
      { idempotencyKey: 'pay-1' },
    )
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true')
    // emulator-only data survives: features, customers, the pending report run settles on time, file contents
    expect((await call(restored, 'GET', `/v1/treasury/financial_accounts/${fa}/features`)).body.outbound_payments.ach.status).toBe('active')
    expect((await call(restored, 'GET', '/v1/customers/alice/sources')).status).toBe(200)
    restored.control.advance(7)
    const run = restored.control.objects('reporting.report_run')[0]!
    expect(run.status).toBe('succeeded')
    const file = (run.result as { id: string }).id
    const csv = await restored.fetch(`http://127.0.0.1:9/v1/files/${file}/contents`, { headers: { Authorization: 'Bearer sk_test_1' } })
    expect(await csv.text()).toContain('ending_balance')
    // new objects continue after the restored ones
    const next = await call(restored, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })
    expect((await call(restored, 'GET', '/v1/treasury/financial_accounts')).body.data[0].id).toBe(next.body.id)
  })

  it('is served over HTTP as GET /_emulator/snapshot', async () => {
    const emulator = await busyEmulator()
    const res = await emulator.fetch('http://127.0.0.1:9/_emulator/snapshot')
    expect(await res.json()).toEqual(emulator.control.snapshot())
  })

  it.each([
    ['not an object', 'nope', /state is not an object/],
    ['a foreign format', { format: 'stripe-mock', version: 1 }, /state\.format is "stripe-mock"/],
    ['another version', { format: SNAPSHOT_FORMAT, version: 99 }, /state\.version is 99/],
    ['another API version', { format: SNAPSHOT_FORMAT, version: 1, apiVersion: '2020-08-27' }, /state\.apiVersion/],
  ])('refuses %s with a TypeError naming what is wrong', (_name, state, message) => {
    expect(() => createEmulator({ accounts: 'shared', state })).toThrow(TypeError)
    expect(() => createEmulator({ accounts: 'shared', state })).toThrow(message)
  })

  it('refuses any field of a real snapshot given a value of the wrong kind (or missing), naming its path (property)', async () => {
    const snapshot = (await busyEmulator()).control.snapshot()
    // every field the loader reads, by the kind it must have
    const KINDS: [RegExp, 'string' | 'integer' | 'array' | 'object' | 'literal'][] = [
      [/^(format|version|apiVersion)$/, 'literal'],
      [/^clock$/, 'object'],
      [/^clock\.(now|start)$/, 'integer'],
      [/^defaultAccount$/, 'string'],
      [/^(accounts|events|webhookEndpoints)$/, 'array'],
      [/^accounts\.\d+$/, 'object'],
      [/^accounts\.\d+\.(id|customers\.\d+|files\.\d+\.(id|type|body))$/, 'string'],
      [/^accounts\.\d+\.seq$/, 'integer'],
      [/^accounts\.\d+\.(customers|files|objects|idempotency)$/, 'array'],
      [/^accounts\.\d+\.(files|objects|idempotency)\.\d+$/, 'object'],
      [/^accounts\.\d+\.objects\.\d+\.seq$/, 'integer'],
      [/^accounts\.\d+\.objects\.\d+\.(object|internal)$/, 'object'],
      [/^accounts\.\d+\.objects\.\d+\.object\.(id|object)$/, 'string'],
      [/^accounts\.\d+\.idempotency\.\d+\.(key|fingerprint|requestId|body)$/, 'string'],
      [/^accounts\.\d+\.idempotency\.\d+\.(expiresAt|status)$/, 'integer'],
      [/^events\.\d+$/, 'object'],
      [/^events\.\d+\.(id|type)$/, 'string'],
      [/^events\.\d+\.(data|data\.object)$/, 'object'],
      [/^webhookEndpoints\.\d+\.(id|url|secret|enabled_events\.\d+)$/, 'string'],
      [/^webhookEndpoints\.\d+\.enabled_events$/, 'array'],
    ]
    const WRONG: Record<string, unknown[]> = {
      string: [undefined, null, 1.5, [], {}],
      integer: [undefined, null, 1.5, 'x', []],
      array: [undefined, null, 'x', {}],
      object: [undefined, null, 'x', [], 3],
      literal: [undefined, null, 'other', 2],
    }
    const fields: { path: (string | number)[]; kind: string }[] = []
    const walk = (node: unknown, path: (string | number)[]) => {
      const text = path.join('.')
      const kind = KINDS.find(([pattern]) => pattern.test(text))?.[1]
      if (kind) fields.push({ path, kind })
      if (node && typeof node === 'object') {
        for (const [key, child] of Object.entries(node)) walk(child, [...path, Array.isArray(node) ? Number(key) : key])
      }
    }
    walk(snapshot, [])
    expect(fields.length).toBeGreaterThan(100)
    const arbitrary = fc
      .constantFrom(...fields)
      .chain((field) => fc.tuple(fc.constant(field), fc.constantFrom(...(WRONG[field.kind] as unknown[]))))
    fc.assert(
      fc.property(arbitrary, ([field, bad]) => {
        const copy = structuredClone(snapshot) as unknown as Record<string | number, unknown>
        let node = copy
        for (const key of field.path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
        const last = field.path.at(-1) as string | number
        if (bad === undefined) delete node[last]
        else node[last] = bad
        const named = `state${field.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('')}`
        let error: unknown
        try {
          createEmulator({ accounts: 'shared', state: copy })
        } catch (caught) {
          error = caught
        }
        expect(error, named).toBeInstanceOf(TypeError)
        // the message names the field (or, for a removed array item's parent, the field itself)
        expect((error as Error).message.startsWith(`createEmulator: ${named} `), `${(error as Error).message} names ${named}`).toBe(true)
      }),
      { numRuns: 400 },
    )
  })

  it('refuses prototype keys, non-JSON values, duplicate ids and out-of-range seqs', async () => {
    const snapshot = (await busyEmulator()).control.snapshot()
    const variant = (change: (copy: any) => void) => {
      const copy = structuredClone(snapshot) as any
      change(copy)
      return copy
    }
    const proto = JSON.parse(JSON.stringify(snapshot).replace('"metadata":{}', '"metadata":{"__proto__":{"polluted":"yes"}}'))
    expect(() => createEmulator({ accounts: 'shared', state: proto })).toThrow(/holds the key __proto__/)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(() =>
      createEmulator({ accounts: 'shared', state: variant((s) => (s.accounts[0].objects[0].object.when = new Date())) }),
    ).toThrow(/not plain JSON/)
    expect(() =>
      createEmulator({ accounts: 'shared', state: variant((s) => (s.accounts[0].objects[0].object.amount = Number.NaN)) }),
    ).toThrow(/not finite/)
    expect(() =>
      createEmulator({ accounts: 'shared', state: variant((s) => s.accounts[0].objects.push(structuredClone(s.accounts[0].objects[0]))) }),
    ).toThrow(/seq/)
    expect(() =>
      createEmulator({
        accounts: 'shared',
        state: variant((s) => {
          const copy = structuredClone(s.accounts[0].objects[0])
          copy.seq = s.accounts[0].seq
          s.accounts[0].objects.pop()
          s.accounts[0].objects.push(copy)
        }),
      }),
    ).toThrow(/repeats object/)
    expect(() => createEmulator({ accounts: 'shared', state: variant((s) => (s.accounts[0].seq = 1)) })).toThrow(/seq/)
  })
})
