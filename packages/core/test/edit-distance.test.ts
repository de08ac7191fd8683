// The "Did you mean" distance (validate.ts `_editDistance`) against Levenshtein's recursive
// definition as the oracle, on random strings over a small alphabet (so that edits collide).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { _editDistance } from '../src/validate'

function oracle(a: string, b: string): number {
  const memo = new Map<string, number>()
  const d = (i: number, j: number): number => {
    if (i === 0) return j
    if (j === 0) return i
    const key = `${i},${j}`
    const known = memo.get(key)
    if (known !== undefined) return known
    const value = Math.min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1))
    memo.set(key, value)
    return value
  }
  return d(a.length, b.length)
}

describe('_editDistance', () => {
  it('is Levenshtein distance', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '_'), maxLength: 12 })
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(_editDistance(a, b)).toBe(oracle(a, b))
      }),
      { numRuns: 2000 },
    )
  })
})
