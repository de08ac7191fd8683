// The counts the READMEs state are the packages' counts: every "N operations" (N test-helper
// operations when the phrase names `test_helpers`) and every "N `prefix.*` events" in a package's
// README and in the root README's package table, and the rows of each generated operations table.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')
const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve']
WORDS.push('thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty')
const NUMBER = `(\\d+|${WORDS.join('|')})`
const number = (text: string) => (/^\d+$/.test(text) ? Number(text) : WORDS.indexOf(text.toLowerCase()))

const domains = readdirSync(join(root, 'packages')).filter((name) => existsSync(join(root, 'packages', name, 'src', 'operations.ts')))

interface Counts {
  operations: number
  testHelpers: number
  events: string[]
}

async function counts(name: string): Promise<Counts> {
  const src = join(root, 'packages', name, 'src')
  const { operations } = (await import(join(src, 'operations.ts'))) as { operations: Record<string, unknown> }
  const helpers = existsSync(join(src, 'test-helpers.ts'))
    ? ((await import(join(src, 'test-helpers.ts'))) as { operations?: Record<string, unknown> }).operations
    : undefined
  let events: string[] = []
  if (existsSync(join(src, 'generated', 'events.ts'))) {
    const module = (await import(join(src, 'generated', 'events.ts'))) as Record<string, unknown>
    const map = Object.entries(module).find(([key]) => /Events$/.test(key))?.[1] as Record<string, unknown>
    events = Object.keys(map)
  }
  return { operations: Object.keys(operations).length, testHelpers: Object.keys(helpers ?? {}).length, events }
}

/** Every "N operations" / "N `…` operations" claim in a text. */
function operationClaims(text: string) {
  const re = new RegExp(`\\b${NUMBER}\\s+(?:\`([^\`]*)\`\\s+)?operations\\b`, 'gi')
  return [...text.matchAll(re)].map((m) => ({ said: number(m[1] as string), helpers: /test_helpers/.test(m[2] ?? ''), phrase: m[0] }))
}

/** Every "N events" / "N `prefix.*` events" claim in a text. */
function eventClaims(text: string) {
  const re = new RegExp(`\\b${NUMBER}\\s+(?:\`([^\`]*)\`\\s+)?events\\b`, 'gi')
  return [...text.matchAll(re)].map((m) => ({ said: number(m[1] as string), pattern: m[2], phrase: m[0] }))
}

const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`)

describe('README counts match the packages', () => {
  it('finds the domain packages', () => {
    expect(domains.length).toBeGreaterThanOrEqual(7)
  })

  it.each(domains)('packages/%s/README.md', async (name) => {
    const readme = readFileSync(join(root, 'packages', name, 'README.md'), 'utf8')
    const actual = await counts(name)
    for (const claim of operationClaims(readme)) {
      expect(claim.said, `"${claim.phrase}"`).toBe(claim.helpers ? actual.testHelpers : actual.operations)
    }
    for (const claim of eventClaims(readme)) {
      const matching = claim.pattern ? actual.events.filter((type) => glob(claim.pattern as string).test(type)) : actual.events
      expect(claim.said, `"${claim.phrase}" (the package has ${matching.join(', ')})`).toBe(matching.length)
    }
    const table = /<!-- codegen:operations[^>]*-->([\s\S]*?)<!-- \/codegen:operations -->/.exec(readme)?.[1]
    if (table) {
      const rows = table.split('\n').filter((line) => /^\| `[a-z]/.test(line))
      expect(rows.length).toBe(actual.operations + actual.testHelpers)
    }
  })

  it.each(domains)("the root README's row for @edgestripe/%s", async (name) => {
    const row = readFileSync(join(root, 'README.md'), 'utf8')
      .split('\n')
      .find((line) => line.startsWith(`| [\`@edgestripe/${name}\`]`)) as string
    const actual = await counts(name)
    expect(operationClaims(row).map((c) => c.said)).toEqual([actual.operations])
    const helpers = /\(\+ (\d+) in `@edgestripe\/[a-z-]+\/test-helpers`\)/.exec(row)
    expect(helpers ? Number(helpers[1]) : 0).toBe(actual.testHelpers)
  })

  it('reads the claims it should (the parser sees the phrases the READMEs use)', () => {
    expect(operationClaims('Stripe API: 33 operations (32 from the spec), the 13 `/v1/test_helpers/x/*` operations')).toEqual([
      { said: 33, helpers: false, phrase: '33 operations' },
      { said: 13, helpers: true, phrase: '13 `/v1/test_helpers/x/*` operations' },
    ])
    expect(eventClaims('maps the six\n`identity.verification_session.*` events').map((c) => [c.said, c.pattern])).toEqual([
      [6, 'identity.verification_session.*'],
    ])
  })
})
