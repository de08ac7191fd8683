// The emulator's bin as its tests run it: from source (as `pnpm emulator` does) on a free port.
import { type ChildProcess, spawn } from 'node:child_process'

const root = `${import.meta.dirname}/../../..`

/**
 * Starts the bin with `args` (after `--port 0`); resolves with the child and its URL once it listens.
 * `onSpawn` sees the child at once (to kill it in `afterAll` even if it never listens).
 */
export function startBin(args: readonly string[], onSpawn?: (child: ChildProcess) => void): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn('node', ['--import', 'tsx', `${root}/packages/testing/src/bin.ts`, '--port', '0', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  onSpawn?.(child)
  return new Promise((resolve, reject) => {
    let out = ''
    const onData = (chunk: unknown) => {
      out += chunk
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (match && out.includes('Clock:')) resolve({ child, url: match[1] as string })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}: ${out}`)))
  })
}

/** Sends `signal` to a running child and resolves once it exited (at once if it already has). */
export function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve()
    child.on('exit', () => resolve())
    child.kill(signal)
  })
}
