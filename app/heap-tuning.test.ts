import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { adaptHeapGrowth } from './heap-tuning';

describe('adaptHeapGrowth', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('grows by the busy figure at start-up, the calm one after calm intervals in a row, and back at once when busy', () => {
    const applied: number[] = [];
    const loads = [0.9, 0.2, 0.3, 0.5, 0.1, 0.2, 0.1, 0.5, 0.7, 0.1, 0.2, 0.3];
    const g = adaptHeapGrowth({ busyPercent: 25, calmPercent: 10, everyMs: 1000, calmAfter: 3, utilization: () => loads.shift() ?? 0, apply: (p) => applied.push(p) });
    expect(applied).toEqual([25]);
    vi.advanceTimersByTime(1000); // 0.9: busy, unchanged
    vi.advanceTimersByTime(2000); // 0.2, 0.3: two calm intervals, not yet
    expect(g.percent).toBe(25);
    vi.advanceTimersByTime(1000); // 0.5: between the thresholds, the calm run starts again
    vi.advanceTimersByTime(2000); // 0.1, 0.2
    expect(g.percent).toBe(25);
    vi.advanceTimersByTime(1000); // 0.1: the third calm interval in a row
    expect(g.percent).toBe(10);
    vi.advanceTimersByTime(1000); // 0.5: stays calm
    expect(g.percent).toBe(10);
    vi.advanceTimersByTime(1000); // 0.7: busy at once
    expect(g.percent).toBe(25);
    vi.advanceTimersByTime(3000); // 0.1, 0.2, 0.3: calm again
    expect(applied).toEqual([25, 10, 25, 10]);
    g.stop();
    vi.advanceTimersByTime(10_000);
    expect(applied).toEqual([25, 10, 25, 10]);
  });

  it('switches between V8\'s own heuristics (0) and a figure, and never reads the loop when both are equal', () => {
    const applied: number[] = [];
    const loads = [0.1, 0.1, 0.9];
    const g = adaptHeapGrowth({ busyPercent: 0, calmPercent: 10, everyMs: 1000, calmAfter: 2, utilization: () => loads.shift() ?? 0, apply: (p) => applied.push(p) });
    vi.advanceTimersByTime(3000);
    expect(applied).toEqual([0, 10, 0]);
    g.stop();
    const utilization = vi.fn(() => 0);
    for (const [busyPercent, calmPercent] of [[0, 0], [25, 25]] as const) {
      const applied: number[] = [];
      const g = adaptHeapGrowth({ busyPercent, calmPercent, everyMs: 1000, utilization, apply: (p) => applied.push(p) });
      vi.advanceTimersByTime(5000);
      expect(applied).toEqual([busyPercent]);
      expect(g.percent).toBe(busyPercent);
    }
    expect(utilization).not.toHaveBeenCalled();
  });

  it('by default reads the loop every second: busy above 60 %, calm after 5 s in a row under 40 %', () => {
    const applied: number[] = [];
    const loads = [0.61, 0.39, 0.39, 0.39, 0.39, 0.41, 0.39, 0.39, 0.39, 0.39, 0.39, 0.6];
    adaptHeapGrowth({ busyPercent: 25, calmPercent: 10, utilization: () => loads.shift() ?? 0.5, apply: (p) => applied.push(p) });
    vi.advanceTimersByTime(999);
    expect(loads).toHaveLength(12); // not read before a second
    vi.advanceTimersByTime(1 + 4000); // 0.61 (busy), then four calm seconds: not yet
    expect(applied).toEqual([25]);
    vi.advanceTimersByTime(1000); // 0.41: not calm, the run starts again
    vi.advanceTimersByTime(4000);
    expect(applied).toEqual([25]);
    vi.advanceTimersByTime(1000); // the fifth calm second in a row
    expect(applied).toEqual([25, 10]);
    vi.advanceTimersByTime(1000); // 0.6 is not above 60 %: stays calm
    expect(applied).toEqual([25, 10]);
  });
});
