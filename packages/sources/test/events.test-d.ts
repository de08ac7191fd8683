import { narrowEvent, type StripeEvent } from '@edgestripe/core'
import type { OutboundPayment, TreasuryEvent } from '@edgestripe/treasury'
import { treasuryEvents } from '@edgestripe/treasury'
import { describe, expectTypeOf, it } from 'vitest'
import { type Source, type SourceEvent, sourceEvents } from '../src'

declare const event: StripeEvent

describe('typed events', () => {
  it('narrows data.object by type', () => {
    const typed = narrowEvent(event, { ...sourceEvents, ...treasuryEvents })
    if (typed?.type === 'source.chargeable') expectTypeOf(typed.data.object).toEqualTypeOf<Source>()
    if (typed?.type === 'treasury.outbound_payment.posted') expectTypeOf(typed.data.object).toEqualTypeOf<OutboundPayment>()
    expectTypeOf<SourceEvent['type']>().toEqualTypeOf<keyof typeof sourceEvents>()
    expectTypeOf<Extract<TreasuryEvent, { type: 'treasury.received_credit.created' }>['data']['object']['id']>().toEqualTypeOf<string>()
    // @ts-expect-error not a source event type
    if (typed?.type === 'source.nope') return
    // @ts-expect-error unknown field: the object is typed, not any
    typed?.data.object.not_a_field
  })
})
