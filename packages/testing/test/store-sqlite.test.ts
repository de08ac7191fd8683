// The SQLite store (stores/sqlite.ts on better-sqlite3) passes the store contract suite, and every
// emulator domain passes its contract suite on it.
import { DEFAULT_DOMAINS } from '../src/index.js'
import { type Database, sqliteConnection } from '../src/persist.js'
import { createSqliteStores } from '../src/stores/sqlite.js'
import { testEmulatorDomain } from './domain-contract.js'
import { testStore } from './store-contract.js'

// a variable specifier, as in persist.ts (the package has no types for better-sqlite3)
const specifier: string = 'better-sqlite3'
const Sqlite = ((await import(specifier)) as { default: new (path: string) => Database }).default

/** A store on a new in-memory database (the namespace of the default account). */
const makeSqliteStore = () => createSqliteStores(sqliteConnection(new Sqlite(':memory:'))).store('')

testStore('sqlite', makeSqliteStore)
for (const domain of DEFAULT_DOMAINS) testEmulatorDomain(domain, { name: 'sqlite', make: makeSqliteStore })
