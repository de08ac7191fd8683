// The Treasury flow in Node: open a financial account, receive funds (test mode), pay out of it,
// and read the ledger. `pnpm start` with STRIPE_SECRET_KEY (and STRIPE_API_BASE for the emulator).
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

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const apiKey = process.env.STRIPE_SECRET_KEY
  if (!apiKey) throw new Error('Set STRIPE_SECRET_KEY (sk_test_…).')
  const base = process.env.STRIPE_API_BASE
  await treasuryFlow(createStripe({ apiKey, ...(base ? { baseURL: base } : {}) }))
}
