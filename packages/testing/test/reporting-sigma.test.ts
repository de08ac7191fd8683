import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createEmulator } from '../src/index.js'
import { call, ORIGIN, reportInterval } from './helpers.js'

describe('reporting', () => {
  it('lists report types with availability and default columns', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const types = await call(emulator, 'GET', '/v1/reporting/report_types')
    const ids = types.body.data.map((t: any) => t.id)
    expect(ids).toEqual(expect.arrayContaining(['balance.summary.1', 'balance_change_from_activity.itemized.3', 'payouts.itemized.3']))
    const one = await call(emulator, 'GET', '/v1/reporting/report_types/balance.summary.1')
    expect(one.body).toMatchObject({ object: 'reporting.report_type', default_columns: expect.any(Array) })
    expect(one.body.data_available_end).toBeGreaterThan(one.body.data_available_start)
    expect((await call(emulator, 'GET', '/v1/reporting/report_types/nope.1')).status).toBe(404)
  })

  it('runs a report: pending until the delay passes, then a CSV of the emulator activity', async () => {
    const emulator = createEmulator({ accounts: 'shared', now: 1_714_000_000, reportRunDelay: 30 })
    const fa = (await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })).body.id
    await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', {
      financial_account: fa,
      currency: 'usd',
      amount: 12_345,
      network: 'ach',
    })
    emulator.control.advance(7200)
    const bad = await call(emulator, 'POST', '/v1/reporting/report_runs', { report_type: 'nope.1' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.param).toBe('report_type')
    const run = await call(emulator, 'POST', '/v1/reporting/report_runs', {
      report_type: 'balance_change_from_activity.itemized.3',
      parameters: { interval_start: 1_713_000_000, interval_end: 1_714_003_600 },
    })
    expect(run.body).toMatchObject({ object: 'reporting.report_run', status: 'pending', result: null, livemode: false })
    emulator.control.advance(29)
    expect((await call(emulator, 'GET', `/v1/reporting/report_runs/${run.body.id}`)).body.status).toBe('pending')
    emulator.control.advance(1)
    const done = await call(emulator, 'GET', `/v1/reporting/report_runs/${run.body.id}`)
    expect(done.body).toMatchObject({ status: 'succeeded', result: { object: 'file', purpose: 'finance_report_run', type: 'csv' } })
    expect(done.body.result.url).toBe(`${ORIGIN}/v1/files/${done.body.result.id}/contents`)
    const csv = await emulator.fetch(done.body.result.url, { headers: { Authorization: 'Bearer sk_test_123' } })
    expect(csv.status).toBe(200)
    expect(csv.headers.get('Content-Type')).toContain('text/csv')
    const text = await csv.text()
    const [header, ...rows] = text.trim().split('\n')
    expect(header).toBe('balance_transaction_id,created_utc,created,available_on_utc,currency,gross,fee,net,reporting_category,description')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toContain('123.45')
    expect(rows[0]).toContain('received_credit')
    expect(done.body.result.size).toBe(new TextEncoder().encode(text).byteLength)
    const noKey = await emulator.fetch(done.body.result.url)
    expect(noKey.status).toBe(401)
    const pk = await emulator.fetch(done.body.result.url, { headers: { Authorization: 'Bearer pk_test_1' } })
    expect(pk.status).toBe(401)
    const list = await call(emulator, 'GET', '/v1/reporting/report_runs')
    expect(list.body.data[0]).toMatchObject({ id: run.body.id, status: 'succeeded' })
  })

  it('builds a balance summary and honours columns', async () => {
    const emulator = createEmulator({ accounts: 'shared', reportRunDelay: 0 })
    const fa = (await call(emulator, 'POST', '/v1/treasury/financial_accounts', { supported_currencies: ['usd'] })).body.id
    await call(emulator, 'POST', '/v1/test_helpers/treasury/received_credits', {
      financial_account: fa,
      currency: 'usd',
      amount: 500,
      network: 'ach',
    })
    emulator.control.advance(3600)
    const run = await call(emulator, 'POST', '/v1/reporting/report_runs', {
      report_type: 'balance.summary.1',
      parameters: await reportInterval(emulator, 'balance.summary.1', { columns: ['category', 'net_amount'] }),
    })
    expect(run.body.status).toBe('succeeded')
    const text = await (await emulator.fetch(run.body.result.url, { headers: { Authorization: 'Bearer sk_test_1' } })).text()
    expect(text).toBe('category,net_amount\nstarting_balance,0.00\nactivity,5.00\nending_balance,5.00\n')
    const badColumn = await call(emulator, 'POST', '/v1/reporting/report_runs', {
      report_type: 'balance.summary.1',
      parameters: await reportInterval(emulator, 'balance.summary.1', { columns: ['category', 'bogus'] }),
    })
    expect(badColumn.body.error.param).toBe('parameters[columns][1]')
    const future = await call(emulator, 'POST', '/v1/reporting/report_runs', {
      report_type: 'balance.summary.1',
      parameters: await reportInterval(emulator, 'balance.summary.1', { interval_end: emulator.control.now() + 86_400 }),
    })
    expect(future.body.error.param).toBe('parameters[interval_end]')
  })

  it('requires parameters[interval_start] and parameters[interval_end] for every report type (no silent defaults)', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    emulator.control.advance(7200)
    const types = (await call(emulator, 'GET', '/v1/reporting/report_types')).body.data as { id: string }[]
    expect(types.length).toBeGreaterThan(0)
    for (const { id } of types) {
      const { interval_start, interval_end } = await reportInterval(emulator, id)
      const none = await call(emulator, 'POST', '/v1/reporting/report_runs', { report_type: id })
      expect(none.status, id).toBe(400)
      expect(none.body.error).toMatchObject({
        type: 'invalid_request_error',
        param: 'parameters[interval_start]',
        message: 'Missing required param: parameters[interval_start].',
      })
      const noEnd = await call(emulator, 'POST', '/v1/reporting/report_runs', { report_type: id, parameters: { interval_start } })
      expect(noEnd.body.error.param, id).toBe('parameters[interval_end]')
      const noStart = await call(emulator, 'POST', '/v1/reporting/report_runs', { report_type: id, parameters: { interval_end } })
      expect(noStart.body.error.param, id).toBe('parameters[interval_start]')
      const ok = await call(emulator, 'POST', '/v1/reporting/report_runs', {
        report_type: id,
        parameters: { interval_start, interval_end },
      })
      expect(ok.status, id).toBe(200)
      expect(ok.body.parameters).toMatchObject({ interval_start, interval_end })
    }
    expect(emulator.control.objects('reporting.report_run')).toHaveLength(types.length)
  })
})

describe('sigma', () => {
  it('lists and retrieves seeded scheduled query runs with their CSV', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const seeded = emulator.control.seed('scheduled_query_run', {
      title: 'Daily charges',
      sql: 'SELECT 1',
      csv: 'id,amount\nch_1,100\n',
      result_available_until: 1_800_000_000,
    })
    emulator.control.seed('scheduled_query_run', { status: 'failed', title: 'Broken' }, { account: 'acct_x' })
    const list = await call(emulator, 'GET', '/v1/sigma/scheduled_query_runs')
    expect(list.body.data).toHaveLength(1)
    const run = list.body.data[0]
    expect(run).toMatchObject({
      id: seeded.id,
      object: 'scheduled_query_run',
      status: 'completed',
      title: 'Daily charges',
      sql: 'SELECT 1',
    })
    expect(run.id).toMatch(/^sqr_/)
    expect(run.file).toMatchObject({ object: 'file', purpose: 'sigma_scheduled_query' })
    const csv = await emulator.fetch(run.file.url, { headers: { Authorization: 'Bearer sk_test_1' } })
    expect(await csv.text()).toBe('id,amount\nch_1,100\n')
    const one = await call(emulator, 'GET', `/v1/sigma/scheduled_query_runs/${seeded.id}`)
    expect(one.body.result_available_until).toBe(1_800_000_000)
    const other = await call(emulator, 'GET', '/v1/sigma/scheduled_query_runs', {}, { account: 'acct_x' })
    expect(other.body.data[0]).toMatchObject({ status: 'failed', file: null })
    expect((await call(emulator, 'GET', '/v1/sigma/scheduled_query_runs/sqr_nope')).body.error.param).toBe('scheduled_query_run')
  })
})

describe('reporting.report_type.updated', () => {
  it('each advance that makes new data available announces every report type once, with the new data_available_end (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1_700_000_000, max: 1_800_000_000 }),
        fc.array(fc.integer({ min: 0, max: 3 * 3600 }), { minLength: 1, maxLength: 10 }),
        async (start, steps) => {
          const emulator = createEmulator({ accounts: 'shared', now: start })
          const types = (await call(emulator, 'GET', '/v1/reporting/report_types')).body.data.map((type: { id: string }) => type.id)
          let announced = 0
          for (const step of steps) {
            const before = emulator.control.now()
            emulator.control.advance(step)
            const now = emulator.control.now()
            const moved = Math.floor(before / 3600) !== Math.floor(now / 3600)
            const events = emulator.control.events({ type: 'reporting.report_type.updated' })
            expect(events).toHaveLength(announced + (moved ? types.length : 0))
            if (moved) {
              const fresh = events.slice(announced).map((event) => event.data.object)
              expect(fresh.map((type) => type.id).sort()).toEqual([...types].sort())
              const current = (await call(emulator, 'GET', '/v1/reporting/report_types/balance.summary.1')).body
              for (const type of fresh) expect(type.data_available_end).toBe(current.data_available_end)
              announced += types.length
            }
          }
        },
      ),
      { numRuns: 40 },
    )
  })
})
