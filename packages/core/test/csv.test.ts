import fc from 'fast-check'
import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import { _scanned, parseCsv, StripeCsvError } from '../src/csv'

const encoder = new TextEncoder()

function streamOf<T>(chunks: T[]): ReadableStream<T> {
  let k = 0
  return new ReadableStream({
    pull(controller) {
      if (k < chunks.length) controller.enqueue(chunks[k++]!)
      else controller.close()
    },
  })
}

/** Splits `bytes` at the given cut points (sorted, deduplicated), mid-character included. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const out: Uint8Array[] = []
  let from = 0
  for (const p of [...points, bytes.length]) {
    if (p > from) out.push(bytes.slice(from, p))
    from = Math.max(from, p)
  }
  return out
}

async function rows(input: string | ReadableStream<Uint8Array | string>): Promise<Record<string, string>[]> {
  const out: Record<string, string>[] = []
  for await (const row of parseCsv(typeof input === 'string' ? streamOf([input]) : input)) out.push(row)
  return out
}

const quote = (v: string) => `"${v.replace(/"/g, '""')}"`

describe('parseCsv', () => {
  it('reads a header row and typed rows', async () => {
    const out: { id: string; amount: string }[] = []
    for await (const row of parseCsv<{ id: string; amount: string }>(streamOf(['id,amount\ntxn_1,100\n']))) out.push(row)
    expect(out).toEqual([{ id: 'txn_1', amount: '100' }])
  })

  it('handles RFC 4180 quoting, CRLF, a BOM and a last line without a line break', async () => {
    const text = '\ufeffa,b,c\r\n"x,1","say ""hi""","two\r\nlines"\r\n,,\r\nlast,"",end'
    expect(await rows(text)).toEqual([
      { a: 'x,1', b: 'say "hi"', c: 'two\r\nlines' },
      { a: '', b: '', c: '' },
      { a: 'last', b: '', c: 'end' },
    ])
  })

  it('decodes UTF-8 split across chunks, byte by byte', async () => {
    const bytes = encoder.encode('\ufeffname,emoji\n"é, 😀",ü\n')
    const chunks = Array.from(bytes, (b) => new Uint8Array([b]))
    expect(await rows(streamOf(chunks))).toEqual([{ name: 'é, 😀', emoji: 'ü' }])
  })

  it('skips blank lines but keeps a quoted empty value', async () => {
    expect(await rows('a\n\n""\r\n\nz')).toEqual([{ a: '' }, { a: 'z' }])
  })

  it('keeps header names like __proto__ as own keys', async () => {
    const [row] = await rows('__proto__,b\n1,2\n')
    expect(Object.keys(row!)).toEqual(['__proto__', 'b'])
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype)
  })

  it.each([
    ['a,b\n1,2,3\n', 'csv_field_count', /Line 2 has 3 fields; the header has 2/],
    ['a,b\n1\n', 'csv_field_count', /Line 2 has 1 fields/],
    ['a,b\n"1,2\n', 'csv_unterminated_quote', /line 2/],
    ['a,b\n"1"x,2\n', 'csv_invalid_quote', /line 2/],
  ])('throws StripeCsvError on %j', async (text, code, message) => {
    const error = await rows(text).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StripeCsvError)
    expect(error).toMatchObject({ name: 'StripeCsvError', code })
    expect((error as Error).message).toMatch(message)
  })

  it('cancels the source stream when the consumer stops early', async () => {
    let cancelled = false
    const stream = new ReadableStream<string>({
      pull: (c) => c.enqueue('x\n1\n'),
      cancel: () => {
        cancelled = true
      },
    })
    for await (const _ of parseCsv(stream)) break
    expect(cancelled).toBe(true)
  })

  it('scans each character once: a 2 MB one-field row in 64-byte chunks is linear work', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024)
    for (const field of [big, `"${big.slice(1000)}""${'y\n'.repeat(500)}"`]) {
      const text = `h\r\n${field}\r\n`
      const bytes = encoder.encode(text)
      const chunks = Array.from({ length: Math.ceil(bytes.length / 64) }, (_, k) => bytes.subarray(k * 64, k * 64 + 64))
      const before = _scanned
      const started = performance.now()
      const [row, ...rest] = await rows(streamOf(chunks))
      // The quadratic parser re-read the unfinished row on every chunk: ~32 000 times here.
      expect(_scanned - before).toBe(text.length)
      expect(performance.now() - started).toBeLessThan(2000) // generous; linear takes a few ms, quadratic minutes
      expect(rest).toEqual([])
      expect(row!.h).toBe(field.startsWith('"') ? `${big.slice(1000)}"${'y\n'.repeat(500)}` : big)
    }
  })

  it('matches papaparse on random documents and random chunk splits (fuzz)', async () => {
    const char = fc.constantFrom('a', 'b', ' ', ',', '"', '\r', '\n', '\r\n', 'é', '😀', '中', '\t', ';')
    const field = fc.string({ unit: char, maxLength: 8 })
    const doc = fc
      .record({
        columns: fc.integer({ min: 1, max: 5 }),
        rows: fc.integer({ min: 0, max: 6 }),
        eol: fc.constantFrom('\n', '\r\n'),
        trailingEols: fc.integer({ min: 0, max: 3 }), // a last line break, then empty trailing lines
        bom: fc.boolean(),
        quoteAll: fc.boolean(),
      })
      .chain((shape) =>
        fc.record({
          shape: fc.constant(shape),
          header: fc.uniqueArray(fc.string({ unit: char, minLength: 1, maxLength: 6 }), {
            minLength: shape.columns,
            maxLength: shape.columns,
          }),
          // One column: a lone empty value would be a blank line, so keep them non-empty.
          body: fc.array(
            fc.array(shape.columns === 1 ? field.filter((v) => v !== '') : field, { minLength: shape.columns, maxLength: shape.columns }),
            {
              minLength: shape.rows,
              maxLength: shape.rows,
            },
          ),
          cuts: fc.array(fc.nat(), { maxLength: 12 }),
        }),
      )
    await fc.assert(
      fc.asyncProperty(doc, async ({ shape, header, body, cuts }) => {
        const cell = (v: string) => (shape.quoteAll || /[",\r\n]/.test(v) || v === '' ? quote(v) : v)
        const text = [header, ...body].map((r) => r.map(cell).join(',')).join(shape.eol) + shape.eol.repeat(shape.trailingEols)
        const oracle = Papa.parse<Record<string, string>>(text, {
          header: true,
          delimiter: ',',
          newline: shape.eol as '\n',
          skipEmptyLines: true,
        })
        expect(oracle.errors).toEqual([])
        const bytes = encoder.encode((shape.bom ? '\ufeff' : '') + text)
        expect(await rows(streamOf(split(bytes, cuts)))).toEqual(oracle.data)
      }),
      { numRuns: 300 },
    )
  })
})
