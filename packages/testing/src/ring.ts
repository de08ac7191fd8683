/**
 * A bounded log: keeps the last `capacity` items, oldest first. `total` counts every item ever
 * pushed, so a reader can remember where it stopped (`since(total)`) even after old items went.
 */
export class Ring<T> {
  readonly capacity: number
  private items: T[] = []
  private start = 0
  total = 0

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new TypeError(`log size must be a non-negative integer, not ${capacity}`)
    this.capacity = capacity
  }

  push(item: T): void {
    this.total++
    if (this.capacity === 0) return
    if (this.items.length < this.capacity) this.items.push(item)
    else {
      this.items[this.start] = item
      this.start = (this.start + 1) % this.capacity
    }
  }

  get length(): number {
    return this.items.length
  }

  /** kept items, oldest first */
  toArray(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)]
  }

  /** kept items pushed after the first `total` ones (those already read) */
  since(total: number): T[] {
    const fresh = Math.min(this.total - total, this.items.length)
    return fresh > 0 ? this.toArray().slice(-fresh) : []
  }

  clear(): void {
    this.items = []
    this.start = 0
  }
}
