/// <reference types="node" />
// `createPersistentEmulator({ persist: DIR })` (Node only, exported by `@edgestripe/testing/server`):
// `createEmulator` with every account kept in `DIR/emulator.sqlite` (see persist.ts).
import type { AnyEmulatorDomain, ControlsOf } from './domain.js'
import type { DefaultDomains } from './domains/index.js'
import { type CreateEmulatorOptions, createEmulator, type Emulator } from './emulator.js'
import { openPersistDir } from './persist.js'

export { PersistError } from './persist.js'

export interface PersistentEmulatorOptions<Domains extends readonly AnyEmulatorDomain[]> extends CreateEmulatorOptions<Domains> {
  /** the directory of the database (created if needed); one process at a time */
  persist: string
}

export interface PersistentEmulator<Controls extends object> {
  emulator: Emulator<Controls>
  /** the snapshot in `state` was imported (the directory held no account yet) */
  imported: boolean
  /** closes the database (and frees the directory for another process) */
  close(): void
}

/**
 * An emulator whose accounts live in `persist` (a directory): what it holds is loaded, and each
 * request is committed there before its response. A `state` snapshot is imported only into a
 * directory that holds no account yet. Refuses a directory another process holds with a
 * `PersistError` (one line).
 */
export async function createPersistentEmulator<const Domains extends readonly AnyEmulatorDomain[] = DefaultDomains>(
  options: PersistentEmulatorOptions<Domains>,
): Promise<PersistentEmulator<ControlsOf<Domains>>> {
  const { persist, ...rest } = options
  const opened = await openPersistDir(persist)
  try {
    const imported = rest.state !== undefined && opened.stores.namespaces().length === 0
    const emulator = createEmulator<Domains>({ ...rest, state: imported ? rest.state : undefined, sqlite: opened.stores })
    return { emulator, imported, close: opened.close }
  } catch (error) {
    opened.close()
    throw error
  }
}
