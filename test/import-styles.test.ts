// The root README's "Which import style" table states what one retrieve costs in a Worker bundle
// as a function, an operation constant, through the `operations` record and through the plugin.
// This measures the four (scripts/bench/bundle.ts: esbuild, minified, gzip -9, from the sources)
// and fails when a stated size is off by more than 0.3 KB or the order changes.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { measureBundle, root } from '../scripts/bench/bundle'

const worker = (imports: string, call: string) =>
  `import { createStripe, request } from '@edgestripe/core'\n${imports}\nconst stripe = createStripe({ apiKey: 'sk_test_1'${call.includes('treasury.') ? ', plugins: [treasuryPlugin]' : ''} })\nexport default { fetch: async () => Response.json(await ${call}) }\n`

const styles: Record<string, string> = {
  function: worker(`import { retrieveOutboundPayment } from '@edgestripe/treasury'`, `retrieveOutboundPayment(stripe, 'obp_1')`),
  'operation constant': worker(
    `import { GetTreasuryOutboundPaymentsId } from '@edgestripe/treasury/operations'`,
    `request(stripe, GetTreasuryOutboundPaymentsId, { path: { id: 'obp_1' } })`,
  ),
  '`operations` record': worker(
    `import { operations } from '@edgestripe/treasury/operations'`,
    `request(stripe, operations.GetTreasuryOutboundPaymentsId, { path: { id: 'obp_1' } })`,
  ),
  plugin: worker(`import { treasuryPlugin } from '@edgestripe/treasury'`, `stripe.treasury.outboundPayments.retrieve('obp_1')`),
}

/** The README's table: style → stated KB. */
function stated(): Map<string, number> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const table = /<!-- import-styles: measured -->([\s\S]*?)<!-- \/import-styles -->/.exec(readme)?.[1] ?? ''
  const rows = new Map<string, number>()
  for (const line of table.split('\n')) {
    const row = /^\| ([^|]+?) \|.*\| ([\d.]+) KB \|$/.exec(line)
    if (row) rows.set(row[1] as string, Number(row[2]))
  }
  return rows
}

describe('root README: which import style, and what it costs', () => {
  it('states every style, each within 0.3 KB of its measured gzip size', async () => {
    const rows = stated()
    expect([...rows.keys()]).toEqual(Object.keys(styles))
    const measured: Record<string, number> = {}
    for (const [style, source] of Object.entries(styles)) measured[style] = (await measureBundle(style, source)).gzip / 1000
    for (const [style, kb] of rows)
      expect(
        Math.abs((measured[style] as number) - kb),
        `${style}: README ${kb} KB, measured ${measured[style]?.toFixed(2)} KB`,
      ).toBeLessThanOrEqual(0.3)
    // what the README advises rests on this order
    expect(measured.function).toBeLessThan(measured.plugin as number)
    expect(measured['operation constant']).toBeLessThan(measured['`operations` record'] as number)
  }, 60_000)
})
