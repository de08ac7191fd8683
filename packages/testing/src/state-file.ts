/// <reference types="node" />
// `edgestripe-emulator --state file.json`: the emulator's snapshot read at start and written on exit,
// atomically (a temp file in the same directory, flushed, then renamed over the old one).
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/** The parsed JSON of a state file, or `undefined` when there is no file yet. Throws an Error with a one-line message. */
export function readStateFile(path: string): unknown {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new Error((error as Error).message)
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new Error(`not JSON (${(error as Error).message})`)
  }
}

/**
 * Writes `snapshot` as JSON to `path` so that `path` always holds either the previous complete file
 * or the new complete one: the JSON is made first, written and flushed to a temp file next to
 * `path`, then renamed over it. On failure the temp file is removed and `path` is untouched.
 */
export function writeStateFile(path: string, snapshot: unknown): void {
  const text = `${JSON.stringify(snapshot)}\n`
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  let fd: number | undefined
  try {
    fd = openSync(temp, 'w', 0o600)
    writeSync(fd, text)
    fsyncSync(fd)
    closeSync(fd)
    fd = undefined
    renameSync(temp, path)
  } catch (error) {
    if (fd !== undefined) closeSync(fd)
    rmSync(temp, { force: true })
    throw error
  }
}
