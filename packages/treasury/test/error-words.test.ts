// Validation errors read as Stripe's own: the function called, Stripe's message, the param in
// bracket form, Stripe's code and doc_url where Stripe has one. Nothing is sent.
import { createStripe, StripeValidationError } from '@edgestripe/core'
import { CreateOutboundPaymentParams, createOutboundPayment, listTransactions } from '@edgestripe/treasury'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

function setup() {
  const sent: string[] = []
  const client = createStripe({
    apiKey: 'sk_test_123',
    maxRetries: 0,
    fetch: async (input) => {
      sent.push(String(input))
      return Response.json({})
    },
  })
  return { client, sent }
}

const base = { amount: 100, currency: 'usd', financial_account: 'fa_1' }

async function failure(call: Promise<unknown>): Promise<StripeValidationError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(StripeValidationError)
  return error as StripeValidationError
}

describe("errors in Stripe's words", () => {
  it('an unknown param, with the closest known one', async () => {
    const { client, sent } = setup()
    // @ts-expect-error misspelt
    const error = await failure(createOutboundPayment(client, { ...base, destinaton_payment_method: 'pm_1' }))
    expect(error.message).toBe(
      'createOutboundPayment: Received unknown parameter: destinaton_payment_method. Did you mean destination_payment_method?',
    )
    expect(error).toMatchObject({
      type: 'invalid_request_error',
      code: 'parameter_unknown',
      param: 'destinaton_payment_method',
      doc_url: 'https://stripe.com/docs/error-codes/parameter-unknown',
    })
    expect(sent).toEqual([])
  })

  it('a nested unknown param, in bracket form', async () => {
    const { client } = setup()
    const error = await failure(
      // @ts-expect-error misspelt
      createOutboundPayment(client, { ...base, destination_payment_method_data: { type: 'us_bank_account', billing_detail: {} } }),
    )
    expect(error.message).toBe(
      'createOutboundPayment: Received unknown parameter: destination_payment_method_data[billing_detail]. Did you mean destination_payment_method_data[billing_details]?',
    )
    // @ts-expect-error nothing close
    const far = await failure(createOutboundPayment(client, { ...base, zzzzzz: 1 }))
    expect(far.message).toBe('createOutboundPayment: Received unknown parameter: zzzzzz')
  })

  it('integers, required params, lengths, enums', async () => {
    const { client, sent } = setup()
    const integer = await failure(createOutboundPayment(client, { ...base, amount: 10.5 }))
    expect(integer.message).toBe('createOutboundPayment: Invalid integer: amount')
    expect(integer).toMatchObject({
      code: 'parameter_invalid_integer',
      doc_url: 'https://stripe.com/docs/error-codes/parameter-invalid-integer',
    })
    // @ts-expect-error a string is not an amount
    const text = await failure(createOutboundPayment(client, { ...base, amount: '10' }))
    expect(text.message).toBe('createOutboundPayment: Invalid integer: amount')
    // @ts-expect-error financial_account is required
    const missing = await failure(listTransactions(client, {}))
    expect(missing.message).toBe('listTransactions: Missing required param: financial_account.')
    expect(missing).toMatchObject({ code: 'parameter_missing', doc_url: 'https://stripe.com/docs/error-codes/parameter-missing' })
    const long = await failure(
      createOutboundPayment(client, {
        ...base,
        destination_payment_method_data: { type: 'us_bank_account', billing_details: { address: { city: 'x'.repeat(5001) } } },
      }),
    )
    expect(long.message).toBe(
      'createOutboundPayment: Invalid string: destination_payment_method_data[billing_details][address][city]: must be at most 5000 characters',
    )
    expect(long.param).toBe('destination_payment_method_data[billing_details][address][city]')
    expect(long.code).toBeUndefined()
    expect(long.doc_url).toBeUndefined()
    // @ts-expect-error not a status
    const status = await failure(listTransactions(client, { financial_account: 'fa_1', status: 'bogus' }))
    expect(status.message).toBe('listTransactions: Invalid status: must be one of open, posted, void')
    expect(sent).toEqual([])
  })

  it('any unknown param is named as sent, and a suggestion is always a real param', async () => {
    const known = Object.keys((CreateOutboundPaymentParams as unknown as { entries: object }).entries)
    const { client, sent } = setup()
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 30 }).filter((k) => /^[a-z_]+$/.test(k)),
          // one edit away from a real param
          fc.tuple(fc.constantFrom(...known), fc.nat(), fc.constantFrom('a', 'x', '_')).map(([k, i, c]) => {
            const at = i % k.length
            return k.slice(0, at) + c + k.slice(at + 1)
          }),
        ),
        async (key) => {
          fc.pre(!known.includes(key))
          const error = await failure(createOutboundPayment(client, { ...base, [key]: 'v' } as never))
          expect(error.param).toBe(key)
          expect(error.code).toBe('parameter_unknown')
          const match = /^createOutboundPayment: Received unknown parameter: (.+?)(?:\. Did you mean (.+)\?)?$/.exec(error.message)
          expect(match?.[1]).toBe(key)
          if (match?.[2]) expect(known).toContain(match[2])
        },
      ),
      { numRuns: 200 },
    )
    expect(sent).toEqual([])
  })
})
