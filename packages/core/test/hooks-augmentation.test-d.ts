import { createStripe } from '@edgestripe/core'
import { describe, expectTypeOf, it } from 'vitest'

// What the README promises: a plugin (or an app) adds its own typed hooks by augmentation.
declare module '@edgestripe/core' {
  interface StripeHooks {
    'audit:record': (entry: { operationId: string; ms: number }) => void
  }
}

describe('StripeHooks augmentation', () => {
  it('types an added hook for hook() and callHook()', () => {
    const stripe = createStripe({ apiKey: 'sk_test_123' })
    stripe.hooks.hook('audit:record', (entry) => {
      expectTypeOf(entry.ms).toEqualTypeOf<number>()
    })
    stripe.hooks.callHook('audit:record', { operationId: 'GetSourcesSource', ms: 3 })
    // @ts-expect-error the added hook's argument is typed
    stripe.hooks.callHook('audit:record', { operationId: 'x' })
  })
})
