import * as v from 'valibot'
import { defineOperation } from '../../src'

/** Small hand-made operations shaped like Stripe's, for testing the core without generated code. */
export const createThing = defineOperation({
  operationId: 'PostThings',
  method: 'POST',
  path: '/v1/things',
  params: v.strictObject({
    amount: v.optional(v.pipe(v.number(), v.integer())),
    currency: v.optional(v.picklist(['usd', 'eur'])),
    owner: v.optional(v.strictObject({ address: v.optional(v.strictObject({ city: v.optional(v.string()) })) })),
    expand: v.optional(v.array(v.string())),
    metadata: v.optional(v.union([v.record(v.string(), v.string()), v.literal('')])),
  }),
  response: v.looseObject({ id: v.string(), object: v.string() }),
  auth: 'secret',
})

export const retrieveThing = defineOperation({
  operationId: 'GetThingsThing',
  method: 'GET',
  path: '/v1/things/{thing}',
  params: v.strictObject({ client_secret: v.optional(v.string()), expand: v.optional(v.array(v.string())) }),
  response: v.looseObject({ id: v.string(), object: v.string() }),
  auth: 'client_secret',
})

export const deleteThing = defineOperation({
  operationId: 'DeleteThingsThing',
  method: 'DELETE',
  path: '/v1/things/{thing}',
  params: v.strictObject({}),
  response: v.looseObject({ id: v.string(), deleted: v.boolean() }),
  auth: 'secret',
})

export const listThings = defineOperation({
  operationId: 'GetThings',
  method: 'GET',
  path: '/v1/things',
  params: v.strictObject({
    limit: v.optional(v.number()),
    starting_after: v.optional(v.string()),
    ending_before: v.optional(v.string()),
  }),
  response: v.looseObject({
    object: v.literal('list'),
    data: v.array(v.looseObject({ id: v.string() })),
    has_more: v.boolean(),
    url: v.string(),
  }),
  auth: 'publishable',
})
