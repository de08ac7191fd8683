// Every built package (packages/*/dist/index.js) loads in Deno, resolving its dependencies from
// node_modules, and exports something. (Only 127.0.0.1 is reachable: import-time network use fails.)
import { Deno } from './deno'

const packagesDir = new URL('../../packages/', import.meta.url)

for await (const entry of Deno.readDir(packagesDir)) {
  if (!entry.isDirectory) continue
  const dist = new URL(`${entry.name}/dist/index.js`, packagesDir)
  try {
    await Deno.stat(dist)
  } catch {
    continue // not built (no build script yet)
  }
  Deno.test(`@edgestripe/${entry.name}: dist/index.js imports in Deno`, async () => {
    const mod = await import(dist.href)
    if (Object.keys(mod).length === 0) throw new Error(`${dist.pathname} exports nothing`)
  })
}
