// .ci/run's summary helpers (.ci/summary.sh), run by bash under `set -euo pipefail` as .ci/run
// does, on sample logs: every mix of runners present, absent, crashed, coloured. The summary line
// must always print, and never read as green when `npm test` failed.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'

const script = fileURLToPath(new URL('../.ci/summary.sh', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'ci-summary-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let n = 0
/**
 * Runs `ci_summary log status 7` as .ci/run does (set -euo pipefail), for each case in one bash
 * process → each case's lines.
 */
function summaries(cases: { log: string; status: number }[]): string[][] {
  const args = cases.flatMap(({ log, status }) => {
    const file = join(dir, `log-${n++}.txt`)
    writeFileSync(file, log)
    return [file, String(status)]
  })
  const loop = 'set -euo pipefail; . "$0"; while [ "$#" -gt 0 ]; do ci_summary "$1" "$2" 7; echo "<end>"; shift 2; done'
  const out = execFileSync('bash', ['-c', loop, script, ...args], { encoding: 'utf8' })
  const parts = out.split('<end>\n')
  expect(parts.at(-1)).toBe('')
  return parts.slice(0, -1).map((part) => part.trimEnd().split('\n'))
}

const summary = (log: string, status = 0): string[] => summaries([{ log, status }])[0] as string[]

const vitestOk = ' Test Files  40 passed (40)\n      Tests  1234 passed | 2 skipped (1236)\n   Start at  10:00:00\n'
const vitestFailed = ' Test Files  1 failed | 39 passed (40)\n      Tests  3 failed | 1231 passed (1234)\n'
const denoOk = 'running 2 tests from ./test/deno/smoke.test.ts\nok | 5 passed (12 steps) | 0 failed (1s)\n'
const denoFailed = 'FAILED | 4 passed | 1 failed (2s)\n\nerror: Test failed\n'

describe('.ci/summary.sh', () => {
  it('counts vitest and every deno run', () => {
    expect(summary(`${vitestOk}${denoOk}${denoOk}`)).toEqual([
      'vitest: 1234 passed, 0 failed; deno: 10 passed, 0 failed; 7s; npm test exit 0',
      '1244 passed, 0 failed',
    ])
    expect(summary(`${vitestFailed}${denoFailed}`, 1)).toEqual([
      'vitest: 1231 passed, 3 failed; deno: 4 passed, 1 failed; 7s; npm test exit 1',
      '1235 passed, 4 failed',
    ])
  })

  it('prints the summary when a runner printed no summary (the bug: set -e + pipefail exited first)', () => {
    expect(summary(vitestOk)).toEqual([
      'vitest: 1234 passed, 0 failed; deno: 0 passed, 0 failed; 7s; npm test exit 0',
      '1234 passed, 0 failed',
    ])
    expect(summary(denoOk, 1)).toEqual(['vitest: 0 passed, 0 failed; deno: 5 passed, 0 failed; 7s; npm test exit 1', '5 passed, 1 failed'])
    expect(summary('', 2)).toEqual(['vitest: 0 passed, 0 failed; deno: 0 passed, 0 failed; 7s; npm test exit 2', '0 passed, 1 failed'])
  })

  it('strips colour codes and takes vitest’s last Tests line', () => {
    const coloured = ` \x1b[2m     Tests \x1b[22m \x1b[1m\x1b[31m2 failed\x1b[39m\x1b[22m\x1b[2m | \x1b[22m\x1b[1m\x1b[32m9 passed\x1b[39m\x1b[22m\x1b[90m (11)\x1b[39m\n`
    expect(summary(`      Tests  1 passed (1)\n${coloured}\x1b[32mok\x1b[0m | 1 passed | 0 failed (0ms)\n`, 1)[1]).toBe(
      '10 passed, 2 failed',
    )
  })

  it('always prints two lines, never green for a failing exit status, on any log', () => {
    const line = fc.oneof(
      fc.constantFrom(vitestOk, vitestFailed, denoOk, denoFailed, 'Tests', 'ok | ', 'FAILED | x failed', '\x1b[31m', '\n'),
      fc.string(),
    )
    const cases = fc.sample(fc.record({ parts: fc.array(line, { maxLength: 8 }), status: fc.integer({ min: 0, max: 3 }) }), 15)
    const outs = summaries(cases.map(({ parts, status }) => ({ log: parts.join('\n'), status })))
    expect(outs).toHaveLength(cases.length)
    outs.forEach((out, i) => {
      expect(out).toHaveLength(2)
      const [, passed, failed] = /^(\d+) passed, (\d+) failed$/.exec(out[1] ?? '') ?? []
      expect(passed).toBeDefined()
      if ((cases[i] as { status: number }).status !== 0) expect(Number(failed)).toBeGreaterThan(0)
    })
  }, 120_000)
})
