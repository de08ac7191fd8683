// Every emulator domain runs the shared contract suite. A new domain: add it here.
import { DEFAULT_DOMAINS } from '../src/index.js'
import { testEmulatorDomain } from './domain-contract.js'

for (const domain of DEFAULT_DOMAINS) testEmulatorDomain(domain)
