import { StripeError } from './errors.js'

// Hand-written: the streaming parsers on npm are Node-stream based or several KB gzipped; this is < 1 KB.

/** Malformed CSV: `code` is `csv_unterminated_quote`, `csv_invalid_quote` or `csv_field_count`. */
export class StripeCsvError extends StripeError {
  override get name(): string {
    return 'StripeCsvError'
  }
}

/**
 * Streams a CSV file (RFC 4180) as one object per row, keyed by the header row. Handles quoted
 * fields (commas, `""`, line breaks), CRLF or LF, a UTF-8 BOM, a last line without a line break,
 * and text split anywhere across chunks. Memory: one chunk plus the current row.
 *
 * Strict where a report must not be silently misread: a row with another number of fields than the
 * header, an unterminated quote, or text after a closing quote throws `StripeCsvError` (with the
 * line). Blank lines are skipped (a one-column file writes an empty value as `""`). Fields are
 * strings; `Row` only types them. Stopping early cancels the stream (and so its download).
 */
export async function* parseCsv<Row extends Record<string, string> = Record<string, string>>(
  stream: ReadableStream<Uint8Array | string>,
): AsyncGenerator<Row, void, undefined> {
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  const state: CsvState = { mode: FIELD, quoted: false, field: [], row: [], line: 1, rowLine: 1, fieldLine: 1, header: undefined }
  let started = false
  try {
    for (;;) {
      const { done, value } = await reader.read()
      let text = done ? decoder.decode() : typeof value === 'string' ? value : decoder.decode(value, { stream: true })
      if (!started && text) {
        started = true
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      }
      yield* _rows(state, text, done) as Iterable<Row>
      if (done) return
    }
  } finally {
    reader.cancel().catch(() => {})
  }
}

/** Where the scan is: at a field's start, in an unquoted field, in quotes, just after a `"` in quotes, after closing quote + CR. */
const FIELD = 0
const PLAIN = 1
const QUOTED = 2
const QUOTE = 3
const QUOTE_CR = 4

interface CsvState {
  mode: number
  /** The current field started with a quote. */
  quoted: boolean
  /** The current field's text so far, in pieces (joined once, when it ends). */
  field: string[]
  /** The current row's finished fields. */
  row: string[]
  /** 1-based line of the scan, of the current row's start, of the current quoted field's start. */
  line: number
  rowLine: number
  fieldLine: number
  header: string[] | undefined
}

/** Characters scanned so far, by every parser (tests check each is scanned once: work is linear). */
export let _scanned = 0

/** Scans one chunk, each character once, carrying the state to the next; yields the rows it completes. */
function* _rows(s: CsvState, text: string, final: boolean): Generator<Record<string, string>> {
  const n = text.length
  _scanned += n
  let from = 0 // start of the current field's text not yet in `s.field`
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    const mode = s.mode
    if (mode === QUOTED) {
      if (c === 34) {
        s.field.push(text.slice(from, i))
        s.mode = QUOTE
      } else if (c === 10) s.line++
    } else if (mode === QUOTE && c === 34) {
      s.mode = QUOTED // `""`: this quote starts the next piece
      from = i
    } else if (mode === QUOTE && c === 13) s.mode = QUOTE_CR
    else if (mode === QUOTE || mode === QUOTE_CR) {
      if (c !== 10 && (mode === QUOTE_CR || c !== 44)) {
        throw csvError('csv_invalid_quote', `Unexpected text after a closing quote on line ${s.line}.`)
      }
      const row = _end(s, c)
      if (row) yield row
    } else if (mode === FIELD && c === 34) {
      s.mode = QUOTED
      s.quoted = true
      s.fieldLine = s.line
      from = i + 1
    } else {
      if (mode === FIELD) {
        s.mode = PLAIN
        from = i
      }
      if (c === 44 || c === 10) {
        s.field.push(text.slice(from, i))
        const row = _end(s, c)
        if (row) yield row
      }
    }
  }
  if (s.mode === PLAIN || s.mode === QUOTED) s.field.push(text.slice(from))
  if (!final) return
  if (s.mode === QUOTED) throw csvError('csv_unterminated_quote', `Unterminated quoted field starting on line ${s.fieldLine}.`)
  if (s.mode !== FIELD || s.row.length) {
    const row = _end(s, -1)
    if (row) yield row
  }
}

/** Ends the current field on `c` (a comma, a line break, or -1 at the end); returns the row when it ends one. */
function _end(s: CsvState, c: number): Record<string, string> | undefined {
  let value = s.field.join('')
  if (c !== 44 && !s.quoted && value.endsWith('\r')) value = value.slice(0, -1)
  const { quoted, row, header } = s
  row.push(value)
  s.field = []
  s.mode = FIELD
  s.quoted = false
  if (c === 44) return
  const at = s.rowLine
  s.rowLine = ++s.line
  s.row = []
  if (row.length === 1 && value === '' && !quoted) return
  if (!header) s.header = row
  else if (row.length !== header.length) {
    throw csvError('csv_field_count', `Line ${at} has ${row.length} fields; the header has ${header.length}.`)
  } else return Object.fromEntries(header.map((key, k) => [key, row[k]!]))
}

function csvError(code: string, message: string): StripeCsvError {
  return new StripeCsvError({ message, raw: { type: 'api_error', code } })
}
