// The clock is a port: production reads the system clock, tests inject a manual one.
// Event time (a reading's own `ts`) is the time of record everywhere; this clock is used only
// for "now" questions (is a timestamp absurd? when is the next flush?).

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests and for replay. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
