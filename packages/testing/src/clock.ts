/** The emulator's clock: unix seconds, moved by `advance` and, in `real` mode, by the wall clock too. */
export interface Clock {
  now: number
  /** emulator time at creation */
  readonly start: number
}

export type ClockMode = 'manual' | 'real'

/**
 * The latest emulator time, 9999-12-31T23:59:59Z: every clock value can be printed as a date, saved
 * and loaded (`advance` past it is refused; a snapshot whose clock is past it is not loaded).
 */
export const MAX_EMULATOR_TIME = 253_402_300_799

/** Whole unix seconds of the wall clock. */
export function wallSeconds(): number {
  return Math.floor(Date.now() / 1000)
}

/**
 * `manual`: time stands still until advanced. `real`: time follows the wall clock from `start`
 * (plus whatever was advanced), so pending report runs finish by themselves.
 */
export function createClock(start: number, mode: ClockMode = 'manual', now = start): Clock {
  if (mode === 'manual') return { now, start }
  const wallStart = Date.now()
  let offset = now - start
  const elapsed = () => Math.floor((Date.now() - wallStart) / 1000)
  return {
    start,
    get now() {
      return start + offset + elapsed()
    },
    set now(value: number) {
      offset = value - start - elapsed()
    },
  }
}
