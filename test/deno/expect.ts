// A tiny `expect` with the matchers the shared smoke contract uses (SmokeExpect), so Deno runs
// the very same cases as vitest without pulling a test framework from the network.
import type { SmokeExpect } from '../../test-support/smoke-scenario'

function show(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value))
  } catch {
    return String(value)
  }
}

function fail(message: string): never {
  throw new Error(`expect: ${message}`)
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

export const expect: SmokeExpect = (actual) => ({
  toBe(expected) {
    if (!Object.is(actual, expected)) fail(`${show(actual)} to be ${show(expected)}`)
  },
  toEqual(expected) {
    if (!deepEqual(actual, expected)) fail(`${show(actual)} to equal ${show(expected)}`)
  },
  toMatch(expected) {
    if (typeof actual !== 'string' || !expected.test(actual)) fail(`${show(actual)} to match ${expected}`)
  },
  toBeInstanceOf(expected) {
    if (!(actual instanceof expected)) fail(`${show(actual)} (${(actual as Error)?.name}) to be an instance of ${expected.name}`)
  },
  toHaveLength(expected) {
    const length = (actual as { length?: unknown } | null)?.length
    if (length !== expected) fail(`length ${show(length)} to be ${expected}`)
  },
  toThrow(expected) {
    if (typeof actual !== 'function') fail('toThrow needs a function')
    try {
      ;(actual as () => unknown)()
    } catch (error) {
      if (!(error instanceof expected)) fail(`thrown ${show(error)} to be an instance of ${expected.name}`)
      return
    }
    fail(`function to throw ${expected.name}`)
  },
})
