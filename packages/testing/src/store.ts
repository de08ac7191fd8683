// The store interface (stores/types.ts) and its default backend (stores/memory.ts), re-exported
// under their older module name.
export { createMemoryStore } from './stores/memory.js'
export type {
  AccountStore,
  EmulatorStore,
  IdempotencyEntry,
  KeyMap,
  KeySet,
  ObjectOf,
  ScanOptions,
  Storable,
  StoredRecord,
  StripeObject,
} from './stores/types.js'
