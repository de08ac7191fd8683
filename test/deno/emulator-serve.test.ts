// The BUILT @edgestripe/testing behind Deno.serve, type-checked by `deno test` against Deno's own
// `Deno.serve` types (no local stand-in, unlike the smoke tests: the adapter's type is the point).
// @ts-types="../../packages/testing/dist/index.d.ts"
import { createEmulator, serveHandler } from '../../packages/testing/dist/index.js'

Deno.test('serveHandler(emulator) is a Deno.serve handler', async () => {
  const emulator = createEmulator()
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, serveHandler(emulator))
  try {
    const base = `http://127.0.0.1:${server.addr.port}`
    const res = await fetch(`${base}/v1/sources`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sk_test_123', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'type=ach_credit_transfer&currency=usd&owner[email]=a@b.co',
    })
    const source = await res.json()
    if (res.status !== 200 || !/^src_/.test(source.id)) throw new Error(`${res.status} ${JSON.stringify(source)}`)
    if (emulator.controlFor('sk_test_123').objects('source').length !== 1) throw new Error('the source was not stored')
  } finally {
    await server.shutdown()
  }
})

Deno.test("emulator.fetch is a Deno.serve handler as it is (Deno's info is ignored)", async () => {
  const emulator = createEmulator()
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, emulator.fetch)
  try {
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/v1/sources/src_missing`, {
      headers: { Authorization: 'Bearer sk_test_123' },
    })
    const body = await res.json()
    if (res.status !== 404 || body.error?.code !== 'resource_missing') throw new Error(`${res.status} ${JSON.stringify(body)}`)
  } finally {
    await server.shutdown()
  }
})
