// Bounded FIFO between the MQTT side and the store (Telegraf's models/buffer.go).
// add() appends and, when full, drops the OLDEST items first; batch() hands out the oldest items;
// the caller then either accept()s the batch (it was written) or reject()s it (it goes back to the
// front, to be written first by the next flush). Nothing leaves silently: every drop is counted
// and handed to `onDrop`, so the owner can account and log it.
//
// Not thread-safe in any sense that matters in Node: one owner (the writer) calls it.

export interface WriteBufferStats {
  /** Items waiting in the buffer (not counting a batch handed out and not yet accepted). */
  readonly length: number;
  /** Items handed out by batch() and not yet accepted or rejected. */
  readonly outstanding: number;
  readonly capacity: number;
  /** Totals since creation. */
  readonly added: number;
  readonly accepted: number;
  readonly dropped: number;
}

export class WriteBuffer<T> {
  private readonly ring: (T | undefined)[];
  private head = 0;
  private size = 0;
  private out = 0;
  private addedTotal = 0;
  private acceptedTotal = 0;
  private droppedTotal = 0;

  /** @param onDrop receives every dropped item, oldest first, once. */
  constructor(
    readonly capacity: number,
    private readonly onDrop: (dropped: readonly T[]) => void = () => {},
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`buffer capacity must be a positive integer, got ${capacity}`);
    this.ring = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Appends items; returns how many items were dropped (oldest first) to make room. */
  add(items: readonly T[]): number {
    this.addedTotal += items.length;
    let dropped: T[] | undefined;
    let start = 0;
    if (items.length > this.capacity) {
      // More than fits at all: everything buffered and the head of `items` goes.
      dropped = this.takeFront(this.size);
      start = items.length - this.capacity;
      for (let i = 0; i < start; i++) dropped.push(items[i] as T);
    } else {
      const overflow = this.size + items.length - this.capacity;
      if (overflow > 0) dropped = this.takeFront(overflow);
    }
    for (let i = start; i < items.length; i++) {
      this.ring[(this.head + this.size) % this.capacity] = items[i];
      this.size++;
    }
    return this.dropped(dropped);
  }

  /** Hands out up to `n` of the oldest items; they stay counted as outstanding until accept/reject. */
  batch(n: number): T[] {
    const out = this.takeFront(Math.min(Math.max(0, Math.floor(n)), this.size));
    this.out += out.length;
    return out;
  }

  /** The batch was written: forget it. */
  accept(batch: readonly T[]): void {
    this.out = Math.max(0, this.out - batch.length);
    this.acceptedTotal += batch.length;
  }

  /**
   * The batch was not written: put it back in front, in order, to be handed out first next time.
   * If the buffer filled up meanwhile, the oldest items (the batch's own head) are dropped.
   * Returns how many were dropped.
   */
  reject(batch: readonly T[]): number {
    this.out = Math.max(0, this.out - batch.length);
    const room = this.capacity - this.size;
    const keepFrom = Math.max(0, batch.length - room);
    const dropped = keepFrom > 0 ? batch.slice(0, keepFrom) : undefined;
    for (let i = batch.length - 1; i >= keepFrom; i--) {
      this.head = (this.head - 1 + this.capacity) % this.capacity;
      this.ring[this.head] = batch[i];
      this.size++;
    }
    return this.dropped(dropped);
  }

  stats(): WriteBufferStats {
    return {
      length: this.size,
      outstanding: this.out,
      capacity: this.capacity,
      added: this.addedTotal,
      accepted: this.acceptedTotal,
      dropped: this.droppedTotal,
    };
  }

  private takeFront(n: number): T[] {
    const out: T[] = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      out[i] = this.ring[this.head] as T;
      this.ring[this.head] = undefined; // let the GC have it
      this.head = (this.head + 1) % this.capacity;
    }
    this.size -= n;
    return out;
  }

  private dropped(items: T[] | undefined): number {
    if (!items || items.length === 0) return 0;
    this.droppedTotal += items.length;
    this.onDrop(items);
    return items.length;
  }
}
