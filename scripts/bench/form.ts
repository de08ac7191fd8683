// `encodeForm` on the createOutboundPayment nested body, against `qs` configured as stripe-node
// uses it (the oracle of test/form.test.ts). Interleaved rounds, medians, µs per call.
import qs from 'qs'
import { encodeForm } from '../../packages/core/src/index'
import { median } from './median'

const body = {
  amount: 1000,
  currency: 'usd',
  financial_account: 'fa_123',
  destination_payment_method_data: {
    type: 'us_bank_account',
    billing_details: {
      address: { city: 'San Francisco', country: 'US', line1: '1 Main St', postal_code: '94111', state: 'CA' },
      email: 'jenny@example.com',
      name: 'Jenny Rosen',
    },
    us_bank_account: { account_holder_type: 'individual', account_number: '000123456789', routing_number: '110000000' },
  },
  metadata: { order_id: '42' },
  statement_descriptor: 'ORDER 42',
  expand: ['financial_account'],
}

export async function formBench(rounds = 7, calls = 20_000): Promise<string[]> {
  const stripeNodeStyle = () => qs.stringify(body).replace(/%5B/g, '[').replace(/%5D/g, ']')
  if ([...new URLSearchParams(encodeForm(body))].join() !== [...new URLSearchParams(stripeNodeStyle())].join()) {
    throw new Error('encodeForm and qs disagree')
  }
  const contenders: [string, () => unknown][] = [
    ['edgestripe encodeForm (checks every value)', () => encodeForm(body)],
    ['qs.stringify as stripe-node uses it', stripeNodeStyle],
  ]
  const times = contenders.map(() => [] as number[])
  for (const [, run] of contenders) for (let i = 0; i < calls; i++) run()
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (k + r) % contenders.length
      const run = contenders[index]![1]
      const start = performance.now()
      for (let i = 0; i < calls; i++) run()
      times[index]!.push(((performance.now() - start) / calls) * 1000)
    }
  }
  return [
    '',
    '## encodeForm, createOutboundPayment body',
    '',
    `Nested body (billing address, bank account, metadata, expand); medians of ${rounds} interleaved rounds × ${calls} calls (scripts/bench/form.ts).`,
    '',
    '| encoder | median µs/call |',
    '|---|---|',
    ...contenders.map(([name], k) => `| ${name} | ${median(times[k]!).toFixed(2)} |`),
  ]
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await formBench()).join('\n'))
