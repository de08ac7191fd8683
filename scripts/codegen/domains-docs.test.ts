// The generated JSDoc says what the schema's structure says, and nothing else: over generated
// param and field schemas, a doc names required/optional (or present/absent), nullable, the unit
// (unix seconds for `format: unix-time`, the currency's minor unit for an integer amount next to a
// `currency`), every enum value of a short enum, the length limit, deprecation, and links to the
// field's anchor; and text in a schema's `description` or `title` never reaches it.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { docBlock, fieldLink, operationPage, propertyDoc, referencePath } from './domains-docs'

const word = fc.stringMatching(/^[a-z][a-z_]{0,12}$/)
const prose = fc.stringMatching(/^[A-Z][a-z]{3,8}( [a-z]{3,8}){3,6}\.$/)

const scalar = fc.oneof(
  fc.record({ type: fc.constant('string'), maxLength: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }) }),
  fc.record({ type: fc.constantFrom('integer', 'number'), format: fc.option(fc.constant('unix-time'), { nil: undefined }) }),
  fc.record({ type: fc.constant('boolean') }),
  fc.record({ type: fc.constant('string'), enum: fc.uniqueArray(word, { minLength: 1, maxLength: 20 }) }),
)
const schema = fc
  .tuple(scalar, fc.boolean(), fc.boolean(), prose, prose)
  .map(([s, nullable, deprecated, description, title]) => ({ ...s, nullable, deprecated, description, title }))

describe('propertyDoc', () => {
  it('states the structure, links the field, and copies no description', () => {
    fc.assert(
      fc.property(schema, word, fc.boolean(), fc.boolean(), fc.constantFrom('param', 'field'), (s, name, required, withCurrency, side) => {
        const siblings = withCurrency ? { currency: { type: 'string' } } : {}
        const place = { page: 'https://docs.stripe.com/api/x/create', anchor: 'create_x', path: ['parent', name] }
        const lines = propertyDoc({ schema: s, name, required, siblings, schemas: {}, side, place })
        const text = lines.join('\n')
        expect(text).not.toContain(s.description)
        expect(text).not.toContain(s.title)
        expect(lines[0]).toMatch(
          side === 'param' ? (required ? /^Required/ : /^Optional/) : required ? /^Always present/ : /^May be absent/,
        )
        expect(text.includes('nullable')).toBe(side === 'field' && s.nullable)
        expect(text.includes('unix time in seconds')).toBe('format' in s && s.format === 'unix-time')
        const amount = s.type !== 'string' && !('format' in s && s.format) && /amount/.test(name) && withCurrency
        if (amount) expect(text).toContain('minor unit of `currency`')
        if ('enum' in s && s.enum && s.enum.length <= 12) for (const v of s.enum) expect(text).toContain(`'${v}'`)
        if ('maxLength' in s && s.maxLength !== undefined) expect(text).toContain(`at most ${s.maxLength} characters`)
        expect(lines.includes('@deprecated')).toBe(s.deprecated)
        expect(lines.at(-1)).toBe(`@see https://docs.stripe.com/api/x/create#create_x-parent-${name}`)
      }),
    )
  })

  it('an expandable field names what it expands to', () => {
    const schemas = { 'treasury.transaction': { 'x-resourceId': 'treasury.transaction' } }
    const ref = { $ref: '#/components/schemas/treasury.transaction' }
    const lines = propertyDoc({
      schema: { anyOf: [{ type: 'string', maxLength: 5000 }, ref], 'x-expansionResources': { oneOf: [ref] } },
      name: 'transaction',
      required: true,
      siblings: {},
      schemas,
      side: 'field',
    })
    expect(lines[0]).toBe('Always present; ID (string) of a `treasury.transaction`; expandable to the object (put its path in `expand`).')
  })
})

describe('reference links', () => {
  it('derive the entry from the path and the plugin method', () => {
    expect(referencePath('/v1/treasury/outbound_payments/{id}/cancel')).toBe('treasury/outbound_payments')
    expect(referencePath('/v1/test_helpers/treasury/received_credits')).toBe('treasury/received_credits')
    expect(operationPage({ path: '/v1/treasury/outbound_payments', plugin: 'treasury.outboundPayments.create', entry: 'index' }).page).toBe(
      'https://docs.stripe.com/api/treasury/outbound_payments/create',
    )
    expect(operationPage({ path: '/v1/webhook_endpoints/{webhook_endpoint}', plugin: 'webhookEndpoints.del', entry: 'index' }).action).toBe(
      'delete',
    )
    expect(fieldLink({ page: 'https://docs.stripe.com/api/sources/object', anchor: 'source_object', path: ['owner', 'email'] })).toBe(
      'https://docs.stripe.com/api/sources/object#source_object-owner-email',
    )
  })

  it('docBlock prints one line when it fits, a block otherwise', () => {
    expect(docBlock(['Required; string.'])).toBe('/** Required; string. */\n')
    expect(docBlock(['Required; string.', '@see https://x'], '  ')).toBe('  /**\n   * Required; string.\n   * @see https://x\n   */\n')
  })
})
