// The memory store (the default) passes the store contract suite.
import { createMemoryStore } from '../src/store.js'
import { testStore } from './store-contract.js'

testStore('memory', createMemoryStore)
