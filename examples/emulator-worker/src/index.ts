// The Stripe emulator as a Worker: one Durable Object per test key's account, on its SQLite storage.
export { default, EmulatorAccount } from '@edgestripe/testing/worker'
