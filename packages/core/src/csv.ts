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
  const state: CsvState = { text: '', line: 1, header: undefined }
  try {
    for (;;) {
      const { done, value } = await reader.read()
      state.text += done ? decoder.decode() : typeof value === 'string' ? value : decoder.decode(value, { stream: true })
      if (state.line === 1 && state.text.charCodeAt(0) === 0xfeff) state.text = state.text.slice(1)
      yield* _rows(state, done) as Iterable<Row>
      if (done) return
    }
  } finally {
    reader.cancel().catch(() => {})
  }
}

interface CsvState {
  /** Text not yet consumed: the start of an unfinished row. */
  text: string
  /** 1-based line number where `text` starts. */
  line: number
  header: string[] | undefined
}

/** Takes the complete rows off the front of `state.text` (all of it when `final`). */
function* _rows(state: CsvState, final: boolean): Generator<Record<string, string>> {
  const { text } = state
  const n = text.length
  let i = 0
  let rowStart = 0
  let rowLine = state.line
  let line = rowLine
  let fields: string[] = []
  let quoted = false
  while (rowStart < n) {
    let value: string
    quoted = text.charCodeAt(i) === 34
    if (quoted) {
      // Runs to a `"` not followed by another `"`; waits for more text when that is undecidable.
      const start = i
      value = ''
      let from = i + 1
      for (;;) {
        const q = text.indexOf('"', from)
        if (q < 0 || (q === n - 1 && !final)) {
          if (!final) return save(state, text, rowStart, rowLine)
          throw csvError('csv_unterminated_quote', `Unterminated quoted field starting on line ${line}.`)
        }
        value += text.slice(from, q)
        from = q + 1
        if (text.charCodeAt(from) !== 34) break
        value += '"'
        from++
      }
      for (let k = start; k < from; k++) if (text.charCodeAt(k) === 10) line++
      i = from
      if (text.charCodeAt(i) === 13 && (text.charCodeAt(i + 1) === 10 || (final && i === n - 1))) i++
      else if (i === n - 1 && !final) return save(state, text, rowStart, rowLine)
      const c = text.charCodeAt(i)
      if (i < n && c !== 44 && c !== 10) {
        throw csvError('csv_invalid_quote', `Unexpected text after a closing quote on line ${line}.`)
      }
    } else {
      const comma = text.indexOf(',', i)
      let nl = text.indexOf('\n', i)
      if (nl < 0) {
        if (!final) return save(state, text, rowStart, rowLine)
        nl = n
      }
      const end = comma >= 0 && comma < nl ? comma : nl
      value = text.slice(i, end === nl && end > i && text.charCodeAt(end - 1) === 13 ? end - 1 : end)
      i = end
    }
    fields.push(value)
    if (text.charCodeAt(i) === 44) {
      i++
      if (i < n || !final) continue
      fields.push('')
    }
    // End of a row: a line break, or the end of the text.
    const at = rowLine
    rowStart = ++i
    rowLine = ++line
    if (fields.length === 1 && value === '' && !quoted) {
      fields = []
      continue
    }
    const header = state.header
    if (!header) state.header = fields
    else if (fields.length !== header.length) {
      throw csvError('csv_field_count', `Line ${at} has ${fields.length} fields; the header has ${header.length}.`)
    } else yield Object.fromEntries(header.map((key, k) => [key, fields[k]!]))
    fields = []
  }
  save(state, text, n, line)
}

function save(state: CsvState, text: string, from: number, line: number): void {
  state.text = text.slice(from)
  state.line = line
}

function csvError(code: string, message: string): StripeCsvError {
  return new StripeCsvError({ message, raw: { type: 'api_error', code } })
}
