import { createStripe, StripeInvalidRequestError } from '@edgestripe/core'
import {
  closeFinancialAccount,
  createFinancialAccount,
  createOutboundPayment,
  listFinancialAccounts,
  updateFinancialAccount,
} from '@edgestripe/treasury'
import { createReceivedCredit } from '@edgestripe/treasury/test-helpers'
import { describe, expect, it } from 'vitest'
import { createEmulator } from '../src/index.js'

// The overlay's additions from newer API versions (spec/OVERLAY.md), through the SDK.
describe('financial account close, nickname and status filter', () => {
  it('closes only an empty account, then refuses to move money from it', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const stripe = createStripe({ apiKey: 'sk_test_123', fetch: emulator.fetch, maxRetries: 0 })
    const account = await createFinancialAccount(stripe, { supported_currencies: ['usd'], features: {}, nickname: 'Payroll' })
    expect(account.nickname).toBe('Payroll')
    expect((await updateFinancialAccount(stripe, account.id, { nickname: 'Ops' })).nickname).toBe('Ops')

    await createReceivedCredit(stripe, { financial_account: account.id, amount: 500, currency: 'usd', network: 'ach' })
    const refused = await closeFinancialAccount(stripe, account.id).catch((e) => e)
    expect(refused).toBeInstanceOf(StripeInvalidRequestError)
    expect(refused.message).toMatch(/balances are zero/)

    const empty = await createFinancialAccount(stripe, { supported_currencies: ['usd'], features: {} })
    const closed = await closeFinancialAccount(stripe, empty.id)
    expect(closed.status).toBe('closed')
    expect(closed.status_details).toEqual({ closed: { reasons: ['user_request'] } })
    await expect(closeFinancialAccount(stripe, empty.id)).rejects.toThrow(/already closed/)
    await expect(
      createOutboundPayment(stripe, {
        financial_account: empty.id,
        amount: 100,
        currency: 'usd',
        destination_payment_method_data: { type: 'financial_account', financial_account: account.id },
      }),
    ).rejects.toThrow(/closed/)

    expect((await listFinancialAccounts(stripe, { status: 'closed' })).data.map((a) => a.id)).toEqual([empty.id])
    expect((await listFinancialAccounts(stripe, { status: 'open' })).data.map((a) => a.id)).toEqual([account.id])
  })
})
