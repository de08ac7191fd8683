import { libraryConfig } from '../../vite.lib'

// server and bin are the Node-only entries (`@edgestripe/testing/server`, `edgestripe-emulator`);
// worker is the Cloudflare Worker + Durable Object (`@edgestripe/testing/worker`)
export default libraryConfig(import.meta.dirname, {
  index: 'src/index.ts',
  server: 'src/server.ts',
  bin: 'src/bin.ts',
  worker: 'src/worker.ts',
})
