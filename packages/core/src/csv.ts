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
  const state: CsvState = {
    mode: FIELD,
    quoted: false,
    field: '',
    row: [],
    line: 1,
    rowLine: 1,
    fieldLine: 1,
    header: undefined,
    protoKey: false,
  }
  const rows: Record<string, string>[] = []
  let started = false
  try {
    for (;;) {
      const { done, value } = await reader.read()
      let text = done ? decoder.decode() : typeof value === 'string' ? value : decoder.decode(value, { stream: true })
      if (!started && text) {
        started = true
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      }
      let failure: unknown
      try {
        scanChunk(state, text, done, rows)
      } catch (error) {
        failure = error
      }
      // The rows before a malformed one are still yielded, then the error.
      for (let k = 0; k < rows.length; k++) yield rows[k] as Row
      rows.length = 0
      if (failure) throw failure
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
  /** The current field's text so far (when it spans chunks or holds `""`). */
  field: string
  /** The current row's finished fields. */
  row: string[]
  /** 1-based line of the scan, of the current row's start, of the current quoted field's start. */
  line: number
  rowLine: number
  fieldLine: number
  header: string[] | undefined
  /** The header has a `__proto__` column: rows are built with `defineProperty` (an own key, not the prototype). */
  protoKey: boolean
}

/** Characters handed to the scanner so far, by every parser (tests check each is scanned once: work is linear). */
export let _scanned = 0

/**
 * Scans one chunk, carrying the state to the next; appends the rows it completes to `out`. Jumps
 * with `indexOf` from one delimiter to the next and slices fields out whole (no per-character
 * loop); the next comma and line break are remembered, so each character is searched at most
 * once per delimiter kind: work stays linear however the text is chunked.
 */
function scanChunk(s: CsvState, text: string, final: boolean, out: Record<string, string>[]): void {
  const n = text.length
  _scanned += n
  let i = 0
  let comma = -2 // position of the next `,` at or after i (-1: none in this chunk, -2: not searched yet)
  let newline = -2
  while (i < n) {
    const mode = s.mode
    if (mode === QUOTED) {
      const quote = text.indexOf('"', i)
      const end = quote === -1 ? n : quote
      if (end > i) {
        const piece = text.slice(i, end)
        s.field += piece
        for (let at = piece.indexOf('\n'); at !== -1; at = piece.indexOf('\n', at + 1)) s.line++
      }
      if (quote === -1) break
      s.mode = QUOTE
      i = quote + 1
    } else if (mode === QUOTE || mode === QUOTE_CR) {
      const c = text.charCodeAt(i++)
      if (mode === QUOTE && c === 34) {
        s.field += '"' // `""`: one quote, still in quotes
        s.mode = QUOTED
      } else if (mode === QUOTE && c === 13) s.mode = QUOTE_CR
      else if (c === 10 || (mode === QUOTE && c === 44)) endField(s, s.field, c, out)
      else throw csvError('csv_invalid_quote', `Unexpected text after a closing quote on line ${s.line}.`)
    } else if (mode === FIELD && text.charCodeAt(i) === 34) {
      s.mode = QUOTED
      s.quoted = true
      s.fieldLine = s.line
      i++
    } else {
      if (comma !== -1 && comma < i) comma = text.indexOf(',', i)
      if (newline !== -1 && newline < i) newline = text.indexOf('\n', i)
      const stop = comma === -1 ? newline : newline === -1 || comma < newline ? comma : newline
      if (stop === -1) {
        s.field += text.slice(i)
        s.mode = PLAIN
        break
      }
      endField(s, mode === PLAIN ? s.field + text.slice(i, stop) : text.slice(i, stop), text.charCodeAt(stop), out)
      i = stop + 1
    }
  }
  if (!final) return
  if (s.mode === QUOTED) throw csvError('csv_unterminated_quote', `Unterminated quoted field starting on line ${s.fieldLine}.`)
  if (s.mode !== FIELD || s.row.length) endField(s, s.field, -1, out)
}

/** Ends the current field with `value` on `c` (a comma, a line break, or -1 at the end); appends the row when it ends one. */
function endField(s: CsvState, value: string, c: number, out: Record<string, string>[]): void {
  const quoted = s.quoted
  if (c !== 44 && !quoted && value.charCodeAt(value.length - 1) === 13) value = value.slice(0, -1)
  const row = s.row
  row.push(value)
  s.field = ''
  s.mode = FIELD
  s.quoted = false
  if (c === 44) return
  const at = s.rowLine
  s.rowLine = ++s.line
  s.row = []
  if (row.length === 1 && value === '' && !quoted) return
  const header = s.header
  if (!header) {
    s.header = row
    s.protoKey = row.includes('__proto__')
    return
  }
  if (row.length !== header.length) {
    throw csvError('csv_field_count', `Line ${at} has ${row.length} fields; the header has ${header.length}.`)
  }
  const record: Record<string, string> = {}
  if (s.protoKey) {
    for (let k = 0; k < header.length; k++) {
      // `!`: k < header.length === row.length.
      Object.defineProperty(record, header[k]!, { value: row[k], enumerable: true, writable: true, configurable: true })
    }
  } else for (let k = 0; k < header.length; k++) record[header[k]!] = row[k]! // as above
  out.push(record)
}

function csvError(code: string, message: string): StripeCsvError {
  return new StripeCsvError({ message, raw: { type: 'api_error', code } })
}
