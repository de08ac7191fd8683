// `parseCsv` against papaparse on the same web stream: a 200 MB Stripe-style balance report (some
// quoted fields with commas, quotes and line breaks, CRLF) in 64 KB UTF-8 chunks. Interleaved
// rounds, medians of MB/s; RSS growth sampled while parsing. Issue 9 targets ≥ 1.0× papaparse and
// ≤ 64 MB RSS growth.
import { Readable } from 'node:stream'
import Papa from 'papaparse'
import { parseCsv } from '../../packages/core/src/index'
import { median } from './median'

const HEADER =
  'balance_transaction_id,created_utc,available_on_utc,currency,gross,fee,net,reporting_category,source_id,description,customer_facing_amount,customer_facing_currency,customer_email,charge_id,payment_intent_id'

function report(megabytes: number): { stream: () => ReadableStream<Uint8Array>; bytes: number } {
  const rows: string[] = []
  for (let i = 0; i < 2000; i++) {
    const description = i % 7 === 0 ? `"Order ${i}, ""gift"" wrap"` : i % 53 === 0 ? `"Two\r\nlines ${i}"` : `Invoice ${i}`
    rows.push(
      `txn_1Abc${String(i).padStart(16, '0')},2024-04-${String((i % 28) + 1).padStart(2, '0')} 12:34:56,2024-05-01 00:00:00,usd,${(i * 37) % 100000},${(i * 3) % 500},${(i * 34) % 99500},charge,ch_3Xyz${i},${description},${i % 1000}.00,usd,customer${i}@example.com,ch_3Xyz${i},pi_3Xyz${i}`,
    )
  }
  const encoder = new TextEncoder()
  const block = encoder.encode(`${rows.join('\r\n')}\r\n`)
  const head = encoder.encode(`${HEADER}\r\n`)
  const blocks = Math.ceil((megabytes * 1024 * 1024) / block.length)
  const CHUNK = 64 * 1024
  const stream = () => {
    let sentHead = false
    let index = 0
    let offset = 0
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sentHead) {
          sentHead = true
          return controller.enqueue(head)
        }
        if (index >= blocks) return controller.close()
        const end = Math.min(offset + CHUNK, block.length)
        controller.enqueue(block.subarray(offset, end))
        offset = end
        if (offset === block.length) {
          offset = 0
          index++
        }
      },
    })
  }
  return { stream, bytes: head.length + blocks * block.length }
}

export async function csvBench(megabytes = Number(process.env.CSV_BENCH_MB ?? 200), rounds = 3): Promise<string[]> {
  const { stream, bytes } = report(megabytes)
  const rss = () => process.memoryUsage().rss
  const contenders: [string, () => Promise<{ rows: number; peak: number }>][] = [
    [
      'edgestripe parseCsv (web stream)',
      async () => {
        let rows = 0
        let peak = rss()
        for await (const row of parseCsv(stream())) {
          if (++rows % 50_000 === 0) peak = Math.max(peak, rss())
          if (row.currency !== 'usd') throw new Error('misread')
        }
        return { rows, peak }
      },
    ],
    [
      'papaparse 5.7.1 (same web stream, Node stream mode)',
      () =>
        new Promise((resolve, reject) => {
          let rows = 0
          let peak = rss()
          const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { header: true, skipEmptyLines: true })
          parser.on('data', (row: Record<string, string>) => {
            if (++rows % 50_000 === 0) peak = Math.max(peak, rss())
            if (row.currency !== 'usd') reject(new Error('misread'))
          })
          parser.on('end', () => resolve({ rows, peak }))
          parser.on('error', reject)
          Readable.fromWeb(stream() as never).pipe(parser)
        }),
    ],
  ]
  const speeds = contenders.map(() => [] as number[])
  const growth = contenders.map(() => 0)
  const counts = contenders.map(() => 0)
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (k + r) % contenders.length
      const before = rss()
      const start = performance.now()
      const { rows, peak } = await contenders[index]![1]()
      speeds[index]!.push(bytes / 1024 / 1024 / ((performance.now() - start) / 1000))
      growth[index] = Math.max(growth[index]!, peak - before)
      counts[index] = rows
    }
  }
  if (counts[0] !== counts[1]) throw new Error(`row counts differ: ${counts.join(' vs ')}`)
  const papa = median(speeds[1]!)
  return [
    '',
    `## parseCsv, ${Math.round(bytes / 1024 / 1024)} MB report`,
    '',
    `A Stripe-style balance report (${counts[0]} rows, CRLF, some quoted fields with commas, \`""\` and line breaks) as a web stream of 64 KB chunks; medians of ${rounds} interleaved rounds; RSS growth is the largest seen while parsing (scripts/bench/csv.ts). Targets: ≥ 1.0× papaparse, ≤ 64 MB RSS growth.`,
    '',
    '| parser | median MB/s | × papaparse | max RSS growth |',
    '|---|---|---|---|',
    ...contenders.map(
      ([name], k) =>
        `| ${name} | ${median(speeds[k]!).toFixed(1)} | ${(median(speeds[k]!) / papa).toFixed(2)}× | ${(growth[k]! / 1024 / 1024).toFixed(1)} MB |`,
    ),
  ]
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await csvBench()).join('\n'))
