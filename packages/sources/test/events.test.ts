import { createStripe, narrowEvent, type StripeEvent, StripeValidationError, verifyWebhook } from '@edgestripe/core'
import { reportingEvents } from '@edgestripe/reporting'
import { sigmaEvents } from '@edgestripe/sigma'
import { createEmulator } from '@edgestripe/testing'
import { treasuryEvents } from '@edgestripe/treasury'
import { describe, expect, it } from 'vitest'
import { retrieveSource, type Source, type SourceEvent, sourceEvents } from '../src'

const event = (type: string, object: unknown): StripeEvent => ({
  id: 'evt_1',
  object: 'event' as const,
  type,
  api_version: '2024-04-10',
  created: 1_714_000_000,
  livemode: false,
  pending_webhooks: 1,
  request: { id: null, idempotency_key: null },
  data: { object },
})

describe('domain events', () => {
  it('verifies source events delivered by the emulator and narrows them with the sources map', async () => {
    const emulator = createEmulator()
    const received: SourceEvent[] = []
    const endpoint = emulator.controlFor('sk_test_123').addWebhookEndpoint({
      events: ['source.chargeable', 'source.canceled'],
      handler: async (request) => {
        const event = await verifyWebhook(await request.text(), request.headers.get('stripe-signature'), endpoint.secret)
        const typed = narrowEvent(event, sourceEvents)
        if (typed) received.push(typed)
        return new Response('ok')
      },
    })
    const one = emulator.controlFor('sk_test_123').seed('source', { status: 'pending' })
    const two = emulator.controlFor('sk_test_123').seed('source', { status: 'pending' })
    emulator.controlFor('sk_test_123').makeSourceChargeable(one.id as string)
    emulator.controlFor('sk_test_123').cancelSource(two.id as string)
    const deliveries = await emulator.controlFor('sk_test_123').deliverEvents()
    expect(deliveries.map((d) => [d.type, d.status])).toEqual([
      ['source.chargeable', 200],
      ['source.canceled', 200],
    ])
    expect(received.map((e) => [e.type, e.data.object.id, (e.data.object as Source).status])).toEqual([
      ['source.chargeable', one.id, 'chargeable'],
      ['source.canceled', two.id, 'canceled'],
    ])
    // A retrieve agrees with the event.
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch: emulator.fetch })
    expect((await retrieveSource(stripe, one.id as string)).status).toBe('chargeable')
  })

  it('combines several domains, ignores types they do not know, and rejects a mismatched object', () => {
    const all = { ...sourceEvents, ...treasuryEvents, ...reportingEvents, ...sigmaEvents }
    const run = {
      id: 'frr_1',
      object: 'reporting.report_run',
      created: 1,
      livemode: false,
      parameters: {},
      report_type: 'balance.summary.1',
      status: 'failed',
      error: 'x',
    }
    expect(narrowEvent(event('reporting.report_run.failed', run), all)?.type).toBe('reporting.report_run.failed')
    expect(narrowEvent(event('charge.succeeded', { id: 'ch_1' }), all)).toBeUndefined()
    expect(() => narrowEvent(event('treasury.outbound_payment.posted', run), all)).toThrow(StripeValidationError)
    expect(Object.keys(all)).toEqual(
      expect.arrayContaining([
        'source.chargeable',
        'source.failed',
        'source.canceled',
        'treasury.outbound_payment.posted',
        'treasury.received_credit.created',
        'reporting.report_run.succeeded',
        'reporting.report_run.failed',
        'sigma.scheduled_query_run.created',
      ]),
    )
  })
})
