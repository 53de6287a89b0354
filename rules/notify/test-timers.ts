// Manual timers for notification tests: nothing fires until advance() moves time on.
import type { Timers } from '../../ingest/timers';

export class ManualTimers implements Timers {
  now = 0;
  private seq = 0;
  private readonly due = new Map<number, { at: number; fn: () => void }>();

  set(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.due.set(id, { at: this.now + Math.max(0, ms), fn });
    return id;
  }

  clear(handle: unknown): void {
    this.due.delete(handle as number);
  }

  /** Delays of the timers pending now, ascending. */
  pending(): number[] {
    return [...this.due.values()].map((d) => d.at - this.now).sort((a, b) => a - b);
  }

  /** Moves time on by `ms`, firing what falls due in order. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const next = [...this.due.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (next === undefined || next[1].at > until) break;
      this.due.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = until;
  }
}
