// Every webhook subscription printed in a README or an example (an `enabled_events: [...]` or a
// control endpoint's `events: [...]` list of literal event types, and the Cloudflare Worker
// example's `Object.keys(treasuryEvents)`) receives at least one delivery when the Treasury flow
// of the Node example runs against the emulator. A README that subscribes to an event the flow
// never raises (`treasury.received_credit.succeeded`) fails here.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { createStripe } from '@edgestripe/core'
import { createEmulator } from '@edgestripe/testing'
import { treasuryEvents } from '@edgestripe/treasury'
import { createWebhookEndpoint } from '@edgestripe/webhook-endpoints'
import { describe, expect, it } from 'vitest'
import { treasuryFlow } from '../examples/node/treasury-flow'

const root = join(import.meta.dirname, '..')

/** README.md, packages/<name>/README.md, examples/<name>/README.md and the examples' sources. */
function sources(): string[] {
  const files = ['README.md']
  for (const dir of ['packages', 'examples']) {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue
      const base = join(root, dir, entry.name)
      const names = readdirSync(base)
      if (names.includes('README.md')) files.push(join(base, 'README.md'))
      if (dir === 'examples') {
        for (const sub of ['src', '.']) {
          let listed: string[] = []
          try {
            listed = readdirSync(join(base, sub))
          } catch {
            continue
          }
          for (const name of listed) if (/\.ts$/.test(name) && !/test/.test(name)) files.push(join(base, sub, name))
        }
      }
    }
  }
  return files.map((f) => (f.startsWith(root) ? f : join(root, f)))
}

interface Subscription {
  where: string
  events: string[]
}

/** Literal subscription lists: `enabled_events: ['a', 'b']` and `events: ['a']` of event types. */
function subscriptions(): Subscription[] {
  const found: Subscription[] = []
  for (const file of sources()) {
    const text = readFileSync(file, 'utf8')
    for (const match of text.matchAll(/\b(?:enabled_events|events)\s*:\s*\[([^\]]*)\]/g)) {
      const items = [...(match[1] as string).matchAll(/'([^']+)'|"([^"]+)"/g)].map((m) => (m[1] ?? m[2]) as string)
      // only lists of event types (`a.b` names or '*'), not other `events:` arrays
      if (items.length === 0 || !items.every((t) => t === '*' || /^[a-z_]+(\.[a-z_]+)+$/.test(t))) continue
      const line = text.slice(0, match.index).split('\n').length
      found.push({ where: `${relative(root, file)}:${line}`, events: items })
    }
    if (/enabled_events:\s*Object\.keys\(treasuryEvents\)/.test(text)) {
      found.push({ where: `${relative(root, file)} (Object.keys(treasuryEvents))`, events: Object.keys(treasuryEvents) })
    }
  }
  return found
}

describe('ports printed in READMEs and examples', () => {
  it.each(sources().map((f) => [relative(root, f), f] as const))(
    "%s points at no 12111 (stripe-mock's port; the emulator's is 12180)",
    (_, file) => {
      expect(readFileSync(file, 'utf8')).not.toMatch(/:12111\b|--port[ =]12111\b|port: 12111\b/)
    },
  )
})

describe('webhook subscriptions printed in READMEs and examples', () => {
  const all = subscriptions()

  it('finds the README and example subscriptions', () => {
    const where = all.map((s) => s.where.split(':')[0]?.split(' ')[0])
    expect(where).toContain('README.md')
    expect(where).toContain('packages/webhook-endpoints/README.md')
    expect(where).toContain('packages/testing/README.md')
    expect(where).toContain('examples/cloudflare-worker/src/worker.ts')
  })

  it.each(all.map((s) => [s.where, s] as const))('%s receives at least one delivery from the Treasury flow', async (_, sub) => {
    const received: string[] = []
    const emulator = createEmulator({
      webhookFetch: async (input, init) => {
        const request = new Request(input, init)
        received.push(((await request.json()) as { type: string }).type)
        return new Response('ok')
      },
    })
    const stripe = createStripe({ apiKey: 'sk_test_readme_webhooks', fetch: emulator.fetch })
    const endpoint = await createWebhookEndpoint(stripe, {
      url: 'https://example.com/stripe',
      enabled_events: sub.events as Parameters<typeof createWebhookEndpoint>[1]['enabled_events'],
    })
    expect(endpoint.enabled_events).toEqual(sub.events)
    await treasuryFlow(stripe, () => {})
    const deliveries = await emulator.controlFor('sk_test_readme_webhooks').deliverEvents()
    const ok = deliveries.filter((d) => d.ok && d.endpoint === endpoint.id)
    expect(ok.length, `${sub.where} subscribes to ${sub.events.join(', ')}; the flow delivered none of them`).toBeGreaterThan(0)
    expect(received.length).toBeGreaterThanOrEqual(ok.length)
    for (const type of received) expect(sub.events.includes('*') || sub.events.includes(type)).toBe(true)
  })
})
