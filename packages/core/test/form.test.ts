import fc from 'fast-check'
import qs from 'qs'
import { describe, expect, it } from 'vitest'
import { encodeForm } from '../src'

/** The oracle: `qs` configured the way stripe-node configures it. */
const oracle = (value: unknown) => qs.stringify(value).replace(/%5B/g, '[').replace(/%5D/g, ']')

describe('encodeForm', () => {
  it('encodes nested objects, arrays of scalars and of objects, in bracket form', () => {
    expect(
      encodeForm({
        owner: { address: { city: 'San Francisco', line1: '1 Main St' } },
        expand: ['a', 'b'],
        items: [{ amount: 100 }, { amount: 200 }],
      }),
    ).toBe(
      'owner[address][city]=San%20Francisco&owner[address][line1]=1%20Main%20St&expand[0]=a&expand[1]=b&items[0][amount]=100&items[1][amount]=200',
    )
  })

  it('sends null and empty string empty (unset), drops undefined, stringifies scalars; refuses dates (pass unix seconds)', () => {
    expect(encodeForm({ a: null, b: '', c: undefined, d: true, e: false, f: 0, g: 1_700_000_000 })).toBe(
      'a=&b=&d=true&e=false&f=0&g=1700000000',
    )
    expect(() => encodeForm({ g: new Date(1_700_000_000_500) })).toThrow(/g: a Date cannot be sent/)
    expect(encodeForm({ metadata: { order: '' } })).toBe('metadata[order]=')
    expect(encodeForm(undefined)).toBe('')
  })

  it('escapes keys and values', () => {
    expect(encodeForm({ metadata: { 'a&b=c': 'x&y=z é' } })).toBe('metadata[a%26b%3Dc]=x%26y%3Dz%20%C3%A9')
  })

  it('matches qs (stripe-node’s encoder) on random params', () => {
    const key = fc.string({ minLength: 1, maxLength: 6 }).filter((k) => !/[[\]]/.test(k))
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
        fc.dictionary(key, tie('node'), { minKeys: 1, maxKeys: 3 }),
      ),
    })).node
    fc.assert(
      fc.property(fc.dictionary(key, tree, { maxKeys: 4 }), (params) => {
        // qs also percent-encodes !'()* (RFC 3986); a server decodes both alike, so compare the
        // decoded key/value pairs, in order.
        const pairs = (form: string) => [...new URLSearchParams(form)]
        expect(pairs(encodeForm(params))).toEqual(pairs(oracle(params)))
      }),
      { numRuns: 300 },
    )
  })
})
