// The webhook target rules (src/webhook-target.ts) over generated addresses: an IPv4 address is
// judged the same however it is spelled (dotted, IPv4-mapped IPv6, NAT64, hex/decimal forms the URL
// parser normalises), and public/loopback ones are allowed. No address here is ever contacted.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addressRefusal, ipv4Refusal, parseIPv4, parseIPv6, urlRefusal } from '../src/webhook-target.js'

const octets = fc.tuple(
  fc.integer({ min: 0, max: 255 }),
  fc.integer({ min: 0, max: 255 }),
  fc.integer({ min: 0, max: 255 }),
  fc.integer({ min: 0, max: 255 }),
)

describe('webhook targets', () => {
  it('an IPv4 address is judged the same as dotted, decimal, hex, IPv4-mapped and NAT64 IPv6 (property)', () => {
    fc.assert(
      fc.property(octets, (parts) => {
        const dotted = parts.join('.')
        const number = parseIPv4(dotted) as number
        const expected = ipv4Refusal(number)
        const hex = (n: number) => n.toString(16)
        const spellings = [
          `http://${dotted}/`,
          `http://${number}/`,
          `http://0x${hex(number)}/`,
          `http://[::ffff:${dotted}]/`,
          `http://[64:ff9b::${dotted}]/`,
          `http://[::ffff:${hex(parts[0] * 256 + parts[1])}:${hex(parts[2] * 256 + parts[3])}]/`,
        ]
        for (const spelling of spellings) expect(urlRefusal(new URL(spelling)), spelling).toBe(expected)
      }),
      { numRuns: 500 },
    )
  })

  it('refuses the ranges named in the README and allows loopback and public addresses', () => {
    for (const refused of [
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '169.254.1.1',
      '0.0.0.0',
      '100.64.0.1',
      '224.0.0.1',
      '255.255.255.255',
      '::',
      'fd00:ec2::254',
      'fc00::1',
      'fe80::1',
      'ff02::1',
      '2001:db8::1',
    ]) {
      expect(addressRefusal(refused), refused).toBeDefined()
    }
    for (const allowed of ['127.0.0.1', '127.255.0.1', '::1', '8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111']) {
      expect(addressRefusal(allowed), allowed).toBeUndefined()
    }
    expect(urlRefusal(new URL('http://localhost:3000/'))).toBeUndefined()
    expect(urlRefusal(new URL('http://hooks.localhost/'))).toBeUndefined()
    expect(urlRefusal(new URL('http://metadata.google.internal/'))).toBeDefined()
  })

  it('parses IPv6 text into 8 groups, or nothing for malformed text (property)', () => {
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        const groups = parseIPv6(text)
        expect(groups).toHaveLength(8)
        // the URL parser's own normal form parses to the same groups
        expect(parseIPv6(new URL(`http://[${text}]/`).hostname)).toEqual(groups)
      }),
      { numRuns: 500 },
    )
    for (const bad of ['1:2:3:4:5:6:7:8:9', '1::2::3', 'g::1', '::1.2.3', '12345::']) expect(parseIPv6(bad), bad).toBeUndefined()
  })
})
