import { describe, expect, it } from 'vitest'
import { budgets, entries, measureBundle } from '../scripts/bench/bundle'
import { domainEntries } from '../scripts/bench/generated/domains'

// Bundle size is deterministic, so budgets are tests; `pnpm bench` records the figures in BENCHMARKS.md.
describe('bundle size (esbuild, minified, gzip -9)', () => {
  for (const [name, [target, fail]] of Object.entries(budgets) as [keyof typeof entries, [number, number]][]) {
    it(`${name} stays within ${fail} B (target ${target} B)`, async () => {
      const report = await measureBundle(name, entries[name])
      const parts = Object.entries(report.parts)
        .sort((a, b) => b[1] - a[1])
        .map(([part, bytes]) => `${part} ${bytes}`)
        .join(', ')
      console.log(`${name}: ${report.gzip} B gzipped (${report.minified} B minified; ${parts})`)
      expect(report.gzip).toBeLessThanOrEqual(fail)
    })
  }

  it('drops every operation a Worker does not import (tree-shaking)', async () => {
    const one = await measureBundle('one', `import { listReportTypes } from '@edgestripe/reporting'; export { listReportTypes }`)
    expect(Object.keys(one.parts).filter((part) => part.startsWith('treasury') || part.startsWith('sources'))).toEqual([])
    const nothing = await measureBundle(
      'nothing',
      [
        '@edgestripe/core',
        '@edgestripe/core/schema',
        '@edgestripe/core/ofetch',
        '@edgestripe/core/logging',
        ...domainEntries,
        ...domainEntries.filter((entry) => !entry.includes('/', '@edgestripe/'.length)).map((entry) => `${entry}/deep`),
        '@edgestripe/testing',
        '@edgestripe/opentelemetry',
      ]
        .map((entry) => `import '${entry}'`)
        .join('\n'),
    )
    expect(nothing.minified).toBe(0)
  })

  it('bundles from the built packages as small as from their sources, for partial imports too', async () => {
    // The budgets bundle the sources; users bundle dist/. A build that merged modules would keep
    // top-level code a bundler cannot prove pure in every bundle (sideEffects: false only drops
    // whole files): a webhook-only Worker grew by 40 % that way once.
    // The core is one module per entry: a top-level initializer a bundler cannot prove pure (a
    // template literal, `new RegExp(…)`, `new TextEncoder()`) needs `/* @__PURE__ */` or it lands here.
    for (const names of [
      'verifyWebhook',
      'redactKey',
      'parseCsv',
      'StripeError',
      'createStripe, request',
      'paginate',
      'encodeForm',
      'narrowEvent',
    ]) {
      const source = `export { ${names} } from '@edgestripe/core'`
      const [src, dist] = await Promise.all([measureBundle(names, source), measureBundle(names, source, 'dist')])
      expect(dist.gzip, names).toBeLessThanOrEqual(src.gzip * 1.03 + 40)
    }
    const source = entries.retrieveSource
    const [src, dist] = await Promise.all([measureBundle('src', source), measureBundle('dist', source, 'dist')])
    expect(dist.gzip).toBeLessThanOrEqual(src.gzip * 1.03 + 40)
  })

  it('bundles no logging code into a single-call Worker without the logging plugin, and all of it with', async () => {
    const logFiles = (files: string[]) => files.filter((file) => /^packages\/core\/(src|dist)\/log/.test(file))
    for (const from of ['src', 'dist'] as const) {
      const without = await measureBundle('retrieveSource', entries.retrieveSource, from)
      expect(logFiles(without.files)).toEqual([])
      // ('[redacted]' is no marker of logging: redact.ts is the core's one redaction, and every
      // StripeError's message goes through it.)
      for (const text of ['[edgestripe]', 'EDGESTRIPE_LOG', 'logging level']) expect(without.code).not.toContain(text)
    }
    const withLogging = await measureBundle(
      'retrieveSource + logging',
      entries.retrieveSource
        .replace(
          "import { createStripe } from '@edgestripe/core'",
          "import { createStripe } from '@edgestripe/core'\nimport { logging } from '@edgestripe/core/logging'",
        )
        .replace('createStripe({ publishableKey: env.PK })', 'createStripe({ publishableKey: env.PK, plugins: [logging()] })'),
    )
    expect(logFiles(withLogging.files).sort()).toEqual(['packages/core/src/log.ts', 'packages/core/src/logging.ts'])
    expect(withLogging.code).toContain('EDGESTRIPE_LOG')
  })

  it('keeps only the operation constants a Worker imports from /operations (the record pulls them all)', async () => {
    const source = (what: string) => `import { request, createStripe } from '@edgestripe/core'\n${what}`
    const one = await measureBundle(
      'one',
      source(`import { GetTreasuryTransactions } from '@edgestripe/treasury/operations'
export default { fetch: () => request(createStripe({ apiKey: 'sk_test_1' }), GetTreasuryTransactions, { params: { financial_account: 'fa_1' } }) }`),
    )
    const all = await measureBundle(
      'all',
      source(`import { operations } from '@edgestripe/treasury/operations'
export default { fetch: () => request(createStripe({ apiKey: 'sk_test_1' }), operations.GetTreasuryTransactions, { params: { financial_account: 'fa_1' } }) }`),
    )
    expect(one.parts['treasury/generated/operations']).toBeLessThan(400)
    expect(all.parts['treasury/generated/operations']).toBeGreaterThan(5000)
  })
})
