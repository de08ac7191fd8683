// The emulator's HTTP server now ships in @edgestripe/testing (`@edgestripe/testing/server`, bin
// `edgestripe-emulator`); `pnpm emulator` runs that bin from source. These re-exports keep the
// repo's older imports working.
export { parseEmulatorArgs } from '../packages/testing/src/cli.js'
export { DEFAULT_PORT, type EmulatorServer, type EmulatorServerOptions, startEmulatorServer } from '../packages/testing/src/server.js'
