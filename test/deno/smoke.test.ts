// Smoke contract in real Deno, against the BUILT @edgestripe/core (packages/core/dist, mapped by
// test/deno/deno.json; its ofetch/valibot imports resolve from node_modules with
// --node-modules-dir=manual). The server is the shared smoke handler behind Deno.serve on 127.0.0.1.
//
// This file is also seen by the root tsconfig (which includes test/ but knows nothing of Deno), so it
// reaches Deno's API through `deno.ts` and imports without extensions (deno.json: sloppy-imports).
import { smokeHandler } from '../../test-support/smoke-handler'
import { smokeCases } from '../../test-support/smoke-scenario'
import { Deno } from './deno'
import { expect } from './expect'

const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, smokeHandler)
const baseURL = `http://127.0.0.1:${server.addr.port}`

Deno.test('smoke (deno)', async (t) => {
  try {
    for (const { name, run } of smokeCases({ baseURL, browserLike: false }, expect)) {
      await t.step(name, run)
    }
  } finally {
    await server.shutdown()
  }
})
