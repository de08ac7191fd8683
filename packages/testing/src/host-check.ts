// Which `Host` headers the HTTP server answers (DNS rebinding). The model: Vite's
// `server.allowedHosts` (vitejs/vite packages/vite/src/node/server/middlewares/hostCheck.ts).
// A page on evil.example whose DNS name is re-pointed at 127.0.0.1 reaches the emulator with
// `Host: evil.example`: refusing hosts that are neither loopback names nor configured stops it.

/**
 * Hosts the server answers besides loopback ones: an exact host name (`emulator.test`), a leading
 * dot for a domain and its subdomains (`.example.test`), or `true` for any host (not advised).
 */
export type AllowedHosts = readonly string[] | true

/** The host name of a `Host` header value (`[::1]:80` → `[::1]`, `Example.TEST:1` → `example.test`); undefined when malformed. */
export function hostName(header: string): string | undefined {
  const value = header.trim().toLowerCase()
  if (value === '') return undefined
  if (value.startsWith('[')) {
    const end = value.indexOf(']')
    if (end < 0) return undefined
    const rest = value.slice(end + 1)
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined
    return value.slice(0, end + 1)
  }
  const [name = '', port, extra] = value.split(':')
  if (extra !== undefined || (port !== undefined && !/^\d{1,5}$/.test(port))) return undefined
  if (!/^[a-z0-9._-]+$/.test(name)) return undefined
  return name.endsWith('.') ? name.slice(0, -1) : name
}

/** localhost, *.localhost, 127.0.0.0/8 (dotted quad) and [::1]: names that can only mean this machine. */
export function isLoopbackHostName(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  if (name === '[::1]') return true
  const parts = name.split('.')
  return parts.length === 4 && parts[0] === '127' && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)
}

/**
 * Whether a request with this `Host` header is answered: loopback names always, `listenHost` (the
 * interface the server was asked to listen on) and the `allowed` ones. A missing or malformed
 * `Host` is refused (HTTP/1.1 requires one).
 */
export function isHostAllowed(header: string | undefined, allowed: AllowedHosts = [], listenHost?: string): boolean {
  if (allowed === true) return true
  const name = header === undefined ? undefined : hostName(header)
  if (name === undefined) return false
  if (isLoopbackHostName(name)) return true
  if (
    listenHost !== undefined &&
    name === hostName(listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost)
  ) {
    // a non-wildcard interface the user chose (`--host 192.168.1.5`) is reached by that address
    if (name !== '0.0.0.0' && name !== '[::]') return true
  }
  for (const entry of allowed) {
    const host = entry.trim().toLowerCase()
    if (host === name) return true
    if (host.startsWith('.') && (name === host.slice(1) || name.endsWith(host))) return true
  }
  return false
}

/** Stripe-shaped message of the 403 for a refused `Host`, naming the way to allow it. */
export function hostRefusedMessage(header: string | undefined): string {
  return (
    `Blocked request: the Host ${JSON.stringify(header ?? '')} is not allowed. The emulator answers loopback hosts ` +
    '(localhost, *.localhost, 127.x.x.x, [::1]) to keep web pages from reaching it through DNS rebinding; ' +
    'allow another host with --allowed-host HOST (startEmulatorServer({ allowedHosts: [...] })).'
  )
}
