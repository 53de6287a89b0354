import { describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock';
import { LogLimiter } from './log-limiter';

describe('LogLimiter', () => {
  it('allows max events per window, then summarises the rest when the next window opens', () => {
    const clock = new ManualClock(0);
    const summaries: number[] = [];
    const l = new LogLimiter(clock, 2, 1000, (n) => summaries.push(n));
    expect([l.allow(), l.allow(), l.allow(), l.allow()]).toEqual([true, true, false, false]);
    clock.advance(999);
    expect(l.allow()).toBe(false);
    expect(summaries).toEqual([]);
    clock.advance(1);
    expect(l.allow()).toBe(true);
    expect(summaries).toEqual([3]);
    l.allow();
    l.allow();
    l.flush();
    expect(summaries).toEqual([3, 1]);
  });
});
