// Rate-limited logging for per-message events (rejections): a flood of bad messages must not
// flood the log. The first `max` events per window are logged; the rest are counted and logged
// as one summary line when the next window opens. Counters (prom-client) still see every event.

import type { Clock } from '../domain/clock';

export class LogLimiter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private inWindow = 0;
  private suppressed = 0;

  constructor(
    private readonly clock: Clock,
    private readonly max: number,
    private readonly windowMs: number,
    /** Receives the number of events left unlogged in the window that just closed. */
    private readonly onSuppressed: (count: number) => void,
  ) {}

  /** Whether this event may be logged in full. */
  allow(): boolean {
    const now = this.clock.now();
    if (now - this.windowStart >= this.windowMs) {
      if (this.suppressed > 0) this.onSuppressed(this.suppressed);
      this.windowStart = now;
      this.inWindow = 0;
      this.suppressed = 0;
    }
    if (this.inWindow < this.max) {
      this.inWindow++;
      return true;
    }
    this.suppressed++;
    return false;
  }

  /** Logs what is still suppressed (at shutdown). */
  flush(): void {
    if (this.suppressed > 0) this.onSuppressed(this.suppressed);
    this.suppressed = 0;
  }
}
