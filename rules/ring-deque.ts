// A double-ended queue on a growable ring buffer: O(1) push/pop at both ends, unlike Array.shift().
// Used by rolling windows (cells in time order, monotonic min/max queues).

export class RingDeque<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private len = 0;

  /** `capacity` is a hint: room for at most 8 is made now, more as elements come (most deques stay small). */
  constructor(capacity = 16) {
    this.buf = new Array<T | undefined>(Math.max(4, Math.min(8, capacity)));
  }

  get size(): number {
    return this.len;
  }

  /** The i-th element from the front (0 = oldest). */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.len) return undefined;
    return this.buf[(this.head + i) % this.buf.length];
  }

  front(): T | undefined {
    return this.len === 0 ? undefined : this.buf[this.head];
  }

  back(): T | undefined {
    return this.len === 0 ? undefined : this.buf[(this.head + this.len - 1) % this.buf.length];
  }

  pushBack(v: T): void {
    if (this.len === this.buf.length) this.grow();
    this.buf[(this.head + this.len) % this.buf.length] = v;
    this.len++;
  }

  popFront(): T | undefined {
    if (this.len === 0) return undefined;
    const v = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) % this.buf.length;
    this.len--;
    return v;
  }

  popBack(): T | undefined {
    if (this.len === 0) return undefined;
    const i = (this.head + this.len - 1) % this.buf.length;
    const v = this.buf[i];
    this.buf[i] = undefined;
    this.len--;
    return v;
  }

  clear(): void {
    this.buf = new Array<T | undefined>(this.buf.length);
    this.head = 0;
    this.len = 0;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.buf.length * 2);
    for (let i = 0; i < this.len; i++) next[i] = this.buf[(this.head + i) % this.buf.length];
    this.buf = next;
    this.head = 0;
  }
}
