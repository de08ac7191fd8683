// Handlers, stored objects, controls and control routes are typed from the spec, not `any`.
import { describe, expectTypeOf, it } from 'vitest'
import {
  type AccountStore,
  controlRoute,
  createEmulator,
  defineEmulatorDomain,
  type Resources,
  type RouteParams,
  reporting,
  sources,
  treasury,
} from '../src/index.js'

describe('emulator domain types', () => {
  it('types a handler’s params and path params by its operation', () => {
    defineEmulatorDomain({
      name: 'typed',
      prefixes: ['/v1/treasury/'],
      handlers: {
        PostTreasuryOutboundPayments: (ctx) => {
          expectTypeOf(ctx.params.amount).toEqualTypeOf<number>()
          expectTypeOf(ctx.params.financial_account).toEqualTypeOf<string>()
          expectTypeOf(ctx.params).toEqualTypeOf<RouteParams['PostTreasuryOutboundPayments']>()
          // @ts-expect-error not a param of this operation
          ctx.params.nope
          // @ts-expect-error no path params on this route
          ctx.pathParams.id
          return null
        },
        GetTreasuryOutboundPaymentsId: (ctx) => {
          expectTypeOf(ctx.pathParams.id).toEqualTypeOf<string>()
          const payment = ctx.store.get('treasury.outbound_payment', ctx.pathParams.id)
          expectTypeOf(payment).toEqualTypeOf<Resources['treasury.outbound_payment'] | undefined>()
          if (payment) expectTypeOf(payment.status).toEqualTypeOf<'canceled' | 'failed' | 'posted' | 'processing' | 'returned'>()
          return payment
        },
      },
    })
  })

  it('refuses a handler for an operation that does not exist', () => {
    defineEmulatorDomain({
      name: 'wrong',
      prefixes: [],
      handlers: {
        // @ts-expect-error not an operationId of the spec
        PostNothing: () => null,
      },
    })
  })

  it('merges the chosen domains’ controls onto control, and only theirs', () => {
    const all = createEmulator({ accounts: 'shared' })
    expectTypeOf(all.control.pushSourceFunds).toBeFunction()
    expectTypeOf(all.control.failReportRun).toBeFunction()
    const some = createEmulator({ accounts: 'shared', domains: [treasury, reporting] })
    expectTypeOf(some.control.failReportRun).toBeFunction()
    // @ts-expect-error the sources domain is not served
    some.control.pushSourceFunds
    expectTypeOf(createEmulator({ accounts: 'shared', domains: [sources] }).control.makeSourceChargeable).returns.toEqualTypeOf<
      Resources['source']
    >()
  })

  it('types control route params from the path', () => {
    controlRoute('POST', '/things/{thing}/do/{step}', ({ params }) => {
      expectTypeOf(params.thing).toEqualTypeOf<string>()
      expectTypeOf(params.step).toEqualTypeOf<string>()
      // @ts-expect-error not in the path
      params.other
    })
  })

  it('types store lookups by kind', () => {
    const store = {} as AccountStore
    expectTypeOf(store.get('treasury.financial_account', 'fa_1')).toEqualTypeOf<Resources['treasury.financial_account'] | undefined>()
    expectTypeOf(store.list('source')).toEqualTypeOf<Resources['source'][]>()
  })
})
