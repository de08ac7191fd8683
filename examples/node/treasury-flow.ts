// The Treasury flow in Node: open a financial account, receive funds (test mode), pay out of it,
// and read the ledger. `pnpm start` with STRIPE_SECRET_KEY, STRIPE_ACCOUNT (the connected account
// that has Treasury) and STRIPE_API_BASE for the emulator.
import { pathToFileURL } from 'node:url'
import { createStripe, type StripeClient } from '@edgestripe/core'
import { createFinancialAccount, createOutboundPayment, listTransactions, retrieveFinancialAccount } from '@edgestripe/treasury'
import { createReceivedCredit, postOutboundPayment } from '@edgestripe/treasury/test-helpers'

export async function treasuryFlow(stripe: StripeClient, log: (line: string) => void = console.log) {
  const account = await createFinancialAccount(stripe, {
    supported_currencies: ['usd'],
    features: { outbound_payments: { ach: { requested: true } } },
  })
  log(`financial account ${account.id}`)
  const credit = await createReceivedCredit(stripe, { financial_account: account.id, currency: 'usd', amount: 50_000, network: 'ach' })
  log(`received ${credit.amount / 100} ${credit.currency}: ${credit.status}`)
  // One idempotency key per logical payment: a retried request never pays twice.
  const payment = await createOutboundPayment(
    stripe,
    {
      financial_account: account.id,
      currency: 'usd',
      amount: 12_500,
      statement_descriptor: 'Invoice 42',
      destination_payment_method_data: {
        type: 'us_bank_account',
        us_bank_account: { routing_number: '110000000', account_number: '000000000009' },
      },
    },
    { idempotencyKey: `invoice-42-${account.id}` },
  )
  log(`outbound payment ${payment.id}: ${payment.status}`)
  const posted = await postOutboundPayment(stripe, payment.id)
  log(`outbound payment ${posted.id}: ${posted.status}`)
  const balance = (await retrieveFinancialAccount(stripe, account.id)).balance
  log(`balance: ${JSON.stringify(balance.cash)}`)
  const { data: ledger } = await listTransactions(stripe, { financial_account: account.id, limit: 100 })
  for (const t of ledger) log(`transaction ${t.id} ${t.flow_type} ${t.amount / 100} ${t.status}`)
  return { account, payment: posted, balance, ledger }
}

/**
 * A client from the environment. Treasury lives on connected accounts: STRIPE_ACCOUNT (`acct_…`)
 * is sent as `Stripe-Account` on every request (the platform's own key, acting for that account).
 */
export function clientFromEnv(env: Record<string, string | undefined>): StripeClient {
  const apiKey = env.STRIPE_SECRET_KEY?.trim()
  if (!apiKey) throw new Error('Set STRIPE_SECRET_KEY (sk_test_…).')
  const stripeAccount = env.STRIPE_ACCOUNT?.trim()
  if (stripeAccount && !/^acct_\w+$/.test(stripeAccount))
    throw new Error(`STRIPE_ACCOUNT must be a connected account id (acct_…), not ${stripeAccount}.`)
  const base = env.STRIPE_API_BASE?.trim()
  return createStripe({ apiKey, ...(stripeAccount ? { stripeAccount } : {}), ...(base ? { baseURL: base } : {}) })
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!process.env.STRIPE_ACCOUNT) console.warn('No STRIPE_ACCOUNT: Treasury calls go to the platform account itself.')
  await treasuryFlow(clientFromEnv(process.env))
}
