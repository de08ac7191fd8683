// Where the emulator may POST webhook deliveries. Loopback (a test's own server) and public hosts
// are allowed; private, link-local, CGNAT, unspecified, multicast, reserved and cloud-metadata
// addresses are refused unless `allowPrivateWebhooks` is set: an endpoint registered by anyone who
// reaches the API must not turn the emulator into a way into the developer's network. Checked at
// registration (literal IPs and names) and again before each delivery (then also the addresses a
// name resolves to, when the emulator was given a resolver: the Node server passes `node:dns`).

/** Why a target is refused; undefined when it is allowed. */
export type TargetRefusal = string | undefined

/** Cloud metadata service names (their addresses are refused as link-local / ULA anyway). */
const METADATA_NAMES = /* @__PURE__ */ new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
])

/** IPv4 ranges refused, as [first octets as a 32-bit number, prefix length, what it is]. */
const IPV4_REFUSED: readonly (readonly [string, number, string])[] = [
  ['0.0.0.0', 8, 'an unspecified address (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'a private address (10.0.0.0/8)'],
  ['100.64.0.0', 10, 'a shared (CGNAT) address (100.64.0.0/10)'],
  ['169.254.169.254', 32, 'the cloud metadata address (169.254.169.254)'],
  ['169.254.0.0', 16, 'a link-local address (169.254.0.0/16)'],
  ['172.16.0.0', 12, 'a private address (172.16.0.0/12)'],
  ['192.0.0.0', 24, 'an IETF protocol address (192.0.0.0/24)'],
  ['192.0.2.0', 24, 'a documentation address (192.0.2.0/24)'],
  ['192.168.0.0', 16, 'a private address (192.168.0.0/16)'],
  ['198.18.0.0', 15, 'a benchmarking address (198.18.0.0/15)'],
  ['198.51.100.0', 24, 'a documentation address (198.51.100.0/24)'],
  ['203.0.113.0', 24, 'a documentation address (203.0.113.0/24)'],
  ['224.0.0.0', 4, 'a multicast address (224.0.0.0/4)'],
  ['240.0.0.0', 4, 'a reserved address (240.0.0.0/4)'],
]

/** A dotted quad as a 32-bit unsigned number; undefined when it is not one. */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.')
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined
  return parts.reduce((value, part) => value * 256 + Number(part), 0)
}

function inIPv4Range(address: number, base: string, prefix: number): boolean {
  const size = 2 ** (32 - prefix)
  const start = parseIPv4(base) as number
  return address >= start && address < start + size
}

/** Refusal reason of an IPv4 address (loopback and public ones are allowed). */
export function ipv4Refusal(address: number): TargetRefusal {
  for (const [base, prefix, what] of IPV4_REFUSED) if (inIPv4Range(address, base, prefix)) return what
  return undefined
}

/** An IPv6 address (with or without brackets, `::` compression, a trailing dotted quad) as 8 groups. */
export function parseIPv6(text: string): number[] | undefined {
  let value = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text
  if (value.includes('%')) value = value.slice(0, value.indexOf('%')) // zone id
  if (!/^[0-9a-f:.]+$/i.test(value) || !value.includes(':')) return undefined
  let tail: number[] = []
  const lastColon = value.lastIndexOf(':')
  const last = value.slice(lastColon + 1)
  if (last.includes('.')) {
    const v4 = parseIPv4(last)
    if (v4 === undefined) return undefined
    tail = [Math.floor(v4 / 65536), v4 % 65536]
    const head = value.slice(0, lastColon + 1)
    value = head.endsWith('::') ? head : head.slice(0, -1)
  }
  const halves = value.split('::')
  if (halves.length > 2) return undefined
  const groups = (half: string) => (half === '' ? [] : half.split(':'))
  const head = groups(halves[0] as string)
  const rest = halves.length === 2 ? groups(halves[1] as string) : []
  if (![...head, ...rest].every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return undefined
  const written = head.length + rest.length + tail.length
  if (halves.length === 1 ? written !== 8 : written > 7) return undefined
  const zeros = new Array(8 - written).fill(0)
  return [...head.map((g) => Number.parseInt(g, 16)), ...zeros, ...rest.map((g) => Number.parseInt(g, 16)), ...tail]
}

/** Refusal reason of an IPv6 address (::1 and global unicast are allowed; embedded IPv4 is checked as IPv4). */
export function ipv6Refusal(groups: readonly number[]): TargetRefusal {
  const [a = 0, b = 0, , , , f = 0, g = 0, h = 0] = groups
  const embedded = (high: number, low: number) => (high * 65536 + low) >>> 0
  const allZeroTo = (end: number) => groups.slice(0, end).every((group) => group === 0)
  if (allZeroTo(7) && h === 1) return undefined // ::1
  if (allZeroTo(8)) return 'an unspecified address (::)'
  // ::ffff:a.b.c.d (mapped) and 64:ff9b::a.b.c.d (NAT64): the IPv4 address decides
  if (allZeroTo(5) && f === 0xffff) return ipv4Refusal(embedded(g, h))
  if (a === 0x64 && b === 0xff9b && groups.slice(2, 6).every((group) => group === 0)) return ipv4Refusal(embedded(g, h))
  if (allZeroTo(6)) return 'an IPv4-compatible address (::/96)'
  if (a === 0x2002) return ipv4Refusal(embedded(b, groups[2] ?? 0)) // 6to4
  if (a === 0xfd00 && b === 0x0ec2 && allZeroOf(groups, 2, 7) && h === 0x254) return 'the cloud metadata address (fd00:ec2::254)'
  if ((a & 0xfe00) === 0xfc00) return 'a unique local address (fc00::/7)'
  if ((a & 0xffc0) === 0xfe80) return 'a link-local address (fe80::/10)'
  if ((a & 0xffc0) === 0xfec0) return 'a site-local address (fec0::/10)'
  if ((a & 0xff00) === 0xff00) return 'a multicast address (ff00::/8)'
  if (a === 0x2001 && b === 0x0db8) return 'a documentation address (2001:db8::/32)'
  if (a === 0x0100 && allZeroOf(groups, 1, 4)) return 'a discard address (100::/64)'
  return undefined
}

function allZeroOf(groups: readonly number[], from: number, to: number): boolean {
  return groups.slice(from, to).every((group) => group === 0)
}

/** Refusal reason of an address as text (IPv4 or IPv6); undefined for allowed and non-address text. */
export function addressRefusal(address: string): TargetRefusal {
  const v4 = parseIPv4(address)
  if (v4 !== undefined) return ipv4Refusal(v4)
  const v6 = parseIPv6(address)
  return v6 ? ipv6Refusal(v6) : undefined
}

/**
 * Refusal reason of a webhook URL's host without resolving it: literal addresses by their range,
 * metadata service names; `localhost` names and other names are allowed (see `resolvedRefusal`).
 */
export function urlRefusal(url: URL): TargetRefusal {
  const host = url.hostname.toLowerCase().replace(/\.$/, '')
  if (host === 'localhost' || host.endsWith('.localhost')) return undefined
  if (METADATA_NAMES.has(host)) return `a cloud metadata host (${host})`
  return addressRefusal(host)
}

/** Whether a host is a literal address (nothing to resolve) or a `localhost` name. */
export function needsResolving(url: URL): boolean {
  const host = url.hostname.toLowerCase().replace(/\.$/, '')
  if (host === 'localhost' || host.endsWith('.localhost')) return false
  return parseIPv4(host) === undefined && parseIPv6(host) === undefined
}

/** Refusal reason of a name's resolved addresses: the first refused one. */
export function resolvedRefusal(hostname: string, addresses: readonly string[]): TargetRefusal {
  for (const address of addresses) {
    const reason = addressRefusal(address)
    if (reason) return `${hostname} resolves to ${address}, ${reason}`
  }
  return undefined
}

/** Message of a refused endpoint URL (400 naming `url` at registration; the delivery's error later). */
export function targetRefusedMessage(url: string, reason: string): string {
  return (
    `Invalid URL: ${url} is ${reason}. The emulator does not send webhooks to private, link-local or metadata ` +
    'addresses; allow them with --allow-private-webhooks (createEmulator({ allowPrivateWebhooks: true })).'
  )
}

/** Registration check of an endpoint URL: the refusal message, or undefined when it may be registered. */
export function registrationRefusal(url: string, allowPrivate: boolean): string | undefined {
  if (allowPrivate) return undefined
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined // not a URL: the caller's own check answers it
  }
  const reason = urlRefusal(parsed)
  return reason ? targetRefusedMessage(url, reason) : undefined
}

/**
 * Delivery check of an endpoint URL, just before sending: the literal address, then (for a host
 * name, when a resolver is given) every address the name resolves to. A name that does not
 * resolve is refused too (nothing would be reached).
 */
export async function deliveryRefusal(
  url: string | null,
  policy: { allowPrivateWebhooks: boolean; resolve?: (hostname: string) => Promise<readonly string[]> },
): Promise<string | undefined> {
  if (url === null || policy.allowPrivateWebhooks) return undefined
  const parsed = new URL(url)
  const literal = urlRefusal(parsed)
  if (literal) return targetRefusedMessage(url, literal)
  if (!policy.resolve || !needsResolving(parsed)) return undefined
  const hostname = parsed.hostname.replace(/\.$/, '')
  let addresses: readonly string[]
  try {
    addresses = await policy.resolve(hostname)
  } catch (error) {
    return `cannot resolve ${hostname}: ${error instanceof Error ? error.message : String(error)}`
  }
  const resolved = resolvedRefusal(hostname, addresses)
  return resolved ? targetRefusedMessage(url, resolved) : undefined
}
