import { createStripe, type ListObject, type WithResponse } from '@edgestripe/core'
import {
  createWebhookEndpoint,
  type DeletedWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  retrieveWebhookEndpoint,
  updateWebhookEndpoint,
  type WebhookEndpoint,
  webhookEndpointsPlugin,
} from '@edgestripe/webhook-endpoints'
import { operations } from '@edgestripe/webhook-endpoints/operations'
import { describe, expectTypeOf, it } from 'vitest'

describe('webhook endpoint types: the secret comes back from create only', () => {
  it('create has secret: string; retrieve, list, update have no secret', async () => {
    const stripe = createStripe({ apiKey: 'sk_test_123', plugins: [webhookEndpointsPlugin] })
    const created = await createWebhookEndpoint(stripe, { url: 'https://example.com/hook', enabled_events: ['*'] })
    expectTypeOf(created).not.toBeAny()
    expectTypeOf(created.secret).toEqualTypeOf<string>()
    expectTypeOf(created).toEqualTypeOf<WithResponse<WebhookEndpoint & { secret: string }>>()
    expectTypeOf(await stripe.webhookEndpoints.create({ url: 'https://x', enabled_events: ['*'] })).toEqualTypeOf(created)
    expectTypeOf<'secret' extends keyof WebhookEndpoint ? true : false>().toEqualTypeOf<false>()

    const retrieved = await retrieveWebhookEndpoint(stripe, 'we_1')
    // @ts-expect-error retrieve never returns the secret
    retrieved.secret
    const updated = await updateWebhookEndpoint(stripe, 'we_1', { disabled: true })
    // @ts-expect-error update never returns the secret
    updated.secret
    const page = await listWebhookEndpoints(stripe)
    expectTypeOf(page).toEqualTypeOf<WithResponse<ListObject<WebhookEndpoint>>>()
    // @ts-expect-error list never returns the secret
    page.data[0]!.secret
    expectTypeOf(await deleteWebhookEndpoint(stripe, 'we_1')).toEqualTypeOf<WithResponse<DeletedWebhookEndpoint>>()
    expectTypeOf<DeletedWebhookEndpoint['deleted']>().toEqualTypeOf<true>()
    expectTypeOf(stripe.webhookEndpoints.del).toBeFunction()
    expectTypeOf(operations.PostWebhookEndpoints.auth).toEqualTypeOf<'secret'>()
    expectTypeOf<WebhookEndpoint['status']>().toEqualTypeOf<string>()
  })

  it('create requires url and enabled_events, from the spec list', () => {
    const stripe = createStripe({ apiKey: 'sk_test_123' })
    // @ts-expect-error url and enabled_events are required
    createWebhookEndpoint(stripe, {})
    // @ts-expect-error enabled_events is a list of event types
    createWebhookEndpoint(stripe, { url: 'https://x', enabled_events: 'treasury.received_credit.created' })
  })
})
