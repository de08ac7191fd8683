// Closed lists compile closed (issue 18): stripe-node types webhook endpoints' `enabled_events` and
// `api_version`, and Financial Connections' subscribe/unsubscribe `features`, as closed literal
// unions, so a typo does not compile (and is refused at run time: test/invalid-inputs.test.ts).
// An operation without params takes none.
import { createStripe } from '@edgestripe/core'
import { subscribeToAccount, unsubscribeFromAccount } from '@edgestripe/financial-connections'
import { createWebhookEndpoint, deleteWebhookEndpoint, updateWebhookEndpoint } from '@edgestripe/webhook-endpoints'
import { expectTypeOf, test } from 'vitest'

const stripe = createStripe({ apiKey: 'sk_test_123' })

test('closed lists', () => {
  expectTypeOf(createWebhookEndpoint).toBeFunction()
  void createWebhookEndpoint(stripe, { url: 'https://example.com/hook', enabled_events: ['treasury.received_credit.created'] })
  // @ts-expect-error a mistyped event
  void createWebhookEndpoint(stripe, { url: 'https://example.com/hook', enabled_events: ['treasury.recieved_credit.created'] })
  void createWebhookEndpoint(stripe, { url: 'https://example.com/hook', enabled_events: ['*'], api_version: '2024-04-10' })
  // @ts-expect-error an API version that does not exist
  void createWebhookEndpoint(stripe, { url: 'https://example.com/hook', enabled_events: ['*'], api_version: '2024-04-11' })
  // @ts-expect-error a mistyped event on update
  void updateWebhookEndpoint(stripe, 'we_1', { enabled_events: ['source.chargable'] })
  void subscribeToAccount(stripe, 'fca_1', { features: ['transactions'] })
  // @ts-expect-error only `transactions`
  void subscribeToAccount(stripe, 'fca_1', { features: ['balance'] })
  // @ts-expect-error only `transactions`
  void unsubscribeFromAccount(stripe, 'fca_1', { features: ['judge'] })
})

test('an operation without params takes none', () => {
  void deleteWebhookEndpoint(stripe, 'we_1')
  void deleteWebhookEndpoint(stripe, 'we_1', {})
  // @ts-expect-error no params
  void deleteWebhookEndpoint(stripe, 'we_1', { judge_unknown: 'x' })
  // @ts-expect-error not even expand
  void deleteWebhookEndpoint(stripe, 'we_1', { expand: ['x'] })
})
