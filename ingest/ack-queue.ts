// Acknowledgements in the order the messages arrived. MQTT 3.1.1 §4.6 and MQTT 5 §4.6
// [MQTT-4.6.0-2]: a client sends PUBACKs in the order it received the PUBLISH packets. Messages
// complete out of order (a fully rejected one at once, a stored one after the write), so each
// completion releases only the completed prefix of the queue.

export interface AckEntry<T> {
  readonly item: T;
  ready: boolean;
}

export class AckQueue<T> {
  private queue: Array<AckEntry<T>> = [];
  private head = 0;

  /** @param release called once per item, in arrival order, when it and all before it are complete. */
  constructor(private readonly release: (item: T) => void) {}

  enqueue(item: T): AckEntry<T> {
    const e = { item, ready: false };
    this.queue.push(e);
    return e;
  }

  complete(entry: AckEntry<T>): void {
    entry.ready = true;
    while (this.head < this.queue.length && (this.queue[this.head] as AckEntry<T>).ready) {
      const e = this.queue[this.head] as AckEntry<T>;
      this.queue[this.head] = undefined as unknown as AckEntry<T>;
      this.head++;
      this.release(e.item);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Entries not yet released. */
  get size(): number {
    return this.queue.length - this.head;
  }

  /** Items not yet released that match `pred` (e.g. of the current connection). */
  count(pred: (item: T) => boolean): number {
    let n = 0;
    for (let i = this.head; i < this.queue.length; i++) if (pred((this.queue[i] as AckEntry<T>).item)) n++;
    return n;
  }
}
