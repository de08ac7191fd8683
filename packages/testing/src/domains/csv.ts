/** RFC 4180 CSV text (CRLF-free, `\n` line ends as Stripe's reports). */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cell = (value: unknown): string => {
    const text = value === null || value === undefined ? '' : String(value)
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
  }
  const lines = [columns.map(cell).join(',')]
  for (const row of rows) lines.push(columns.map((column) => cell(row[column])).join(','))
  return `${lines.join('\n')}\n`
}

/** Minor units → decimal string in major units (`1234` → `"12.34"`). */
export function formatAmount(minor: number): string {
  const sign = minor < 0 ? '-' : ''
  const abs = Math.abs(minor)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** Unix seconds → `YYYY-MM-DD HH:MM:SS` (UTC), as Stripe report `*_utc` columns. */
export function formatUtc(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 19)
}
