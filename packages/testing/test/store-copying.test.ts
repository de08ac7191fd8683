// A SQL-shaped store (rows as JSON, copies handed out, written back at commit) passes the store
// contract suite, and every emulator domain passes its contract suite on it: domains reach their
// state only through the store interface, and change objects only inside a transaction.
import { DEFAULT_DOMAINS } from '../src/index.js'
import { testEmulatorDomain } from './domain-contract.js'
import { testStore } from './store-contract.js'
import { createCopyingStore } from './stores/copying-store.js'

testStore('copying', createCopyingStore)
for (const domain of DEFAULT_DOMAINS) testEmulatorDomain(domain, { name: 'copying', make: createCopyingStore })
