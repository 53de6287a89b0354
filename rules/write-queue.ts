// Serialises writes to the alert store in change order without blocking the engine: each write
// starts after the previous one settled. Failures are counted and reported, never silent.

export class WriteQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  failed = 0;

  constructor(private readonly onError: (e: unknown, what: string) => void) {}

  push(what: string, write: () => Promise<void>): void {
    this.pending++;
    this.tail = this.tail
      .then(write)
      .catch((e: unknown) => {
        this.failed++;
        this.onError(e, what);
      })
      .finally(() => {
        this.pending--;
      });
  }

  /** Writes queued and not yet settled. */
  get depth(): number {
    return this.pending;
  }

  /** Resolves when everything queued so far has settled. */
  flush(): Promise<void> {
    return this.tail;
  }
}
